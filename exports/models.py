"""An uploaded import file: who brought it, what its dry run found, whether it was imported.

The file is kept (outside the static root, never served) so that the confirmed import reads
exactly the bytes the dry run showed, and so that an import can be traced back to its file.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def batch_path(instance, filename: str) -> str:
    """A random stored name: the uploaded name is kept in `filename`, never in the path."""
    return f"imports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class BatchState(models.TextChoices):
    PREVIEWED = "previewed", _("已预览")
    IMPORTED = "imported", _("已导入")


class ImportBatch(models.Model):
    kind = models.CharField(_("导入类型"), max_length=30)
    # A township's import names its township; the district's 阳光信访 list (exports.
    # district_import), fanned out to the townships row by row, names its district instead.
    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("镇"),
    )
    district = models.ForeignKey(
        "villages.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("区(县)"),
    )
    filename = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(_("文件"), upload_to=batch_path)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    state = models.CharField(
        _("状态"), max_length=20, choices=BatchState.choices, default=BatchState.PREVIEWED
    )
    counts = models.JSONField(_("结果统计"), default=dict, blank=True)
    # The last run's report: {"rows": [[excel row, status, summary, [[column, message]],
    # [changed columns]]], "file_errors": [...], "ignored": [...]}
    report = models.JSONField(_("逐行结果"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("上传人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(township__isnull=False, district__isnull=True)
                | models.Q(township__isnull=True, district__isnull=False),
                name="importbatch_township_or_district",
            ),
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"
