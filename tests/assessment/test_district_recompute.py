"""Issue 16, fan-out: a district recompute is one job per township, queued as a Celery group;
each township's progress and failure stay on its own job, the run as a whole on its parent.
The nightly recompute fans out the same way. With eager tasks (the embedded default) the
townships run one after the other. The synthetic district is a seed's townships."""

import io
import itertools
from datetime import date

import factory
import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from assessment import fanout
from assessment import services
from assessment.models import ScoreSheet
from assessment.scheduled import recompute_open_periods
from jobs.models import Job
from jobs.services import jobs_mark_stalled
from jobs.tasks import job_rerun
from petitions.models import Petition
from sampledata.synthetic import in_order_month
from sampledata.synthetic import make_district
from tests.assessment.period_steps import close_month
from tests.factories import AreaFactory
from tests.factories import TownshipFactory
from tests.factories import UserFactory
from tests.factories import VillageFactory
from villages.models import District
from villages.models import Township
from villages.models import Village

YEAR = 2026
MONTHS = [1, 2, 3]


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"测试{n}区")
    code = factory.Sequence(lambda n: f"d{n}")


def _district(n_townships: int, villages: int = 2, with_records: bool = True) -> District:
    district = DistrictFactory()
    for _i in range(n_townships):
        township = TownshipFactory(district=district)
        area = AreaFactory(township=township)
        for _v in range(villages):
            village = VillageFactory(area=area)
            if with_records:
                in_order_month(village, YEAR, 2)
    return district


def _break_township(monkeypatch, township_id):
    """A record the rules cannot score, in one township only."""
    real = services.collect_months

    def collect(*, township_id: int, **rest):
        if township_id == broken:
            raise OverflowError("date value out of range")
        return real(township_id=township_id, **rest)

    broken = township_id
    monkeypatch.setattr(services, "collect_months", collect)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_a_district_recompute_is_one_job_per_township_and_stores_their_sheets(
    superuser, django_capture_on_commit_callbacks
):
    district = _district(3)
    with django_capture_on_commit_callbacks(execute=True):
        run = fanout.recompute_district(district=district, year=YEAR, month=None, by=superuser)
    run.refresh_from_db()
    children = list(run.children_in_order)
    assert sorted(c.township_id for c in children) == sorted(
        district.townships.values_list("pk", flat=True)
    )
    assert all(c.kind == fanout.TOWNSHIP_KIND and c.requested_by == superuser for c in children)
    assert [c.state for c in children] == ["done"] * 3
    assert (run.state, run.progress, run.finished_at is not None) == ("done", 100, True)
    assert "已完成 3 项" in run.message
    months = services.months_to_score(YEAR, date.today())
    for township in district.townships.all():
        stored = ScoreSheet.objects.filter(village__township=township, year=YEAR)
        assert stored.count() == 2 * len(months)


def test_with_eager_tasks_the_townships_run_one_after_the_other(
    superuser, django_capture_on_commit_callbacks, settings
):
    assert settings.CELERY_TASK_ALWAYS_EAGER
    district = _district(3, villages=1)
    with django_capture_on_commit_callbacks(execute=True):
        run = fanout.recompute_district(district=district, year=YEAR, month=2, by=superuser)
    children = list(Job.objects.get(pk=run.pk).children_in_order)
    assert [c.params["months"] for c in children] == [[2]] * 3
    for earlier, later in itertools.pairwise(children):
        assert earlier.finished_at <= later.started_at
    assert ScoreSheet.objects.filter(year=YEAR, month=2).count() == 3
    assert not ScoreSheet.objects.filter(year=YEAR).exclude(month=2).exists()


