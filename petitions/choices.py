"""The vocabulary of petitions and disputes (values in English, labels Chinese).

Levels, channels and natures are core/vocabulary.py's codes and labels (shared with the scoring
core and the rewards); the choices only wrap the labels for translation.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import vocabulary as v


class Level(models.TextChoices):
    """Where the petition reached (评分表 二: 京、省、市、区、镇)."""

    BEIJING = v.LEVEL_BEIJING, _(v.LEVEL_LABELS[v.LEVEL_BEIJING])
    PROVINCE = v.LEVEL_PROVINCE, _(v.LEVEL_LABELS[v.LEVEL_PROVINCE])
    CITY = v.LEVEL_CITY, _(v.LEVEL_LABELS[v.LEVEL_CITY])
    DISTRICT = v.LEVEL_DISTRICT, _(v.LEVEL_LABELS[v.LEVEL_DISTRICT])
    TOWNSHIP = v.LEVEL_TOWNSHIP, _(v.LEVEL_LABELS[v.LEVEL_TOWNSHIP])


class Channel(models.TextChoices):
    VISIT = v.CHANNEL_VISIT, _(v.CHANNEL_LABELS[v.CHANNEL_VISIT])
    ONLINE = v.CHANNEL_ONLINE, _(v.CHANNEL_LABELS[v.CHANNEL_ONLINE])
    LETTER = v.CHANNEL_LETTER, _(v.CHANNEL_LABELS[v.CHANNEL_LETTER])
    MAILBOX = v.CHANNEL_MAILBOX, _(v.CHANNEL_LABELS[v.CHANNEL_MAILBOX])
    HOTLINE = v.CHANNEL_HOTLINE, _(v.CHANNEL_LABELS[v.CHANNEL_HOTLINE])
    OPINION = v.CHANNEL_OPINION, _(v.CHANNEL_LABELS[v.CHANNEL_OPINION])


class Nature(models.TextChoices):
    NORMAL = v.NATURE_NORMAL, _(v.NATURE_LABELS[v.NATURE_NORMAL])
    ABNORMAL = v.NATURE_ABNORMAL, _(v.NATURE_LABELS[v.NATURE_ABNORMAL])
    REPEAT = v.NATURE_REPEAT, _(v.NATURE_LABELS[v.NATURE_REPEAT])


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
