"""The vocabulary of the money ledger (values in English, labels Chinese).

Values are the same strings rules.py (pure) uses for kinds and rule codes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    """What a ledger line is; the sign of its amount says who pays (+ to them, − by them)."""

    DEPOSIT = "deposit", _("缴纳责任金")
    SETTLEMENT_RETURN = "settlement_return", _("返还责任金")
    DOUBLE_RETURN = "double_return", _("双倍返还责任金")
    FORFEIT = "forfeit", _("扣除责任金")
    FINE = "fine", _("罚款")
    AWARD = "award", _("奖励")


class EntryStatus(models.TextChoices):
    COMPUTED = "computed", _("已计算(待审批)")
    APPROVED = "approved", _("已审批")
    PAID = "paid", _("已兑现")


class RuleCode(models.TextChoices):
    """The clause of the plan (实施方案 奖惩) each line comes from."""

    DEPOSIT = "deposit", _("缴纳责任金")
    SETTLEMENT = "settlement", _("年终责任金兑现")
    BEIJING_FORFEIT = "beijing_forfeit", _("新问题进京上访扣除责任金")
    BEIJING_REPAY = "beijing_repay", _("扣除后补交责任金")
    FINE_BEIJING = "fine_beijing", _("进京上访罚款")
    FINE_PROVINCE = "fine_province", _("到省上访罚款")
    FINE_BACKLOG_RELAPSE = "fine_backlog_relapse", _("积案化解后反弹罚款")
    AWARD_DOSSIER = "award_dossier", _("化解卷宗奖励")
    AWARD_BACKLOG_RESOLVED = "award_backlog_resolved", _("化解信访积案奖励")
    AWARD_STAFF_COMMENDED = "award_staff_commended", _("信访工作获区级以上表彰奖励")
    AWARD_ZERO_QUARTER = "award_zero_quarter", _("季度零上访奖励")
    AWARD_SENSITIVE_PERIOD = "award_sensitive_period", _("重大节日/敏感时期零上访奖励")
    AWARD_ZERO_YEAR = "award_zero_year", _("全年零上访奖励")
    AWARD_TOP_THREE = "award_top_three", _("年终综合考核前三名奖励")


# Which service owns (computes and reconciles) which rules.
DEPOSIT_RULES = frozenset({RuleCode.DEPOSIT})
QUARTER_RULES = frozenset(
    {
        RuleCode.BEIJING_FORFEIT,
        RuleCode.BEIJING_REPAY,
        RuleCode.FINE_BEIJING,
        RuleCode.FINE_PROVINCE,
        RuleCode.FINE_BACKLOG_RELAPSE,
        RuleCode.AWARD_DOSSIER,
        RuleCode.AWARD_BACKLOG_RESOLVED,
        RuleCode.AWARD_STAFF_COMMENDED,
        RuleCode.AWARD_ZERO_QUARTER,
        RuleCode.AWARD_SENSITIVE_PERIOD,
    }
)
YEAR_RULES = frozenset({RuleCode.SETTLEMENT, RuleCode.AWARD_ZERO_YEAR, RuleCode.AWARD_TOP_THREE})
