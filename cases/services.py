"""Every change to an assigned case is one of these named steps; the case only moves forward.

交办 (case_assign) -> 上报承办人 (case_report_handlers) -> 上报办理结果 (case_report_result) ->
审核 (case_review: 通过, or 办理不当退回, which sends it back to 办理中 and is kept as a CaseReview
dated the day of the rejection, 评分表 一.3) -> 办结 (case_conclude). A deadline extension (延期) is
requested by the village or the staff and decided by a township admin; an approval moves the due
date, recomputed on the work calendar. Each step checks the permission, the state and its dates,
and saves through core.records.record_save, naming the months it changes (`touched_dates`): a
step taken in December on a case assigned in November touches December only, so a closed
November does not block it, while a step dated in a closed month is refused naming the month.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import require
from accounts.access import scope
from core.dates import check_dates
from core.records import record_save
from workdays.calendar import WorkCalendar
from workdays.calendar import WorkdayResult

from .choices import DUE_WORKING_DAYS
from .choices import CaseState
from .choices import ExtensionState
from .choices import ReviewDecision
from .models import AssignedCase
from .models import CaseExtension
from .models import CaseHandlerReport
from .models import CaseReview
from .selectors import provisional_years


class TransitionError(ValidationError):
    """A step the case's state does not allow (out of order, or after its conclusion)."""


REPORT_HANDLERS = "report_handlers"
REPORT_RESULT = "report_result"
REVIEW = "review"
CONCLUDE = "conclude"
REQUEST_EXTENSION = "request_extension"
DECIDE_EXTENSION = "decide_extension"

ACTION_LABELS = {
    REPORT_HANDLERS: gettext_lazy("上报承办人"),
    REPORT_RESULT: gettext_lazy("上报办理结果"),
    REVIEW: gettext_lazy("审核办理结果"),
    CONCLUDE: gettext_lazy("办结"),
    REQUEST_EXTENSION: gettext_lazy("申请延期"),
    DECIDE_EXTENSION: gettext_lazy("审批延期"),
}

# The states each step may start from; every other state refuses it.
ALLOWED_FROM = {
    REPORT_HANDLERS: (CaseState.ASSIGNED, CaseState.HANDLING),
    REPORT_RESULT: (CaseState.HANDLING,),
    REVIEW: (CaseState.RESULT_REPORTED,),
    CONCLUDE: (CaseState.ACCEPTED,),
    REQUEST_EXTENSION: (CaseState.ASSIGNED, CaseState.HANDLING, CaseState.RESULT_REPORTED),
    # A request made in time may be decided after the result is in, even after conclusion.
    DECIDE_EXTENSION: tuple(CaseState),
}

# Who may take each step: the village reports, the township reviews, an admin extends.
ACTION_PERMS = {
    REPORT_HANDLERS: "kaohe.submit_report",
    REPORT_RESULT: "kaohe.submit_report",
    REVIEW: "kaohe.change_records",
    CONCLUDE: "kaohe.change_records",
    REQUEST_EXTENSION: "kaohe.submit_report",
    DECIDE_EXTENSION: "kaohe.manage_assessment",
}


def allowed_actions(case: AssignedCase, user) -> list[str]:
    """The steps `user` may take on `case` now (the buttons its page shows)."""
    actions = []
    has_pending = any(e.state == ExtensionState.PENDING for e in case.extensions.all())
    for action, states in ALLOWED_FROM.items():
        if case.state not in states or not user.has_perm(ACTION_PERMS[action], case):
            continue
        if action == REQUEST_EXTENSION and has_pending:
            continue
        if action == DECIDE_EXTENSION and not has_pending:
            continue
        actions.append(action)
    return actions


def _check(case: AssignedCase, action: str, by) -> None:
    require(by, ACTION_PERMS[action], case)
    if case.state not in ALLOWED_FROM[action]:
        raise TransitionError(
            _("交办件「%(case)s」当前状态为「%(state)s」,不能%(action)s。")
            % {"case": case, "state": case.get_state_display(), "action": ACTION_LABELS[action]},
            code="transition",
        )


def _locked(case: AssignedCase) -> AssignedCase:
    """Lock the case's row and re-read it in place, so two steps at once cannot both pass the
    check and the caller's object shows the step's outcome."""
    list(AssignedCase.objects.select_for_update().filter(pk=case.pk).values_list("pk"))
    case.refresh_from_db()
    return case


def _not_before(day: date, earlier: date | None, field: str, message: str) -> None:
    if earlier is not None and day < earlier:
        raise ValidationError({field: message % {"date": f"{earlier:%Y-%m-%d}"}})


# due dates --------------------------------------------------------------------------------
def approved_extension_days(case: AssignedCase) -> int:
    total = case.extensions.filter(state=ExtensionState.APPROVED).aggregate(
        n=Sum("requested_days")
    )["n"]
    return total or 0