def test_a_failing_township_fails_alone_and_is_named_by_the_run(
    superuser, monkeypatch, django_capture_on_commit_callbacks
):
    district = _district(3)
    bad, *good = list(district.townships.order_by("code"))
    _break_township(monkeypatch, bad.pk)
    with django_capture_on_commit_callbacks(execute=True):
        run = fanout.recompute_district(district=district, year=YEAR, month=2, by=superuser)
    jobs = {job.township_id: job for job in Job.objects.filter(parent=run)}
    assert jobs[bad.pk].state == "failed"
    assert "OverflowError: date value out of range" in jobs[bad.pk].error
    assert [jobs[t.pk].state for t in good] == ["done", "done"]
    assert not ScoreSheet.objects.filter(village__township=bad).exists()
    for township in good:
        assert ScoreSheet.objects.filter(village__township=township, month=2).count() == 2
    run.refresh_from_db()
    assert (run.state, run.progress) == ("failed", 100)
    assert jobs[bad.pk].title in run.error and jobs[good[0].pk].title not in run.error
    assert "失败 1 项" in run.message

    # Fixed, the township is run again from its own page: the run is whole again.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert job_rerun(job=jobs[bad.pk], by=superuser)
    run.refresh_from_db()
    assert (Job.objects.get(pk=jobs[bad.pk].pk).state, run.state, run.error) == ("done", "done", "")
    assert ScoreSheet.objects.filter(village__township=bad, month=2).count() == 2


def test_a_rerun_reopens_the_run_until_the_township_is_done(
    superuser, monkeypatch, django_capture_on_commit_callbacks
):
    """Queued again but not yet run, the township makes its run unfinished again."""
    district = _district(2, villages=1)
    bad = district.townships.order_by("code").first()
    _break_township(monkeypatch, bad.pk)
    with django_capture_on_commit_callbacks(execute=True):
        run = fanout.recompute_district(district=district, year=YEAR, month=2, by=superuser)
    failed = run.children.get(township=bad)
    assert Job.objects.get(pk=run.pk).state == "failed"
    with django_capture_on_commit_callbacks(execute=False):
        assert job_rerun(job=failed, by=superuser)
    run.refresh_from_db()
    assert (run.state, run.progress, run.finished_at, run.error) == ("running", 50, None, "")


def test_townships_queued_behind_busy_workers_share_the_runs_heartbeat(
    superuser, django_capture_on_commit_callbacks
):
    """A township waiting for a worker is not stalled while its siblings finish; a run whose
    workers are all gone stalls, townships and parent alike (jobs/rules.py)."""
    from datetime import timedelta

    from django.utils import timezone

    from jobs.services import job_done

    district = _district(3, with_records=False)
    with django_capture_on_commit_callbacks(execute=False):  # no worker takes them yet
        run = fanout.recompute_district(district=district, year=YEAR, month=2, by=superuser)
    first, *waiting = list(run.children_in_order)
    old = timezone.now() - timedelta(minutes=10)
    Job.objects.filter(pk__in=[run.pk, *[j.pk for j in waiting]]).update(heartbeat_at=old)
    job_done(first)
    assert jobs_mark_stalled() == 0
    assert set(Job.objects.filter(parent=run).values_list("state", flat=True)) == {
        "done",
        "queued",
    }
    Job.objects.filter(pk__in=[run.pk, *[j.pk for j in waiting]]).update(heartbeat_at=old)
    assert jobs_mark_stalled() == 1 + len(waiting)


def test_starting_a_run_costs_the_same_queries_for_2_and_6_townships(
    superuser, django_capture_on_commit_callbacks
):
    counts = []
    for n in (2, 6):
        district = _district(n, villages=1, with_records=False)
        with (
            django_capture_on_commit_callbacks(execute=False),
            CaptureQueriesContext(connection) as queries,
        ):
            run = fanout.recompute_district(district=district, year=YEAR, month=2, by=superuser)
        assert run.children.count() == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_only_a_superuser_or_the_system_starts_a_district_recompute(superuser, admin_user):
    district = _district(1, villages=1, with_records=False)
    district_leader = UserFactory(username="dl", role=Role.DISTRICT_LEADER, district=district)
    for user in (admin_user, district_leader):
        with pytest.raises(PermissionDenied):
            fanout.recompute_district(district=district, year=YEAR, by=user)
    assert not Job.objects.exists()
    with pytest.raises(ValidationError, match="还没有镇"):
        fanout.recompute_district(district=DistrictFactory(), year=YEAR, by=None)
    with pytest.raises(ValidationError, match="尚未开始"):
        fanout.recompute_district(district=district, year=2100, by=superuser)
    assert not Job.objects.exists()


