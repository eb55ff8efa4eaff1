"""The life of an assigned case: steps move it forward only, each refused out of order."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from assessment.models import Period
from assessment.models import PeriodState
from assessment.models import StaleVillageMonth
from assessment.periods import PeriodClosedError
from cases import services
from cases.choices import CaseState
from cases.choices import ExtensionState
from cases.choices import ReviewDecision
from cases.models import AssignedCase
from cases.models import CaseReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(village_a, staff_user):
    return services.case_assign(
        village=village_a,
        title="张某反映宅基地纠纷",
        assigned_by="区信访局",
        assigned_date=date(2026, 2, 5),
        by=staff_user,
    )


def _to_result(case, by):
    services.case_report_handlers(
        case=case, names="李四、王五", reported_date=date(2026, 2, 6), by=by
    )
    return services.case_report_result(
        case=case, result="已调解,双方签字", reported_date=date(2026, 2, 25), by=by
    )


def test_assigning_computes_the_due_date_on_the_calendar(case):
    assert case.due_date == date(2026, 3, 11)
    assert case.due_provisional is False
    assert case.state == CaseState.ASSIGNED
    assert case.history.first().history_change_reason == "交办"


def test_a_case_goes_forward_to_its_conclusion(case, staff_user, secretary_a):
    _to_result(case, secretary_a)
    case.refresh_from_db()
    assert case.state == CaseState.RESULT_REPORTED
    assert case.result_reported_date == date(2026, 2, 25)
    services.case_review(
        case=case, decision=ReviewDecision.ACCEPTED, review_date=date(2026, 2, 27), by=staff_user
    )
    services.case_conclude(case=case, concluded_date=date(2026, 3, 2), by=staff_user)
    case.refresh_from_db()
    assert case.state == CaseState.CONCLUDED
    assert case.concluded_on_time is True
    assert [h.names for h in case.handler_reports.all()] == ["李四、王五"]


def test_a_rejection_is_kept_and_sends_the_case_back_to_handling(case, staff_user, secretary_a):
    _to_result(case, secretary_a)
    review = services.case_review(
        case=case,
        decision=ReviewDecision.REJECTED_IMPROPER,
        reason="未附当事人签字",
        review_date=date(2026, 2, 26),
        by=staff_user,
    )
    case.refresh_from_db()
    assert case.state == CaseState.HANDLING
    assert review.result == "已调解,双方签字"
    assert review.reviewed_by == staff_user
    # A new result can be reported, and rejected again: each rejection is its own row.
    services.case_report_result(
        case=case, result="补充签字", reported_date=date(2026, 3, 2), by=secretary_a
    )
    services.case_review(
        case=case,
        decision=ReviewDecision.REJECTED_IMPROPER,
        reason="仍不规范",
        review_date=date(2026, 3, 3),
        by=staff_user,
    )
    rejected = CaseReview.objects.filter(case=case, decision=ReviewDecision.REJECTED_IMPROPER)
    assert [r.review_date for r in rejected] == [date(2026, 2, 26), date(2026, 3, 3)]
    case.refresh_from_db()
    assert date(2026, 2, 26) in case.record_dates()
    assert date(2026, 3, 3) in case.record_dates()


def test_a_rejection_needs_a_reason(case, staff_user, secretary_a):
    _to_result(case, secretary_a)
    with pytest.raises(ValidationError) as exc:
        services.case_review(
            case=case,
            decision=ReviewDecision.REJECTED_IMPROPER,
            review_date=date(2026, 2, 26),
            by=staff_user,
        )
    assert "退回重办须写明办理不当的原因" in str(exc.value)
    case.refresh_from_db()
    assert case.state == CaseState.RESULT_REPORTED
    assert not case.reviews.exists()


@pytest.mark.parametrize(
    ("step", "kwargs"),
    [
        ("case_report_result", {"result": "x", "reported_date": date(2026, 2, 10)}),
        ("case_review", {"decision": "accepted", "review_date": date(2026, 2, 10)}),
        ("case_conclude", {"concluded_date": date(2026, 2, 10)}),
    ],
)
def test_a_step_out_of_order_is_refused_with_a_clear_message(case, staff_user, step, kwargs):
    with pytest.raises(services.TransitionError) as exc:
        getattr(services, step)(case=case, by=staff_user, **kwargs)
    message = exc.value.messages[0]
    assert "当前状态为「已交办」" in message
    assert "不能" in message
    case.refresh_from_db()
    assert case.state == CaseState.ASSIGNED


def test_nothing_moves_a_concluded_case(case, staff_user, admin_user, secretary_a):
    _to_result(case, secretary_a)
    services.case_review(
        case=case, decision="accepted", review_date=date(2026, 2, 27), by=staff_user
    )
    services.case_conclude(case=case, concluded_date=date(2026, 3, 2), by=staff_user)
    for step, kwargs in [
        ("case_report_handlers", {"names": "x", "reported_date": date(2026, 3, 3)}),
        ("case_report_result", {"result": "x", "reported_date": date(2026, 3, 3)}),
        ("case_review", {"decision": "accepted", "review_date": date(2026, 3, 3)}),
        ("case_conclude", {"concluded_date": date(2026, 3, 3)}),
        ("case_request_extension", {"requested_days": 5, "reason": "x"}),
    ]:
        with pytest.raises(services.TransitionError, match="已办结"):
            getattr(services, step)(case=case, by=admin_user, **kwargs)


def test_step_dates_cannot_run_backwards(case, staff_user, secretary_a):
    with pytest.raises(ValidationError, match="不能早于交办日期 2026-02-05"):
        services.case_report_handlers(
            case=case, names="李四", reported_date=date(2026, 2, 4), by=secretary_a
        )
    _to_result(case, secretary_a)
    with pytest.raises(ValidationError, match="不能早于结果上报日期 2026-02-25"):
        services.case_review(
            case=case, decision="accepted", review_date=date(2026, 2, 24), by=staff_user
        )


def test_who_takes_which_step(case, cast):
    # The village reports; the township reviews; nobody outside the township touches it.
    with pytest.raises(PermissionDenied):
        services.case_report_handlers(
            case=case, names="x", reported_date=date(2026, 2, 6), by=cast["secretary_b"]
        )
    with pytest.raises(PermissionDenied):
        services.case_report_handlers(
            case=case, names="x", reported_date=date(2026, 2, 6), by=cast["leader"]
        )
    _to_result(case, cast["secretary_a"])
    with pytest.raises(PermissionDenied):
        services.case_review(
            case=case, decision="accepted", review_date=date(2026, 2, 27), by=cast["secretary_a"]
        )
    with pytest.raises(PermissionDenied):
        services.case_review(
            case=case, decision="accepted", review_date=date(2026, 2, 27), by=cast["other_staff"]
        )
    assert services.allowed_actions(case, cast["secretary_a"]) == [services.REQUEST_EXTENSION]
    assert services.allowed_actions(case, cast["staff"]) == [
        services.REVIEW,
        services.REQUEST_EXTENSION,
    ]


def test_an_approved_extension_moves_the_due_date_on_the_calendar(case, admin_user, secretary_a):
    services.case_request_extension(
        case=case, requested_days=5, reason="当事人外出", by=secretary_a
    )
    assert services.allowed_actions(case, admin_user) == [
        services.REPORT_HANDLERS,
        services.DECIDE_EXTENSION,
    ]
    extension = services.case_decide_extension(
        case=case, approve=True, reason="同意", by=admin_user
    )
    case.refresh_from_db()
    assert extension.state == ExtensionState.APPROVED
    assert extension.decided_by == admin_user
    # 2026-03-11 + 5 working days = 2026-03-18 (the 25th working day after 2026-02-05).
    assert case.due_date == date(2026, 3, 18)
    assert "批准延期5个工作日" in case.history.first().history_change_reason
    # A second approved extension adds up; a refused one changes nothing.
    services.case_request_extension(case=case, requested_days=2, reason="再延", by=secretary_a)
    services.case_decide_extension(case=case, approve=True, by=admin_user)
    services.case_request_extension(case=case, requested_days=9, reason="又延", by=secretary_a)
    services.case_decide_extension(case=case, approve=False, reason="理由不足", by=admin_user)
    case.refresh_from_db()
    assert case.due_date == date(2026, 3, 20)


def test_only_a_township_admin_decides_an_extension(case, staff_user, secretary_a):
    services.case_request_extension(
        case=case, requested_days=5, reason="当事人外出", by=secretary_a
    )
    with pytest.raises(PermissionDenied):
        services.case_decide_extension(case=case, approve=True, by=staff_user)
    case.refresh_from_db()
    assert case.due_date == date(2026, 3, 11)


def test_one_pending_extension_at_a_time_and_a_refusal_needs_a_reason(
    case, admin_user, secretary_a
):
    services.case_request_extension(case=case, requested_days=5, reason="a", by=secretary_a)
    with pytest.raises(ValidationError, match="已有一项待审批的延期申请"):
        services.case_request_extension(case=case, requested_days=3, reason="b", by=secretary_a)
    with pytest.raises(ValidationError, match="不予批准须写明理由"):
        services.case_decide_extension(case=case, approve=False, by=admin_user)


# closed months ---------------------------------------------------------------------------
@pytest.fixture
def accepted_case(case, staff_user, secretary_a):
    _to_result(case, secretary_a)
    services.case_review(
        case=case, decision="accepted", review_date=date(2026, 2, 27), by=staff_user
    )
    return case


def _close(township, year, month):
    return Period.objects.create(
        township=township, year=year, month=month, state=PeriodState.CLOSED
    )


def test_concluding_on_a_day_of_a_closed_month_is_refused_naming_the_month(
    accepted_case, staff_user, township
):
    _close(township, 2026, 3)
    with pytest.raises(PeriodClosedError) as exc:
        services.case_conclude(case=accepted_case, concluded_date=date(2026, 3, 2), by=staff_user)
    assert "2026年3月" in exc.value.messages[0]
    accepted_case.refresh_from_db()
    assert accepted_case.state == CaseState.ACCEPTED
    assert accepted_case.concluded_date is None


def test_a_step_in_an_open_month_is_not_blocked_by_the_closed_month_of_assignment(
    accepted_case, staff_user, township
):
    # February (assignment, the review) is closed; concluding late in April touches April only.
    _close(township, 2026, 2)
    services.case_conclude(case=accepted_case, concluded_date=date(2026, 4, 1), by=staff_user)
    accepted_case.refresh_from_db()
    assert accepted_case.concluded_on_time is False


def test_a_rejection_dated_in_a_closed_month_is_refused(case, staff_user, secretary_a, township):
    _to_result(case, secretary_a)
    _close(township, 2026, 2)
    with pytest.raises(PeriodClosedError, match="2026年2月"):
        services.case_review(
            case=case,
            decision=ReviewDecision.REJECTED_IMPROPER,
            reason="x",
            review_date=date(2026, 2, 26),
            by=staff_user,
        )
    assert not CaseReview.objects.exists()


def test_each_step_marks_the_months_it_changes_stale(case, staff_user, secretary_a, village_a):
    StaleVillageMonth.objects.all().delete()
    _to_result(case, secretary_a)
    services.case_review(
        case=case,
        decision="rejected_improper",
        reason="x",
        review_date=date(2026, 3, 2),
        by=staff_user,
    )
    months = set(StaleVillageMonth.objects.values_list("village_id", "year", "month"))
    assert (village_a.pk, 2026, 3) in months


def test_editing_the_assignment_date_recomputes_the_due_date(case, staff_user):
    case.assigned_date = date(2026, 9, 15)
    services.case_edit(case=case, by=staff_user, reason="交办日期录错")
    case.refresh_from_db()
    assert case.due_date == date(2026, 10, 19)
    assert AssignedCase.history.filter(id=case.pk).count() == 2


def test_a_pending_extension_can_still_be_decided_after_conclusion(
    case, staff_user, admin_user, secretary_a
):
    # Requested in time; the result was accepted and the case concluded before the decision.
    services.case_request_extension(
        case=case, requested_days=5, reason="当事人外出", by=secretary_a
    )
    _to_result(case, secretary_a)
    services.case_review(
        case=case, decision="accepted", review_date=date(2026, 3, 12), by=staff_user
    )
    services.case_conclude(case=case, concluded_date=date(2026, 3, 13), by=staff_user)
    assert case.concluded_on_time is False
    assert services.allowed_actions(case, admin_user) == [services.DECIDE_EXTENSION]
    services.case_decide_extension(case=case, approve=True, by=admin_user)
    case.refresh_from_db()
    assert case.due_date == date(2026, 3, 18)
    assert case.concluded_on_time is True
