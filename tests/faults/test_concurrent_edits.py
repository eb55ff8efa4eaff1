"""Fault: two people save the same record from the same read at the same moment (issue 12 item 4).

Two threads, each with its own database connection, read the patrol, wait for each other, then
save through core.records.record_save with the version they read. Exactly one is saved; the
other gets the conflict naming the first one's change; nothing is lost, and the loser's change
saved again after reading again persists beside the winner's.

PostgreSQL only: SQLite has no row locks (`select_for_update` is a no-op there) and serialises
whole-database writes, so it cannot show the race this guards against.
"""

import threading
from datetime import date

import pytest
from django.db import connection
from django.db import connections

from core.records import RecordConflict
from core.records import record_save
from governance.models import Patrol

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            f"row locks need PostgreSQL; this database is {connection.vendor} "
            "(select_for_update does nothing on SQLite)"
        )


@pytest.fixture(autouse=True)
def _no_recompute(monkeypatch):
    """The edits are the subject, not the scores: the months are marked stale (the durable
    queue) but not recomputed in the test's process after each commit."""
    monkeypatch.setattr("assessment.tasks.enqueue_recompute", lambda: None)


def test_two_simultaneous_edits_save_one_and_tell_the_other(village_a, staff_user, admin_user):
    patrol = record_save(
        instance=Patrol(village=village_a, date=date(2026, 4, 7), participants="巡逻队"),
        user=staff_user,
    )
    edits = {"staff": ("route", "东线", staff_user), "admin": ("note", "夜巡", admin_user)}
    read_done = threading.Barrier(len(edits), timeout=30)
    outcome: dict[str, object] = {}

    def edit(name):
        field, value, user = edits[name]
        try:
            mine = Patrol.objects.get(pk=patrol.pk)  # the same read: version 1
            read_done.wait()
            setattr(mine, field, value)
            record_save(instance=mine, user=user, reason=name, expected_version=mine.version)
            outcome[name] = "saved"
        except RecordConflict as exc:
            outcome[name] = exc
        except Exception as exc:  # any other failure is shown by the assertions below
            outcome[name] = exc
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=edit, args=(name,)) for name in edits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    saved = [name for name, result in outcome.items() if result == "saved"]
    refused = {name: r for name, r in outcome.items() if isinstance(r, RecordConflict)}
    assert len(saved) == 1, outcome
    assert len(refused) == 1, outcome
    (winner,) = saved
    ((loser, conflict),) = refused.items()
    won_field, won_value, winner_user = edits[winner]
    assert [(c.field, c.value) for c in conflict.changes] == [(won_field, won_value)]
    assert conflict.users == [winner_user]

    stored = Patrol.objects.get(pk=patrol.pk)
    assert stored.version == 2
    assert getattr(stored, won_field) == won_value
    lost_field, lost_value, loser_user = edits[loser]
    assert getattr(stored, lost_field) == ""  # the stale write changed nothing

    # The loser reads again and saves: both changes persist.
    setattr(stored, lost_field, lost_value)
    record_save(instance=stored, user=loser_user, reason="重试", expected_version=stored.version)
    final = Patrol.objects.get(pk=patrol.pk)
    assert (final.route, final.note, final.version) == ("东线", "夜巡", 3)
    assert final.history.count() == 3
