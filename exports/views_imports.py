"""Import pages: upload -> dry run (each row new / updated / skipped / error) -> confirm, all
rows or none; a blank template and the township's records per kind. The district's 阳光信访
list has the same pages at district-import/ (exports.district_import): its dry run also says
how many rows go to each township, and its confirm imports every township's rows or none.

Post/redirect/get: the upload and the confirmation both land on the batch's page, which shows the
stored report of the last run, so a reload never imports twice (a batch is imported once).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import township_of
from villages.models import District

from .district_import import PERM as DISTRICT_PERM
from .district_import import DistrictPetitionResource
from .district_import import districts_for_import
from .district_import import run_district_import
from .district_import import township_counts
from .forms import UploadForm
from .importing import STATUS_LABELS
from .importing import Outcome
from .importing import run_import
from .importing import sha256
from .models import BatchState
from .models import ImportBatch
from .record_files import records_workbook
from .record_files import template_workbook
from .resources import RESOURCES
from .styles import workbook_bytes
from .views import xlsx_response

SHOWN_ROWS = 300  # rows listed besides the errors; the counts cover them all


def _resource_for(request, kind: str, perm: str | None = None):
    resource_cls = RESOURCES.get(kind)
    if resource_cls is None:
        raise Http404
    township = township_of(request.user)
    if not request.user.has_perm(perm or resource_cls.perm, township):
        raise PermissionDenied
    return resource_cls, township


def _store(batch: ImportBatch, outcome: Outcome) -> None:
    batch.rows = len(outcome.rows)
    batch.counts = outcome.counts
    batch.report = {
        "rows": [
            [r.excel_row, r.status, r.summary, r.errors, r.changed, r.township]
            for r in outcome.rows
        ],
        "file_errors": outcome.file_errors,
        "ignored": outcome.ignored,
    }


def _columns(resource_cls) -> list[tuple[str, bool, str]]:
    return [
        (c, c in resource_cls.required_columns(), resource_cls.notes.get(c, ""))
        for c in resource_cls.columns()
    ]


def _new_batch(request, form, kind: str, **unit) -> tuple[ImportBatch, bytes]:
    """The uploaded file as a batch of `unit` (township= or district=), not yet saved."""
    upload, data = form.cleaned_data["file"], form.cleaned_data["data"]
    batch = ImportBatch(
        kind=kind,
        filename=upload.name.rsplit("/", 1)[-1][:200],
        size=len(data),
        sha256=sha256(data),
        uploaded_by=request.user,
        **unit,
    )
    batch.file.save("upload.xlsx", ContentFile(data), save=False)
    return batch, data


def _read(batch: ImportBatch) -> bytes:
    with batch.file.open("rb") as handle:
        return handle.read()


@login_required
def import_page(request, kind: str):
    resource_cls, township = _resource_for(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch, data = _new_batch(request, form, kind, township=township)
        outcome = run_import(
            kind, data, township=township, user=request.user, filename=batch.filename, dry_run=True
        )
        _store(batch, outcome)
        batch.save()
        return redirect("exports:import_batch", pk=batch.pk)
    recent = ImportBatch.objects.filter(township=township, kind=kind).select_related("uploaded_by")[
        :10
    ]
    return render(
        request,
        "exports/import.html",
        {
            "kind": kind,
            "title": resource_cls.title,
            "form": form,
            "recent": recent,
            "batch_url": "exports:import_batch",
            "template_url": reverse("exports:template", args=[kind]),
            "columns": _columns(resource_cls),
        },
    )


def _batch_for(request, pk: int) -> ImportBatch:
    batch = (
        ImportBatch.objects.filter(pk=pk, township__isnull=False)
        .select_related("uploaded_by", "township")
        .first()
    )
    if batch is None:
        raise Http404
    if batch.uploaded_by_id != request.user.pk and not (
        request.user.has_perm("kaohe.manage_assessment", batch.township)
    ):
        raise Http404
    _resource_for(request, batch.kind)
    return batch


def _batch_page(request, batch: ImportBatch, *, upload_url: str, confirm_url: str, **extra):
    """The stored report of the batch's last run (import_batch.html), with the confirm button
    for its uploader while the dry run found something to import and no error."""
    report = batch.report or {}
    rows = [
        {
            "excel_row": number,
            "status": status,
            "label": STATUS_LABELS[status],
            "summary": summary,
            "errors": errors,
            "changed": changed,
            "township": rest[0] if rest else "",  # stored since the district's import
        }
        for number, status, summary, errors, changed, *rest in report.get("rows", [])
    ]
    errors = [r for r in rows if r["status"] == "error"]
    shown = (
        rows
        if len(rows) <= SHOWN_ROWS + len(errors)
        else errors + [r for r in rows if r["status"] != "error"][:SHOWN_ROWS]
    )
    shown.sort(key=lambda r: r["excel_row"])
    can_confirm = (
        batch.state == BatchState.PREVIEWED
        and batch.uploaded_by_id == request.user.pk
        and not errors
        and not report.get("file_errors")
        and any(r["status"] in ("new", "update") for r in rows)
    )
    return render(
        request,
        "exports/import_batch.html",
        {
            "batch": batch,
            "title": RESOURCES[batch.kind].title,
            "rows": shown,
            "hidden": len(rows) - len(shown),
            "error_count": len(errors),
            "counts": batch.counts,
            "labels": STATUS_LABELS,
            "file_errors": report.get("file_errors", []),
            "ignored": report.get("ignored", []),
            "can_confirm": can_confirm,
            "upload_url": upload_url,
            "confirm_url": confirm_url,
            "imported_before": ImportBatch.objects.filter(
                township=batch.township, district=batch.district, kind=batch.kind,
                sha256=batch.sha256, state=BatchState.IMPORTED,
            ).exclude(pk=batch.pk).first(),
            **extra,
        },
    )  # fmt: skip


def _confirmed(request, batch: ImportBatch, outcome: Outcome) -> None:
    """Keep the confirm's outcome on the batch and say what it did."""
    _store(batch, outcome)
    if outcome.imported:
        batch.state = BatchState.IMPORTED
        batch.imported_at = timezone.now()
        counts = outcome.counts
        messages.success(
            request,
            _("导入完成:新增 %(new)d 条,更新 %(update)d 条,无变化跳过 %(skip)d 条。") % counts,
        )
    else:
        messages.error(
            request,
            _("没有导入任何记录:文件中仍有错误(可能是预览之后数据有变化),请修改后重新上传。"),
        )
    batch.save()


