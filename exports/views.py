"""Downloads of the 评分表 and the ranking; the all-village workbook runs as a background job.

Access is the project's one gate (accounts/rules.py): a village's sheet needs
`kaohe.view_village` on it, and a secretary sees only months that are published or closed (as
on the score page); rankings and all-village workbooks need `kaohe.view_dashboard`.
"""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.http import Http404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import township_of
from accounts.access import visible_villages
from core.periods import quarter_of

from .access import secretary_may_see
from .jobs import start_sheets_export
from .periods import MONTH
from .periods import QUARTER
from .periods import YEAR
from .periods import Span
from .periods import span_from
from .resources import RESOURCES
from .score_sheets import village_workbook
from .styles import workbook_bytes
from .tables import ranking_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> FileResponse:
    response = FileResponse(BytesIO(data), as_attachment=True, filename=filename)
    response["Content-Type"] = XLSX
    return response


def span_of_request(params, default_kind: str = MONTH) -> Span:
    """The span named by ?kind=month|quarter|year&year=&month=&quarter= (the ranking page's
    parameters); 404 for figures out of range."""
    today = timezone.localdate()
    kind = params.get("kind") or default_kind
    year = params.get("year") or today.year
    try:
        if kind == YEAR:
            return span_from(year, period=YEAR)
        if kind == QUARTER:
            quarter = params.get("quarter")
            if not quarter:  # the quarter holding ?month=, else this quarter
                month = int(params.get("month") or today.month)
                quarter = quarter_of(month) if 1 <= month <= 12 else 0
            return span_from(year, quarter=quarter)
        return span_from(year, month=params.get("month") or today.month)
    except (ValidationError, ValueError) as exc:
        raise Http404(_("期间参数不正确。")) from exc


@login_required
def village_sheet(request, village_id: int):
    """One village's 评分表 for a month, a quarter or the year, downloaded directly."""
    village = visible_villages(request.user).filter(pk=village_id).select_related("area").first()
    if village is None or not request.user.has_perm("kaohe.view_village", village):
        raise Http404
    span = span_of_request(request.GET)
    if not secretary_may_see(request.user, village, span):
        messages.error(request, _("%(p)s的评分尚未全部公示,暂不能下载。") % {"p": span.label})
        back = reverse("assessment:village_scores", args=[village.pk])
        return redirect(f"{back}?year={span.year}&month={span.months[0]}")
    data = workbook_bytes(village_workbook(village, span))
    return xlsx_response(data, f"{village.name}_{span.label}_考核评分表.xlsx")


@login_required
def ranking(request):
    township = township_of(request.user)
    if not request.user.has_perm("kaohe.view_dashboard", township):
        raise PermissionDenied
    span = span_of_request(request.POST if request.method == "POST" else request.GET)
    data = workbook_bytes(ranking_workbook(township, span))
    return xlsx_response(data, f"{township.name}_{span.label}_考核排名.xlsx")


@login_required
@require_POST
def sheets_job(request):
    """Every village's 评分表 of a period: large, so it runs in the background."""
    township = township_of(request.user)
    if not request.user.has_perm("kaohe.view_dashboard", township):
        raise PermissionDenied
    span = span_of_request(request.POST)
    job = start_sheets_export(township=township, span=span, by=request.user)
    messages.info(request, _("正在后台生成,完成后可在本页下载。"))
    return redirect("jobs:job_status", pk=job.pk)


@login_required
def index(request):
    township = township_of(request.user)
    if not request.user.has_perm("kaohe.view_dashboard", township):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "exports/index.html",
        {
            "kinds": [
                (kind, cls.title, request.user.has_perm(cls.perm, township))
                for kind, cls in RESOURCES.items()
            ],
            "year": today.year,
            "month": today.month,
            "quarter": quarter_of(today.month),
            "months": range(1, 13),
            "quarters": range(1, 5),
        },
    )
