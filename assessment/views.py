"""Pages of the scoring service: periods, rankings, a village's score story, contests, versions."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import get_for_user
from accounts.access import scope
from accounts.access import township_of
from accounts.access import visible_villages
from core.params import int_param
from core.periods import KINDS
from core.periods import Span
from core.periods import quarter_of
from jobs.tasks import start_job
from workdays.calendar import add_working_days

from . import fanout
from . import periods
from . import rubrics
from . import selectors
from . import services
from . import visibility
from .forms import DistrictRecomputeForm
from .links import record_label
from .links import record_url
from .models import Contest
from .models import ContestState
from .models import Period
from .models import PeriodState
from .models import RubricAssignment
from .models import RubricVersion
from .models import ScoreLine
from .scoring import engine


def _require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _month_rows(township, year: int, today: date) -> list[dict]:
    """The year's twelve months with what may be done to each now (assessment/periods.py)."""
    existing = {
        p.month: p
        for p in Period.objects.filter(township=township, year=year).prefetch_related("events__by")
    }
    rows = []
    for month in range(1, 13):
        period = existing.get(month)
        if period is None:
            facts = periods.PeriodFacts(year=year, month=month)
        else:
            facts = services.period_facts(period)
        actions = periods.allowed(facts, today)
        # Why the next move of the table is not offered yet (publish too early, close in the
        # contest window): said next to the month instead of a button that would be refused.
        waiting = [
            periods.refusal(action, facts, today)
            for action in periods.ACTIONS
            if action not in actions and facts.state in periods.ALLOWED_FROM[action]
        ]
        rows.append(
            {
                "month": month,
                "period": period,
                "state": facts.state,
                "state_label": PeriodState(facts.state).label,
                "deadline": facts.contest_deadline,
                "actions": [(a, periods.action_label(a)) for a in actions],
                "waiting": waiting,
            }
        )
    return rows


@login_required
def periods_page(request):
    township = township_of(request.user)
    _require(request.user, "kaohe.manage_assessment", township)
    year = int_param(request.GET.get("year"), timezone.localdate().year, 2000, 2100)
    return render(
        request,
        "assessment/periods.html",
        {
            "township": township,
            "year": year,
            "rows": _month_rows(township, year, timezone.localdate()),
            "states": PeriodState,
        },
    )


PERIOD_DONE = {
    periods.PUBLISH: gettext_lazy("%(p)s 已公示。"),
    periods.CLOSE: gettext_lazy("%(p)s 已关闭,评分已冻结。"),
    periods.REOPEN: gettext_lazy("%(p)s 已重新开启。"),
}


@login_required
@require_POST
def period_action(request, year: int, month: int):
    """Publish, close and reopen are asked twice: a POST without confirm=1 answers a page saying
    what the move will do, with the form that confirms it (no script needed)."""
    township = township_of(request.user)
    _require(request.user, "kaohe.manage_assessment", township)
    back = f"{reverse('assessment:periods')}?year={year}"
    action = request.POST.get("action")
    reason = request.POST.get("reason", "")
    if action == "recompute":
        period = services.period_for(township.pk, year, month)
        try:
            services.score_month_now(township_id=township.pk, year=year, month=month)
        except services.RecomputeFailed as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(p)s 已重新计算。") % {"p": period})
        return redirect(back)
    if action not in periods.ACTIONS or not 1 <= month <= 12:
        raise Http404
    existing = Period.objects.filter(township=township, year=year, month=month).first()
    if request.POST.get("confirm") != "1":
        today = timezone.localdate()
        facts = (
            services.period_facts(existing)
            if existing is not None
            else periods.PeriodFacts(year=year, month=month)
        )
        refused = periods.refusal(action, facts, today)
        if refused is not None:
            messages.error(request, refused)
            return redirect(back)
        deadline = None
        if action == periods.PUBLISH:
            deadline = add_working_days(today, services.CONTEST_WORKING_DAYS).date
        return render(
            request,
            "assessment/period_confirm.html",
            {
                "year": year,
                "month": month,
                "action": action,
                "label": periods.action_label(action),
                "name": facts.name,
                "consequence": periods.consequence(action, facts, deadline=deadline),
                "reason": reason,
                "back": back,
            },
        )
    period = existing or services.period_for(township.pk, year, month)
    try:
        if action == periods.PUBLISH:
            services.period_publish(period=period, by=request.user)
        elif action == periods.CLOSE:
            services.period_close(period=period, by=request.user, reason=reason)
        else:
            services.period_reopen(period=period, by=request.user, reason=reason)
        messages.success(request, PERIOD_DONE[action] % {"p": period})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)


# Rows a ranking page shows at once: a township of up to this many villages fits on one page
# (and prints on one A4 sheet); a county of 1,000 pages through it instead of sending it whole.
RANKING_PAGE_SIZE = 100


