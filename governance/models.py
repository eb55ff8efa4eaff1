"""The 综治中心 work of a village: inspections, registers, patrols, meetings, surveys, 加减分.

评分表 四 (综治中心) and 五 (加减分), 一.1 (village meetings); docs/rubric.md "Evidence" says which
date puts each record into a month. Validation lives in clean() through the plain rules in
governance/rules.py; writes go through core.records (village records) or governance.services
(township records: township meetings, sensitive periods).
"""

from datetime import date
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Versioned
from core.periods import quarter_of
from core.periods import week_thursday
from core.spans import SpanQuerySet

from . import rules
from .choices import RAILWAY_ONLY_GROUPS
from .choices import AdjustmentKind
from .choices import AttendanceStatus
from .choices import GroupKind
from .choices import Level
from .choices import Quarter
from .choices import SpecialCategory
from .choices import SurveyAnswerChoice
from .choices import WorkFile

# The inspection's boolean field for each work file (评分表 四.3).
WORK_FILE_FIELDS = {code: f"file_{code}" for code in WorkFile.values}

# Kinds a rubric may read as a state at the month's end rather than as a dated event.
STANDING_ADJUSTMENTS = frozenset({AdjustmentKind.CHECKPOINT, AdjustmentKind.CCTV})

MSG_END_BEFORE_START = _("结束日期不能早于开始日期。")
MSG_RAILWAY_GROUP = _("只有铁路沿线村(居)才设铁路护路领导小组。")
MSG_CCTV_NOT_APPLICABLE = _("该村(居)没有视频监控室,此项不填。")
MSG_CCTV_REQUIRED = _("该村(居)有视频监控室,请填写是否有人值守。")
MSG_PHONE = _("请填写7到12位数字的固定电话号码(可带区号,如 0571-88886666)。")
MSG_NOT_REACHED = _("未联系上的住户只能记为“未作答”。")


def _month_starts(start: date, end: date) -> list[date]:
    days, day = [], date(start.year, start.month, 1)
    while day <= end:
        days.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return days


class CentreInspection(Versioned, models.Model):
    """综治中心检查. 评分表 四.1 (有值班记录、干净整洁、制度健全), 四.3 (七类工作资料有计划有总结)
    and 五.7 (无专人负责扣3分).

    Standing items: the score of a month reads the latest inspection on or before its last day
    (docs/rubric.md "Evidence"); a village never inspected loses every check. A work file counts
    only when it has both a plan and a summary.
    """

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="centre_inspections",
        verbose_name=_("村(居)"),
    )
    date = models.DateField(_("检查日期"))
    inspector = models.CharField(_("检查人"), max_length=100)
    duty_records = models.BooleanField(_("有值班记录"), default=False)
    # Not `clean`: a field of that name would hide Model.clean(); the selectors' rows say `clean`.
    is_clean = models.BooleanField(_("干净整洁"), default=False)
    rules_complete = models.BooleanField(_("制度健全"), default=False)
    dedicated_person = models.BooleanField(_("有专人负责"), default=False)
    cctv_room_manned = models.BooleanField(
        _("视频监控室有人值守"),
        null=True,
        blank=True,
        help_text=_("仅有视频监控室的村(居)填写。"),
    )
    file_zongzhi = models.BooleanField(_("综治工作资料(有计划有总结)"), default=False)
    file_fangxie = models.BooleanField(_("防邪工作资料(有计划有总结)"), default=False)
    file_xinfang = models.BooleanField(_("信访工作资料(有计划有总结)"), default=False)
    file_pufa = models.BooleanField(_("普法工作资料(有计划有总结)"), default=False)
    file_jindu = models.BooleanField(_("禁毒工作资料(有计划有总结)"), default=False)
    file_jindu_month = models.BooleanField(_("禁毒宣传月资料(有计划有总结)"), default=False)
    file_chuanxiao = models.BooleanField(_("打击传销工作资料(有计划有总结)"), default=False)
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("综治中心检查")
        verbose_name_plural = _("综治中心检查")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["village", "date"])]

    def __str__(self):
        return f"{self.village} {self.date:%Y-%m-%d}" if self.village_id and self.date else "—"

    def record_dates(self) -> list[date]:
        """Its date, and every month's end it is the latest inspection at (until the next)."""
        if not (self.village_id and self.date):
            return [self.date] if self.date else []
        following = (
            CentreInspection.objects.filter(village_id=self.village_id, date__gt=self.date)
            .exclude(pk=self.pk)
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )
        last_day = following - timedelta(days=1) if following else None  # superseded on its day
        return rules.standing_dates(self.date, last_day, timezone.localdate())

    @property
    def work_files(self) -> frozenset[str]:
        """The codes of the work files found complete (有计划有总结)."""
        return frozenset(code for code, name in WORK_FILE_FIELDS.items() if getattr(self, name))

    def clean(self):
        if not self.village_id:
            return
        if not self.village.has_cctv_room and self.cctv_room_manned is not None:
            raise ValidationError({"cctv_room_manned": MSG_CCTV_NOT_APPLICABLE})
        if self.village.has_cctv_room and self.cctv_room_manned is None:
            raise ValidationError({"cctv_room_manned": MSG_CCTV_REQUIRED})


