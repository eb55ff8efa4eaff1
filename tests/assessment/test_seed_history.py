"""The demo and the synthetic county write history like every other path: every record they
create has an attributed history row (who, why) that matches the stored record, and loading the
demo again writes nothing, history included."""

from io import StringIO

from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from sampledata.synthetic import DATA_REASON
from sampledata.synthetic import make_county
from sampledata.synthetic import seed_user
from sampledata.township import DEMO_REASON


def _tracked_models():
    return [m for m in apps.get_models() if hasattr(m._meta, "simple_history_manager_attribute")]


def _pks():
    return {m: set(m._default_manager.values_list("pk", flat=True)) for m in _tracked_models()}


def _history_fields(model):
    history_model = model.history.model
    own = {f.attname for f in model._meta.concrete_fields}
    return [f.attname for f in history_model._meta.concrete_fields if f.attname in own]


def _problems(before, *, user, reason):
    """Every record created since `before` without a history row, with a latest history row
    that differs from it, or with a row not attributed to `user` (or one of a list) for
    `reason`."""
    users = list(user) if isinstance(user, list | tuple) else [user]
    problems = []
    for model, old in before.items():
        new = set(model._default_manager.values_list("pk", flat=True)) - old
        if not new:
            continue
        fields = _history_fields(model)
        pk = model._meta.pk.attname
        rows = model.history.model.objects.filter(**{f"{pk}__in": new})
        latest = {}
        for row in rows.order_by("history_date", "history_id").values(*fields):
            latest[row[pk]] = row
        missing = new - set(latest)
        if missing:
            problems.append(f"{model._meta.label}: {len(missing)} of {len(new)} without history")
        current = {
            row[pk]: row for row in model._default_manager.filter(pk__in=new).values(*fields)
        }
        stale = [p for p, row in latest.items() if row != current[p]]
        if stale:
            problems.append(f"{model._meta.label}: {len(stale)} whose history is not the record")
        created = rows.filter(history_type="+")
        attributed = created.filter(history_change_reason=reason)
        if users == [None]:
            attributed = attributed.filter(history_user__isnull=True)
        else:
            attributed = attributed.filter(history_user__in=users)
        unattributed = created.count() - attributed.count()
        if unattributed:
            problems.append(f"{model._meta.label}: {unattributed} creations not attributed")
    return problems


def test_demo_records_all_have_attributed_history_and_a_second_load_writes_none(db):
    before = _pks()
    call_command("load_demo", stdout=StringIO())
    # Each demo township's records are its own admin's; the district's, the first township's.
    admin, second = User.objects.get(username="admin"), User.objects.get(username="shiqiao-admin")
    assert _problems(before, user=[admin, second], reason=DEMO_REASON) == []
    from villages.models import Village

    for township, author in (("qinghe", admin), ("shiqiao", second)):
        created = Village.history.filter(township__code=township, history_type="+")
        assert created.count() > 0
        assert set(created.values_list("history_user", flat=True)) == {author.pk}
    # The demo made records of many kinds, so the check above had something to check.
    created = sum(
        len(set(m._default_manager.values_list("pk", flat=True)) - before[m]) for m in before
    )
    assert created > 1000

    history_rows = {m: m.history.count() for m in _tracked_models()}
    call_command("load_demo", stdout=StringIO())
    assert {m: m.history.count() for m in _tracked_models()} == history_rows


def test_synthetic_county_records_all_have_attributed_history(db):
    before = _pks()
    township = make_county(villages=3, year=2026, seed=1, code="tiny")
    seeder = seed_user(township)
    assert not seeder.is_active and not seeder.has_usable_password()
    assert _problems(before, user=seeder, reason=DATA_REASON) == []
    assert township.villages.count() == 3


def test_in_order_month_records_have_history(db, area):
    from governance.models import Patrol
    from sampledata.synthetic import in_order_month
    from tests.factories import VillageFactory

    village = VillageFactory(area=area)
    before = _pks()
    in_order_month(village, 2026, 4)
    patrols = Patrol.objects.filter(village=village)
    assert patrols.exists()
    assert Patrol.history.filter(id__in=patrols.values("id"), history_type="+").count() == (
        patrols.count()
    )
    assert _problems(before, user=None, reason=DATA_REASON) == []
