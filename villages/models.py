"""The structure: 区/县 -> 镇 -> 片 -> 村/居, and the people who answer for each village."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Versioned
from core.periods import month_end
from core.spans import SpanQuerySet

from . import rules
from .choices import AREA_ROLES
from .choices import ResponsibilityRole
from .choices import VillageKind


class District(Versioned, models.Model):
    """区/县: issues the rules, receives the petitions to district level and above, and compares
    its townships. Its users read every township of it and change none."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("区(县)")
        verbose_name_plural = _("区(县)")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Township(Versioned, models.Model):
    name = models.CharField(_("名称"), max_length=50, unique=True)
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="townships",
        verbose_name=_("所属区(县)"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("镇")
        verbose_name_plural = _("镇")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Area(Versioned, models.Model):
    """片: a group of villages led by a member of the town leadership (片长)."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="areas", verbose_name=_("镇")
    )
    name = models.CharField(_("名称"), max_length=50)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("片")
        verbose_name_plural = _("片")
        ordering = ["township", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="area_unique_name"),
        ]

    def __str__(self):
        return self.name


class VillageQuerySet(models.QuerySet):
    def assessed_in(self, year: int, month: int):
        """The villages scored for the month (villages.rules.assessed_in): taking part in the
        assessment and active on the month's last day."""
        return self.active_on(month_end(year, month))

    def active_on(self, day: date):
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=day),
            Q(active_until__isnull=True) | Q(active_until__gte=day),
            is_active=True,
        )

    def assessed_between(self, start: date, end: date):
        """The villages scored for at least one month whose last day lies in [start, end]."""
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=end),
            Q(active_until__isnull=True) | Q(active_until__gte=start),
            is_active=True,
        )


class Village(Versioned, models.Model):
    """村 or 居: the unit that is assessed and ranked.

    `is_active` takes the village out of the assessment altogether; `active_from` and
    `active_until` bound the months it is assessed in (villages.rules: scored for a month when
    active on its last day)."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="villages", verbose_name=_("镇")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="villages", verbose_name=_("片")
    )
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(
        _("类型"), max_length=10, choices=VillageKind.choices, default=VillageKind.VILLAGE
    )
    population = models.PositiveIntegerField(_("人口"), default=0)
    households = models.PositiveIntegerField(_("户数"), default=0)
    along_railway = models.BooleanField(
        _("铁路沿线"), default=False, help_text=_("铁路沿线村须成立铁路护路领导小组。")
    )
    has_cctv_room = models.BooleanField(_("有视频监控室"), default=False)
    is_active = models.BooleanField(_("参加考核"), default=True)
    active_from = models.DateField(
        _("开始考核日期"),
        null=True,
        blank=True,
        help_text=_("新设或合并新建的村(居)填写设立日期;留空表示自本镇启用系统起参加考核。"),
    )
    active_until = models.DateField(
        _("停止考核日期"),
        null=True,
        blank=True,
        help_text=_("撤并的村(居)填写最后一天;某月最后一天仍在考核的才计该月评分。"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("并入村(居)"),
        help_text=_("撤并(合村并居)时并入的村(居),须填写停止考核日期。"),
    )
    history = HistoricalRecords()

    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("村(居)")
        verbose_name_plural = _("村(居)")
        ordering = ["township", "area", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="village_unique_name"),
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="village_until_after_from",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.area_id and self.township_id and self.area.township_id != self.township_id:
            errors["area"] = _("所选片不属于该镇。")
        if self.active_from and self.active_until and self.active_until < self.active_from:
            errors["active_until"] = _("停止考核日期不能早于开始考核日期。")
        if self.merged_into_id:
            if self.merged_into_id == self.pk:
                errors["merged_into"] = _("不能并入本村(居)自身。")
            elif self.township_id and self.merged_into.township_id != self.township_id:
                errors["merged_into"] = _("并入的村(居)须属于同一镇。")
            elif not self.active_until:
                errors["active_until"] = _("并入其他村(居)时须填写停止考核日期。")
        if errors:
            raise ValidationError(errors)

    def is_active_in(self, year: int, month: int) -> bool:
        """Scored for the month (villages.rules.assessed_in)."""
        return self.is_active and rules.assessed_in(
            self.active_from, self.active_until, year, month
        )

    def owes_report(self, year: int, month: int, half: int) -> bool:
        """The half-month's screening report is due (villages.rules.owes_report)."""
        return self.is_active and rules.owes_report(
            self.active_from, self.active_until, year, month, half
        )


class Person(Versioned, models.Model):
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="people", verbose_name=_("镇")
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("责任人")
        verbose_name_plural = _("责任人")
        ordering = ["township", "name"]

    def __str__(self):
        return self.name


class ResponsibilityQuerySet(SpanQuerySet):
    def for_village(self, village):
        return self.filter(Q(village=village) | Q(area_id=village.area_id))


class Responsibility(Versioned, models.Model):
    """A dated assignment of a person to a role for a village (or, for a 片长, an area).

    Roles change hands during a year; settlements ask who held a role on a given date
    (the quarter's end, the year's end, or the day of a fine's event).
    """

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="responsibilities", verbose_name=_("人员")
    )
    role = models.CharField(_("角色"), max_length=30, choices=ResponsibilityRole.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("片")
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsibilities",
        verbose_name=_("村(居)"),
    )
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("终止日期"), null=True, blank=True)
    history = HistoricalRecords()

    span_fields = ("start", "end")  # core.spans: both days included
    objects = ResponsibilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        ordering = ["role", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="responsibility_end_after_start",
            ),
        ]

    def __str__(self):
        target = self.area or self.village
        return f"{self.person} · {self.get_role_display()} · {target}"

    def clean(self):
        errors = {}
        if self.role in AREA_ROLES:
            if not self.area_id:
                errors["area"] = _("片长须指定所负责的片。")
            if self.village_id:
                errors["village"] = _("片长按片负责,不指定单个村(居)。")
        else:
            if not self.village_id:
                errors["village"] = _("该角色须指定所负责的村(居)。")
            if self.area_id:
                errors["area"] = _("该角色按村(居)负责,不指定片。")
        if self.end and self.start and self.end < self.start:
            errors["end"] = _("终止日期不能早于起始日期。")
        if errors:
            raise ValidationError(errors)

    def villages(self):
        if self.area_id:
            return list(self.area.villages.all())
        return [self.village]