class StandingEntry:
    """A register entry read at every month's end it holds at (评分表 四.2, 四.5): the months it
    marks and whether it holds on a day, from its `span_fields` (first and last day, core/spans)."""

    def record_dates(self) -> list[date]:
        """The month-ends the entry holds at, and its last day (span_fields, core/spans.py)."""
        first, last = (getattr(self, name) for name in self.span_fields)
        days = rules.standing_dates(first, last, timezone.localdate())
        return [*days, last] if last else days

    def changed_record_dates(self, old_dates: list[date], new_dates: list[date]) -> list[date]:
        """Only the month-ends an edit adds or removes (a renamed entry changes no month)."""
        return rules.changed_dates(old_dates, new_dates)

    def is_active(self, day: date) -> bool:
        return rules.is_active(*(getattr(self, name) for name in self.span_fields), day)


class SpecialPerson(StandingEntry, Versioned, models.Model):
    """重点人员台账. 评分表 四.2: 精神障碍患者、吸毒人员、邪教人员、信访人员 各类须登记在册或零报告.

    Only the name is kept (no identity number). A person is on the register from `registered`
    to `removed`, its last day (included); see rules.covered_categories for when a category
    counts.
    """

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="special_persons",
        verbose_name=_("村(居)"),
    )
    category = models.CharField(_("类别"), max_length=20, choices=SpecialCategory.choices)
    name = models.CharField(_("姓名"), max_length=50)
    responsible = models.CharField(
        _("包保责任人"), max_length=100, blank=True, help_text=_("负责稳控、帮扶的人员姓名。")
    )
    registered = models.DateField(_("登记日期"))
    removed = models.DateField(
        _("在册至"),
        null=True,
        blank=True,
        help_text=_("不再列管时填写最后在册的一天(含当日),次日起不在册。"),
    )
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    span_fields = ("registered", "removed")  # core.spans: both days included
    objects = SpanQuerySet.as_manager()

    class Meta:
        verbose_name = _("重点人员")
        verbose_name_plural = _("重点人员")
        ordering = ["village", "category", "name"]
        indexes = [models.Index(fields=["village", "category", "registered"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed__isnull=True) | Q(removed__gte=models.F("registered")),
                name="special_person_removed_after_registered",
            ),
        ]

    def __str__(self):
        return f"{self.name}({self.get_category_display()})"

    def clean(self):
        if self.registered and self.removed and self.removed < self.registered:
            raise ValidationError({"removed": _("在册至日期不能早于登记日期。")})


