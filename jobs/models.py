"""Background work people wait for (a recompute, a large export) and the notification centre.

A Job is what the user sees of a Celery task: its progress, its result file or its failure
reason; a failed job is never silent (admins see every failure on the jobs page).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules
from .choices import JobState
from .registry import RUNNERS


class Job(models.Model):
    kind = models.CharField(_("任务类型"), max_length=50)
    title = models.CharField(_("任务"), max_length=200)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("发起人"),
    )
    township = models.ForeignKey(
        "villages.Township", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("镇")
    )
    # A run of many jobs (a district's recompute: a job per township) is followed as a whole on
    # its parent job, whose progress is the share of its children finished (services.py).
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("所属任务"),
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=JobState.choices, default=JobState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/%Y/%m/", blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    # Stamped on creation, start and every progress report: a worker's sign of life.
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    # What the pages show is decided by jobs/rules.py; these only feed it the job's values.
    @property
    def current_state(self) -> str:
        return rules.current_state(self.state, self.heartbeat_at or self.created_at, timezone.now())

    def get_current_state_display(self) -> str:
        return JobState(self.current_state).label

    @property
    def poll_seconds(self) -> int | None:
        now = timezone.now()
        return rules.poll_seconds(self.current_state, self.started_at or self.created_at, now)

    @property
    def children_in_order(self):
        """The jobs of this run, in the order they were queued (the parent's page lists them)."""
        return self.children.order_by("pk")

    @property
    def may_rerun(self) -> bool:
        return rules.may_rerun(self.current_state, self.kind in RUNNERS)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # The same reminder is sent once: a key per (kind, subject, day) makes a rerun a no-op.
    dedupe_key = models.CharField(_("去重键"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once",
            ),
        ]

    def __str__(self):
        return self.title
