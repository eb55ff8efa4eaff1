"""Protected uploads: scans and attachments checked by content, stored outside static, served
only to who may see the record's village.

An upload is accepted when its first bytes say PDF, JPEG or PNG (the name and the browser's
declared type are not trusted) and it is no larger than settings.UPLOAD_MAX_BYTES. Files live
under MEDIA_ROOT, which nothing serves directly: every download goes through
`serve_protected`, which answers 404 to anyone without `kaohe.view_village` on the record.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from accounts.rules import village_of

# kind -> (leading bytes, content type, extension)
KINDS = {
    "pdf": (b"%PDF-", "application/pdf", ".pdf"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
}
ALLOWED_LABEL = "PDF、JPEG、PNG"

ERROR_TYPE = _("只能上传 PDF、JPEG 或 PNG 文件(按文件内容识别,不看扩展名)。")
ERROR_SIZE = _("文件过大:%(size)s,上限为 %(limit)s。")
ERROR_EMPTY = _("上传的文件是空的。")


def sniff(head: bytes) -> str | None:
    """The kind named by a file's first bytes, or None when it is none of the allowed kinds."""
    for kind, (magic, _type, _ext) in KINDS.items():
        if head.startswith(magic):
            return kind
    return None


def _read_head(file, n: int = 16) -> bytes:
    handle = getattr(file, "file", file)
    position = handle.tell() if hasattr(handle, "tell") else None
    handle.seek(0)
    head = handle.read(n)
    if position is not None:
        handle.seek(position)
    return head


def validate_upload(value) -> None:
    """Model-field validator: allowed kind by magic bytes, size within UPLOAD_MAX_BYTES.

    A file already stored (an edit that keeps it) was checked when it came in and is not re-read.
    """
    if not value or getattr(value, "_committed", False):
        return
    limit = settings.UPLOAD_MAX_BYTES
    size = value.size
    if size == 0:
        raise ValidationError(ERROR_EMPTY, code="upload_empty")
    if size > limit:
        raise ValidationError(
            ERROR_SIZE,
            code="upload_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    if sniff(_read_head(value)) is None:
        raise ValidationError(ERROR_TYPE, code="upload_type")


@deconstructible
class UploadTo:
    """`upload_to` for protected files: <prefix>/<village id>/<year>/<random name><ext>.

    The stored name is random so that it reveals nothing and cannot be guessed; the extension
    is kept only when it is one of the allowed kinds' (the content decides the type anyway).
    """

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        village = village_of(instance)
        ext = PurePosixPath(filename).suffix.lower()
        if ext == ".jpeg":
            ext = ".jpg"
        if ext not in {spec[2] for spec in KINDS.values()}:
            ext = ""
        folder = f"{self.prefix}/{village.pk if village else 0}/{timezone.localdate():%Y}"
        return f"{folder}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.prefix == self.prefix


def serve_protected(request, obj, field_name: str) -> FileResponse:
    """Stream obj.<field_name> to a user allowed to see obj's village; 404 for anyone else.

    404 rather than 403 so that a stranger learns nothing, not even that the file exists.
    """
    village = village_of(obj)
    user = request.user
    if (
        village is None
        or not user.is_authenticated
        or not user.has_perm("kaohe.view_village", village)
    ):
        raise Http404
    field = getattr(obj, field_name, None)
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    head = handle.read(16)
    handle.seek(0)
    kind = sniff(head)
    content_type, ext = (
        (KINDS[kind][1], KINDS[kind][2]) if kind else ("application/octet-stream", "")
    )
    label = obj._meta.get_field(field_name).verbose_name
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=kind is None,
        filename=f"{label}-{obj.pk}{ext}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