class ZeroReport(Versioned, models.Model):
    """零报告: a village declares it has no person of a category (评分表 四.2 "零报告").

    Decision: covers its month and the later months of the same year until a person of the
    category is registered (rules.covered_categories). Refused while such a person is on the
    register on its date: a category cannot be both registered and empty.
    """

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="zero_reports",
        verbose_name=_("村(居)"),
    )
    category = models.CharField(_("类别"), max_length=20, choices=SpecialCategory.choices)
    date = models.DateField(_("报告日期"))
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("零报告")
        verbose_name_plural = _("零报告")
        ordering = ["-date", "village", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "category", "date"], name="zero_report_unique_day"
            ),
        ]

    def __str__(self):
        return f"{self.village} {self.get_category_display()} {self.date:%Y-%m-%d}"

    def record_dates(self) -> list[date]:
        """Its date and the month-ends of the rest of its year, which it may cover."""
        if not self.date:
            return []
        return rules.standing_dates(self.date, date(self.date.year, 12, 31), timezone.localdate())

    def changed_record_dates(self, old_dates: list[date], new_dates: list[date]) -> list[date]:
        return rules.changed_dates(old_dates, new_dates)

    def clean(self):
        if not (self.village_id and self.category and self.date):
            return
        on_register = SpecialPerson.objects.filter(
            Q(removed__isnull=True) | Q(removed__gt=self.date),
            village_id=self.village_id,
            category=self.category,
            registered__lte=self.date,
        ).count()
        if on_register:
            raise ValidationError(
                {
                    "category": _("该村(居)在 %(day)s 有 %(n)s 名%(category)s在册,不能报零。")
                    % {
                        "day": f"{self.date:%Y-%m-%d}",
                        "n": on_register,
                        "category": self.get_category_display(),
                    }
                }
            )


class LeadershipGroup(StandingEntry, Versioned, models.Model):
    """领导小组. 评分表 四.5: 治保调解、治安巡逻、冬防、平安创建、普法、禁毒、流动人口、反邪教、
    打击传销 (铁路沿线村另设铁路护路), 每缺一个扣0.5分.

    Active at a day: established on or before it and not dissolved by then. One group of a kind
    at a time per village.
    """

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="leadership_groups",
        verbose_name=_("村(居)"),
    )
    kind = models.CharField(_("领导小组"), max_length=20, choices=GroupKind.choices)
    established = models.DateField(_("成立日期"))
    dissolved = models.DateField(
        _("存续至"),
        null=True,
        blank=True,
        help_text=_("撤销时填写最后存续的一天(含当日),次日起不再存续。"),
    )
    leader = models.CharField(_("组长"), max_length=50)
    members = models.TextField(_("成员"), blank=True)
    document_ref = models.CharField(_("成立文件文号"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    span_fields = ("established", "dissolved")  # core.spans: both days included
    objects = SpanQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导小组")
        verbose_name_plural = _("领导小组")
        ordering = ["village", "kind", "-established"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved__isnull=True) | Q(dissolved__gte=models.F("established")),
                name="group_dissolved_after_established",
            ),
        ]

    def __str__(self):
        return _("%(village)s %(kind)s领导小组") % {
            "village": self.village,
            "kind": self.get_kind_display(),
        }

    def clean(self):
        errors = {}
        if self.established and self.dissolved and self.dissolved < self.established:
            errors["dissolved"] = _("存续至日期不能早于成立日期。")
        if self.village_id and self.kind in RAILWAY_ONLY_GROUPS and not self.village.along_railway:
            errors["kind"] = MSG_RAILWAY_GROUP
        if not errors and self.village_id and self.kind and self.established:
            overlapping = (
                LeadershipGroup.objects.overlapping(self.established, self.dissolved)
                .filter(village_id=self.village_id, kind=self.kind)
                .exclude(pk=self.pk)
            )
            other = overlapping.order_by("established").first()
            if other is not None:
                errors["kind"] = _("该村(居)已有%(kind)s领导小组(%(day)s 成立),时间不能重叠。") % {
                    "kind": self.get_kind_display(),
                    "day": f"{other.established:%Y-%m-%d}",
                }
        if errors:
            raise ValidationError(errors)


