"""The states of a job, apart from the model: jobs/rules.py reasons over them and the model
stores them, so neither has to import the other."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    # No worker is running it any more (jobs/rules.py is_stalled); it may be run again.
    STALLED = "stalled", _("已停滞")
