"""Issue 13: a village is scored, flagged and reminded only while it is active."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from assessment import services
from assessment.models import ScoreSheet
from villages import rules
from villages.models import Village

# --- the rule ---------------------------------------------------------------------------------


def test_a_month_is_assessed_when_the_village_is_active_on_its_last_day():
    assert rules.assessed_in(None, None, 2026, 1)
    assert rules.assessed_in(date(2026, 11, 20), None, 2026, 11)
    assert not rules.assessed_in(date(2026, 11, 20), None, 2026, 10)
    assert rules.assessed_in(None, date(2026, 5, 31), 2026, 5)
    assert not rules.assessed_in(None, date(2026, 6, 10), 2026, 6)


def test_a_half_is_due_only_when_the_village_was_active_on_its_first_day():
    assert not rules.owes_report(date(2026, 11, 20), None, 2026, 11, 1)
    assert not rules.owes_report(date(2026, 11, 20), None, 2026, 11, 2)
    assert rules.owes_report(date(2026, 11, 10), None, 2026, 11, 2)
    assert not rules.owes_report(date(2026, 11, 10), None, 2026, 11, 1)
    assert rules.owes_report(date(2026, 11, 1), None, 2026, 11, 1)
    assert not rules.owes_report(None, date(2026, 6, 10), 2026, 6, 1)
    assert rules.owes_report(None, None, 2026, 6, 1)


def test_the_queryset_and_the_method_agree(village_a, village_b):
    village_b.active_from = date(2026, 11, 20)
    village_b.save()
    assert set(Village.objects.assessed_in(2026, 10)) == {village_a}
    assert set(Village.objects.assessed_in(2026, 11)) == {village_a, village_b}
    assert not village_b.is_active_in(2026, 10) and village_b.is_active_in(2026, 11)
    village_a.is_active = False
    assert not village_a.is_active_in(2026, 11)


def test_until_before_from_is_refused(village_a, village_b):
    village_a.active_from = date(2026, 6, 1)
    village_a.active_until = date(2026, 5, 31)
    with pytest.raises(ValidationError) as exc:
        village_a.full_clean()
    assert "active_until" in exc.value.error_dict


def test_merged_into_needs_an_until_date_and_another_village(village_a, village_b, other_village):
    village_a.merged_into = village_b
    with pytest.raises(ValidationError) as exc:
        village_a.full_clean()
    assert "active_until" in exc.value.error_dict
    village_a.active_until = date(2026, 6, 30)
    village_a.full_clean()
    village_a.merged_into = village_a
    with pytest.raises(ValidationError) as exc:
        village_a.full_clean()
    assert "merged_into" in exc.value.error_dict
    village_a.merged_into = other_village
    with pytest.raises(ValidationError) as exc:
        village_a.full_clean()
    assert "merged_into" in exc.value.error_dict


# --- scoring ----------------------------------------------------------------------------------


def _sheets(township, month):
    return {
        s.village_id: s
        for s in ScoreSheet.objects.filter(
            village__township=township, year=2026, month=month
        ).prefetch_related("lines")
    }


def test_a_new_village_has_no_sheet_before_it_was_set_up(township, village_a, village_b):
    village_b.active_from = date(2026, 11, 20)
    village_b.save()
    services.score_months(
        township_id=township.pk, year=2026, months=[10, 11], today=date(2026, 12, 1)
    )
    assert set(_sheets(township, 10)) == {village_a.pk}
    november = _sheets(township, 11)
    assert set(november) == {village_a.pk, village_b.pk}
    # November's two reports were due before the village existed: not 未上报.
    new_lines = [line.reason for line in november[village_b.pk].lines.all()]
    assert not [r for r in new_lines if "排查报告" in r], new_lines
    old_lines = [line.reason for line in november[village_a.pk].lines.all()]
    assert len([r for r in old_lines if "排查报告未上报" in r]) == 2, old_lines


def test_a_merged_village_is_not_scored_after_its_last_month(township, village_a, village_b):
    village_b.active_until = date(2026, 6, 10)
    village_b.merged_into = village_a
    village_b.save()
    services.score_months(
        township_id=township.pk, year=2026, months=[5, 6], today=date(2026, 12, 1)
    )
    assert set(_sheets(township, 5)) == {village_a.pk, village_b.pk}
    assert set(_sheets(township, 6)) == {village_a.pk}


# --- reminders and the portal -----------------------------------------------------------------


def test_the_portal_lists_no_overdue_half_from_before_the_village_was_set_up(village_a):
    from petitions.selectors import portal_status

    assert len(portal_status(village_a, date(2026, 12, 1)).overdue) == 22
    village_a.active_from = date(2026, 11, 10)
    village_a.save()
    overdue = portal_status(village_a, date(2026, 12, 1)).overdue
    assert [(s.year, s.month, s.half) for s in overdue] == [(2026, 11, 2)]
    village_a.active_from = date(2026, 12, 1)
    village_a.save()
    assert portal_status(village_a, date(2026, 12, 1)).overdue == []


def test_reminders_go_only_to_villages_that_owe_the_report(secretary_a, secretary_b):
    from jobs.models import Notification
    from petitions.scheduled import send_report_reminders

    village_b = secretary_b.village
    village_b.active_from = date(2026, 12, 20)
    village_b.save()
    sent = send_report_reminders(date(2026, 12, 11))  # three days before the 14th
    assert sent == 1
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"sec_a"}


# --- quarters and years -----------------------------------------------------------------------


def test_a_village_set_up_mid_year_is_averaged_over_its_own_months(township, village_a, village_b):
    from assessment import rubrics
    from assessment.scoring import engine
    from assessment.selectors import sheets_of_year
    from villages.selectors import assessed_months

    village_b.active_from = date(2026, 9, 1)
    village_b.save()
    services.score_months(
        township_id=township.pk, year=2026, months=range(1, 13), today=date(2027, 1, 20)
    )
    rubric = rubrics.rubric_of(rubrics.version_for_year(township.pk, 2026))
    sheets = sheets_of_year(township.pk, 2026)
    assert len(sheets[village_b.pk]) == 4  # September to December

    def missing(result):
        return [r for r in map(str, result.provisional_reasons) if "缺少" in r]

    unaware = engine.score_year(rubric, 2026, sheets)
    assert len(missing(unaware[village_b.pk])) == 8
    aware = engine.score_year(rubric, 2026, sheets, assessed_months(township.pk, 2026))
    assert missing(aware[village_b.pk]) == [] and missing(aware[village_a.pk]) == []
    assert aware[village_b.pk].score == unaware[village_b.pk].score
    q3 = [s for s in sheets[village_b.pk] if s.period_start.month <= 9]
    expected = assessed_months(township.pk, 2026)[village_b.pk]
    quarter = engine.quarter_score(rubric, village_b.pk, 2026, 3, q3, expected)
    assert missing(quarter) == [] and len(quarter.months) == 1


def test_the_api_shows_the_active_span(client, admin_user, village_a, village_b):
    village_b.active_until = date(2026, 6, 30)
    village_b.merged_into = village_a
    village_b.save()
    client.force_login(admin_user)
    body = client.get(f"/api/villages/{village_b.pk}/").json()
    assert body["active_from"] is None and body["active_until"] == "2026-06-30"
    assert body["merged_into"] == village_a.pk


def test_months_changed():
    start, end = date(2025, 1, 1), date(2026, 12, 1)
    assert rules.months_changed((None, None), (None, None), start, end) == []
    assert rules.months_changed((None, None), (date(2026, 11, 20), None), start, end) == [
        (2025, m) for m in range(1, 13)
    ] + [(2026, m) for m in range(1, 11)]
    assert rules.months_changed((None, None), (None, date(2026, 6, 10)), start, end) == [
        (2026, m) for m in range(6, 13)
    ]


def test_changing_the_dates_in_the_admin_marks_the_months_to_rebuild(
    rf, admin_user, village_a, time_machine
):
    from django.contrib.admin.sites import site

    from assessment.models import StaleVillageMonth

    time_machine.move_to(date(2026, 12, 1))
    model_admin = site._registry[Village]
    request = rf.post("/")
    request.user = admin_user
    village_a.active_until = date(2026, 10, 15)
    model_admin.save_model(request, village_a, None, True)
    marks = set(StaleVillageMonth.objects.values_list("year", "month"))
    assert marks == {(2026, 10), (2026, 11), (2026, 12)}