def span_asked(params, township_id: int, today: date) -> tuple[Span, int, int]:
    """The span a ranking or dashboard request asks for (kind, year, month, quarter), with the
    month and quarter its form keeps selected. The default is the latest month that has ended,
    never later than the year's last scored month (selectors.default_month)."""
    kind = params.get("kind")
    kind = kind if kind in KINDS else "month"
    year = int_param(params.get("year"), selectors.default_month(today)[0], 2000, 2100)
    latest = selectors.latest_scored_month(township_id, year)
    _year, default = selectors.default_month(today, year, latest)
    month = int_param(params.get("month"), default, 1, 12)
    quarter = int_param(params.get("quarter"), quarter_of(month), 1, 4)
    number = {"month": month, "quarter": quarter, "year": 0}[kind]
    return Span.of(kind, year, number), month, quarter


@login_required
def ranking(request):
    township = township_of(request.user)
    _require(request.user, "kaohe.view_dashboard", township)
    span, month, quarter = span_asked(request.GET, township.pk, timezone.localdate())
    kind, year = span.kind, span.year
    # The dashboard's rows: the same scores to two places, vetoes and 暂定/确定 as there.
    rows = selectors.ranking(township.pk, span)
    page = Paginator(rows, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessment/ranking.html",
        {
            "rows": page.object_list,
            # What core/pagination.html reads.
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.paginator.num_pages > 1,
            "query_string": query.urlencode(),
            "title": selectors.span_title(span),
            "kind": kind,
            "year": year,
            "month": month,
            "quarter": quarter,
            "months": range(1, 13),
            "quarters": range(1, 5),
        },
    )


@login_required
def own_scores(request):
    """The secretary's menu entry: its own village's score page (the same query string)."""
    if not request.user.is_secretary:
        raise PermissionDenied
    url = reverse("assessment:village_scores", args=[request.user.village_id])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


@login_required
def village_scores(request, village_id: int):
    village = visible_villages(request.user).select_related("area").filter(pk=village_id).first()
    if village is None:
        raise Http404
    today = timezone.localdate()
    year = int_param(request.GET.get("year"), today.year, 2000, 2100)
    shown = visibility.score_months_shown(request.user, village.township_id, year)
    trend = [
        (m, total)
        for m, total in selectors.village_trend(village, year)
        if visibility.month_shown(shown, year, m)
    ]
    default_month = trend[-1][0] if trend else today.month
    month = int_param(request.GET.get("month"), default_month, 1, 12)
    period = Period.objects.filter(township_id=village.township_id, year=year, month=month).first()
    hidden = not visibility.month_shown(shown, year, month)
    sheet = None if hidden else selectors.sheet_for(village, year, month)
    lines = []
    if sheet is not None:
        outcomes = contest_outcomes(village, year, month)
        for line in sheet.lines.all():
            links = [(record_label(kind), pk, record_url(kind, pk)) for kind, pk in line.refs]
            contest = outcomes.get(_line_key(line.item_code, line.reason))
            lines.append(
                {
                    "line": line,
                    "links": links,
                    "contested": contest is not None,
                    "contest": contest,
                }
            )
    can_contest = (
        period is not None
        and period.state == PeriodState.PUBLISHED
        and request.user.has_perm("kaohe.file_contest", village)
    )
    return render(
        request,
        "assessment/village_scores.html",
        {
            "village": village,
            "year": year,
            "month": month,
            "months": range(1, 13),
            "sheet": sheet,
            "lines": lines,
            "trend": trend,
            "trend_months": [m for m, _total in trend],
            # The axis labels in the reader's language (the chart's script has no catalogue).
            "trend_labels": [_("%(m)d月") % {"m": m} for m, _total in trend],
            "trend_totals": [float(t) for _m, t in trend],
            "period": period,
            "hidden": hidden,
            "can_contest": can_contest,
            "show_contests": can_contest or any(row["contest"] for row in lines),
        },
    )


def contest_outcomes(village, year: int, month: int) -> dict:
    """{(item code, line reason): the line's latest contest} of a village-month: what a line
    shows (pending, or the decision with its reason). A waived line's reason carries the waiver's
    note, so it is matched on the reason as the rule wrote it too."""
    found = {}
    rows = Contest.objects.filter(village=village, year=year, month=month).select_related(
        "decided_by"
    )
    for contest in rows.order_by("filed_at", "pk"):
        found[_line_key(contest.item_code, contest.line_reason)] = contest
    return found


def _line_key(item_code: str, reason: str) -> tuple[str, str]:
    return item_code, reason.split(engine.WAIVED_NOTE)[0]