class LandlineHousehold(Versioned, models.Model):
    """固定电话户: the households a satisfaction survey may sample (评分表 四.6).

    Not dated: a register, read when a survey is drawn. `phone` is kept as digits only.
    """

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="landline_households",
        verbose_name=_("村(居)"),
    )
    head = models.CharField(_("户主"), max_length=50)
    phone = models.CharField(_("固定电话"), max_length=20)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    active = models.BooleanField(_("在册"), default=True, help_text=_("停机、迁出的不再抽样。"))
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("固定电话户")
        verbose_name_plural = _("固定电话户")
        ordering = ["village", "head"]
        constraints = [
            models.UniqueConstraint(fields=["village", "phone"], name="landline_unique_phone"),
        ]

    def __str__(self):
        return f"{self.head} {self.phone}"

    def record_dates(self) -> list[date]:
        return []

    def clean(self):
        if self.phone:
            if not rules.is_valid_phone(self.phone):
                raise ValidationError({"phone": MSG_PHONE})
            self.phone = rules.normalise_phone(self.phone)


class Patrol(Versioned, models.Model):
    """巡逻记录. 评分表 四.4: 开展治安巡逻,每周不少于3次,有记录; a week belongs to the month
    holding its Thursday (docs/rubric.md)."""

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="patrols",
        verbose_name=_("村(居)"),
    )
    date = models.DateField(_("巡逻日期"))
    start_time = models.TimeField(_("开始时间"), null=True, blank=True)
    end_time = models.TimeField(_("结束时间"), null=True, blank=True)
    participants = models.CharField(_("巡逻人员"), max_length=200)
    route = models.CharField(_("巡逻路线"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("巡逻记录")
        verbose_name_plural = _("巡逻记录")
        ordering = ["-date", "-start_time", "-pk"]
        indexes = [models.Index(fields=["village", "date"])]

    def __str__(self):
        return f"{self.village} {self.date:%Y-%m-%d}" if self.village_id and self.date else "—"

    def record_dates(self) -> list[date]:
        """Its date and its week's Thursday: the week counts in the Thursday's month, so a
        patrol on 30 March marks April (and April's closing freezes it) as well as March."""
        return [self.date, week_thursday(self.date)] if self.date else []

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("结束时间须晚于开始时间。")})


class VillageMeeting(Versioned, models.Model):
    """村会议. 评分表 一.1: 没开会研究相关工作事项的扣1分; a month counts as done only with a
    meeting whose minutes show it studied petition work (研究信访工作)."""

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="village_meetings",
        verbose_name=_("村(居)"),
    )
    date = models.DateField(_("会议日期"))
    topic = models.CharField(_("会议主题"), max_length=200)
    studied_petition_work = models.BooleanField(_("研究信访工作"), default=False)
    attendees = models.TextField(_("参会人员"), blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    history = HistoricalRecords()

    PERIOD_DATE_FIELD = "date"

    class Meta:
        verbose_name = _("村会议")
        verbose_name_plural = _("村会议")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["village", "date"])]

    def __str__(self):
        return self.topic


class TownshipMeeting(Versioned, models.Model):
    """镇综治会议, a township-level record; each village's attendance is a MeetingAttendance.

    评分表 五.6: 镇综治会议迟到、缺席的每次扣1分.
    """

    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.PROTECT,
        related_name="governance_meetings",
        verbose_name=_("镇"),
    )
    date = models.DateField(_("会议日期"))
    topic = models.CharField(_("会议主题"), max_length=200)
    location = models.CharField(_("地点"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    PERIOD_DATE_FIELD = "date"

    class Meta:
        verbose_name = _("镇综治会议")
        verbose_name_plural = _("镇综治会议")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}" if self.date else self.topic


class MeetingAttendance(Versioned, models.Model):
    """A village's attendance at a township meeting (评分表 五.6); counts on the meeting's date."""

    meeting = models.ForeignKey(
        TownshipMeeting,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("镇综治会议"),
    )
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
        verbose_name=_("村(居)"),
    )
    status = models.CharField(
        _("出席情况"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议出席")
        verbose_name_plural = _("会议出席")
        ordering = ["-meeting__date", "village"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "village"], name="attendance_unique"),
        ]

    def __str__(self):
        return f"{self.village} {self.get_status_display()}"

    def record_dates(self) -> list[date]:
        return [self.meeting.date] if self.meeting_id else []

    def clean(self):
        if (
            self.meeting_id
            and self.village_id
            and self.village.township_id != self.meeting.township_id
        ):
            raise ValidationError({"village": _("该村(居)不属于会议所在的镇。")})


