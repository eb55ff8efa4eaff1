"""Stored results of the scoring service: a sheet per village and month, with its lines.

Sheets are derived data: the scoring service rebuilds them from the records at any time; they are
stored so pages, exports and settlements read them without recomputing, and so a closed month's
figures stay exactly as they were published.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from assessment.reasons import render
from assessment.scoring.reasons import with_parts
from assessment.scoring.rubric_defaults import ADJUSTMENT_TITLES


class ScoreSheet(models.Model):
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.CASCADE,
        related_name="sheets",
        verbose_name=_("村(居)"),
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    version = models.ForeignKey(
        "assessment.RubricVersion", on_delete=models.PROTECT, verbose_name=_("细则版本")
    )
    total = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    sections = models.JSONField(_("各部分得分"), default=list)
    items = models.JSONField(_("各项得分"), default=list)
    vetoes = models.JSONField(_("否决事由"), default=list)
    provisional_reasons = models.JSONField(_("暂定原因"), default=list)
    # The parts of each veto's and provisional reason (assessment.scoring.reasons), in their
    # order: {"vetoes": [parts, ...], "provisional": [parts, ...]}; empty for older sheets.
    reason_parts = models.JSONField(_("原因(可翻译)"), default=dict, blank=True)
    # A hash of everything stored for the sheet, its lines included (assessment.sheets.digest):
    # a recompute rewrites only the sheets whose digest changed. Empty for older sheets.
    digest = models.CharField(_("内容摘要"), max_length=32, blank=True, default="", editable=False)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("月度评分表")
        verbose_name_plural = _("月度评分表")
        ordering = ["year", "month", "village"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "month"], name="sheet_unique"),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self):
        return f"{self.village} {self.year}年{self.month}月 {self.total}"

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_reasons)

    def _with_parts(self, kind: str, texts: list) -> list:

        parts = (self.reason_parts or {}).get(kind, [])
        return [
            with_parts(text, parts[i] if i < len(parts) else []) for i, text in enumerate(texts)
        ]

    @property
    def vetoes_shown(self) -> list:
        """[(cause, reason, refs)] with each reason able to show in the reader's language
        (the ``reason_text`` filter)."""
        reasons = self._with_parts("vetoes", [v[1] for v in self.vetoes])
        return [
            (v[0], reason, v[2] if len(v) > 2 else [])
            for v, reason in zip(self.vetoes, reasons, strict=True)
        ]

    @property
    def provisional_shown(self) -> list:
        """The provisional reasons, each able to show in the reader's language."""
        return self._with_parts("provisional", list(self.provisional_reasons))


