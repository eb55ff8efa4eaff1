"""Issue 13 on every record form (core.views, templates/core): the error summary, 保存并继续新增,
the lock of a closed month, and yes/no checks that start unanswered."""

from datetime import date

import pytest
from django.urls import reverse

from assessment.models import Period
from assessment.models import PeriodState
from core.records import closed_periods
from core.records import edit_frozen
from governance.models import Patrol
from petitions.models import Petition
from tests.governance.factories import PatrolFactory
from tests.governance.factories import SpecialPersonFactory
from tests.governance.factories import TownshipMeetingFactory
from tests.petitions.factories import PetitionFactory
from tests.petitions.test_pages import petition_data


def close(township, year, month):
    return Period.objects.create(
        township=township, year=year, month=month, state=PeriodState.CLOSED
    )


# --- 2. the error summary -----------------------------------------------------------------------


def test_an_invalid_form_lists_each_error_at_the_top_with_a_link_to_its_field(
    client_for, cast, village_a
):
    response = client_for(cast["staff"]).post(
        reverse("governance:patrol_create"),
        {"village": village_a.pk, "date": "2026-04-07", "start_time": "20:00", "end_time": "19:00"},
    )
    body = response.content.decode()
    summary = body[body.index('id="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert 'role="alert"' in body[body.index('<div class="error-summary"') :][:200]
    assert "autofocus" in body[body.index('<div class="error-summary"') :][:200]
    assert 'tabindex="-1"' in body[body.index('<div class="error-summary"') :][:200]
    assert '<a href="#id_end_time">结束时间:结束时间须晚于开始时间。</a>' in summary
    assert '<a href="#id_participants">巡逻人员:' in summary
    # Before the form: found without scrolling.
    assert body.index('id="error-summary"') < body.index('class="card recordform"')


def test_a_valid_page_has_no_summary(client_for, cast):
    body = client_for(cast["staff"]).get(reverse("governance:patrol_create")).content.decode()
    assert "error-summary" not in body
    assert "js/forms.js" in body and "css/forms.css" in body


def test_the_summary_lists_a_row_of_a_formset_and_a_radio_links_to_its_first_button(
    client_for, cast, village_a
):
    data = petition_data(village_a, **{"petitioners-1-id_number": "1234"})
    del data["stabilised_in_time"]
    response = client_for(cast["staff"]).post(reverse("petitions:petition_create"), data)
    body = response.content.decode()
    summary = body[body.index('id="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert 'href="#id_stabilised_in_time_0">及时稳控/调处到位:请选择“是”或“否”。' in summary
    assert 'href="#id_petitioners-1-id_number">信访人第 2 行 身份证号' in summary


# --- 1. 及时稳控/调处到位 answered explicitly ------------------------------------------


def test_stabilised_in_time_starts_unanswered_and_is_required(client_for, cast, village_a):
    client = client_for(cast["staff"])
    form = client.get(reverse("petitions:petition_create")).context["form"]
    assert form["stabilised_in_time"].value() is None  # was an unticked box: 否
    data = petition_data(village_a)
    del data["stabilised_in_time"]
    response = client.post(reverse("petitions:petition_create"), data)
    assert response.context["form"].errors["stabilised_in_time"] == ["请选择“是”或“否”。"]
    assert not Petition.objects.exists()
    data["stabilised_in_time"] = "True"
    assert client.post(reverse("petitions:petition_create"), data).status_code == 302
    assert Petition.objects.get().stabilised_in_time is True


def test_stabilised_in_time_keeps_a_stored_no_on_edit(client_for, cast, village_a):
    petition = PetitionFactory(village=village_a, stabilised_in_time=False)
    form = client_for(cast["staff"]).get(reverse("petitions:petition_update", args=[petition.pk]))
    assert form.context["form"]["stabilised_in_time"].value() is False


# --- 3. 保存并继续新增 ------------------------------------------------------------------


def test_create_forms_offer_save_and_add_another_edit_forms_do_not(client_for, cast, village_a):
    client = client_for(cast["staff"])
    body = client.get(reverse("governance:patrol_create")).content.decode()
    assert 'name="_addanother"' in body and "保存并继续新增" in body
    patrol = PatrolFactory(village=village_a)
    body = client.get(reverse("governance:patrol_update", args=[patrol.pk])).content.decode()
    assert 'name="_addanother"' not in body


def test_save_and_add_another_keeps_the_village_and_date_of_a_petition(client_for, cast, village_a):
    data = {**petition_data(village_a), "_addanother": "1"}
    response = client_for(cast["staff"]).post(
        reverse("petitions:petition_create"), data, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("petitions:petition_create"))
    form = response.context["form"]
    assert form["village"].value() == village_a.pk and form["date"].value() == date(2026, 4, 10)
    assert "已保存" in response.content.decode()
    assert Petition.objects.count() == 1


def test_a_bad_kept_date_is_ignored(client_for, cast, village_a):
    response = client_for(cast["staff"]).get(
        reverse("governance:patrol_create"), {"village": "x", "date": "2026-13-40"}
    )
    assert response.status_code == 200
    assert response.context["form"]["date"].value() is None


# --- 4. closed months look closed ---------------------------------------------------------------


def test_closed_periods_is_the_test_record_save_applies(village_a, township):
    patrol = PatrolFactory(village=village_a, date=date(2026, 4, 7))
    assert closed_periods(patrol) == []
    period = close(township, 2026, 4)
    assert closed_periods(patrol) == [period] and edit_frozen(patrol) == [period]
    assert closed_periods(Patrol(village=village_a, date=date(2026, 4, 7))) == []  # not stored
    Period.objects.filter(pk=period.pk).update(state=PeriodState.PUBLISHED)
    assert closed_periods(patrol) == []


def test_a_record_of_a_closed_month_opens_locked(client_for, cast, village_a, township):
    patrol = PatrolFactory(village=village_a, date=date(2026, 4, 7), participants="原值")
    close(township, 2026, 4)
    client = client_for(cast["staff"])
    response = client.get(reverse("governance:patrol_update", args=[patrol.pk]))
    body = response.content.decode()
    assert "2026年4月 的考核已关闭,记录已冻结。" in body
    assert '<fieldset class="plain" disabled>' in body
    assert '<button type="submit" class="primary">' not in body
    assert all(f.disabled for f in response.context["form"].fields.values())
    # Nothing is saved, so there is no reason to give: no empty, disabled 修改原因.
    assert "change_reason" not in response.context["form"].fields
    assert 'name="change_reason"' not in body

    response = client.post(
        reverse("governance:patrol_update", args=[patrol.pk]),
        {
            "village": village_a.pk,
            "date": "2026-05-07",
            "participants": "新值",
            "change_reason": "x",
        },
    )
    assert response.status_code == 200
    assert "记录已冻结,没有保存" in response.content.decode()
    patrol.refresh_from_db()
    assert patrol.participants == "原值" and patrol.date == date(2026, 4, 7)


def test_the_detail_of_a_closed_month_has_no_edit_or_delete(client_for, cast, village_a, township):
    patrol = PatrolFactory(village=village_a, date=date(2026, 4, 7))
    client = client_for(cast["staff"])
    update = reverse("governance:patrol_update", args=[patrol.pk])
    delete = reverse("governance:patrol_delete", args=[patrol.pk])
    body = client.get(reverse("governance:patrol_detail", args=[patrol.pk])).content.decode()
    assert update in body and delete in body and "记录已冻结" not in body
    close(township, 2026, 4)
    body = client.get(reverse("governance:patrol_detail", args=[patrol.pk])).content.decode()
    assert update not in body and delete not in body
    assert "2026年4月 的考核已关闭,记录已冻结。" in body


def test_a_township_record_of_a_closed_month_is_locked_too(client_for, cast, township):
    meeting = TownshipMeetingFactory(township=township, date=date(2026, 4, 9))
    close(township, 2026, 4)
    client = client_for(cast["staff"])
    body = client.get(reverse("governance:townshipmeeting_update", args=[meeting.pk]))
    assert "记录已冻结" in body.content.decode()
    body = client.get(reverse("governance:townshipmeeting_detail", args=[meeting.pk]))
    assert reverse("governance:townshipmeeting_delete", args=[meeting.pk]) not in (
        body.content.decode()
    )


def test_a_standing_register_entry_stays_editable_but_not_deletable(
    client_for, cast, village_a, township
):
    """An edit of a register entry is guarded per month it moves (record_save): a name fixed in
    an open month still saves, so the form stays open; deleting it would touch the closed month."""
    person = SpecialPersonFactory(village=village_a, registered=date(2026, 1, 5))
    close(township, 2026, 1)
    assert closed_periods(person) and not edit_frozen(person)
    client = client_for(cast["admin"])
    body = client.get(reverse("governance:specialperson_detail", args=[person.pk]))
    body = body.content.decode()
    assert reverse("governance:specialperson_update", args=[person.pk]) in body
    assert reverse("governance:specialperson_delete", args=[person.pk]) not in body
    assert "记录已冻结" in body


@pytest.mark.parametrize("role", ["leader"])
def test_readers_see_no_lock_notice_nor_buttons(client_for, cast, village_a, township, role):
    patrol = PatrolFactory(village=village_a, date=date(2026, 4, 7))
    close(township, 2026, 4)
    body = client_for(cast[role]).get(reverse("governance:patrol_detail", args=[patrol.pk]))
    body = body.content.decode()
    assert "记录已冻结" not in body
    assert reverse("governance:patrol_update", args=[patrol.pk]) not in body
