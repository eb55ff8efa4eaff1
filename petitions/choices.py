"""The vocabulary of petitions and disputes (values in English, labels Chinese).

Level and nature values are the same strings as assessment/scoring/types.py (LEVEL_*, NATURE_*),
which the scoring rules read.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Where the petition reached (评分表 二: 京、省、市、区、镇)."""

    BEIJING = "beijing", _("京")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区")
    TOWNSHIP = "township", _("镇")


class Channel(models.TextChoices):
    VISIT = "visit", _("走访")
    ONLINE = "online", _("网上/阳光信访")
    LETTER = "letter", _("来信")
    MAILBOX = "mailbox", _("省市区长信箱")
    HOTLINE = "hotline", _("12345热线")
    OPINION = "opinion", _("网上舆情")


class Nature(models.TextChoices):
    NORMAL = "normal", _("正常")
    ABNORMAL = "abnormal", _("非正常")
    REPEAT = "repeat", _("重复")


class Source(models.TextChoices):
    """Where the record came from; with `source_ref` it makes a re-import idempotent."""

    SUNSHINE = "sunshine", _("阳光信访")
    DISTRICT_TRANSFER = "district_transfer", _("区转办")
    TOWNSHIP_RECEPTION = "township_reception", _("镇接访登记")


class DisputeCategory(models.TextChoices):
    FAMILY = "family", _("婚姻家庭")
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    LAND = "land", _("土地山林")
    DEMOLITION = "demolition", _("征地拆迁")
    LABOUR = "labour", _("劳资纠纷")
    DEBT = "debt", _("合同债务")
    PROPERTY = "property", _("物业纠纷")
    TRAFFIC = "traffic", _("交通事故")
    MEDICAL = "medical", _("医疗纠纷")
    OTHER = "other", _("其他")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("未化解")
    RESOLVED = "resolved", _("已化解")


class ReportHalf(models.IntegerChoices):
    """Twice-monthly screening: each half has its report, due on the day the rubric sets."""

    # The due days are the year's rubric's (core.periods.ReportDays), not part of the name.
    FIRST = 1, _("上半月")
    SECOND = 2, _("下半月")


class ReviewResult(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("审核通过")
    REJECTED = "rejected", _("退回")


class ReviewOffice(models.TextChoices):
    """Who reviews a dossier: the governance centre and the judicial office (五 加减分)."""

    CENTRE = "centre", _("综治中心")
    JUDICIAL = "judicial", _("司法所")


class CandidateState(models.TextChoices):
    PENDING = "pending", _("待核实")
    CONFIRMED = "confirmed", _("确认未上报")
    DISMISSED = "dismissed", _("排除")