class ScoreLine(models.Model):
    """One reason the score moved, with the records that caused it (`refs`: [[kind, id], ...])."""

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="lines", verbose_name=_("评分表")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    item_code = models.CharField(_("条目"), max_length=30)
    points = models.DecimalField(_("分数"), max_digits=7, decimal_places=2)
    raw_points = models.DecimalField(
        _("原始分数"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    reason = models.CharField(_("原因"), max_length=500)
    # The reason's message templates and parameters (assessment.scoring.reasons), to show it in
    # the reader's language; empty for lines stored before, which show `reason` as it is.
    reason_parts = models.JSONField(_("原因(可翻译)"), default=list, blank=True)
    refs = models.JSONField(_("依据记录"), default=list)
    waived = models.BooleanField(_("已核减"), default=False)

    class Meta:
        verbose_name = _("评分明细")
        verbose_name_plural = _("评分明细")
        ordering = ["sheet", "position"]

    def __str__(self):
        return f"{self.item_code} {self.points} {self.reason}"

    @property
    def item_label(self) -> str:
        """The item as a reader names it: 1.4 as is, an adjustment (adj.checkpoint) by its title
        in the active language; a code is never shown."""

        title = ADJUSTMENT_TITLES.get(self.item_code)
        return gettext(title) if title else self.item_code

    @property
    def reason_text(self) -> str:
        """The reason in the active language (the stored Chinese text in Chinese)."""

        return render(self.reason_parts, self.reason)


class ContestState(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("已驳回")


class Contest(models.Model):
    """A village's objection to one line of a published sheet (within five working days).

    An accepted contest waives that line's records for that item on every recompute
    (`Waiver`), so the correction survives recomputation and is itself attributable.
    """

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.CASCADE,
        related_name="contests",
        verbose_name=_("村(居)"),
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    item_code = models.CharField(_("条目"), max_length=30)
    line_reason = models.CharField(_("被申诉的扣分"), max_length=500)
    line_reason_parts = models.JSONField(_("被申诉的扣分(可翻译)"), default=list, blank=True)
    refs = models.JSONField(_("依据记录"), default=list)
    reason = models.TextField(_("申诉理由"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contests_filed",
        verbose_name=_("申诉人"),
    )
    filed_at = models.DateTimeField(_("申诉时间"), auto_now_add=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=ContestState.choices, default=ContestState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contests_decided",
        verbose_name=_("处理人"),
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_reason = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("评分申诉")
        verbose_name_plural = _("评分申诉")
        ordering = ["-filed_at"]

    def __str__(self):
        return f"{self.village} {self.year}-{self.month:02d} {self.item_code}"

    @property
    def line_reason_text(self) -> str:
        """The contested line's reason in the active language (as ScoreLine.reason_text)."""

        return render(self.line_reason_parts, self.line_reason)

    @property
    def item_label(self) -> str:
        return ScoreLine(item_code=self.item_code).item_label

    @property
    def filed_on_behalf(self) -> bool:
        """Filed by a township admin for the village rather than by its own secretary."""

        return self.filed_by.role != Role.SECRETARY


class PeriodScoreSet(models.Model):
    """The quarter's or the year's scores of every village of a township, stored once and read
    as a row per village (assessment.stored_periods), instead of rebuilt from 12,000 month
    sheets on each page (issue 14).

    `stamp` names what they were built from (the span's stored sheets, the rubric version and
    the villages assessed): a set whose stamp no longer matches is rebuilt on its next read.
    Derived data, like the sheets: never edited, rebuilt at any time."""

    township = models.ForeignKey(
        "villages.Township", on_delete=models.CASCADE, related_name="+", verbose_name=_("镇")
    )
    year = models.PositiveSmallIntegerField(_("年"))
    # 1-4 for a quarter, 0 for the year.
    quarter = models.PositiveSmallIntegerField(_("季度"))
    stamp = models.CharField(_("依据摘要"), max_length=200, editable=False)
    built_at = models.DateTimeField(_("计算时间"), auto_now=True)
    # Other figures derived from the same sheets under the same stamp (the dashboard's lost
    # points per section), by name; emptied whenever the rows are rebuilt.
    extras = models.JSONField(_("其他派生数据"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("季度与年度得分")
        verbose_name_plural = _("季度与年度得分")
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "quarter"], name="period_score_set_unique"
            ),
        ]

    def __str__(self):
        return f"{self.township_id} {self.year} Q{self.quarter}"


class PeriodScoreRow(models.Model):
    """One village's quarter or year score (engine.PeriodScore) in a PeriodScoreSet."""

    set = models.ForeignKey(
        PeriodScoreSet, on_delete=models.CASCADE, related_name="rows", verbose_name=_("得分集")
    )
    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, related_name="+", verbose_name=_("村(居)")
    )
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    # computed (text, exact), months (numbers), vetoes ([cause, reason, parts, refs]) and
    # provisional reasons ([text, parts]), as assessment.stored_periods writes them.
    data = models.JSONField(_("明细"), default=dict)

    class Meta:
        verbose_name = _("季度与年度得分行")
        verbose_name_plural = _("季度与年度得分行")
        constraints = [
            models.UniqueConstraint(fields=["set", "village"], name="period_score_row_unique"),
        ]

    def __str__(self):
        return f"{self.village_id} {self.score}"


class TownshipMonthFigures(models.Model):
    """A closed month's figures of one township, as the district's dashboard shows them side by
    side (assessment.township_figures): stored once when the month is closed, dropped when it is
    reopened, so the district pages read a row per township rather than its sheets, reports and
    cases. `closed_at` is the close they were stored at: a row of an earlier close is ignored.
    Derived data: never edited, stored again at the next close."""

    period = models.OneToOneField(
        "assessment.Period",
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("考核月份"),
    )
    closed_at = models.DateTimeField(_("关闭时间"), editable=False)
    # scores (sorted totals, vetoed), petitions (by level), reports (owed, on time, late,
    # missing) and cases (overdue, seriously overdue, as of), as township_figures writes them.
    data = models.JSONField(_("数据"), default=dict, editable=False)
    built_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("镇月度汇总")
        verbose_name_plural = _("镇月度汇总")

    def __str__(self):
        return f"{self.period.township_id} {self.period}"
