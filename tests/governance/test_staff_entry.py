"""Issue 13 for the 综治中心 records: checks answered explicitly (全部合格 for the common case),
the CCTV answer's default from the village's record, and the patrol week grid."""

from datetime import date
from datetime import timedelta

import pytest
from django.urls import reverse

from governance import rules
from governance.forms import INSPECTION_CHECKS
from governance.forms import PatrolWeekForm
from governance.forms import all_passed_answers
from governance.models import CentreInspection
from governance.models import Patrol

from .factories import CentreInspectionFactory
from .factories import PatrolFactory


def url(name, *args):
    return reverse(f"governance:{name}", args=args)


def inspection_data(village, **extra):
    return {"village": village.pk, "date": "2026-04-10", "inspector": "王检查", **extra}


# --- 1. every check answered -------------------------------------------------------------------


def test_a_new_inspection_has_no_check_answered(client_for, cast):
    form = client_for(cast["staff"]).get(url("centreinspection_create")).context["form"]
    for name in INSPECTION_CHECKS:
        assert form[name].value() is None, name  # was False: an unticked box, a failed check
    body = str(form["duty_records"])
    assert 'type="radio"' in body and "checked" not in body


def test_an_unanswered_check_is_refused_at_its_field(client_for, cast, village_a):
    answers = dict.fromkeys(INSPECTION_CHECKS, "True")
    del answers["is_clean"]
    response = client_for(cast["staff"]).post(
        url("centreinspection_create"),
        inspection_data(village_a, cctv_room_manned="unknown", **answers),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["is_clean"] == ["请选择“是”或“否”。"]
    assert list(response.context["form"].errors) == ["is_clean"]
    assert not CentreInspection.objects.exists()


def test_all_passed_answers_every_unanswered_check_yes_and_keeps_a_no(client_for, cast, village_a):
    response = client_for(cast["staff"]).post(
        url("centreinspection_create"),
        inspection_data(village_a, all_passed="on", file_jindu="False", cctv_room_manned="unknown"),
    )
    assert response.status_code == 302
    inspection = CentreInspection.objects.get()
    assert all(getattr(inspection, n) for n in INSPECTION_CHECKS if n != "file_jindu")
    assert inspection.file_jindu is False
    assert inspection.cctv_room_manned is None


def test_all_passed_answers_the_cctv_question_where_the_village_has_a_room(
    client_for, cast, village_a
):
    village_a.has_cctv_room = True
    village_a.save()
    response = client_for(cast["staff"]).post(
        url("centreinspection_create"), inspection_data(village_a, all_passed="on")
    )
    assert response.status_code == 302
    assert CentreInspection.objects.get().cctv_room_manned is True


def test_all_passed_answers_is_a_plain_rule():
    sent = {"a": None, "b": "False", "c": "", "cctv": None}
    assert all_passed_answers(sent, cctv_room=False, cctv_key="cctv") == {"a": "True", "c": "True"}
    assert all_passed_answers(sent, cctv_room=True, cctv_key="cctv")["cctv"] == "true"
    assert "cctv" not in all_passed_answers({"cctv": "false"}, cctv_room=True, cctv_key="cctv")


def test_editing_shows_the_stored_answers(client_for, cast, village_a):
    inspection = CentreInspectionFactory(village=village_a, is_clean=False)
    form = client_for(cast["staff"]).get(url("centreinspection_update", inspection.pk))
    form = form.context["form"]
    assert form["duty_records"].value() is True and form["is_clean"].value() is False
    assert _cctv_checked(form) == ["unknown"]  # stored None: not applicable


# --- 1. the CCTV answer's default comes from the village -----------------------------------------


def _cctv_checked(form):
    html = str(form["cctv_room_manned"])
    return [
        v for v in ("true", "false", "unknown") if f'value="{v}"' in html and _is_checked(html, v)
    ]


def _is_checked(html, value):
    tag = html.split(f'value="{value}"')[1].split(">")[0]
    return "checked" in tag


def test_the_cctv_answer_is_not_preset_to_not_applicable_for_a_village_with_a_room(
    client_for, cast, village_a
):
    village_a.has_cctv_room = True
    village_a.save()
    client = client_for(cast["staff"])
    form = client.get(url("centreinspection_create"), {"village": village_a.pk}).context["form"]
    assert _cctv_checked(form) == []  # was 不适用 for every village
    assert str(village_a.pk) in form.fields["cctv_room_manned"].widget.attrs["data-cctv-villages"]
    response = client.post(
        url("centreinspection_create"), inspection_data(village_a, all_passed="")
    )
    assert "该村(居)有视频监控室,请填写是否有人值守" in response.content.decode()


def test_the_cctv_answer_defaults_to_not_applicable_for_a_village_without_one(
    client_for, cast, village_a
):
    client = client_for(cast["staff"])
    form = client.get(url("centreinspection_create"), {"village": village_a.pk}).context["form"]
    assert _cctv_checked(form) == ["unknown"]
    # Left unanswered for a village without a room: nothing to answer, saved as not applicable.
    data = inspection_data(village_a, **dict.fromkeys(INSPECTION_CHECKS, "True"))
    assert client.post(url("centreinspection_create"), data).status_code == 302
    assert CentreInspection.objects.get().cctv_room_manned is None


# --- 3. the patrol week grid --------------------------------------------------------------------

MONDAY = date(2026, 4, 6)


def grid_data(cells, participants):
    data = {}
    for (village, day), n in cells.items():
        data[PatrolWeekForm.cell_name(village.pk, day)] = str(n)
    for village, who in participants.items():
        data[f"p{village.pk}"] = who
    return data


def test_rules_week_days_and_patrols_to_add():
    assert rules.week_days(date(2026, 4, 9)) == [MONDAY + timedelta(days=n) for n in range(7)]
    assert rules.patrols_to_add(1, 3) == 2
    assert rules.patrols_to_add(2, None) == 0
    assert rules.patrols_to_add(2, 1) is None


def test_the_grid_shows_the_recorded_counts(client_for, cast, village_a, village_b):
    PatrolFactory(village=village_a, date=MONDAY)
    PatrolFactory(village=village_a, date=MONDAY, participants="王五")
    response = client_for(cast["staff"]).get(url("patrol_week_grid"), {"week": "2026-04-09"})
    form = response.context["form"]
    assert response.context["days"][0] == MONDAY
    assert form[PatrolWeekForm.cell_name(village_a.pk, MONDAY)].value() == 2
    assert form[PatrolWeekForm.cell_name(village_b.pk, MONDAY)].value() == 0
    assert form[f"p{village_a.pk}"].value() == "王五"  # the latest patrol's people
    recorded = {village: n for village, _cells, _who, n in form.rows}
    assert recorded == {village_a: 2, village_b: 0}


def test_the_grid_adds_the_missing_patrols_in_one_attributed_save(
    client_for, cast, village_a, village_b
):
    PatrolFactory(village=village_a, date=MONDAY)
    client = client_for(cast["staff"])
    cells = {(village_a, MONDAY): 2, (village_a, MONDAY + timedelta(days=2)): 1}
    cells[(village_b, MONDAY + timedelta(days=4))] = 3
    data = grid_data(cells, {village_a: "张三", village_b: "李四"})
    response = client.post(url("patrol_week_grid") + "?week=2026-04-06", data)
    assert response.status_code == 302
    assert response["Location"].endswith("?week=2026-04-06")
    assert Patrol.objects.filter(village=village_a).count() == 3
    assert Patrol.objects.filter(village=village_b, date=date(2026, 4, 10)).count() == 3
    new = Patrol.objects.exclude(participants="张三、李四")
    assert all(p.history.get().history_user == cast["staff"] for p in new)
    assert {p.history.get().history_change_reason for p in new} == {"巡逻周表录入"}
    # The same grid sent again adds nothing: each cell is a count, not an increment.
    assert client.post(url("patrol_week_grid") + "?week=2026-04-06", data).status_code == 302
    assert Patrol.objects.count() == 6


def test_the_grid_refuses_fewer_than_recorded_and_a_row_without_people(
    client_for, cast, village_a, village_b
):
    PatrolFactory(village=village_a, date=MONDAY)
    PatrolFactory(village=village_a, date=MONDAY)
    cells = {(village_a, MONDAY): 1, (village_b, MONDAY): 1}
    data = grid_data(cells, {village_a: "张三", village_b: ""})
    response = client_for(cast["staff"]).post(url("patrol_week_grid") + "?week=2026-04-06", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "已记录 2 次巡逻" in errors[PatrolWeekForm.cell_name(village_a.pk, MONDAY)][0]
    assert errors[f"p{village_b.pk}"] == ["新增巡逻请填写巡逻人员。"]
    assert "error-summary" in response.content.decode()
    assert Patrol.objects.count() == 2


def test_the_grid_locks_closed_months_and_days_to_come(client_for, cast, village_a, close_month):
    close_month(2026, 3)
    client = client_for(cast["staff"])
    monday = date(2026, 3, 30)  # Mon 30 Mar (closed) ... Sun 5 Apr
    form = client.get(url("patrol_week_grid"), {"week": monday.isoformat()}).context["form"]
    assert form.fields[PatrolWeekForm.cell_name(village_a.pk, monday)].disabled
    assert not form.fields[PatrolWeekForm.cell_name(village_a.pk, date(2026, 4, 1))].disabled
    # A locked cell's number sent anyway is ignored; the open days save.
    data = grid_data({(village_a, monday): 3, (village_a, date(2026, 4, 1)): 1}, {})
    data[f"p{village_a.pk}"] = "张三"
    assert client.post(url("patrol_week_grid") + f"?week={monday}", data).status_code == 302
    assert list(Patrol.objects.values_list("date", flat=True)) == [date(2026, 4, 1)]
    today = date.today()
    form = client.get(url("patrol_week_grid")).context["form"]
    tomorrow = today + timedelta(days=1)
    name = PatrolWeekForm.cell_name(village_a.pk, tomorrow)
    if name in form.fields:
        assert form.fields[name].disabled


def test_the_grid_saves_all_or_nothing(client_for, cast, village_a, village_b, monkeypatch):
    """A refusal of the last patrol (record_save's date window, a month closed meanwhile)
    rolls back every patrol of the grid and is shown at its cell."""
    from django.core.exceptions import ValidationError

    from governance import services

    real = services.record_save

    def refuse_b(*, instance, **kwargs):
        if instance.village_id == village_b.pk:
            raise ValidationError({"date": ["该日期超出允许范围。"]})
        return real(instance=instance, **kwargs)

    monkeypatch.setattr(services, "record_save", refuse_b)
    cells = {(village_a, MONDAY): 2, (village_b, MONDAY): 1}
    data = grid_data(cells, {village_a: "张三", village_b: "李四"})
    response = client_for(cast["staff"]).post(url("patrol_week_grid") + "?week=2026-04-06", data)
    assert response.status_code == 200
    name = PatrolWeekForm.cell_name(village_b.pk, MONDAY)
    assert response.context["form"].errors[name] == ["该日期超出允许范围。"]
    assert not Patrol.objects.exists()


def test_the_grid_is_for_who_enters_records(client_for, cast, village_a):
    for role in ("leader", "secretary_a"):
        assert client_for(cast[role]).get(url("patrol_week_grid")).status_code == 403
    # other_staff sees only its own township's villages
    form = client_for(cast["other_staff"]).get(url("patrol_week_grid")).context["form"]
    assert village_a not in form.villages


def test_the_week_view_links_to_the_grid(client_for, cast, village_a):
    body = client_for(cast["staff"]).get(url("patrol_weeks"), {"month": "2026-04"})
    body = body.content.decode()
    assert f"{url('patrol_week_grid')}?week=2026-03-30" in body
    leader = client_for(cast["leader"]).get(url("patrol_weeks"), {"month": "2026-04"})
    assert url("patrol_week_grid") not in leader.content.decode()


@pytest.mark.parametrize("kind", ["patrol", "centreinspection"])
def test_save_and_add_another_keeps_the_village_and_date(client_for, cast, village_a, kind):
    data = {
        "patrol": {"date": "2026-04-07", "participants": "张"},
        "centreinspection": {
            "date": "2026-04-07",
            "inspector": "王",
            "all_passed": "on",
            "cctv_room_manned": "unknown",
        },
    }[kind]
    client = client_for(cast["staff"])
    response = client.post(
        url(f"{kind}_create"), {"village": village_a.pk, **data, "_addanother": "1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == (
        url(f"{kind}_create") + f"?village={village_a.pk}&date=2026-04-07"
    )
    assert "已保存" in response.content.decode()
    form = response.context["form"]
    assert form["village"].value() == village_a.pk
    assert form["date"].value() == date(2026, 4, 7)
    assert form.instance.pk is None


def test_save_and_add_another_on_a_township_meeting_skips_its_attendance_page(
    client_for, cast, township
):
    data = {"township": township.pk, "date": "2026-04-09", "topic": "例会", "_addanother": "1"}
    response = client_for(cast["staff"]).post(url("townshipmeeting_create"), data)
    assert response["Location"] == url("townshipmeeting_create") + "?date=2026-04-09"
    data.pop("_addanother")
    response = client_for(cast["staff"]).post(url("townshipmeeting_create"), data)
    assert "/attendance/" in response["Location"]
