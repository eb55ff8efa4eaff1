"""What every record shares: a version number (optimistic concurrency), and the one-time tokens
that keep a resubmitted create (a form sent twice, an API retry) from saving a second record.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db import transaction
from django.utils.translation import gettext_lazy as _


def stored_version(instance, *, lock: bool = True) -> int | None:
    """The version of the stored row (None when there is none), locked until the transaction
    ends so that no other save can slip in between reading it and writing the next one."""
    if instance.pk is None:
        return None
    rows = type(instance)._base_manager.using(instance._state.db or "default")
    # No ordering: a model's Meta.ordering over nullable foreign keys becomes outer joins, and
    # PostgreSQL refuses FOR UPDATE on the nullable side of one.
    rows = rows.filter(pk=instance.pk).order_by()
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.values_list("version", flat=True).first()


def acting_user(verbose_name, **options) -> models.ForeignKey:
    """The user who took a step on a record (reviewed, requested, decided it): optional, kept
    while the record is (a user with such steps cannot be deleted), and with no reverse accessor
    on the user, who takes steps on every kind of record."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )


class Versioned(models.Model):
    """A record's version: 1 when created, one more on every save, whichever path saves it (the
    forms, the API, services, the admin, imports). simple-history copies it into each history
    row, so the changes between two versions can be told (core.records.RecordConflict).

    `QuerySet.update()` and `bulk_update` do not pass through `save()` and leave it as it is.
    """

    version = models.PositiveIntegerField(
        _("版本"),
        default=1,
        editable=False,
        help_text=_("每次保存加一;修改时用于发现他人在此期间的修改。"),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using") or self._state.db or "default"):
            current = stored_version(self)
            if current is not None:
                self.version = current + 1
            elif self.pk is None:
                self.version = 1
            else:
                # A row brought back under its old key (restoring a deleted record): its history
                # goes on from the version it had.
                self.version = (self.version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "version" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "version"]
            super().save(*args, **kwargs)


class SubmissionToken(models.Model):
    """A create that was carried out once: the hidden token of a create form, or an API
    `Idempotency-Key`, with the record it created (and, for the API, the response it gave).

    Written in the same transaction as the record, so a failed save leaves the token unused; the
    unique key makes a second, simultaneous submission wait for the first and then find it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("用户")
    )
    key = models.CharField(_("令牌"), max_length=100)
    created = models.DateTimeField(_("时间"), auto_now_add=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("记录类型")
    )
    object_id = models.PositiveBigIntegerField(_("记录编号"), null=True, blank=True)
    request_digest = models.CharField(_("请求摘要"), max_length=64, blank=True)
    response_status = models.PositiveSmallIntegerField(_("响应状态"), null=True, blank=True)
    response_body = models.JSONField(_("响应内容"), null=True, blank=True)

    class Meta:
        verbose_name = _("提交令牌")
        verbose_name_plural = _("提交令牌")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_token_once"),
        ]

    def __str__(self):
        return self.key

    @property
    def record(self):
        if self.content_type_id is None or self.object_id is None:
            return None
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first()
