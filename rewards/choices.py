"""The vocabulary of the money ledger (values in English, labels Chinese).

The values are rewards/scheme/types.py's codes (the pure rules write them); the choices only
add the labels.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .scheme import types as t


class EntryKind(models.TextChoices):
    """What a ledger line is; the sign of its amount says who pays (+ to them, − by them)."""

    DEPOSIT = t.DEPOSIT, _("缴纳责任金")
    SETTLEMENT_RETURN = t.SETTLEMENT_RETURN, _("返还责任金")
    DOUBLE_RETURN = t.DOUBLE_RETURN, _("双倍返还责任金")
    FORFEIT = t.FORFEIT, _("扣除责任金")
    FINE = t.FINE, _("罚款")
    AWARD = t.AWARD, _("奖励")


class EntryStatus(models.TextChoices):
    COMPUTED = t.COMPUTED, _("已计算(待审批)")
    APPROVED = t.APPROVED, _("已审批")
    PAID = t.PAID, _("已兑现")


class RuleCode(models.TextChoices):
    """The clause of the plan (实施方案 奖惩) each line comes from."""

    DEPOSIT = t.RULE_DEPOSIT, _("缴纳责任金")
    SETTLEMENT = t.RULE_SETTLEMENT, _("年终责任金兑现")
    BEIJING_FORFEIT = t.RULE_BEIJING_FORFEIT, _("新问题进京上访扣除责任金")
    BEIJING_REPAY = t.RULE_BEIJING_REPAY, _("扣除后补交责任金")
    FINE_BEIJING = t.RULE_FINE_BEIJING, _("进京上访罚款")
    FINE_PROVINCE = t.RULE_FINE_PROVINCE, _("到省上访罚款")
    FINE_BACKLOG_RELAPSE = t.RULE_FINE_BACKLOG_RELAPSE, _("积案化解后反弹罚款")
    AWARD_DOSSIER = t.RULE_AWARD_DOSSIER, _("化解卷宗奖励")
    AWARD_BACKLOG_RESOLVED = t.RULE_AWARD_BACKLOG_RESOLVED, _("化解信访积案奖励")
    AWARD_STAFF_COMMENDED = t.RULE_AWARD_STAFF_COMMENDED, _("信访工作获区级以上表彰奖励")
    AWARD_ZERO_QUARTER = t.RULE_AWARD_ZERO_QUARTER, _("季度零上访奖励")
    AWARD_SENSITIVE_PERIOD = t.RULE_AWARD_SENSITIVE_PERIOD, _("重大节日/敏感时期零上访奖励")
    AWARD_ZERO_YEAR = t.RULE_AWARD_ZERO_YEAR, _("全年零上访奖励")
    AWARD_TOP_THREE = t.RULE_AWARD_TOP_THREE, _("年终综合考核前三名奖励")


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