@login_required
@require_POST
def contest_file(request, line_id: int):
    line = get_object_or_404(ScoreLine.objects.select_related("sheet__village"), pk=line_id)
    village = line.sheet.village
    if not request.user.has_perm("kaohe.view_village", village):
        raise Http404
    if not request.user.has_perm("kaohe.file_contest", village):
        raise PermissionDenied
    try:
        services.contest_file(line=line, reason=request.POST.get("reason", ""), by=request.user)
        messages.success(request, _("申诉已提交,等待镇管理员处理。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    url = reverse("assessment:village_scores", args=[village.pk])
    return redirect(f"{url}?year={line.sheet.year}&month={line.sheet.month}")


@login_required
def contests(request):
    township = township_of(request.user)
    _require(request.user, "kaohe.view_dashboard", township)
    rows = scope(
        Contest.objects.select_related("village", "filed_by", "decided_by"), request.user
    ).order_by("state", "-filed_at")
    state = request.GET.get("state")
    if state in ContestState.values:
        rows = rows.filter(state=state)
    return render(
        request,
        "assessment/contests.html",
        {
            "contests": rows[:200],
            "states": ContestState,
            "can_decide": request.user.has_perm("kaohe.manage_assessment", township),
        },
    )


@login_required
@require_POST
def contest_decide(request, pk: int):
    contest = get_for_user(Contest.objects.select_related("village"), request.user, pk=pk)
    try:
        services.contest_decide(
            contest=contest,
            accept=request.POST.get("decision") == "accept",
            reason=request.POST.get("reason", ""),
            by=request.user,
        )
        messages.success(request, _("申诉已处理。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assessment:contests")


def _titled(versions, township) -> list[RubricVersion]:
    """The versions, each with `title`: its name as the township reads it (no code, no xx镇)."""
    versions = list(versions)
    for version in versions:
        version.title = rubrics.version_title(version.name, township.name)
    return versions


@login_required
def compare(request):
    township = township_of(request.user)
    _require(request.user, "kaohe.view_dashboard", township)
    versions = _titled(RubricVersion.objects.order_by("code"), township)
    today = timezone.localdate()
    year = int_param(request.GET.get("year"), today.year, 2000, 2100)
    month = int_param(request.GET.get("month"), today.month, 1, 12)
    by_code = {v.code: v for v in versions}
    a = by_code.get(request.GET.get("a", rubrics.DEFAULT_CODE))
    b = by_code.get(request.GET.get("b", "xx-2024-plan"))
    rows = []
    if a and b:
        rows = selectors.compare_versions(
            township_id=township.pk, year=year, month=month, version_a=a, version_b=b
        )
    return render(
        request,
        "assessment/compare.html",
        {
            "versions": versions,
            "a": a,
            "b": b,
            "rows": rows,
            "year": year,
            "month": month,
            "months": range(1, 13),
        },
    )


@login_required
def versions(request):
    township = township_of(request.user)
    _require(request.user, "kaohe.manage_assessment", township)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "copy":
                source = get_object_or_404(RubricVersion, pk=request.POST.get("source"))
                rubrics.version_copy(
                    version=source,
                    code=request.POST.get("code", "").strip(),
                    name=request.POST.get("name", "").strip() or source.name,
                    by=request.user,
                )
                messages.success(request, _("已复制考核细则版本。"))
            elif request.POST.get("action") == "assign":
                version = get_object_or_404(RubricVersion, pk=request.POST.get("version"))
                year = int_param(request.POST.get("year"), 0, 2000, 2100)
                if not year:
                    raise ValidationError(_("请填写年度。"))
                rubrics.assign_year(township=township, year=year, version=version, by=request.user)
                messages.success(request, _("已指定 %(y)d 年度考核细则。") % {"y": year})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("assessment:versions")
    versions = _titled(RubricVersion.objects.order_by("code").prefetch_related("entries"), township)
    assignments = list(RubricAssignment.objects.filter(township=township).select_related("version"))
    _titled([a.version for a in assignments], township)
    return render(
        request,
        "assessment/versions.html",
        {
            "versions": versions,
            "default": next((v for v in versions if v.code == rubrics.DEFAULT_CODE), None),
            "assignments": assignments,
            "this_year": date.today().year,
            "code_example": f"{township.code}-{date.today().year + 1}",
        },
    )


@login_required
@require_POST
def recompute_year(request, year: int):
    """A whole year's recompute runs in the background; the page follows its progress."""
    township = township_of(request.user)
    _require(request.user, "kaohe.manage_assessment", township)
    job = start_job(
        kind="recompute_year",
        title=_("重新计算 %(y)d 年全部月份") % {"y": year},
        params={"township_id": township.pk, "year": year},
        by=request.user,
        township=township,
    )
    return redirect("jobs:job_status", pk=job.pk)


@login_required
def district_recompute(request):
    """A superuser recomputes a year (or a month) of every township of a district: a job per
    township, side by side on the run's page (assessment/fanout.py)."""
    if not fanout.may_start(request.user):
        raise PermissionDenied
    form = DistrictRecomputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = fanout.recompute_district(
                district=form.cleaned_data["district"],
                year=form.cleaned_data["year"],
                month=form.cleaned_data["month"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("jobs:job_status", pk=run.pk)
    return render(request, "assessment/district_recompute.html", {"form": form})
