"""责任金、兑现、奖励和罚款 (实施方案 "二、考核奖惩"): the scheme's figures as data, the deposits
people pay, and the ledger where every amount is a line with its cause, its rule and its
approval trail.

Computing lines is services.py's work (through the pure rewards/scheme/); nothing here decides
money.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Versioned
from core.vocabulary import CHANNELS
from core.vocabulary import LEVELS
from villages.choices import ResponsibilityRole

from .choices import EntryKind
from .choices import EntryStatus
from .choices import RuleCode
from .scheme import types


def _money(verbose, default, help_text=""):
    return models.DecimalField(
        verbose,
        max_digits=12,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0)],
        help_text=help_text,
    )


def _decimal(value, where: str, errors: list) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        errors.append(_("%(where)s:“%(value)s”不是金额。") % {"where": where, "value": value})
        return None
    if not number.is_finite() or number < 0:
        errors.append(_("%(where)s:金额不能为负数。") % {"where": where})
        return None
    return number


def _role_amounts(value, where: str, errors: list) -> dict[str, Decimal]:
    if not isinstance(value, dict):
        errors.append(_("%(where)s:须为 {角色: 金额}。") % {"where": where})
        return {}
    found = {}
    for role, amount in value.items():
        if role not in ResponsibilityRole.values:
            errors.append(_("%(where)s:未知角色“%(role)s”。") % {"where": where, "role": role})
            continue
        number = _decimal(amount, where, errors)
        if number is not None:
            found[role] = number
    return found


def _codes(value, allowed, where: str, errors: list) -> frozenset[str]:
    if not isinstance(value, list) or any(v not in allowed for v in value):
        errors.append(
            _("%(where)s:须为以下代码的列表:%(allowed)s。")
            % {"where": where, "allowed": "、".join(allowed)}
        )
        return frozenset()
    return frozenset(value)


class RewardScheme(Versioned, models.Model):
    """奖惩方案: every figure of 实施方案 "二、考核奖惩" for one township and year.

    A scheme without a township is a shipped default (2026: the document's figures); a township
    uses its own scheme for the year, else the default of that year. Amounts are yuan; JSON
    fields map roles (villages.choices.ResponsibilityRole values) to amounts.
    """

    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reward_schemes",
        verbose_name=_("镇"),
        help_text=_("留空为系统默认方案。"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    deposits = models.JSONField(
        _("责任金(按角色)"),
        default=dict,
        help_text=_("{角色: 金额};未列出的角色(如村主任)不缴纳责任金。"),
    )
    double_return_from = models.DecimalField(
        _("双倍返还分数线"), max_digits=5, decimal_places=2, default=Decimal(85)
    )
    return_from = models.DecimalField(
        _("返还本金分数线"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(80),
        help_text=_("低于此分数扣除责任金并约谈。"),
    )
    beijing_fine_responsible = _money(_("进京上访:相关责任人罚款"), 2000)
    beijing_fine_roles = models.JSONField(
        _("进京上访:各角色罚款"), default=dict, help_text=_("{角色: 金额},如片长、点长、书记。")
    )
    beijing_fine_multiplier = models.DecimalField(
        _("非正常/重复上访罚款倍数"), max_digits=4, decimal_places=2, default=Decimal(2)
    )
    province_fine_responsible = _money(_("到省上访:相关责任人罚款"), 500)
    backlog_relapse_fine = _money(_("积案化解后反弹:每名化解人罚款"), 3000)
    backlog_resolved_award = _money(_("化解积案:每名化解人奖励"), 2000)
    dossier_award = _money(_("化解卷宗审理合格:每卷奖励"), 200)
    staff_commended_award = _money(_("信访工作获区级以上表彰:一次性奖励"), 2000)
    zero_quarter_award = _money(_("季度零上访:村(居)奖励"), 20000)
    zero_quarter_shares = models.JSONField(
        _("季度零上访:个人奖励(按角色)"), default=dict, blank=True
    )
    zero_year_award = _money(_("全年零上访:村(居)奖励"), 10000)
    zero_year_shares = models.JSONField(_("全年零上访:个人奖励(按角色)"), default=dict, blank=True)
    zero_year_consecutive_multiplier = models.DecimalField(
        _("连续两年零上访倍数"), max_digits=4, decimal_places=2, default=Decimal(2)
    )
    sensitive_period_shares = models.JSONField(
        _("敏感时期零上访:个人奖励(按角色)"),
        default=dict,
        blank=True,
        help_text=_("村(居)奖励金额在各敏感时期中设定。"),
    )
    top_min_score = models.DecimalField(
        _("年终前三名最低分"), max_digits=5, decimal_places=2, default=Decimal(98)
    )
    top_awards = models.JSONField(
        _("年终前三名奖励"),
        default=list,
        help_text=_('按名次:[{"village": 金额, "shares": {角色: 金额}}, ...]。'),
    )
    individual_share_percent = models.DecimalField(
        _("个人奖励上限(%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("所有奖励资金用于个人奖励的最高比例。"),
    )
    zero_levels = models.JSONField(
        _("零上访:不得出现的上访层级"), default=list, help_text=_("层级代码列表。")
    )
    complaint_channels = models.JSONField(
        _("零上访:不得出现的投诉渠道"), default=list, help_text=_("如信箱、热线。")
    )
    complaint_levels = models.JSONField(
        _("零上访:投诉渠道计入的层级"), default=list, help_text=_("如省、市、区。")
    )
    opinion_channels = models.JSONField(
        _("零上访:不得出现的舆情渠道"), default=list, help_text=_("任何层级均计入。")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("奖惩方案")
        verbose_name_plural = _("奖惩方案")
        ordering = ["-year", "township"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year"],
                name="rewardscheme_unique_township_year",
                violation_error_message=_("该镇该年度已有奖惩方案。"),
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(township__isnull=True),
                name="rewardscheme_unique_default_year",
                violation_error_message=_("该年度已有默认奖惩方案。"),
            ),
        ]

    def __str__(self):
        owner = self.township.name if self.township_id else _("默认")
        return f"{self.year} {owner} · {self.name}"

    def figures(self) -> types.Scheme:
        """The pure scheme the rules read; raises ValidationError on malformed figures."""
        errors: list = []
        scheme = self._figures(errors)
        if errors:
            raise ValidationError(errors)
        return scheme

    def _figures(self, errors: list) -> types.Scheme | None:
        top = []
        if not isinstance(self.top_awards, list):
            errors.append(_("年终前三名奖励须为列表。"))
        else:
            for n, entry in enumerate(self.top_awards, start=1):
                where = _("第%(n)d名") % {"n": n}
                if not isinstance(entry, dict) or "village" not in entry:
                    errors.append(_("%(where)s:须含 village 金额。") % {"where": where})
                    continue
                village = _decimal(entry["village"], where, errors)
                shares = _role_amounts(entry.get("shares", {}), where, errors)
                top.append(types.Award(village or Decimal(0), shares))
        deposits = _role_amounts(self.deposits, _("责任金"), errors)
        beijing_roles = _role_amounts(self.beijing_fine_roles, _("进京上访罚款"), errors)
        quarter_shares = _role_amounts(self.zero_quarter_shares, _("季度零上访"), errors)
        year_shares = _role_amounts(self.zero_year_shares, _("全年零上访"), errors)
        sensitive = _role_amounts(self.sensitive_period_shares, _("敏感时期"), errors)
        zero_levels = _codes(self.zero_levels, LEVELS, _("零上访层级"), errors)
        complaint_channels = _codes(self.complaint_channels, CHANNELS, _("投诉渠道"), errors)
        complaint_levels = _codes(self.complaint_levels, LEVELS, _("投诉层级"), errors)
        opinion_channels = _codes(self.opinion_channels, CHANNELS, _("舆情渠道"), errors)
        low, high = self.return_from, self.double_return_from
        if low is not None and high is not None and low > high:
            errors.append(_("返还本金分数线不能高于双倍返还分数线。"))
        if errors:
            return None
        return types.Scheme(
            deposits=deposits,
            double_return_from=Decimal(self.double_return_from),
            return_from=Decimal(self.return_from),
            beijing_fine_responsible=Decimal(self.beijing_fine_responsible),
            beijing_fine_roles=beijing_roles,
            beijing_fine_multiplier=Decimal(self.beijing_fine_multiplier),
            province_fine_responsible=Decimal(self.province_fine_responsible),
            backlog_relapse_fine=Decimal(self.backlog_relapse_fine),
            backlog_resolved_award=Decimal(self.backlog_resolved_award),
            dossier_award=Decimal(self.dossier_award),
            staff_commended_award=Decimal(self.staff_commended_award),
            zero_quarter=types.Award(Decimal(self.zero_quarter_award), quarter_shares),
            zero_year=types.Award(Decimal(self.zero_year_award), year_shares),
            zero_year_consecutive_multiplier=Decimal(self.zero_year_consecutive_multiplier),
            sensitive_period_shares=sensitive,
            top_min_score=Decimal(self.top_min_score),
            top_awards=tuple(top),
            individual_share_cap=Decimal(self.individual_share_percent) / 100,
            zero_levels=zero_levels,
            complaint_channels=complaint_channels,
            complaint_levels=complaint_levels,
            opinion_channels=opinion_channels,
        )

    def clean(self):
        errors: list = []
        self._figures(errors)
        if errors:
            raise ValidationError(errors)


class Deposit(Versioned, models.Model):
    """责任金 (奖惩 1): what a person pays for the year, by the role they answer for.

    One per person and year: a person holding several roles pays the largest of their roles'
    deposits once (decision: the document says 每人缴纳). Its ledger line is the payment; the
    year-end settlement returns it, doubles it or forfeits it.
    """

    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.PROTECT,
        related_name="deposits",
        verbose_name=_("镇"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    person = models.ForeignKey(
        "villages.Person", on_delete=models.PROTECT, related_name="deposits", verbose_name=_("人员")
    )
    role = models.CharField(_("角色"), max_length=30, choices=ResponsibilityRole.choices)
    responsibility = models.ForeignKey(
        "villages.Responsibility",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deposits",
        verbose_name=_("责任分工"),
    )
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deposits",
        verbose_name=_("村(居)"),
        help_text=_("片长按片缴纳,不指定村(居)。"),
    )
    area = models.ForeignKey(
        "villages.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deposits",
        verbose_name=_("片"),
    )
    amount = models.DecimalField(
        _("金额(元)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("责任金")
        verbose_name_plural = _("责任金")
        ordering = ["-year", "role", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                name="deposit_one_per_person_year",
                violation_error_message=_("该人员本年度已缴纳责任金。"),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.person} {self.get_role_display()} {self.amount}"

    def clean(self):
        errors = {}
        township_id = self.township_id
        if self.person_id and township_id and self.person.township_id != township_id:
            errors["person"] = _("该人员不属于本镇。")
        if self.village_id and township_id and self.village.township_id != township_id:
            errors["village"] = _("该村(居)不属于本镇。")
        if self.area_id and township_id and self.area.township_id != township_id:
            errors["area"] = _("该片不属于本镇。")
        if errors:
            raise ValidationError(errors)


class LedgerEntry(Versioned, models.Model):
    """One amount of the 奖惩兑现 ledger: + paid to the village or person, − owed by them.

    Lines are computed by services.settle_quarter / settle_year / create_deposits from the
    pure rules, then approved and paid by an admin (each step attributed, with a reason, in
    the history). An approved or paid line never changes: a recompute that disagrees adds a
    computed line for the difference that `adjusts` it (差额待审批).
    """

    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("镇"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(
        _("季度"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("留空为年终兑现。"),
    )
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("村(居)"),
        help_text=_("负责多个村(居)的人员的年终兑现不指定村(居)。"),
    )
    person = models.ForeignKey(
        "villages.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("人员"),
    )
    kind = models.CharField(_("类别"), max_length=30, choices=EntryKind.choices)
    rule = models.CharField(_("依据条款"), max_length=40, choices=RuleCode.choices)
    key = models.CharField(
        _("计算键"), max_length=200, db_index=True, help_text=_("同一事项重算时的标识。")
    )
    amount = models.DecimalField(_("金额(元)"), max_digits=12, decimal_places=2)
    cause = models.CharField(_("事由"), max_length=500)
    refs = models.JSONField(_("依据记录"), default=list, blank=True)
    provisional_reason = models.CharField(
        _("暂定原因"), max_length=500, blank=True, help_text=_("暂定的行不能审批。")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.COMPUTED
    )
    adjusts = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments",
        verbose_name=_("调整的已审批行"),
        help_text=_("重算结果与已审批金额不同时,差额单独成行待审批。"),
    )
    scheme = models.ForeignKey(
        RewardScheme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("奖惩方案"),
    )
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("计算人"),
    )
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approval_reason = models.CharField(_("审批说明"), max_length=300, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("兑现经办人"),
    )
    paid_at = models.DateTimeField(_("兑现时间"), null=True, blank=True)
    payment_reason = models.CharField(_("兑现说明"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("奖惩台账")
        verbose_name_plural = _("奖惩台账")
        ordering = ["year", "quarter", "village", "person", "pk"]
        indexes = [
            models.Index(fields=["township", "year", "quarter"]),
            models.Index(fields=["person", "year"]),
            models.Index(fields=["village", "year"]),
        ]

    def __str__(self):
        who = self.person or self.village or self.township
        return f"{self.year} {who} {self.get_kind_display()} {self.amount}"

    @property
    def is_adjustment(self) -> bool:
        return self.adjusts_id is not None

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_reason)

    @property
    def period_label(self) -> str:
        return f"{self.year}年第{self.quarter}季度" if self.quarter else f"{self.year}年终"

    def as_line(self) -> types.Line:
        return types.Line(
            key=self.key,
            rule=self.rule,
            kind=self.kind,
            amount=self.amount,
            cause=self.cause,
            village_id=self.village_id,
            person_id=self.person_id,
            refs=tuple(tuple(r) for r in self.refs),
            provisional_reason=self.provisional_reason,
        )


class PriorYearStatus(Versioned, models.Model):
    """What an admin states about a village's year that kaohe did not keep (docs/rubric.md "Money"):
    a township that starts mid-year, or whose earlier years were kept on paper, states whether
    the year before was a zero-petition year, with who, when and why. The zero-petition award
    reads it only for a year without sheets (rewards.services.year_lines); a year kept in kaohe
    counts from its records and cannot be stated (rewards.services.state_prior_year)."""

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="prior_year_statuses",
        verbose_name=_("村(居)"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    zero_petition = models.BooleanField(
        _("全年零上访"),
        help_text=_("该年度无赴京、省、市、区上访等破坏零上访的情形。"),
    )
    reason = models.CharField(
        _("依据"), max_length=500, help_text=_("如:上一年度考核结果文件名称、文号。")
    )
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("声明人"),
    )
    stated_at = models.DateTimeField(_("声明时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("往年零上访情况")
        verbose_name_plural = _("往年零上访情况")
        ordering = ["-year", "village"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"],
                name="prior_year_one_per_village_year",
                violation_error_message=_("该村(居)该年度已有声明,请修改原声明。"),
            ),
        ]

    def __str__(self):
        state = _("零上访") if self.zero_petition else _("非零上访")
        return f"{self.year} {self.village} {state}"
