"""The Django admin is a door like the others: a closed month refuses it, and every write it makes
is attributed (who, why) and marks the village-month for recompute (issue 12, item 3).

Parametrised over every record admin registered on the site, so a new admin cannot slip through:
a record model's admin is either a core.admin.RecordAdmin (and then has a builder in KINDS, so
its writes are exercised here) or view only.
"""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.forms import BooleanField
from django.forms import ModelMultipleChoiceField
from django.forms import MultiValueField
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from import_export.admin import ImportMixin

from accounts.rules import village_of
from assessment.models import Contest
from assessment.models import Period
from assessment.models import PeriodState
from assessment.models import ScoreSheet
from assessment.models import StaleVillageMonth
from cases.models import AssignedCase
from cases.models import BacklogCase
from cases.models import BacklogRelapse
from core.admin import RecordAdmin
from core.models import Versioned
from core.records import record_dates
from governance import models as gov
from petitions import models as pet
from tests.cases.factories import AssignedCaseFactory
from tests.cases.factories import BacklogCaseFactory
from tests.cases.factories import BacklogRelapseFactory
from tests.governance import factories as gf
from tests.petitions import factories as pf

pytestmark = pytest.mark.django_db

CLOSED_TEXT = "考核已关闭"


def _survey_answer(v):
    survey = gf.SurveyFactory(village=v)
    household = gf.LandlineHouseholdFactory(village=v)
    sample = gov.SurveySample.objects.create(survey=survey, household=household, order=1)
    return gov.SurveyAnswer.objects.create(sample=sample, reached=True, answer="satisfied")


def _candidate(v):
    return pet.UnreportedCandidate.objects.create(petition=pf.PetitionFactory(village=v), village=v)


# One way to build a stored record of each writable record kind, in village `v`.
KINDS = {
    AssignedCase: lambda v: AssignedCaseFactory(village=v),
    BacklogCase: lambda v: BacklogCaseFactory(village=v, resolved_date=date(2026, 4, 20)),
    BacklogRelapse: lambda v: BacklogRelapseFactory(case__village=v),
    gov.CentreInspection: lambda v: gf.CentreInspectionFactory(village=v),
    gov.SpecialPerson: lambda v: gf.SpecialPersonFactory(village=v),
    gov.ZeroReport: lambda v: gf.ZeroReportFactory(village=v),
    gov.LeadershipGroup: lambda v: gf.LeadershipGroupFactory(village=v),
    gov.LandlineHousehold: lambda v: gf.LandlineHouseholdFactory(village=v),
    gov.Patrol: lambda v: gf.PatrolFactory(village=v),
    gov.VillageMeeting: lambda v: gf.VillageMeetingFactory(village=v),
    gov.TownshipMeeting: lambda v: gf.TownshipMeetingFactory(township=v.township),
    gov.MeetingAttendance: lambda v: gf.MeetingAttendanceFactory(
        meeting__township=v.township, village=v
    ),
    gov.Survey: lambda v: gf.SurveyFactory(village=v),
    gov.SurveyAnswer: _survey_answer,
    gov.AdjustmentEvent: lambda v: gf.AdjustmentEventFactory(village=v),
    gov.SensitivePeriod: lambda v: gf.SensitivePeriodFactory(township=v.township),
    pet.Petition: lambda v: pf.PetitionFactory(village=v),
    pet.Petitioner: lambda v: pf.PetitionerFactory(petition__village=v),
    pet.ReceptionLog: lambda v: pf.ReceptionLogFactory(village=v),
    pet.BaobaoEntry: lambda v: pf.BaobaoEntryFactory(village=v),
    pet.Dispute: lambda v: pf.DisputeFactory(village=v),
    pet.DisputeReport: lambda v: pf.DisputeReportFactory(village=v),
    pet.Dossier: lambda v: pf.DossierFactory(dispute__village=v),
    pet.UnreportedCandidate: _candidate,
}


# Standing registers guard only the months an edit changes (core.records `changed_record_dates`):
# the closed-month change test moves their start a month later, which removes a closed month-end.
START_FIELD = {
    gov.SpecialPerson: "registered",
    gov.ZeroReport: "date",
    gov.LeadershipGroup: "established",
    pet.BaobaoEntry: "start",
}


def is_record(model) -> bool:
    """What core.records places in months: the mark every assessment record carries."""
    return hasattr(model, "record_dates") or hasattr(model, "PERIOD_DATE_FIELD")


RECORD_ADMINS = sorted(
    ((m, a) for m, a in admin.site._registry.items() if is_record(m)),
    key=lambda pair: pair[0]._meta.label,
)
# The behaviour tests run over KINDS; the walk below makes KINDS cover every writable record admin.
WRITABLE = sorted(KINDS, key=lambda m: m._meta.label)


