"""The work calendar the township counts deadlines on (docs/rubric.md "Deadlines").

实施方案: 领导批办件须在20个工作日内办结. Working days follow the Chinese statutory calendar
(holidays and make-up working days, 调休). chinese-calendar covers 2004-2026; any other year comes
from here: an admin enters its holidays and make-up days as CalendarDay overrides and then
declares the year complete with a CalendarYear. Until then that year is counted Monday to Friday
and every date counted in it is provisional (暂定). An override also corrects the library.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import acting_user


class CalendarDay(models.Model):
    """One day whose status an admin set by hand; it comes before the library and Mon-Fri."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("工作日"), help_text=_("勾选为工作日(如调休上班的周末),不勾选为休息日(如法定节假日)。")
    )
    note = models.CharField(
        _("说明"), max_length=100, blank=True, help_text=_("如:元旦、调休上班。")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self):
        kind = _("工作日") if self.is_workday else _("休息日")
        return f"{self.date:%Y-%m-%d} {kind}"


class CalendarYear(models.Model):
    """An admin's declaration that a year's holidays and make-up days are all entered."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    entered_by = acting_user(_("录入人"))
    entered_at = models.DateTimeField(_("确认录入时间"))
    note = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("如:依据国务院办公厅通知。")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("已录入年份")
        verbose_name_plural = _("已录入年份")
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}年"
