"""Rubric versions as data (docs/rubric.md: "Rule kinds are code; points ... are data").

A version is a set of sections and entries (items, adjustments, veto causes), each entry naming
a rule kind of assessment/scoring/rules.py and holding its figures in `params`. An admin copies a
version and edits any figure; a version that has scored a closed period is locked (copy only).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RubricVersion(models.Model):
    code = models.SlugField(_("版本代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("复制自")
    )
    rubric_settings = models.JSONField(
        _("设置"), default=dict, help_text=_("汇总方式、末位否决、均分保留位数、交办件工作日等。")
    )
    locked_at = models.DateTimeField(
        _("锁定时间"),
        null=True,
        blank=True,
        help_text=_("已用于已关闭月份的版本不可修改,只能复制。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核细则版本")
        verbose_name_plural = _("考核细则版本")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}({self.code})"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class RubricSection(models.Model):
    version = models.ForeignKey(
        RubricVersion, on_delete=models.CASCADE, related_name="sections", verbose_name=_("版本")
    )
    code = models.CharField(_("编号"), max_length=10)
    title = models.CharField(_("标题"), max_length=200)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核部分")
        verbose_name_plural = _("考核部分")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="rubric_section_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class EntryCategory(models.TextChoices):
    ITEM = "item", _("考核项目")
    ADJUSTMENT = "adjustment", _("加减分")
    VETO = "veto", _("一票否决")


class RubricEntry(models.Model):
    version = models.ForeignKey(
        RubricVersion, on_delete=models.CASCADE, related_name="entries", verbose_name=_("版本")
    )
    category = models.CharField(_("类别"), max_length=20, choices=EntryCategory.choices)
    code = models.CharField(_("编号"), max_length=30, help_text=_("如 1.1、4.6、adj.dossier"))
    section = models.CharField(_("所属部分"), max_length=10, blank=True)
    title = models.CharField(_("考核重点"), max_length=300)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, null=True, blank=True)
    kind = models.CharField(_("规则类型"), max_length=50)
    params = models.JSONField(_("规则参数"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核条目")
        verbose_name_plural = _("考核条目")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="rubric_entry_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def clean(self):
        if self.category == EntryCategory.ITEM and (self.points is None or not self.section):
            raise ValidationError({"points": _("考核项目须填写分值和所属部分。")})


class RubricAssignment(models.Model):
    """Which version scores a township's year (docs/rubric.md "Two rubrics in one document")."""

    township = models.ForeignKey(
        "villages.Township", on_delete=models.PROTECT, verbose_name=_("镇")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, verbose_name=_("版本"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度考核细则")
        verbose_name_plural = _("年度考核细则")
        ordering = ["township", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="rubric_assignment_unique"),
        ]

    def __str__(self):
        return f"{self.township} {self.year}: {self.version.code}"