def compute_due_date(
    assigned_date: date, extension_days: int = 0, *, calendar: WorkCalendar | None = None
) -> WorkdayResult:
    """The 20th working day after assignment, plus the approved extension days."""
    return (calendar or WorkCalendar()).add_working_days(
        assigned_date, DUE_WORKING_DAYS + extension_days
    )


def _apply_due(case: AssignedCase, due: WorkdayResult) -> None:
    case.due_date = due.date
    case.due_provisional = due.provisional


# the steps --------------------------------------------------------------------------------
@transaction.atomic
def case_assign(
    *,
    village,
    title: str,
    assigned_by: str,
    assigned_date: date,
    matter: str = "",
    reference: str = "",
    by,
) -> AssignedCase:
    """Record a case assigned by a superior; its due date comes from the work calendar."""
    case = AssignedCase(
        village=village,
        title=title,
        matter=matter,
        reference=reference,
        assigned_by=assigned_by,
        assigned_date=assigned_date,
    )
    require(by, "kaohe.change_records", case)
    check_dates(case)  # the due date is counted from the assignment date: check it first
    _apply_due(case, compute_due_date(assigned_date))
    return record_save(instance=case, user=by, reason=_("交办"))


@transaction.atomic
def case_edit(*, case: AssignedCase, by, reason: str) -> AssignedCase:
    """Save corrections to a case's own fields; a changed assignment date moves the due date."""
    require(by, "kaohe.change_records", case)
    check_dates(case)  # the due date is counted from the assignment date: check it first
    extra = approved_extension_days(case) if case.pk else 0
    _apply_due(case, compute_due_date(case.assigned_date, extra))
    return record_save(instance=case, user=by, reason=reason)


@transaction.atomic
def case_report_handlers(
    *, case: AssignedCase, names: str, reported_date: date, by
) -> CaseHandlerReport:
    """The village reports who handles the case (again, if they change while it is handled)."""
    case = _locked(case)
    _check(case, REPORT_HANDLERS, by)
    _not_before(
        reported_date, case.assigned_date, "reported_date", _("上报日期不能早于交办日期 %(date)s。")
    )
    report = CaseHandlerReport(case=case, names=names.strip(), reported_date=reported_date)
    record_save(instance=report, user=by, reason=_("上报承办人"))
    if case.state == CaseState.ASSIGNED:
        case.state = CaseState.HANDLING
        record_save(instance=case, user=by, reason=_("上报承办人"), touched_dates=[reported_date])
    return report


@transaction.atomic
def case_report_result(*, case: AssignedCase, result: str, reported_date: date, by) -> AssignedCase:
    """The village reports how the case was handled; the township reviews it next."""
    case = _locked(case)
    _check(case, REPORT_RESULT, by)
    if not result.strip():
        raise ValidationError({"result": _("请填写办理结果。")})
    last_handlers = case.handler_reports.order_by("-reported_date").first()
    _not_before(
        reported_date,
        last_handlers.reported_date if last_handlers else case.assigned_date,
        "reported_date",
        _("结果上报日期不能早于承办人上报日期 %(date)s。"),
    )
    last_review = case.reviews.order_by("-review_date").first()
    _not_before(
        reported_date,
        last_review.review_date if last_review else None,
        "reported_date",
        _("结果上报日期不能早于上次审核日期 %(date)s。"),
    )
    case.result = result.strip()
    case.result_reported_date = reported_date
    case.state = CaseState.RESULT_REPORTED
    return record_save(
        instance=case, user=by, reason=_("上报办理结果"), touched_dates=[reported_date]
    )


@transaction.atomic
def case_review(
    *, case: AssignedCase, decision: str, review_date: date, reason: str = "", by
) -> CaseReview:
    """Accept the reported result, or reject it as improperly handled (评分表 一.3, that day)."""
    case = _locked(case)
    _check(case, REVIEW, by)
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": _("请选择审核结论。")})
    _not_before(
        review_date,
        case.result_reported_date,
        "review_date",
        _("审核日期不能早于结果上报日期 %(date)s。"),
    )
    review = CaseReview(
        case=case,
        decision=decision,
        reason=reason.strip(),
        review_date=review_date,
        result=case.result,
        result_reported_date=case.result_reported_date,
        reviewed_by=by,
    )
    record_save(instance=review, user=by, reason=review.get_decision_display())
    rejected = decision == ReviewDecision.REJECTED_IMPROPER
    case.state = CaseState.HANDLING if rejected else CaseState.ACCEPTED
    record_save(
        instance=case,
        user=by,
        reason=review.get_decision_display(),
        touched_dates=[review_date],
    )
    return review