def _ids(model):
    return model._meta.label


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", password="pw")


@pytest.fixture
def root_client(client, root):
    client.force_login(root)
    return client


def _request(user, method="get"):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    return request


# --- building the admin's own form data for a record -------------------------------------------


def _field_data(form, data: dict, files: dict) -> None:
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field, BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(field, MultiValueField):
            parts = field.widget.decompress(value)
            for i, part in enumerate(parts):
                data[f"{key}_{i}"] = "" if part is None else str(part)
        elif isinstance(field, ModelMultipleChoiceField):
            data[key] = [str(v) for v in value or []]
        elif hasattr(value, "read") or isinstance(value, models.fields.files.FieldFile):
            if value and form.instance._state.adding:
                value.open("rb")
                files[key] = SimpleUploadedFile(value.name.rsplit("/", 1)[-1], value.read())
                value.close()
        elif value is None:
            data[key] = ""
        else:
            data[key] = str(value)


def admin_post_data(model_admin, user, obj, *, adding=False):
    """The POST the admin's change (or add) page would send for `obj`, as rendered."""
    request = _request(user)
    form_obj = None if adding else obj
    form_class = model_admin.get_form(request, form_obj, change=not adding)
    form = form_class(instance=obj)
    if adding:
        form.instance._state.adding = True
    data, files = {}, {}
    _field_data(form, data, files)
    formsets, _inlines = model_admin._create_formsets(
        request, model_admin.model() if adding else obj, change=not adding
    )
    for formset in formsets:
        for key, value in formset.management_form.initial.items():
            data[formset.management_form.add_prefix(key)] = str(value)
        for inline_form in formset.forms:
            _field_data(inline_form, data, files)
    return {**data, **files}


def close_months(obj) -> list[tuple[int, int]]:
    township = getattr(obj, "township", None) or village_of(obj).township
    months = sorted({(d.year, d.month) for d in record_dates(obj)})
    for year, month in months:
        Period.objects.update_or_create(
            township=township, year=year, month=month, defaults={"state": PeriodState.CLOSED}
        )
    return months


def snapshot(obj):
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    if fresh is None:
        return None
    return model_to_dict(fresh), fresh.history.count()


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# --- the walk: no record admin escapes core.records ------------------------------------------


def test_the_walk_finds_the_record_admins():
    assert len(RECORD_ADMINS) >= 28
    assert len(WRITABLE) >= 20
    for model in WRITABLE:
        assert isinstance(admin.site._registry[model], RecordAdmin), model._meta.label


@pytest.mark.parametrize(("model", "model_admin"), RECORD_ADMINS, ids=lambda x: str(x))
def test_every_record_admin_writes_through_core_records_or_is_view_only(root, model, model_admin):
    request = _request(root)
    if isinstance(model_admin, RecordAdmin):
        assert model in KINDS, f"add a builder for {model._meta.label} to KINDS"
    else:
        assert not model_admin.has_add_permission(request), model._meta.label
        assert not model_admin.has_change_permission(request), model._meta.label
        assert not model_admin.has_delete_permission(request), model._meta.label
    assert not model_admin.list_editable, "a list edit cannot ask the change reason"
    # An import in the admin would skip exports.importing (all or nothing, closed months).
    assert not isinstance(model_admin, ImportMixin), "imports go through exports.importing"


# --- a closed month refuses every admin write, with a message --------------------------------


def _closed(model, village):
    obj = KINDS[model](village)
    if not close_months(obj):
        pytest.skip(f"{model._meta.label} places itself in no month")
    return obj


@pytest.mark.parametrize("model", WRITABLE, ids=_ids)
def test_a_change_in_a_closed_month_is_refused_on_the_form(root_client, root, village_a, model):
    obj = _closed(model, village_a)
    before = snapshot(obj)
    data = admin_post_data(admin.site._registry[model], root, obj)
    data["change_reason"] = "核对更正"
    if model in START_FIELD:
        start = getattr(obj, START_FIELD[model])
        data[START_FIELD[model]] = start.replace(month=start.month + 1).isoformat()
    response = root_client.post(_url(model, "change", obj.pk), data)
    assert response.status_code == 200
    assert CLOSED_TEXT in response.content.decode()
    assert snapshot(obj) == before


@pytest.mark.parametrize("model", WRITABLE, ids=_ids)
def test_a_delete_in_a_closed_month_is_refused(root_client, village_a, model):
    obj = _closed(model, village_a)
    before = snapshot(obj)
    response = root_client.post(
        _url(model, "delete", obj.pk), {"post": "yes", "reason": "录错了"}, follow=True
    )
    assert response.status_code == 200
    assert CLOSED_TEXT in response.content.decode()
    assert snapshot(obj) == before


