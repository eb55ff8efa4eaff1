"""The security audit log (等保 2.0 安全审计): who did what, when, from which address.

Rows are append-only: no screen, API or ORM path changes or deletes one (AuditEvent.save,
AuditEventQuerySet, the read-only admin), and on PostgreSQL a trigger (migration 0002) refuses
any UPDATE, and any DELETE of a row younger than RETENTION_DAYS. Rows older than that may be
pruned with `manage.py prune_audit` (services.prune). Who did it is kept as the user's id and
the username at the time, without a database constraint, so deleting a user or a township
never touches (and is never blocked by) the log.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# 等保 2.0: audit records are kept at least six months.
RETENTION_DAYS = 180


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    EXPORT = "export", _("导出或下载数据")
    SPECIAL_READ = "special_read", _("查阅重点人员")
    PERIOD_PUBLISH = "period_publish", _("公示月份")
    PERIOD_CLOSE = "period_close", _("关闭月份")
    PERIOD_REOPEN = "period_reopen", _("重新开启月份")
    PERMISSION_CHANGE = "permission_change", _("权限或角色变更")
    USER_CREATED = "user_created", _("新建用户")
    USER_DEACTIVATED = "user_deactivated", _("停用用户")


class AuditLogImmutable(Exception):
    """Raised by any attempt to change or delete an audit row through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("audit events cannot be changed")

    def delete(self):
        raise AuditLogImmutable("audit events are deleted only by prune_audit")

    def _prune(self):
        """The one delete: services.prune, of rows past the retention period."""
        return super().delete()


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("用户"),
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属镇"),
    )
    address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_ids = models.JSONField(_("对象编号"), default=list, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["action", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '—'} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("audit events are deleted only by prune_audit")
