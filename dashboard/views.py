"""The leaders' dashboard, a village's page, and the admins' year recompute started from it.

Thin adapters: every figure comes from dashboard.selectors; the recompute is a job
(jobs.tasks.start_job) whose progress panel htmx swaps into the page and polls.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import district as district_access
from accounts.access import require
from accounts.access import township_of
from accounts.access import visible_villages
from assessment import rubrics
from assessment.selectors import span_title
from assessment.views import span_asked
from core.params import int_param
from core.routers import reads_replica
from jobs.tasks import start_job
from villages.models import District
from villages.models import Responsibility

from . import district as district_figures
from . import selectors
from .forms import FairComparisonForm


def _span_filter(span, month: int, quarter: int) -> dict:
    """What the month/quarter/year filter of both dashboards shows."""
    return {
        "span": span,
        "title": span_title(span),
        "month": month,
        "quarter": quarter,
        "months": range(1, 13),
        "quarters": range(1, 5),
    }


@login_required
@reads_replica
def index(request):
    township = township_of(request.user)
    require(request.user, "kaohe.view_dashboard", township)
    today = timezone.localdate()
    span, month, quarter = span_asked(request.GET, township.pk, today)
    board = selectors.dashboard(township.pk, span, today)
    can_manage = request.user.has_perm("kaohe.manage_assessment", township)
    return render(
        request,
        "dashboard/index.html",
        {
            "township": township,
            "board": board,
            **_span_filter(span, month, quarter),
            "can_manage": can_manage,
            "job": selectors.running_recompute(township.pk) if can_manage else None,
            "this_year": today.year,
        },
    )


@login_required
@require_POST
def recompute(request):
    """重新计算本年: starts the background recompute and answers with its progress panel."""
    township = township_of(request.user)
    require(request.user, "kaohe.manage_assessment", township)
    # This year up to the current month: scoring months still to come would only store sheets
    # that lose every point for records nobody could have entered yet.
    today = timezone.localdate()
    year, months = today.year, list(range(1, today.month + 1))
    job = start_job(
        kind="recompute_year",
        title=_("重新计算 %(y)d 年 1-%(m)d 月") % {"y": year, "m": today.month},
        params={"township_id": township.pk, "year": year, "months": months},
        by=request.user,
        township=township,
    )
    if not request.headers.get("HX-Request"):
        return redirect("jobs:job_status", pk=job.pk)
    job.refresh_from_db()  # an eager run (tests, no broker) has already finished
    return render(request, "jobs/_job_panel.html", {"job": job})


@login_required
@reads_replica
def village(request, pk: int):
    """A village's page: its people, its scores month by month down to the records, and what
    is still open (disputes, assigned cases with their tier, missing reports)."""
    village = (
        visible_villages(request.user).select_related("area", "township").filter(pk=pk).first()
    )
    if village is None:
        raise Http404
    today = timezone.localdate()
    year = int_param(request.GET.get("year"), today.year, 2000, 2100)
    people = (
        Responsibility.objects.active_on(today)
        .for_village(village)
        .select_related("person")
        .order_by("role", "start")
    )
    return render(
        request,
        "dashboard/village.html",
        {
            "village": village,
            "responsibilities": people,
            "today": today,
            "year": year,
            "scores": selectors.village_year(village, year, user=request.user),
            "open": selectors.open_items(village, today),
        },
    )


@login_required
@reads_replica
def district(request):
    """The district's townships side by side (a district user: their district's; a superuser:
    every township, grouped by district, or one district's); drill down to one township."""
    require(request.user, "kaohe.view_district")
    townships = district_access.townships_for(request.user).select_related("district")
    districts, chosen = [], None
    if request.user.is_superuser:
        districts = list(District.objects.order_by("name"))
        chosen = next((d for d in districts if d.code == request.GET.get("district")), None)
        if chosen is not None:
            townships = townships.filter(district=chosen)
    townships = list(townships.order_by("name"))
    today = timezone.localdate()
    # The default month: the latest ended, capped by the first township's last scored month.
    span, month, quarter = span_asked(request.GET, townships[0].pk if townships else 0, today)
    board = district_figures.district_board(townships, span, today)
    fair_rows, fair_title = None, ""
    if any(key.startswith(f"{FairComparisonForm.prefix}-") for key in request.GET):
        fair = FairComparisonForm(request.GET)
        if fair.is_valid():
            data = fair.cleaned_data
            fair_title = rubrics.version_title(data["version"].name, None)
            fair_rows = district_figures.fair_comparison(
                townships, data["version"], data["year"], data["month"], today
            )
    else:
        fair = FairComparisonForm(initial={"year": span.year, "month": month})
    return render(
        request,
        "dashboard/district.html",
        {
            "board": board,
            **_span_filter(span, month, quarter),
            "districts": districts,
            "chosen": chosen,
            "fair": fair,
            "fair_rows": fair_rows,
            "fair_title": fair_title,
            # The drill-down takes effect for the district's users (accounts.district keeps the
            # township chosen in their session); a superuser reads their own or the first one.
            "can_choose": district_access.chooses_township(request.user),
        },
    )


@login_required
@require_POST
def district_choose(request, code: str):
    """Read one township of the district from now on: its dashboard, then its villages."""
    require(request.user, "kaohe.view_district")
    township = get_object_or_404(district_access.townships_for(request.user), code=code)
    district_access.choose_township(request, township)
    return redirect("dashboard:index")