@pytest.mark.parametrize("model", WRITABLE, ids=_ids)
def test_a_bulk_delete_in_a_closed_month_is_refused_whole(root_client, village_a, village_b, model):
    open_one = KINDS[model](village_b)  # another village: kinds unique per village stay valid
    obj = _closed(model, village_a)
    kept = snapshot(open_one), snapshot(obj)
    response = root_client.post(
        _url(model, "changelist"),
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [open_one.pk, obj.pk],
            "post": "yes",
            "reason": "录错了",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert CLOSED_TEXT in response.content.decode()
    assert (snapshot(open_one), snapshot(obj)) == kept  # all or nothing


@pytest.mark.parametrize("model", WRITABLE, ids=_ids)
def test_an_add_dated_in_a_closed_month_is_refused_on_the_form(root_client, root, village_a, model):
    obj = KINDS[model](village_a)
    data = admin_post_data(admin.site._registry[model], root, obj, adding=True)
    close_months(obj)
    if not record_dates(obj):
        pytest.skip(f"{model._meta.label} places itself in no month")
    obj.delete()  # its twin is what the add sends (unique fields stay free)
    count = model._default_manager.count()
    response = root_client.post(_url(model, "add"), data)
    assert response.status_code == 200
    assert CLOSED_TEXT in response.content.decode()
    assert model._default_manager.count() == count


# --- in an open month each works, attributed and marked stale ------------------------------------


def _stale_months(obj):
    marks = StaleVillageMonth.objects.filter(village=village_of(obj))
    return {(m.year, m.month) for m in marks}


def _months(obj):
    """The months a save must mark: a village record's; a township record (a meeting with no
    attendance yet, a sensitive period) marks no village, as on its own pages."""
    if village_of(obj) is None:
        return set()
    return {(d.year, d.month) for d in record_dates(obj)}


@pytest.mark.parametrize("model", WRITABLE, ids=_ids)
def test_a_change_in_an_open_month_is_attributed_and_marks_stale(
    root_client, root, village_a, model
):
    obj = KINDS[model](village_a)
    StaleVillageMonth.objects.all().delete()
    data = admin_post_data(admin.site._registry[model], root, obj)
    without_reason = root_client.post(_url(model, "change", obj.pk), data)
    assert without_reason.status_code == 200  # the reason is required
    data["change_reason"] = "核对更正"
    marked = _months(obj)
    if model in START_FIELD:  # a register marks the months an edit changes: move its start
        start = getattr(obj, START_FIELD[model])
        data[START_FIELD[model]] = start.replace(month=start.month + 1).isoformat()
        marked = {(start.year, start.month)}
    response = root_client.post(_url(model, "change", obj.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = obj.history.first()
    assert row.history_user == root
    assert "核对更正" in row.history_change_reason
    assert marked <= _stale_months(obj)


@pytest.mark.parametrize("model", WRITABLE, ids=_ids)
def test_a_delete_in_an_open_month_is_attributed_and_marks_stale(
    root_client, root, village_a, model
):
    obj = KINDS[model](village_a)
    months, pk, village = _months(obj), obj.pk, village_of(obj)
    StaleVillageMonth.objects.all().delete()
    no_reason = root_client.post(_url(model, "delete", pk), {"post": "yes"})
    assert no_reason.status_code == 200
    assert model._default_manager.filter(pk=pk).exists()
    response = root_client.post(_url(model, "delete", pk), {"post": "yes", "reason": "重复录入"})
    assert response.status_code == 302
    assert not model._default_manager.filter(pk=pk).exists()
    row = model.history.filter(id=pk).first()
    assert row.history_type == "-"
    assert row.history_user == root
    assert "重复录入" in row.history_change_reason
    marks = StaleVillageMonth.objects.filter(village=village)
    assert months <= {(m.year, m.month) for m in marks}


@pytest.mark.parametrize("model", WRITABLE, ids=_ids)
def test_a_bulk_delete_in_an_open_month_is_attributed(
    root_client, root, village_a, village_b, model
):
    objs = [KINDS[model](village_a), KINDS[model](village_b)]
    response = root_client.post(
        _url(model, "changelist"),
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [o.pk for o in objs],
            "post": "yes",
            "reason": "重复录入",
        },
    )
    assert response.status_code == 302
    for obj in objs:
        assert not model._default_manager.filter(pk=obj.pk).exists()
        row = model.history.filter(id=obj.pk).first()
        assert (row.history_type, row.history_user) == ("-", root)
        assert "重复录入" in row.history_change_reason


@pytest.mark.parametrize("model", WRITABLE, ids=_ids)
def test_an_add_in_an_open_month_is_attributed_and_marks_stale(root_client, root, village_a, model):
    obj = KINDS[model](village_a)
    data = admin_post_data(admin.site._registry[model], root, obj, adding=True)
    months = _months(obj)
    obj.delete()
    StaleVillageMonth.objects.all().delete()
    response = root_client.post(_url(model, "add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = model._default_manager.order_by("-pk").first()
    row = added.history.first()
    assert (row.history_type, row.history_user) == ("+", root)
    assert months <= _stale_months(added)


# --- inlines and history revert -----------------------------------------------------------------


def test_an_inline_row_in_a_closed_month_refuses_the_whole_change(root_client, root, village_a):
    case = BacklogCaseFactory(village=village_a)
    relapse = BacklogRelapseFactory(case=case, date=date(2026, 4, 10))
    close_months(relapse)
    before = snapshot(case), snapshot(relapse)
    data = admin_post_data(admin.site._registry[BacklogCase], root, case)
    data["change_reason"] = "核对更正"
    data["relapses-0-note"] = "改说明"
    data["title"] = "改了标题"
    response = root_client.post(_url(BacklogCase, "change", case.pk), data)
    assert response.status_code == 200
    assert CLOSED_TEXT in response.content.decode()
    assert (snapshot(case), snapshot(relapse)) == before


def test_a_history_revert_in_a_closed_month_is_refused(root_client, root, village_a):
    patrol = gf.PatrolFactory(village=village_a, route="旧路线")
    first = patrol.history.first()
    patrol.route = "新路线"
    patrol.save()
    close_months(patrol)
    before = snapshot(patrol)
    data = admin_post_data(admin.site._registry[gov.Patrol], root, first.instance)
    data["change_reason"] = "恢复"
    url = reverse("admin:governance_patrol_simple_history", args=[patrol.pk, first.history_id])
    response = root_client.post(url, data)
    assert response.status_code == 200
    assert CLOSED_TEXT in response.content.decode()
    assert snapshot(patrol) == before


def test_a_history_revert_in_an_open_month_goes_through_core_records(root_client, root, village_a):
    patrol = gf.PatrolFactory(village=village_a, route="旧路线")
    first = patrol.history.first()
    patrol.route = "新路线"
    patrol.save()
    data = admin_post_data(admin.site._registry[gov.Patrol], root, first.instance)
    data["change_reason"] = "恢复旧路线"
    url = reverse("admin:governance_patrol_simple_history", args=[patrol.pk, first.history_id])
    response = root_client.post(url, data)
    assert response.status_code == 302
    patrol.refresh_from_db()
    assert patrol.route == "旧路线"
    row = patrol.history.first()
    assert row.history_user == root
    assert "恢复旧路线" in row.history_change_reason


# --- the period workflow is not editable in the admin --------------------------------------------


@pytest.mark.parametrize("model", [Period, ScoreSheet, Contest, StaleVillageMonth], ids=_ids)
def test_periods_sheets_and_marks_are_view_only(root, model):
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return  # not in the admin at all: nothing to walk around with
    request = _request(root)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_add_permission(request, None)
        assert not inline.has_delete_permission(request, None)


def test_a_record_admin_with_list_editable_fails_the_system_check():
    class Editable(RecordAdmin):
        list_display = ["date", "village", "route"]
        list_editable = ["route"]

    errors = Editable(gov.Patrol, admin.site).check()
    assert "core.E001" in {e.id for e in errors}


VERSIONED = [m for m in WRITABLE if issubclass(m, Versioned)]


def test_every_writable_admin_kind_is_versioned():
    assert len(VERSIONED) == len(WRITABLE)


@pytest.mark.parametrize("model", VERSIONED, ids=_ids)
def test_an_admin_change_from_a_stale_read_is_refused_and_overwrites_nothing(
    root_client, root, village_a, model
):
    """Two people edit one record in the admin from the same read (issue 12, item 4): the
    second save is refused with the conflict at the top of the form, the first one kept."""
    obj = KINDS[model](village_a)
    data = admin_post_data(admin.site._registry[model], root, obj)
    assert data["record_version"] == str(obj.version)
    data["change_reason"] = "核对更正"
    theirs = type(obj)._default_manager.get(pk=obj.pk)
    # Saved the way the admin saves it (a township record is not a village's: its own service).
    admin.site._registry[model].save_record(_request(root), theirs, change=True, reason="他人先改")
    stored = snapshot(obj)

    response = root_client.post(_url(model, "change", obj.pk), data)
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert snapshot(obj) == stored
