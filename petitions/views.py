"""Pages of petitions and disputes: the generic record pages (core.views.RecordPages) for each
kind, protected downloads, the unreported-dispute check, dossier review, and the secretary's
portal. Views are thin: access through accounts.access, writes through services / core.records.
"""

from dataclasses import dataclass
from dataclasses import field

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import get_for_user
from accounts.access import require
from accounts.access import scope
from accounts.access import visible_villages
from core import hooks
from core import periods
from core.uploads import serve_protected
from core.views import RecordPages

from . import deadlines
from . import forms as pforms
from . import selectors
from . import services
from . import unsigned
from .choices import CandidateState
from .models import BaobaoEntry
from .models import Dispute
from .models import DisputeReport
from .models import Dossier
from .models import Petition
from .models import ReceptionLog
from .models import UnreportedCandidate


def _month_filter(*date_fields: str):
    """A 月份 filter (YYYY-MM) on a date field, or on (year, month) fields when given two."""

    def apply(queryset, name, value):
        try:
            year, month = (int(part) for part in value.split("-")[:2])
        except ValueError:
            return queryset.none()
        if len(date_fields) == 2:
            return queryset.filter(**{date_fields[0]: year, date_fields[1]: month})
        return queryset.filter(
            **{f"{date_fields[0]}__year": year, f"{date_fields[0]}__month": month}
        )

    return django_filters.CharFilter(
        label=gettext_lazy("月份"),
        method=apply,
        widget=forms.TextInput(attrs={"type": "month"}),
    )


@dataclass
class Pages(RecordPages):
    """RecordPages with a month filter and per-kind templates (keys: list, form, detail,
    delete); the search is RecordPages' (core.filters.SearchFilter, as in the API)."""

    month_fields: tuple[str, ...] = ()
    templates: dict = field(default_factory=dict)

    def filterset_class(self):
        base = super().filterset_class()
        attrs = {}
        if self.month_fields:
            attrs["month"] = _month_filter(*self.month_fields)
        return type(base.__name__, (base,), attrs)

    def urls(self, app_name: str):
        patterns = []
        for pattern in super().urls(app_name):
            suffix = pattern.name.rsplit("_", 1)[1]
            key = "form" if suffix in ("create", "update") else suffix
            template = self.templates.get(key)
            if template:
                view = self.view_class(suffix).as_view(
                    pages=self, app_name=app_name, template_name=template
                )
                pattern = path(str(pattern.pattern), view, name=pattern.name)
            patterns.append(pattern)
        return patterns


PAGES = [
    Pages(
        name="petition",
        model=Petition,
        form_class=pforms.PetitionForm,
        columns=("date", "village", "level", "channel", "nature", "person_count", "matter"),
        filter_fields=("village", "level", "channel", "nature", "source"),
        month_fields=("date",),
        search_fields=("matter", "petitioners__name", "source_ref"),
        templates={
            "form": "petitions/petition_form.html",
            "detail": "petitions/petition_detail.html",
        },
    ),
    Pages(
        name="reception",
        model=ReceptionLog,
        form_class=pforms.ReceptionLogForm,
        columns=("date", "village", "visitor_name", "matter", "opinion_issued", "opinion_number"),
        filter_fields=("village", "opinion_issued"),
        month_fields=("date",),
        search_fields=("visitor_name", "matter", "opinion_number", "mediator_name"),
    ),
    Pages(
        name="baobao",
        model=BaobaoEntry,
        form_class=pforms.BaobaoEntryForm,
        columns=("village", "petitioner_name", "matter", "responsible_person", "start", "end"),
        filter_fields=("village",),
        month_fields=("start",),
        search_fields=("petitioner_name", "matter", "responsible_name", "responsible_person__name"),
        select_related=("village", "responsible_person"),
    ),
    Pages(
        name="dispute",
        model=Dispute,
        form_class=pforms.DisputeForm,
        columns=("found_date", "village", "parties", "category", "status", "resolved_date"),
        filter_fields=("village", "status", "category", "found_at_town_or_above"),
        month_fields=("found_date",),
        search_fields=("parties", "matter"),
        templates={"detail": "petitions/dispute_detail.html"},
    ),
    Pages(
        name="report",
        model=DisputeReport,
        form_class=pforms.DisputeReportForm,
        columns=("village", "year", "month", "half", "submitted_at", "signed_by"),
        filter_fields=("village", "year", "half"),
        month_fields=("year", "month"),
        search_fields=("village__name", "signed_by"),
        detail_fields=("village", "year", "month", "half", "submitted_at", "signed_by"),
        templates={"list": "petitions/report_list.html", "detail": "petitions/report_detail.html"},
    ),
    Pages(
        name="dossier",
        model=Dossier,
        form_class=pforms.DossierForm,
        columns=("submitted_date", "village", "dispute", "centre_result", "judicial_result"),
        filter_fields=("village", "centre_result", "judicial_result"),
        month_fields=("submitted_date",),
        search_fields=("dispute__parties", "dispute__matter"),
        select_related=("village", "dispute"),
        detail_fields=(
            "village",
            "dispute",
            "submitted_date",
            "centre_result",
            "centre_reason",
            "centre_date",
            "judicial_result",
            "judicial_reason",
            "judicial_date",
        ),
        templates={"detail": "petitions/dossier_detail.html"},
    ),
]