@transaction.atomic
def case_conclude(*, case: AssignedCase, concluded_date: date, by) -> AssignedCase:
    """Close an accepted case; on or before its due date it counts as on time (评分表 三.1)."""
    case = _locked(case)
    _check(case, CONCLUDE, by)
    accepted = (
        case.reviews.filter(decision=ReviewDecision.ACCEPTED).order_by("-review_date").first()
    )
    _not_before(
        concluded_date,
        accepted.review_date if accepted else None,
        "concluded_date",
        _("办结日期不能早于审核通过日期 %(date)s。"),
    )
    case.concluded_date = concluded_date
    case.state = CaseState.CONCLUDED
    # A conclusion by the due date changes the due month's 三.1 fact; a late one does not.
    touched = [concluded_date] + ([case.due_date] if concluded_date <= case.due_date else [])
    return record_save(instance=case, user=by, reason=_("办结"), touched_dates=touched)


@transaction.atomic
def case_request_extension(
    *, case: AssignedCase, requested_days: int, reason: str, by
) -> CaseExtension:
    case = _locked(case)
    _check(case, REQUEST_EXTENSION, by)
    extension = CaseExtension(
        case=case, requested_days=requested_days, reason=reason.strip(), requested_by=by
    )
    return record_save(instance=extension, user=by, reason=_("申请延期"))


@transaction.atomic
def case_decide_extension(
    *, case: AssignedCase, approve: bool, reason: str = "", by
) -> CaseExtension:
    """A township admin approves (the due date moves) or refuses the pending extension."""
    case = _locked(case)
    _check(case, DECIDE_EXTENSION, by)
    extension = case.extensions.filter(state=ExtensionState.PENDING).first()
    if extension is None:
        raise TransitionError(_("该交办件没有待审批的延期申请。"), code="transition")
    if not approve and not reason.strip():
        raise ValidationError({"decision_reason": _("不予批准须写明理由。")})
    extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    extension.decided_by = by
    extension.decided_at = timezone.now()
    extension.decision_reason = reason.strip()
    record_save(instance=extension, user=by, reason=extension.get_state_display())
    if approve:
        old_due = case.due_date
        _apply_due(case, compute_due_date(case.assigned_date, approved_extension_days(case)))
        record_save(
            instance=case,
            user=by,
            reason=_("批准延期%(n)s个工作日") % {"n": extension.requested_days},
            touched_dates=[old_due, case.due_date],
        )
    return extension


# recomputing after the calendar changes ---------------------------------------------------
@dataclass
class RecomputeResult:
    checked: int = 0
    changed: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (case, message)


def recompute_due_dates(*, cases=None, by=None, reason: str = "") -> RecomputeResult:
    """Recompute the due date of each case on today's calendar; save those that moved.

    One calendar serves every case. A case whose old or new due month is closed is left as it
    is and reported (it needs the month reopened); the others are saved each on its own.
    """
    qs = AssignedCase.objects.all() if cases is None else cases
    qs = qs.select_related("village").annotate(
        ext_days=Sum(
            "extensions__requested_days", filter=Q(extensions__state=ExtensionState.APPROVED)
        )
    )
    result = RecomputeResult()
    calendar = WorkCalendar()
    for case in qs.order_by("assigned_date", "pk"):
        result.checked += 1
        due = compute_due_date(case.assigned_date, case.ext_days or 0, calendar=calendar)
        if (due.date, due.provisional) == (case.due_date, case.due_provisional):
            continue
        old_due = case.due_date
        _apply_due(case, due)
        try:
            with transaction.atomic():
                record_save(
                    instance=case,
                    user=by,
                    reason=reason or _("工作日历变更,重新计算办结期限"),
                    touched_dates=[old_due, due.date],
                )
        except ValidationError as exc:
            result.refused.append((case, " ".join(exc.messages)))
        else:
            result.changed.append(case)
    return result


def recompute_provisional_due_dates(*, by=None) -> RecomputeResult:
    """Recompute every provisional due date (called when an admin enters a year)."""
    return recompute_due_dates(
        cases=AssignedCase.objects.filter(due_provisional=True),
        by=by,
        reason=_("节假日录入后重新计算暂定期限"),
    )


def recompute_due_dates_touching(start: date, end: date, *, by=None) -> RecomputeResult:
    """Recompute the cases whose count runs over any day from `start` to `end`."""
    return recompute_due_dates(
        cases=AssignedCase.objects.filter(assigned_date__lt=end, due_date__gte=start),
        by=by,
        reason=_("工作日历调整,重新计算办结期限"),
    )


def provisional_years_for(user) -> list[int]:
    """The years not yet entered that the due dates of the cases `user` sees were counted in
    provisionally: the calendar page's banner (core.hooks.provisional_years)."""
    return provisional_years(scope(AssignedCase.objects.all(), user))
