"""Assessment months and their life: open -> published -> closed (-> reopened, with a reason).

docs/rubric.md "Periods": a closed month is frozen; its records change only by reopening it, which
is logged with a reason. Every step is attributed in PeriodEvent.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.labels import year_month


class PeriodAction(models.TextChoices):
    """The moves of a month (assessment/periods.py holds which state each may start from)."""

    PUBLISH = "publish", _("公示")
    CLOSE = "close", _("关闭")
    REOPEN = "reopen", _("重新开启")


def action_label(action: str) -> str:
    """The action's name for people (公示, 关闭, 重新开启); an unknown code as it is."""
    try:
        return str(PeriodAction(action).label)
    except ValueError:
        return action


class PeriodState(models.TextChoices):
    OPEN = "open", _("进行中")
    PUBLISHED = "published", _("已公示")
    CLOSED = "closed", _("已关闭")


class Period(models.Model):
    township = models.ForeignKey(
        "villages.Township", on_delete=models.PROTECT, related_name="periods", verbose_name=_("镇")
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    state = models.CharField(
        _("状态"), max_length=20, choices=PeriodState.choices, default=PeriodState.OPEN
    )
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核月份")
        verbose_name_plural = _("考核月份")
        ordering = ["township", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "month"], name="period_unique"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="period_month_range"
            ),
        ]

    def __str__(self):

        return year_month(self.year, self.month)

    @property
    def is_closed(self) -> bool:
        return self.state == PeriodState.CLOSED


class PeriodEvent(models.Model):
    """Who moved a period, when, and why (publish, close, reopen)."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="events", verbose_name=_("考核月份")
    )
    action = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=20, choices=PeriodState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=PeriodState.choices)
    reason = models.TextField(_("原因"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核月份操作记录")
        verbose_name_plural = _("考核月份操作记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.period} {self.action_label}"

    @property
    def action_label(self) -> str:
        """公示, 关闭, 重新开启: the stored code is for programs, never shown to people."""

        return action_label(self.action)


class StaleVillageMonth(models.Model):
    """A village-month whose records changed since its sheet was computed.

    Written by every record save in the same transaction; the recompute task deletes the mark
    after rebuilding the sheet, so a burst of edits costs one recompute per village-month.
    """

    village = models.ForeignKey("villages.Village", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    marked_at = models.DateTimeField(auto_now=True)
    # A recompute that raised keeps the mark (the month is still stale) and says why; the
    # count and time space out the retries and tell a new failure from a repeated one.
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("待重算村月")
        verbose_name_plural = _("待重算村月")
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "month"], name="stale_unique"),
        ]

    def __str__(self):
        return f"{self.village_id} {self.year}-{self.month:02d}"