# --- Protected downloads ------------------------------------------------------------------------


@login_required
def report_seal(request, pk: int):
    report = get_for_user(DisputeReport.objects.select_related("village"), request.user, pk=pk)
    return serve_protected(request, report, "seal_scan")


@login_required
def dossier_file(request, pk: int, field_name: str):
    if field_name not in Dossier.FILE_FIELDS:
        raise Http404
    dossier = get_for_user(Dossier.objects.select_related("village"), request.user, pk=pk)
    return serve_protected(request, dossier, field_name)


# --- Dossier review -----------------------------------------------------------------------------


@login_required
def dossier_review(request, pk: int):
    dossier = get_for_user(
        Dossier.objects.select_related("village", "dispute"), request.user, pk=pk
    )
    require(request.user, "kaohe.change_records", dossier)
    form = pforms.DossierReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_review(dossier=dossier, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已记录审核结果。"))
            return redirect("petitions:dossier_detail", pk=dossier.pk)
    return render(request, "petitions/dossier_review.html", {"dossier": dossier, "form": form})


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Unreported-dispute candidates ---------------------------------------------------------------


@login_required
def candidate_list(request):
    require(request.user, "kaohe.change_records")
    queryset = scope(
        UnreportedCandidate.objects.select_related("village", "petition", "decided_by", "dispute")
        .prefetch_related("petition__petitioners")
        .order_by("state", "-petition__date", "-pk"),
        request.user,
    )
    state = request.GET.get("state", CandidateState.PENDING)
    if state in CandidateState.values:
        queryset = queryset.filter(state=state)
    village = request.GET.get("village")
    if village and village.isdigit():
        queryset = queryset.filter(village_id=int(village))
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/candidate_list.html",
        {
            "page_obj": page,
            "state": state,
            "states": CandidateState.choices,
            "villages": visible_villages(request.user),
            "village": village,
            "confirm_form": pforms.CandidateConfirmForm(),
            "dismiss_form": pforms.CandidateDismissForm(),
        },
    )


@login_required
@require_POST
def candidate_refresh(request):
    require(request.user, "kaohe.change_records")
    try:
        created = services.candidates_refresh(
            villages=visible_villages(request.user), user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("比对完成,新发现 %(n)s 条疑似未上报纠纷。") % {"n": len(created)}
        )
    return redirect("petitions:candidate_list")


