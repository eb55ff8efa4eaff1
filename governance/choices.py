"""The vocabulary of the 综治中心 work, in one place (values in English, labels Chinese).

The values are the ones the scoring core uses (assessment/scoring/types.py): change them together.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupKind(models.TextChoices):
    """评分表 四.5: the leadership groups (领导小组) a village must have."""

    MEDIATION = "mediation", _("治保调解")
    PATROL = "patrol", _("治安巡逻")
    WINTER = "winter", _("冬防")
    SAFETY = "safety", _("平安创建")
    LAW = "law", _("普法")
    DRUGS = "drugs", _("禁毒")
    MIGRANTS = "migrants", _("流动人口")
    CULT = "cult", _("反邪教")
    MLM = "mlm", _("打击传销")
    RAILWAY = "railway", _("铁路护路")


# The railway group is required (and allowed) only for villages along a railway.
RAILWAY_ONLY_GROUPS = frozenset({GroupKind.RAILWAY})


class WorkFile(models.TextChoices):
    """评分表 四.3: the work files (工作资料) that must each have a plan and a summary."""

    ZONGZHI = "zongzhi", _("综治")
    FANGXIE = "fangxie", _("防邪")
    XINFANG = "xinfang", _("信访")
    PUFA = "pufa", _("普法")
    JINDU = "jindu", _("禁毒")
    JINDU_MONTH = "jindu_month", _("禁毒宣传月")
    CHUANXIAO = "chuanxiao", _("打击传销")


class SpecialCategory(models.TextChoices):
    """评分表 四.2: the categories of special persons (重点人员) a village must manage."""

    MENTAL = "mental", _("精神障碍患者")
    DRUG = "drug", _("吸毒人员")
    CULT = "cult", _("邪教人员")
    PETITIONER = "petitioner", _("信访人员")


class Level(models.TextChoices):
    """The level of a superior inspection that commends a village (评分表 五.5)."""

    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")


class AttendanceStatus(models.TextChoices):
    """评分表 五.6: 镇综治会议迟到、缺席的每次扣1分."""

    PRESENT = "present", _("出席")
    LATE = "late", _("迟到")
    ABSENT = "absent", _("缺席")


MISSED_ATTENDANCE = frozenset({AttendanceStatus.LATE, AttendanceStatus.ABSENT})


class SurveyAnswerChoice(models.TextChoices):
    """评分表 四.6: what a sampled landline household answered."""

    SATISFIED = "satisfied", _("满意")
    DISSATISFIED_ORGANS = "dissatisfied_organs", _("对政法机关不满意")
    DISSATISFIED_OTHER = "dissatisfied_other", _("其他不满意")
    NO_ANSWER = "no_answer", _("未作答")


class Quarter(models.IntegerChoices):
    Q1 = 1, _("第一季度")
    Q2 = 2, _("第二季度")
    Q3 = 3, _("第三季度")
    Q4 = 4, _("第四季度")


class AdjustmentKind(models.TextChoices):
    """评分表 五 加减分 and the money rule for petition staff; the points live in the rubric."""

    CHECKPOINT = "checkpoint", _("治安卡点设施齐全")
    CCTV = "cctv", _("视频监控及亮化工程")
    COMMENDATION = "commendation", _("上级检查表彰")
    SANCTION = "sanction", _("上级检查督查暗访被通报")
    STAFF_COMMENDED = "staff_commended", _("信访干部获区级以上表彰")
