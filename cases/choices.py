"""The vocabulary of assigned and backlog cases (values in English, labels Chinese)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    """Where an assigned case stands; it moves forward only through cases.services."""

    ASSIGNED = "assigned", _("已交办")
    HANDLING = "handling", _("办理中")
    RESULT_REPORTED = "result_reported", _("结果待审核")
    ACCEPTED = "accepted", _("审核通过")
    CONCLUDED = "concluded", _("已办结")


class ReviewDecision(models.TextChoices):
    ACCEPTED = "accepted", _("审核通过")
    REJECTED_IMPROPER = "rejected_improper", _("办理不当,退回重办")


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


class AlertTier(models.TextChoices):
    """Computed from the due date and the work calendar, never typed (cases.tiers)."""

    ON_TRACK = "on_track", _("正常")
    DUE_SOON = "due_soon", _("预警")
    OVERDUE = "overdue", _("超时")
    SERIOUSLY_OVERDUE = "seriously_overdue", _("严重超时")
    CONCLUDED = "concluded", _("已办结")


# 实施方案 三: 领导批办件 20个工作日内办结.
DUE_WORKING_DAYS = 20
# The alert thresholds: due within five working days; ten working days past due.
DUE_SOON_WORKING_DAYS = 5
SERIOUSLY_OVERDUE_WORKING_DAYS = 10