@login_required
@require_POST
def candidate_decide(request, pk: int, decision: str):
    candidate = get_for_user(
        UnreportedCandidate.objects.select_related("petition", "village"), request.user, pk=pk
    )
    require(request.user, "kaohe.change_records", candidate)
    if decision == "confirm":
        form = pforms.CandidateConfirmForm(request.POST)
    elif decision == "dismiss":
        form = pforms.CandidateDismissForm(request.POST)
    else:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("未处理:") + " ".join(" ".join(e) for e in form.errors.values()))
        return redirect("petitions:candidate_list")
    try:
        if decision == "confirm":
            dispute = services.candidate_confirm(
                candidate=candidate, user=request.user, **form.cleaned_data
            )
            messages.success(request, _("已登记为未上报纠纷:%(d)s") % {"d": dispute})
        else:
            services.candidate_dismiss(candidate=candidate, user=request.user, **form.cleaned_data)
            messages.success(request, _("已排除。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("petitions:candidate_list")


# --- The secretary's portal -----------------------------------------------------------------------


@login_required
def portal(request, year: int | None = None, month: int | None = None, half: int | None = None):
    """The village secretary's page, made for a phone: this half-month's report (draft or
    submit, disputes added in place, signature, seal scan), the next due day, what is overdue,
    and the year's reports."""
    user = request.user
    if not user.is_secretary:
        if user.has_perm("kaohe.change_records"):
            return redirect("petitions:report_create")
        raise PermissionDenied
    village = user.village
    require(user, "kaohe.submit_report", village)
    today = timezone.localdate()
    days_for = deadlines.days_for(village.township_id)
    current = periods.half_of(today, days_for(today.year))
    if year is None:
        year, month, half = current
    elif half not in (1, 2) or not 1 <= month <= 12 or (year, month, half) > current:
        raise Http404
    report = (
        DisputeReport.objects.filter(village=village, year=year, month=month, half=half)
        .prefetch_related("disputes")
        .first()
    )
    # A half the village does not owe (merged away, or not set up yet): a notice, no form.
    not_owed = selectors.not_owed_notice(village, year, month, half)
    editable = not not_owed and (report is None or not report.is_submitted)
    form = formset = unsigned = None
    if editable:
        data = request.POST if request.method == "POST" else None
        files = request.FILES if request.method == "POST" else None
        form = pforms.PortalReportForm(data, files, village=village, report=report)
        formset = pforms.NewDisputeFormSet(data, prefix="new")
        if request.method == "POST":
            form_ok = form.is_valid()
            if formset.is_valid() and form_ok:
                submit = request.POST.get("action") == "submit"
                if submit:
                    unsigned = _unsigned_warning(
                        village, (year, month, half), report, form.cleaned_data, today
                    )
                if unsigned is None or request.POST.get("confirm_unsigned") == "1":
                    saved = _portal_save(
                        request, form, formset, village, (year, month, half), submit
                    )
                    if saved:
                        return redirect("petitions:portal")
                # else asked again: nothing is saved until the village confirms
        if request.method == "POST" and request.FILES.get("seal_scan"):
            # The browser empties a file input when the page comes back with errors.
            form["seal_scan"].help_text = _("请重新选择盖章扫描件后再报送。")
    elif request.method == "POST" and not_owed:
        messages.error(request, not_owed)
    elif request.method == "POST":
        messages.error(request, _("该期排查报告已报送,如需更正请联系镇综治中心。"))
    status = selectors.portal_status(village, today)
    return render(
        request,
        "petitions/portal.html",
        {
            "village": village,
            "latest_sheet": hooks.latest_sheet_shown(user, village),  # assessment.visibility
            "contests": hooks.contests_shown(user, village),
            "status": status,
            "target": selectors.HalfStatus(
                year,
                month,
                half,
                periods.report_due_date(year, month, half, days_for(year)),
                report,
            ),
            "is_current": (year, month, half) == current,
            "not_owed": not_owed,
            "report": report,
            "editable": editable,
            "form": form,
            "formset": formset,
            "unsigned": unsigned,
        },
    )


def _portal_save(request, form, formset, village, half_key, submit: bool) -> bool:
    year, month, half = half_key
    try:
        services.report_submit(
            village=village,
            year=year,
            month=month,
            half=half,
            user=request.user,
            signed_by=form.cleaned_data["signed_by"],
            seal_scan=form.cleaned_data["seal_scan"],
            disputes=form.cleaned_data["disputes"],
            new_disputes=formset.new_disputes(),
            submit=submit,
        )
    except ValidationError as exc:
        _form_errors(form, exc)
        return False
    messages.success(request, _("排查报告已报送。") if submit else _("草稿已保存,尚未报送。"))
    return True


def _unsigned_warning(village, half_key, report, data, today):
    year, month, half = half_key
    has_seal = bool(data.get("seal_scan") or (report is not None and report.seal_scan))
    return unsigned.warning(
        village,
        year,
        month,
        half,
        signed_by=data.get("signed_by", ""),
        has_seal=has_seal,
        today=today,
    )
