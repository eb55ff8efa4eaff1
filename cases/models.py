"""Superior-assigned cases (上级交办件 / 领导批办件) and backlog cases (信访积案).

评分表 一.3 信访件办理 and 三.1 领导批办件按时办结; 评分表 三.3 and 五 加减分 for backlog cases.
docs/rubric.md "Evidence": a rejected result counts on the day of the rejection, an overdue case
once in the month of its due date, a relapse on its date, a resolution on the day of resolution.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Versioned
from core.models import acting_user

from .choices import CaseState
from .choices import ExtensionState
from .choices import ReviewDecision
from .rules import relapsed_after_resolution


class AssignedCase(Versioned, models.Model):
    """A petition case a superior or a leader assigned to a village for handling.

    评分表 一.3: 办理结果经审核认定办理不当被退回的, 每件扣1分 (decision: the table names the
    duty but no figure). 评分表 三.1 / 实施方案: 领导批办件须在20个工作日内办结, 未按时办结的
    每件扣5分. The due date is computed from the work calendar (workdays) and approved
    extensions, never typed.
    """

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        verbose_name=_("村(居)"),
    )
    title = models.CharField(_("交办事项"), max_length=200)
    matter = models.TextField(_("交办内容"), blank=True)
    reference = models.CharField(
        _("交办文号"), max_length=100, blank=True, help_text=_("交办单或批示的编号,可不填。")
    )
    assigned_by = models.CharField(
        _("交办单位或批办领导"), max_length=100, help_text=_("如:区信访局、某某区长批示。")
    )
    assigned_date = models.DateField(_("交办日期"))
    due_date = models.DateField(
        _("办结期限"),
        editable=False,
        help_text=_("按工作日历自交办次日起算第20个工作日,加上已批准的延期。"),
    )
    due_provisional = models.BooleanField(
        _("期限暂定"),
        default=False,
        editable=False,
        help_text=_("计算期限时用到尚未录入节假日的年份(按周一至周五计算)。"),
    )
    state = models.CharField(
        _("办理状态"),
        max_length=20,
        choices=CaseState.choices,
        default=CaseState.ASSIGNED,
        editable=False,
    )
    result = models.TextField(_("办理结果"), blank=True, editable=False)
    result_reported_date = models.DateField(
        _("结果上报日期"), null=True, blank=True, editable=False
    )
    concluded_date = models.DateField(_("办结日期"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    # Set only by the steps in cases/services.py, never typed: read only in the admin and the API.
    SERVICE_FIELDS = (
        "due_date",
        "due_provisional",
        "state",
        "result",
        "result_reported_date",
        "concluded_date",
    )

    class Meta:
        verbose_name = _("上级交办件")
        verbose_name_plural = _("上级交办件")
        ordering = ["-assigned_date", "-pk"]
        indexes = [models.Index(fields=["due_date"], name="assignedcase_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gt=models.F("assigned_date")),
                name="assignedcase_due_after_assigned",
            ),
            models.CheckConstraint(
                condition=Q(concluded_date__isnull=True)
                | Q(concluded_date__gte=models.F("assigned_date")),
                name="assignedcase_concluded_after_assigned",
            ),
        ]

    def __str__(self):
        return self.title

    def record_dates(self):
        """Assignment, due date, each rejection, conclusion (docs/rubric.md "Evidence")."""
        days = [self.assigned_date, self.due_date]
        if self.pk is not None:
            days += [
                r.review_date
                for r in self.reviews.all()
                if r.decision == ReviewDecision.REJECTED_IMPROPER
            ]
        days.append(self.concluded_date)
        return days

    @property
    def is_concluded(self) -> bool:
        return self.state == CaseState.CONCLUDED

    @property
    def concluded_on_time(self) -> bool | None:
        """None while open; then whether it was concluded on or before its due date."""
        if self.concluded_date is None:
            return None
        return self.concluded_date <= self.due_date


class CaseHandlerReport(Versioned, models.Model):
    """The village reports who handles the case (承办人), with the date it reported them."""

    case = models.ForeignKey(
        AssignedCase,
        on_delete=models.CASCADE,
        related_name="handler_reports",
        verbose_name=_("交办件"),
    )
    names = models.CharField(_("承办人"), max_length=200, help_text=_("多人用顿号分隔。"))
    reported_date = models.DateField(_("上报日期"))
    history = HistoricalRecords()

    PERIOD_DATE_FIELD = "reported_date"

    class Meta:
        verbose_name = _("承办人上报")
        verbose_name_plural = _("承办人上报")
        ordering = ["reported_date", "pk"]

    def __str__(self):
        return f"{self.names}({self.reported_date:%Y-%m-%d})"

    @property
    def village(self):
        return self.case.village


class CaseReview(Versioned, models.Model):
    """The township's review of a reported result; each rejection is kept (评分表 一.3)."""

    case = models.ForeignKey(
        AssignedCase, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("交办件")
    )
    decision = models.CharField(_("审核结论"), max_length=20, choices=ReviewDecision.choices)
    reason = models.TextField(_("审核意见"), blank=True)
    review_date = models.DateField(_("审核日期"))
    result = models.TextField(_("所审核的办理结果"), blank=True)
    result_reported_date = models.DateField(_("结果上报日期"), null=True, blank=True)
    reviewed_by = acting_user(_("审核人"))
    history = HistoricalRecords()

    PERIOD_DATE_FIELD = "review_date"

    class Meta:
        verbose_name = _("交办件审核")
        verbose_name_plural = _("交办件审核")
        ordering = ["review_date", "pk"]
        indexes = [models.Index(fields=["decision", "review_date"], name="casereview_decision")]

    def __str__(self):
        return f"{self.get_decision_display()}({self.review_date:%Y-%m-%d})"

    @property
    def village(self):
        return self.case.village

    def clean(self):
        if self.decision == ReviewDecision.REJECTED_IMPROPER and not self.reason.strip():
            raise ValidationError({"reason": _("退回重办须写明办理不当的原因。")})