class Survey(Versioned, models.Model):
    """满意度调查. 评分表 四.6: 每季度随机抽取10-20户固定电话户,回答对政法机关不满意的每例扣1分.

    The sample is drawn by the app (services.survey_draw): the candidate household ids and the
    seed are stored, so the draw can be shown and repeated. Decision: the survey counts in the
    month of its `date` (the day it was conducted), which must lie in its year and quarter.
    """

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("村(居)"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(_("季度"), choices=Quarter.choices)
    date = models.DateField(_("调查日期"))
    note = models.TextField(_("备注"), blank=True)
    seed = models.PositiveBigIntegerField(_("抽样种子"), null=True, blank=True, editable=False)
    sample_size = models.PositiveSmallIntegerField(
        _("抽样户数"), null=True, blank=True, editable=False
    )
    population = models.JSONField(
        _("候选户编号"), default=list, blank=True, editable=False, help_text=_("抽样时在册的户")
    )
    drawn_at = models.DateTimeField(_("抽样时间"), null=True, blank=True, editable=False)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("抽样人"),
    )
    history = HistoricalRecords()

    PERIOD_DATE_FIELD = "date"

    class Meta:
        verbose_name = _("满意度调查")
        verbose_name_plural = _("满意度调查")
        ordering = ["-year", "-quarter", "village"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "quarter"], name="survey_unique_quarter"
            ),
        ]

    def __str__(self):
        return _("%(village)s %(year)s年第%(quarter)s季度") % {
            "village": self.village,
            "year": self.year,
            "quarter": self.quarter,
        }

    def clean(self):
        if (
            self.date
            and self.year
            and self.quarter
            and (self.date.year, quarter_of(self.date.month)) != (self.year, self.quarter)
        ):
            raise ValidationError(
                {
                    "date": _("调查日期须在 %(year)s 年第 %(q)s 季度内。")
                    % {"year": self.year, "q": self.quarter}
                }
            )
        stored = Survey.objects.filter(pk=self.pk).values("village_id", "seed").first()
        if stored and self.samples.exists():
            # The sample belongs to the stored draw: neither a new village nor an old version
            # (restored from the history) may leave it behind.
            if stored["village_id"] != self.village_id:
                raise ValidationError({"village": _("已抽样的调查不能更换村(居)。")})
            if stored["seed"] != self.seed:
                raise ValidationError(
                    _("抽样结果不能通过恢复历史版本更改;如需重抽,请使用随机抽样。")
                )


