"""What happens in a village's petition and dispute work: petitions and their petitioners, the
village's reception log, its 包保 register, the dispute ledger, the twice-monthly screening
reports, mediation dossiers, and the candidates for unreported disputes.

Each model docstring names the clause of the township's document (评分表 / 实施方案) it serves;
the dates that place it in assessment months are `PERIOD_DATE_FIELD` or `record_dates()`
(docs/rubric.md "Evidence"). Rules shared with forms, services and scoring live in rules.py.
"""

from datetime import date
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import periods
from core.dates import date_errors
from core.labels import half_month
from core.models import Versioned
from core.spans import SpanQuerySet
from core.uploads import UploadTo
from core.uploads import validate_upload

from . import deadlines
from . import rules
from .choices import CandidateState
from .choices import Channel
from .choices import DisputeCategory
from .choices import DisputeStatus
from .choices import Level
from .choices import Nature
from .choices import ReportHalf
from .choices import ReviewResult
from .choices import Source
from .validators import validate_id_number


def _village_fk(related_name: str):
    return models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=_("村(居)"),
    )


# --- Reception log ---------------------------------------------------------------------------


class ReceptionLog(Versioned, models.Model):
    """来访接待登记: the village's own reception of a visitor, and the handling opinion
    (处理意见书, signed by the mediator) it issued. 评分表 一.2: a visitor who goes on to the
    township without this opinion costs the village a point; a petition may name the opinion
    it carried."""

    PERIOD_DATE_FIELD = "date"

    village = _village_fk("reception_logs")
    date = models.DateField(_("接待日期"))
    visitor_name = models.CharField(_("来访人姓名"), max_length=50)
    matter = models.TextField(_("反映事项"))
    reply = models.TextField(_("答复或解决办法"))
    opinion_issued = models.BooleanField(
        _("出具处理意见书"), default=False, help_text=_("村(居)是否出具了书面处理意见书。")
    )
    mediator_name = models.CharField(
        _("调解员签名"), max_length=50, blank=True, help_text=_("出具处理意见书时必填。")
    )
    opinion_number = models.CharField(_("意见书编号"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("来访接待登记")
        verbose_name_plural = _("来访接待登记")
        ordering = ["-date", "-pk"]

    def __str__(self):
        text = f"{self.date:%Y-%m-%d} {self.visitor_name}" if self.date else self.visitor_name
        return f"{text}({self.opinion_number})" if self.opinion_number else text

    def clean(self):
        errors = date_errors(self)  # the window of every date (core.dates)
        if self.opinion_issued and not self.mediator_name.strip():
            errors["mediator_name"] = _("出具处理意见书时须有调解员签名。")
        if not self.opinion_issued and self.opinion_number:
            errors["opinion_number"] = _("未出具处理意见书,不应填写意见书编号。")
        if errors:
            raise ValidationError(errors)


# --- Petitions -------------------------------------------------------------------------------


class Petition(Versioned, models.Model):
    """信访事件: a petition by people of the village, counted on its date.

    评分表 二 prices it per person-time (人次) by level and nature, 区 and 镇 only when not
    stabilised in time; 评分表 一.2 takes a point for a visit to the township without the
    village's handling opinion; the 一票否决 causes read `new_problem_unresolved` (京) and
    `large_impact` (collective). `source` + `source_ref` identify an imported row so a
    re-import never creates it twice.
    """

    PERIOD_DATE_FIELD = "date"

    village = _village_fk("petitions")
    date = models.DateField(_("信访日期"))
    level = models.CharField(_("信访层级"), max_length=20, choices=Level.choices)
    channel = models.CharField(_("信访渠道"), max_length=20, choices=Channel.choices)
    nature = models.CharField(
        _("上访性质"), max_length=20, choices=Nature.choices, default=Nature.NORMAL
    )
    collective = models.BooleanField(_("集体访"), default=False, help_text=_("五人及以上。"))
    person_count = models.PositiveIntegerField(
        _("人次"), default=1, validators=[MinValueValidator(1)]
    )
    matter = models.TextField(_("反映事项"))
    stabilised_in_time = models.BooleanField(
        _("及时稳控/调处到位"),
        default=False,
        help_text=_("到区、到镇上访,未及时稳控调处的才扣分。"),
    )
    carried_village_opinion = models.BooleanField(
        _("持村处理意见书"),
        null=True,
        blank=True,
        help_text=_("仅到镇走访填写:信访人是否持有村(居)出具的处理意见书。"),
    )
    carried_opinion = models.ForeignKey(
        ReceptionLog,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("所持处理意见书"),
        help_text=_("村(居)来访接待登记中出具的处理意见书。"),
    )
    new_problem_unresolved = models.BooleanField(
        _("因新问题调处不及时"), default=False, help_text=_("进京上访因此发生的,一票否决。")
    )
    large_impact = models.BooleanField(
        _("造成重大社会影响或舆情"),
        default=False,
        help_text=_("集体上访造成较大影响的,一票否决。"),
    )
    source = models.CharField(
        _("来源"), max_length=30, choices=Source.choices, default=Source.TOWNSHIP_RECEPTION
    )
    source_ref = models.CharField(
        _("来源编号"),
        max_length=100,
        blank=True,
        help_text=_("阳光信访件号、区转办编号或镇接访登记号;同一来源内不得重复。"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("信访事件")
        verbose_name_plural = _("信访事件")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=~Q(source_ref=""),
                name="petition_unique_source_ref",
                violation_error_message=_("该来源下已有相同编号的信访事件。"),
            ),
        ]
        indexes = [models.Index(fields=["village", "date"])]

    def __str__(self):
        level = self.get_level_display() if self.level else ""
        when = f"{self.date:%Y-%m-%d}" if self.date else ""
        return f"{when} {level}{self.get_channel_display() if self.channel else ''}".strip()

    @property
    def opinion_duty_applies(self) -> bool:
        return rules.opinion_duty_applies(self.level, self.channel)

    def petitioner_key(self) -> str:
        """Same person, same matter (实施方案 二.5); reads prefetched petitioners."""
        people = [p.id_number or p.name for p in self.petitioners.all()]
        return rules.petitioner_key(people, self.matter)

    def clean(self):
        errors = date_errors(self)  # the window of every date (core.dates)
        if self.collective and self.person_count is not None and self.person_count < 5:
            errors["person_count"] = _("集体访为五人及以上,人次不能少于5。")
        if self.level and self.channel:
            if self.opinion_duty_applies and self.carried_village_opinion is None:
                errors["carried_village_opinion"] = _("到镇走访须填写是否持村处理意见书。")
            if not self.opinion_duty_applies and self.carried_village_opinion is not None:
                errors["carried_village_opinion"] = _("只有到镇走访才填写此项,其他情况请留空。")
        if self.carried_opinion_id:
            opinion = self.carried_opinion
            if self.carried_village_opinion is not True:
                errors["carried_opinion"] = _("选了处理意见书,“持村处理意见书”须为“是”。")
            elif self.village_id and opinion.village_id != self.village_id:
                errors["carried_opinion"] = _("所选处理意见书不是本村(居)出具的。")
            elif not opinion.opinion_issued:
                errors["carried_opinion"] = _("所选来访接待登记没有出具处理意见书。")
            elif self.date and opinion.date > self.date:
                errors["carried_opinion"] = _("处理意见书的日期晚于信访日期。")
        if errors:
            raise ValidationError(errors)


class Petitioner(Versioned, models.Model):
    """信访人 of a petition. The ID number is stored whole (to recognise the same person) and
    shown masked everywhere (`masked_id`)."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="petitioners", verbose_name=_("信访事件")
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(
        _("身份证号"), max_length=18, blank=True, validators=[validate_id_number]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("信访人")
        verbose_name_plural = _("信访人")
        ordering = ["petition", "pk"]

    def __str__(self):
        return f"{self.name} {self.masked_id}".strip()

    @property
    def village(self):
        return self.petition.village if self.petition_id else None

    @property
    def masked_id(self) -> str:
        return rules.mask_id_number(self.id_number)

    def record_dates(self) -> list[date]:
        return [self.petition.date] if self.petition_id else []

    def clean(self):
        self.id_number = rules.normalise_id_number(self.id_number)
        self.name = self.name.strip()


# --- 包保 register ------------------------------------------------------------------------------


class BaobaoEntryQuerySet(SpanQuerySet):
    pass


class BaobaoEntry(Versioned, models.Model):
    """信访人包保登记: who answers for each of the village's petitioners (评分表 一.2:
    对信访人包保情况没有扣5分).

    Decision: the village "has its register" at a month's end when at least one entry is active
    on that day (start on or before it, no end or an end on or after it). A village with no
    petitioners has nothing to register and so loses the 5 points: the table knows no zero
    report for this item.
    """

    village = _village_fk("baobao_entries")
    petitioner_name = models.CharField(_("信访人姓名"), max_length=50)
    matter = models.TextField(_("反映事项"))
    responsible_person = models.ForeignKey(
        "villages.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="baobao_entries",
        verbose_name=_("包保责任人"),
    )
    responsible_name = models.CharField(
        _("包保责任人姓名"),
        max_length=50,
        blank=True,
        help_text=_("责任人不在人员名单中时填写。"),
    )
    start = models.DateField(_("包保起始日期"))
    end = models.DateField(_("包保终止日期"), null=True, blank=True)
    history = HistoricalRecords()

    span_fields = ("start", "end")  # core.spans: both days included
    objects = BaobaoEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("包保登记")
        verbose_name_plural = _("包保登记")
        ordering = ["village", "-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="baobao_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.petitioner_name} · {self.responsible}"

    @property
    def responsible(self) -> str:
        return self.responsible_person.name if self.responsible_person_id else self.responsible_name

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def record_dates(self) -> list[date]:
        """The month-ends at which this entry is part of the register (a standing item is read
        at the month's end), up to the current month: later months are not scored yet."""
        if not self.start:
            return []
        today = timezone.localdate()
        last = periods.month_end(today.year, today.month)
        if self.end is not None:
            last = min(last, self.end)
        return periods.month_ends_between(self.start, last)

    def changed_record_dates(self, old: list[date], new: list[date]) -> list[date]:
        """An edit touches only the month-ends whose register it changes: ending an entry that
        began in a closed month must not need that month reopened."""
        return sorted(set(old) ^ set(new))

    def clean(self):
        errors = {}
        if not self.responsible_person_id and not self.responsible_name.strip():
            errors["responsible_name"] = _("请选择包保责任人或填写其姓名。")
        person = self.responsible_person if self.responsible_person_id else None
        if person and self.village_id and person.township_id != self.village.township_id:
            errors["responsible_person"] = _("包保责任人不属于本镇。")
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("终止日期不能早于起始日期。")
        if errors:
            raise ValidationError(errors)


# --- Disputes ----------------------------------------------------------------------------------


class DisputeQuerySet(models.QuerySet):
    def resolved_between(self, start: date, end: date):
        return self.filter(status=DisputeStatus.RESOLVED, resolved_date__range=(start, end))

    def unreported(self):
        """实施方案 一.4: disputes found at town level or above that no report of the village had
        listed by the day they were found (listing them afterwards does not cure it)."""
        listed_in_time = DisputeReport.disputes.through.objects.filter(
            dispute_id=OuterRef("pk"),
            disputereport__submitted_at__date__lte=OuterRef("found_date"),
        )
        return self.filter(found_at_town_or_above=True).exclude(Exists(listed_in_time))


class Dispute(Versioned, models.Model):
    """矛盾纠纷台账: a dispute of the village, from finding to resolution.

    评分表 三.2 asks for the resolution materials (a dossier) of each dispute resolved in a month
    by the month's close; 实施方案 一.4 deducts for a dispute found at town level or above that
    the village never reported (`found_at_town_or_above`, not found by its own screening).
    """

    village = _village_fk("disputes")
    found_date = models.DateField(_("发现日期"))
    parties = models.CharField(_("当事人"), max_length=200)
    matter = models.TextField(_("纠纷事项"))
    category = models.CharField(
        _("纠纷类别"), max_length=20, choices=DisputeCategory.choices, default=DisputeCategory.OTHER
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    resolved_date = models.DateField(_("化解日期"), null=True, blank=True)
    found_at_town_or_above = models.BooleanField(
        _("镇级以上发现"),
        default=False,
        help_text=_("由镇或上级发现,而非本村(居)排查上报的。"),
    )
    history = HistoricalRecords()

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["-found_date", "-pk"]
        indexes = [models.Index(fields=["village", "found_date"])]

    def __str__(self):
        matter = self.matter if len(self.matter) <= 20 else self.matter[:20] + "…"
        return f"{self.parties}:{matter}"

    def record_dates(self) -> list[date]:
        return [self.found_date, self.resolved_date]

    def clean(self):
        errors = date_errors(self)  # the window of every date (core.dates)
        if self.status == DisputeStatus.RESOLVED:
            if not self.resolved_date:
                errors["resolved_date"] = _("已化解的纠纷须填写化解日期。")
            elif self.found_date and self.resolved_date < self.found_date:
                errors["resolved_date"] = _("化解日期不能早于发现日期。")
        elif self.resolved_date:
            errors["resolved_date"] = _("未化解的纠纷不应有化解日期。")
        if errors:
            raise ValidationError(errors)


class _ReportDaysBatch:
    """The reports fetched together: the first `due_date` asked reads the deadlines of every
    township and year among them at once (a list page shows due_date, is_late, is_complete)."""

    def __init__(self, reports):
        self.reports = reports

    def prime(self) -> None:
        reports = [r for r in self.reports if r.year and r.village_id]
        township_of = {
            r.village_id: r.village.township_id
            for r in reports
            if DisputeReport.village.is_cached(r)
        }
        unknown = {r.village_id for r in reports} - township_of.keys()
        if unknown:
            villages = DisputeReport._meta.get_field("village").related_model.objects
            township_of.update(villages.filter(pk__in=unknown).values_list("pk", "township_id"))
        read = deadlines.report_days_of({(township_of[r.village_id], r.year) for r in reports})
        for report in reports:
            report.use_report_days(read[(township_of[report.village_id], report.year)])


class _ReportIterable(models.query.ModelIterable):
    def __iter__(self):
        reports = list(super().__iter__())
        batch = _ReportDaysBatch(reports)
        for report in reports:
            report._report_batch = batch
        yield from reports


class DisputeReportQuerySet(models.QuerySet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._iterable_class = _ReportIterable


class DisputeReport(Versioned, models.Model):
    """矛盾纠纷排查报告, twice a month (评分表 一.4): due by the end of the 14th and the 28th,
    signed by the responsible person and sealed by the village. A late one is kept but counts as
    missing (docs/rubric.md "Deadlines"); an unsubmitted draft has no `submitted_at`. A report that
    lists no dispute is a zero report (零报告) and is complete.

    The due date is computed from the half and the due days of the year's rubric
    (`petitions.deadlines`, `core.periods.report_due_date`), never typed; the report counts in
    its own month (`record_dates` is the due date).
    """

    village = _village_fk("dispute_reports")
    year = models.PositiveSmallIntegerField(
        _("年"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("月"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    half = models.PositiveSmallIntegerField(_("半月"), choices=ReportHalf.choices)
    submitted_at = models.DateTimeField(
        _("报送时间"), null=True, blank=True, help_text=_("留空表示尚未报送(草稿)。")
    )
    signed_by = models.CharField(
        _("责任人签名"), max_length=50, blank=True, help_text=_("留空表示未签名。")
    )
    seal_scan = models.FileField(
        _("盖章扫描件"),
        upload_to=UploadTo("petitions/seals"),
        blank=True,
        validators=[validate_upload],
        help_text=_("加盖村(居)公章的报告扫描件(PDF、JPEG 或 PNG);留空表示未盖章。"),
    )
    disputes = models.ManyToManyField(
        Dispute, blank=True, related_name="reports", verbose_name=_("排查出的矛盾纠纷")
    )
    history = HistoricalRecords()

    objects = DisputeReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("矛盾纠纷排查报告")
        verbose_name_plural = _("矛盾纠纷排查报告")
        ordering = ["-year", "-month", "-half", "village"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "month", "half"],
                name="dispute_report_unique_half",
                violation_error_message=_("该村(居)这半月的排查报告已存在。"),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="dispute_report_month_range"
            ),
            models.CheckConstraint(condition=Q(half__in=[1, 2]), name="dispute_report_half"),
        ]

    def __str__(self):
        return f"{self.village} {half_month(self.year, self.month, self.half)}"

    @property
    def due_date(self) -> date | None:
        if not (self.year and self.month and self.half and self.village_id):
            return None
        # Read once per village and year (a list shows due_date, is_late and is_complete).
        key = (self.village_id, self.year)
        batch = getattr(self, "_report_batch", None)
        if getattr(self, "_report_days", (None,))[0] != key and batch is not None:
            self._report_batch = None
            batch.prime()
        if getattr(self, "_report_days", (None,))[0] != key:
            days = deadlines.report_days(self.village.township_id, self.year)
            self._report_days = (key, days)
        return periods.report_due_date(self.year, self.month, self.half, self._report_days[1])

    def use_report_days(self, days: periods.ReportDays) -> None:
        """Take the year's deadlines from a caller that read them once for many reports."""
        self._report_days = ((self.village_id, self.year), days)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_late(self) -> bool:
        return self.due_date is not None and rules.is_late(self.submitted_at, self.due_date)

    @property
    def is_signed(self) -> bool:
        return bool(self.signed_by.strip())

    @property
    def is_sealed(self) -> bool:
        return bool(self.seal_scan)

    @property
    def is_complete(self) -> bool:
        """Submitted on time, signed and sealed: the only report that saves the half's point."""
        return self.is_submitted and not self.is_late and self.is_signed and self.is_sealed

    def record_dates(self) -> list[date]:
        return [self.due_date]

    def clean(self):
        errors = {}
        if self.submitted_at and self.submitted_at > timezone.now() + timedelta(minutes=5):
            errors["submitted_at"] = _("报送时间不能晚于现在。")
        if self.signed_by:
            self.signed_by = self.signed_by.strip()
        if errors:
            raise ValidationError(errors)


def _review_errors(prefix: str, result: str, day, reason: str, submitted: date | None, errors):
    if result == ReviewResult.PENDING:
        if day:
            errors[f"{prefix}_date"] = _("尚未审核,不应填写审核日期。")
        return
    if not day:
        errors[f"{prefix}_date"] = _("请填写审核日期。")
    elif submitted and day < submitted:
        errors[f"{prefix}_date"] = _("审核日期不能早于报送日期。")
    if result == ReviewResult.REJECTED and not reason.strip():
        errors[f"{prefix}_reason"] = _("退回时须写明原因。")


class Dossier(Versioned, models.Model):
    """矛盾纠纷化解卷宗 of a resolved dispute: mediation agreement, ID copy and village
    certificate, reviewed by the governance centre and the judicial office.

    评分表 三.2 needs it submitted by the close of the month of resolution; 五 加减分 adds a point
    per dossier accepted by both, on the day of the later acceptance (`accepted_date`). One
    dossier per dispute: a rejected one is corrected and resubmitted (its history keeps the
    rejection).
    """

    village = _village_fk("dossiers")
    dispute = models.ForeignKey(
        Dispute, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("矛盾纠纷")
    )
    mediation_agreement = models.FileField(
        _("调解协议"),
        upload_to=UploadTo("petitions/dossiers"),
        validators=[validate_upload],
    )
    id_copy = models.FileField(
        _("身份证复印件"),
        upload_to=UploadTo("petitions/dossiers"),
        validators=[validate_upload],
    )
    village_certificate = models.FileField(
        _("村证明"),
        upload_to=UploadTo("petitions/dossiers"),
        validators=[validate_upload],
    )
    submitted_date = models.DateField(_("报送日期"))
    centre_result = models.CharField(
        _("综治中心审核"),
        max_length=20,
        choices=ReviewResult.choices,
        default=ReviewResult.PENDING,
    )
    centre_reason = models.TextField(_("综治中心审核意见"), blank=True)
    centre_date = models.DateField(_("综治中心审核日期"), null=True, blank=True)
    judicial_result = models.CharField(
        _("司法所审核"),
        max_length=20,
        choices=ReviewResult.choices,
        default=ReviewResult.PENDING,
    )
    judicial_reason = models.TextField(_("司法所审核意见"), blank=True)
    judicial_date = models.DateField(_("司法所审核日期"), null=True, blank=True)
    history = HistoricalRecords()

    FILE_FIELDS = ("mediation_agreement", "id_copy", "village_certificate")

    class Meta:
        verbose_name = _("化解卷宗")
        verbose_name_plural = _("化解卷宗")
        ordering = ["-submitted_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute"],
                name="dossier_one_per_dispute",
                violation_error_message=_("该纠纷已有化解卷宗,请修改原卷宗。"),
            ),
        ]

    def __str__(self):
        return f"{_('卷宗')} · {self.dispute}" if self.dispute_id else str(_("卷宗"))

    @property
    def accepted_date(self) -> date | None:
        return rules.accepted_date(
            self.centre_result, self.centre_date, self.judicial_result, self.judicial_date
        )

    def record_dates(self) -> list[date]:
        return [self.submitted_date, self.accepted_date]

    def clean_fields(self, exclude=None):
        # The village follows from the dispute; fill it before the fields are checked.
        if self.dispute_id and not self.village_id:
            self.village_id = self.dispute.village_id
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors = date_errors(self)  # the window of every date (core.dates)
        if self.dispute_id:
            dispute = self.dispute
            if dispute.village_id != self.village_id:
                errors["dispute"] = _("所选纠纷不属于本村(居)。")
            if dispute.status != DisputeStatus.RESOLVED:
                errors["dispute"] = _("只有已化解的纠纷才能报送化解卷宗。")
            elif self.submitted_date and dispute.resolved_date > self.submitted_date:
                errors["submitted_date"] = _("报送日期不能早于纠纷的化解日期。")
        _review_errors(
            "centre",
            self.centre_result,
            self.centre_date,
            self.centre_reason,
            self.submitted_date,
            errors,
        )
        _review_errors(
            "judicial",
            self.judicial_result,
            self.judicial_date,
            self.judicial_reason,
            self.submitted_date,
            errors,
        )
        if errors:
            raise ValidationError(errors)


# --- Unreported-dispute candidates ---------------------------------------------------------------


class UnreportedCandidate(Versioned, models.Model):
    """A petition that matches no dispute of the village's ledger, waiting for staff to judge
    whether the village failed to report a dispute (实施方案 一.4: 镇以上发现而村未上报).

    Confirming creates a Dispute marked found at town level or above and listed in no report;
    dismissing keeps who decided and why. Candidates do not count by themselves (no dates).
    """

    village = _village_fk("unreported_candidates")
    petition = models.OneToOneField(
        Petition,
        on_delete=models.CASCADE,
        related_name="unreported_candidate",
        verbose_name=_("信访事件"),
    )
    state = models.CharField(
        _("核实结果"), max_length=20, choices=CandidateState.choices, default=CandidateState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核实人"),
    )
    decided_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    reason = models.TextField(_("核实说明"), blank=True)
    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记的矛盾纠纷"),
    )
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("疑似未上报纠纷")
        verbose_name_plural = _("疑似未上报纠纷")
        ordering = ["state", "-petition__date", "-pk"]

    def __str__(self):
        return f"{self.petition} · {self.get_state_display()}"

    def record_dates(self) -> list[date]:
        return []

    def clean(self):
        errors = {}
        if self.petition_id and self.village_id and self.petition.village_id != self.village_id:
            errors["village"] = _("村(居)须与信访事件一致。")
        if self.state == CandidateState.DISMISSED and not self.reason.strip():
            errors["reason"] = _("排除时须写明理由。")
        if self.state == CandidateState.CONFIRMED and not self.dispute_id:
            errors["dispute"] = _("确认未上报须登记对应的矛盾纠纷。")
        if errors:
            raise ValidationError(errors)