class CaseExtension(Versioned, models.Model):
    """A request to extend the deadline (延期) in working days; a township admin decides."""

    case = models.ForeignKey(
        AssignedCase,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("交办件"),
    )
    requested_days = models.PositiveSmallIntegerField(
        _("申请延期工作日数"), help_text=_("自原办结期限起顺延的工作日数。")
    )
    reason = models.TextField(_("延期理由"))
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    requested_by = acting_user(_("申请人"))
    state = models.CharField(
        _("审批状态"),
        max_length=20,
        choices=ExtensionState.choices,
        default=ExtensionState.PENDING,
    )
    decided_by = acting_user(_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state=ExtensionState.PENDING),
                name="caseextension_one_pending",
                violation_error_message=_("该交办件已有一项待审批的延期申请。"),
            ),
            models.CheckConstraint(
                condition=Q(requested_days__gte=1, requested_days__lte=60),
                name="caseextension_days_range",
                violation_error_message=_("延期工作日数须在1到60之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.case} 延期{self.requested_days}个工作日({self.get_state_display()})"

    @property
    def village(self):
        return self.case.village

    def record_dates(self):
        # The request itself counts in no month; an approval moves the case's due date, and
        # that change is guarded and marked on the case (cases.services.extension_decide).
        return []


class BacklogCase(Versioned, models.Model):
    """信访积案 under leader responsibility, with the five elements of 五个一.

    评分表 三.3: 信访积案化解后出现重复访、反复访的, 每件扣5分 (a relapse, on its date).
    五 加减分: 化解信访积案的每件加5分 (on the resolution day). 奖惩: 化解积案奖励化解人每人2000元;
    化解后反弹的, 对化解人每人罚款3000元.
    """

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="backlog_cases",
        verbose_name=_("村(居)"),
    )
    title = models.CharField(_("积案事项"), max_length=200)
    matter = models.TextField(_("基本案情"), blank=True)
    listed_date = models.DateField(_("列为积案日期"))
    leader = models.ForeignKey(
        "villages.Person",
        on_delete=models.PROTECT,
        related_name="backlog_cases_led",
        verbose_name=_("包案领导"),
    )
    working_group = models.TextField(_("工作专班"), help_text=_("专班成员及分工。"))
    resolution_plan = models.TextField(_("化解方案"))
    stabilisation_measures = models.TextField(_("稳控措施"))
    time_limit = models.DateField(_("化解时限"))
    resolvers = models.ManyToManyField(
        "villages.Person",
        blank=True,
        related_name="backlog_cases_resolved",
        verbose_name=_("化解人"),
        help_text=_("化解后按人奖励;化解后反弹的按人罚款。"),
    )
    resolved_date = models.DateField(_("化解日期"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[resolvers])

    class Meta:
        verbose_name = _("信访积案")
        verbose_name_plural = _("信访积案")
        ordering = ["-listed_date", "-pk"]

    def __str__(self):
        return self.title

    def record_dates(self):
        """Only the resolution counts in a month (五 加减分); relapses are their own records."""
        return [self.resolved_date]

    def clean(self):
        errors = {}
        if self.time_limit and self.listed_date and self.time_limit < self.listed_date:
            errors["time_limit"] = _("化解时限不能早于列为积案日期。")
        if self.resolved_date and self.listed_date and self.resolved_date < self.listed_date:
            errors["resolved_date"] = _("化解日期不能早于列为积案日期。")
        if (
            self.leader_id
            and self.village_id
            and self.leader.township_id != self.village.township_id
        ):
            errors["leader"] = _("包案领导须为本镇人员。")
        if errors:
            raise ValidationError(errors)


class BacklogRelapse(Versioned, models.Model):
    """A backlog case petitioned again (重复访、反复访), counted on its date (评分表 三.3)."""

    case = models.ForeignKey(
        BacklogCase, on_delete=models.CASCADE, related_name="relapses", verbose_name=_("信访积案")
    )
    date = models.DateField(_("反弹日期"))
    note = models.CharField(_("情况说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    PERIOD_DATE_FIELD = "date"

    class Meta:
        verbose_name = _("积案反弹")
        verbose_name_plural = _("积案反弹")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "date"],
                name="backlogrelapse_unique_day",
                violation_error_message=_("同一积案同一天只记一次反弹。"),
            ),
        ]

    def __str__(self):
        return f"{self.case} 反弹({self.date:%Y-%m-%d})"

    @property
    def village(self):
        return self.case.village

    @property
    def resolved_date(self):
        return self.case.resolved_date

    after_resolution = property(relapsed_after_resolution)

    def clean(self):
        if self.case_id and self.date and self.date < self.case.listed_date:
            raise ValidationError({"date": _("反弹日期不能早于列为积案日期。")})