@login_required
def import_batch(request, pk: int):
    batch = _batch_for(request, pk)
    return _batch_page(
        request,
        batch,
        upload_url=reverse("exports:import", args=[batch.kind]),
        confirm_url=reverse("exports:import_confirm", args=[batch.pk]),
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    batch = _batch_for(request, pk)
    return _confirm(
        request,
        batch,
        "exports:import_batch",
        lambda: run_import(
            batch.kind,
            _read(batch),
            township=batch.township,
            user=request.user,
            filename=batch.filename,
            dry_run=False,
        ),
    )


def _confirm(request, batch: ImportBatch, batch_page: str, run):
    """Import a previewed batch, once, for the user who uploaded it; back to its page."""
    if batch.uploaded_by_id != request.user.pk:
        raise PermissionDenied
    if batch.state == BatchState.IMPORTED:
        messages.info(request, _("该文件已经导入,不会重复导入。"))
    else:
        _confirmed(request, batch, run())
    return redirect(batch_page, pk=batch.pk)


# --- The district's 阳光信访 list ---------------------------------------------------------------


def _district_for(request) -> District:
    """The district whose list is imported: the user's own (a superuser's chosen one, by
    ?district= or the form's field, else the first); 403 for anyone without the right."""
    allowed = districts_for_import(request.user)
    chosen = request.POST.get("district") or request.GET.get("district")
    district = None
    if chosen and str(chosen).isdigit():
        district = allowed.filter(pk=int(chosen)).first()
    if district is None:
        district = allowed.order_by("name").first()
    if district is None or not request.user.has_perm(DISTRICT_PERM, district):
        if request.user.has_perm(DISTRICT_PERM) and not allowed.exists():
            raise Http404  # a superuser, and no district yet
        raise PermissionDenied
    return district


def _district_batch_for(request, pk: int) -> ImportBatch:
    """A district batch, for the staff of its district (who may import there) only."""
    batch = (
        ImportBatch.objects.filter(pk=pk, district__isnull=False)
        .select_related("uploaded_by", "district")
        .first()
    )
    if batch is None or not request.user.has_perm(DISTRICT_PERM, batch.district):
        raise Http404
    return batch


@login_required
def district_import(request):
    district = _district_for(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch, data = _new_batch(request, form, DistrictPetitionResource.kind, district=district)
        outcome = run_district_import(
            data, district=district, user=request.user, filename=batch.filename, dry_run=True
        )
        _store(batch, outcome)
        batch.save()
        return redirect("exports:district_batch", pk=batch.pk)
    recent = ImportBatch.objects.filter(district=district).select_related("uploaded_by")[:10]
    return render(
        request,
        "exports/import.html",
        {
            "kind": DistrictPetitionResource.kind,
            "title": DistrictPetitionResource.title,
            "district": district,
            "districts": districts_for_import(request.user),
            "form": form,
            "recent": recent,
            "batch_url": "exports:district_batch",
            "template_url": "",
            "columns": _columns(DistrictPetitionResource),
        },
    )


@login_required
def district_batch(request, pk: int):
    batch = _district_batch_for(request, pk)
    report = batch.report or {}
    townships = batch.district.townships.order_by("name").values_list("name", flat=True)
    return _batch_page(
        request,
        batch,
        upload_url=f"{reverse('exports:district_import')}?district={batch.district_id}",
        confirm_url=reverse("exports:district_confirm", args=[batch.pk]),
        district=batch.district,
        townships=township_counts(((row[5], row[1]) for row in report.get("rows", [])), townships),
    )


@login_required
@require_POST
def district_confirm(request, pk: int):
    batch = _district_batch_for(request, pk)
    return _confirm(
        request,
        batch,
        "exports:district_batch",
        lambda: run_district_import(
            _read(batch),
            district=batch.district,
            user=request.user,
            filename=batch.filename,
            dry_run=False,
        ),
    )


@login_required
def import_template(request, kind: str):
    resource_cls, township = _resource_for(request, kind)
    data = workbook_bytes(template_workbook(kind, township))
    return xlsx_response(data, f"{resource_cls.title}_导入模板.xlsx")


@login_required
def records_export(request, kind: str):
    resource_cls, township = _resource_for(request, kind, "kaohe.view_dashboard")
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError as exc:
        raise Http404 from exc
    data = workbook_bytes(records_workbook(kind, township, year))
    suffix = f"_{year}年" if year else ""
    return xlsx_response(data, f"{township.name}_{resource_cls.title}{suffix}.xlsx")