def test_the_page_starts_a_run_for_a_superuser_only(
    superuser, admin_user, client_for, django_capture_on_commit_callbacks
):
    district = _district(2, villages=1)
    url = reverse("assessment:district_recompute")
    assert client_for(admin_user).get(url).status_code == 403
    menu = client_for(admin_user).get(reverse("jobs:job_list")).content.decode()
    assert "区县重新计算" not in menu
    refused = client_for(admin_user).post(url, {"district": district.pk, "year": YEAR})
    assert refused.status_code == 403
    assert not Job.objects.exists()

    client = client_for(superuser)
    page = client.get(url).content.decode()
    assert district.name in page and "区县重新计算" in page
    bad = client.post(url, {"district": district.pk, "year": 1999}).content.decode()
    assert 'class="field has-error"' in bad and not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"district": district.pk, "year": YEAR, "month": "2"})
    run = Job.objects.get(parent=None)
    assert response.status_code == 302 and response.url == reverse("jobs:job_status", args=[run.pk])
    panel = client.get(response.url).content.decode()
    for child in run.children_in_order:
        assert child.title in panel
        assert reverse("jobs:job_status", args=[child.pk]) in panel
    empty = DistrictFactory()
    refused = client.post(url, {"district": empty.pk, "year": YEAR}).content.decode()
    assert "该区(县)还没有镇" in refused and Job.objects.filter(parent=None).count() == 1