class SurveySample(Versioned, models.Model):
    """One household drawn for a survey, in the order it was drawn."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="samples", verbose_name=_("满意度调查")
    )
    household = models.ForeignKey(
        LandlineHousehold,
        on_delete=models.PROTECT,
        related_name="survey_samples",
        verbose_name=_("固定电话户"),
    )
    order = models.PositiveSmallIntegerField(_("抽取顺序"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("抽样户")
        verbose_name_plural = _("抽样户")
        ordering = ["survey", "order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "household"], name="sample_unique_house"),
            models.UniqueConstraint(fields=["survey", "order"], name="sample_unique_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.household}"

    @property
    def village(self):
        return self.survey.village

    def record_dates(self) -> list[date]:
        return [self.survey.date]

    def clean(self):
        if (
            self.survey_id
            and self.household_id
            and self.household.village_id != self.survey.village_id
        ):
            raise ValidationError({"household": _("抽样户须属于调查的村(居)。")})


class SurveyAnswer(Versioned, models.Model):
    """A sampled household's answer (评分表 四.6); −1 per "对政法机关不满意" in the rubric."""

    sample = models.OneToOneField(
        SurveySample, on_delete=models.CASCADE, related_name="answer", verbose_name=_("抽样户")
    )
    reached = models.BooleanField(_("已联系上"), default=False)
    answer = models.CharField(
        _("回答"),
        max_length=30,
        choices=SurveyAnswerChoice.choices,
        default=SurveyAnswerChoice.NO_ANSWER,
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回访结果")
        verbose_name_plural = _("回访结果")
        ordering = ["sample"]

    def __str__(self):
        return f"{self.sample} {self.get_answer_display()}"

    @property
    def village(self):
        return self.sample.survey.village

    def record_dates(self) -> list[date]:
        return [self.sample.survey.date]

    def clean(self):
        if not self.reached and self.answer != SurveyAnswerChoice.NO_ANSWER:
            raise ValidationError({"answer": MSG_NOT_REACHED})


class AdjustmentEvent(Versioned, models.Model):
    """加减分事件. 评分表 五: 治安卡点设施齐全 (+1), 视频监控及亮化工程 (+1), 上级检查表彰 (省/市/区
    +5/+3/+2), 上级检查督查暗访被通报 (−5); and 信访干部获区级以上表彰 (奖 2000 元, money only).

    The points live in the rubric; this records what happened, on the day it happened.
    """

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="adjustment_events",
        verbose_name=_("村(居)"),
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("事项"), max_length=20, choices=AdjustmentKind.choices)
    level = models.CharField(
        _("表彰级别"),
        max_length=10,
        choices=Level.choices,
        blank=True,
        help_text=_("仅上级检查表彰填写。"),
    )
    description = models.TextField(_("说明"), blank=True)
    document_ref = models.CharField(_("文件文号"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("加减分事件")
        verbose_name_plural = _("加减分事件")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["village", "date"])]

    def __str__(self):
        return f"{self.village} {self.get_kind_display()}"

    def record_dates(self) -> list[date]:
        """Its date; a standing kind (卡点, 监控亮化) may be read as a state at later month-ends
        too (selectors.adjustment_states), until the next event of its kind."""
        if self.kind not in STANDING_ADJUSTMENTS or not (self.village_id and self.date):
            return [self.date] if self.date else []
        following = (
            AdjustmentEvent.objects.filter(
                village_id=self.village_id, kind=self.kind, date__gt=self.date
            )
            .exclude(pk=self.pk)
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )
        last_day = following - timedelta(days=1) if following else None  # superseded on its day
        return rules.standing_dates(self.date, last_day, timezone.localdate())

    def clean(self):
        if self.kind == AdjustmentKind.COMMENDATION and not self.level:
            raise ValidationError({"level": _("上级检查表彰须选择表彰级别。")})
        if self.kind and self.kind != AdjustmentKind.COMMENDATION and self.level:
            raise ValidationError({"level": _("只有上级检查表彰才填写表彰级别。")})


class SensitivePeriod(Versioned, models.Model):
    """敏感时期/重大节日: zero petitions through it earns bonus points and a one-off award, both
    set per period (奖惩办法: 重大节日和敏感时期零上访的加分并奖励). A township-level record."""

    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.PROTECT,
        related_name="sensitive_periods",
        verbose_name=_("镇"),
    )
    name = models.CharField(_("名称"), max_length=100)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    bonus_points = models.DecimalField(
        _("加分"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    award_amount = models.DecimalField(
        _("奖励金额(元)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    span_fields = ("start", "end")  # core.spans: both days included
    objects = SpanQuerySet.as_manager()

    class Meta:
        verbose_name = _("敏感时期")
        verbose_name_plural = _("敏感时期")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="sensitive_period_end_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    def record_dates(self) -> list[date]:
        """Every month the period touches: a closed one refuses changes to it."""
        if not (self.start and self.end) or self.end < self.start:
            return [d for d in (self.start, self.end) if d]
        return [*_month_starts(self.start, self.end), self.end]

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": MSG_END_BEFORE_START})