def test_a_townships_admin_reads_its_own_share_of_the_run_only(
    superuser, client_for, django_capture_on_commit_callbacks
):
    district = _district(2, villages=1)
    mine, theirs = list(district.townships.order_by("code"))
    admin = UserFactory(username="adm-mine", role=Role.ADMIN, township=mine)
    with django_capture_on_commit_callbacks(execute=True):
        run = fanout.recompute_district(district=district, year=YEAR, month=2, by=superuser)
    jobs = {job.township_id: job for job in run.children.all()}
    client = client_for(admin)
    assert client.get(reverse("jobs:job_status", args=[jobs[mine.pk].pk])).status_code == 200
    assert client.get(reverse("jobs:job_status", args=[jobs[theirs.pk].pk])).status_code == 404
    assert client.get(reverse("jobs:job_status", args=[run.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_score_command_runs_a_district_and_prints_each_township(monkeypatch):
    """As from a shell: no transaction around the command, so the group is queued (run, here,
    eagerly) at once and the command's wait sees the townships finish."""
    district = _district(2, villages=1)
    out = io.StringIO()
    call_command("score", district=district.code, year=YEAR, month=2, stdout=out)
    printed = out.getvalue()
    for township in district.townships.all():
        assert f"{township.code}" in printed
    assert printed.count(" done ") == 2
    assert ScoreSheet.objects.filter(month=2).count() == 2

    bad = district.townships.order_by("code").first()
    _break_township(monkeypatch, bad.pk)
    out = io.StringIO()
    with pytest.raises(CommandError, match=f"1 township\\(s\\) failed: {bad.code}"):
        call_command("score", district=district.name, year=YEAR, month=2, stdout=out)
    assert "OverflowError" in out.getvalue()
    with pytest.raises(CommandError, match="no district"):
        call_command("score", district="nowhere", year=YEAR, stdout=io.StringIO())


def test_the_nightly_recompute_fans_out_one_job_per_township_by_district(
    admin_user, township, other_village, django_capture_on_commit_callbacks
):
    """清河镇 (the admin's) and 外镇 in one district, 第三镇 in none: one run each; a closed
    month is left out of its township's months."""
    district = DistrictFactory()
    Township.objects.filter(pk__in=[township.pk, other_village.township_id]).update(
        district=district
    )
    lone = TownshipFactory(name="第三镇", code="third")
    close_month(services.period_for(township.pk, YEAR, 2), admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert recompute_open_periods(date(YEAR, 3, 5)) == 3
    runs = list(Job.objects.filter(parent=None).order_by("pk"))
    assert [run.kind for run in runs] == [fanout.NIGHTLY_KIND] * 2
    assert district.name in runs[0].title and "2026-03-05" in runs[1].title
    months = {
        job.township_id: (job.parent_id, job.params["months"], job.state)
        for job in Job.objects.exclude(parent=None)
    }
    assert months == {
        township.pk: (runs[0].pk, [1, 3], "done"),
        other_village.township_id: (runs[0].pk, [1, 2, 3], "done"),
        lone.pk: (runs[1].pk, [1, 2, 3], "done"),
    }
    assert [run.state for run in Job.objects.filter(parent=None)] == ["done", "done"]
    stored = set(ScoreSheet.objects.values_list("village__township_id", "month"))
    assert stored == {(other_village.township_id, m) for m in (1, 2, 3)}  # the only village


def test_the_nightly_fan_out_costs_the_same_queries_for_2_and_6_townships(
    db, django_capture_on_commit_callbacks
):
    district = _district(2, villages=1, with_records=False)
    counts = []
    for n in (2, 6):
        while district.townships.count() < n:
            TownshipFactory(district=district)
        with (
            django_capture_on_commit_callbacks(execute=False),
            CaptureQueriesContext(connection) as queries,
        ):
            assert recompute_open_periods(date(YEAR, 3, 5)) == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- the synthetic district -------------------------------------------------------------------


def _content(district: District) -> list:
    """What the district's townships hold, by position, without ids or codes."""
    found = []
    for township in district.townships.order_by("code"):
        petitions = Petition.objects.filter(village__township=township).order_by("date", "pk")
        found.append(
            (
                township.name.removeprefix(district.name),
                list(township.villages.order_by("name").values_list("name", "population")),
                list(petitions.values_list("village__name", "date", "level", "matter")),
            )
        )
    return found


def test_make_district_builds_n_townships_of_m_villages_the_same_for_a_seed(db):
    until = date(YEAR, 2, 28)
    a = make_district(
        townships=3, villages_per_township=4, year=YEAR, seed=5, code="a", until=until
    )
    b = make_district(
        townships=3, villages_per_township=4, year=YEAR, seed=5, code="b", until=until, name="乙区"
    )
    c = make_district(
        townships=3, villages_per_township=4, year=YEAR, seed=6, code="c", until=until, name="丙区"
    )
    for district in (a, b, c):
        assert district.townships.count() == 3
        assert [t.villages.count() for t in district.townships.order_by("code")] == [4, 4, 4]
    assert _content(a) == _content(b)
    assert _content(a) != _content(c)
    populations = [rows[1] for rows in _content(a)]
    assert len({tuple(p) for p in populations}) == 3  # each township draws its own villages
    assert Petition.objects.filter(village__township__district=a).exists()


def test_make_synthetic_builds_a_district_and_keeps_the_single_township(db):
    out = io.StringIO()
    call_command(
        "make_synthetic",
        townships=2,
        villages_per_township=3,
        year=2025,
        seed=1,
        code="cli",
        stdout=out,
    )
    district = District.objects.get(code="cli")
    assert "2 镇, 6 村" in out.getvalue()
    assert list(district.townships.values_list("code", flat=True).order_by("code")) == [
        "cli-01",
        "cli-02",
    ]
    call_command("make_synthetic", villages=2, year=2025, seed=1, code="one", stdout=out)
    assert Township.objects.get(code="one").district is None
    assert Village.objects.filter(township__code="one").count() == 2
