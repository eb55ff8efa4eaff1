"""Pages of 奖惩兑现: the township's statement, a village's, a person's, the lines with bulk
approval and payment, one line with its history. The settlement workbook is
exports.rewards_book's (Excel lives in exports, above rewards).

Access goes through the project's one gate (accounts/rules.py): reading the township's ledger
needs `kaohe.view_dashboard` (admins, staff, leaders); settling, approving and paying need
`kaohe.manage_assessment` (admins: anyone else gets 403); a secretary reads their own
village's statement only (another village answers 404). Every number comes from selectors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import township_of
from accounts.access import visible_villages
from assessment.links import record_url
from core.params import int_param
from villages.models import Person

from . import selectors
from . import services
from .choices import EntryKind
from .choices import EntryStatus
from .forms import PriorYearForm
from .models import LedgerEntry
from .models import PriorYearStatus

VIEW = "kaohe.view_dashboard"
MANAGE = "kaohe.manage_assessment"


def _require(user, perm, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _filters(request) -> dict:
    """?year= (default this year), ?quarter=1..4|year|"" , ?status=, ?kind=."""
    params = request.GET
    quarter = params.get("quarter", "")
    status = params.get("status", "")
    kind = params.get("kind", "")
    return {
        "year": int_param(params.get("year"), timezone.localdate().year, 2000, 2100),
        "quarter": quarter if quarter in ("1", "2", "3", "4", selectors.YEAR_END) else "",
        "status": status if status in EntryStatus.values else "",
        "kind": kind if kind in EntryKind.values else "",
    }


def _context(request, filters: dict, **extra) -> dict:
    return {
        **filters,
        "statuses": EntryStatus.choices,
        "kinds": EntryKind.choices,
        "quarters": [(str(q), str(q)) for q in range(1, 5)],
        "can_manage": request.user.has_perm(MANAGE, township_of(request.user)),
        "query": urlencode({k: v for k, v in filters.items() if v}),
        **extra,
    }


@login_required
def index(request):
    """The township's statement; a secretary lands on their own village's."""
    if request.user.is_secretary:
        url = reverse("rewards:village", args=[request.user.village_id])
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    township = township_of(request.user)
    _require(request.user, VIEW, township)
    filters = _filters(request)
    qs = selectors.entries_for(request.user, township=township, **filters)
    return render(
        request,
        "rewards/township.html",
        _context(
            request,
            filters,
            township=township,
            totals=selectors.totals(qs),
            villages=selectors.village_rows(qs),
            people=selectors.person_rows(qs),
            summons=selectors.summons(township, filters["year"]),
        ),
    )


@login_required
def village_statement(request, village_id: int):
    village = visible_villages(request.user).select_related("area").filter(pk=village_id).first()
    if village is None:
        raise Http404
    filters = _filters(request)
    qs = selectors.entries_for(request.user, village=village, **filters)
    return render(
        request,
        "rewards/village.html",
        _context(
            request,
            filters,
            village=village,
            totals=selectors.totals(qs),
            entries=qs,
            people=selectors.person_rows(qs),
            drafts_hidden=request.user.is_secretary,
        ),
    )


@login_required
def person_statement(request, person_id: int):
    township = township_of(request.user)
    _require(request.user, VIEW, township)
    person = Person.objects.filter(pk=person_id, township=township).first()
    if person is None and request.user.is_superuser:
        person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    filters = _filters(request)
    qs = selectors.entries_for(request.user, person=person, **filters)
    return render(
        request,
        "rewards/person.html",
        _context(
            request,
            filters,
            person=person,
            totals=selectors.totals(qs),
            entries=qs,
            deposits=selectors.deposits_of(person, filters["year"]),
        ),
    )


@login_required
def lines(request):
    """Every line of the township with filters; admins approve or pay a selection."""
    township = township_of(request.user)
    _require(request.user, VIEW, township)
    filters = _filters(request)
    qs = selectors.entries_for(request.user, township=township, **filters)
    page = Paginator(qs, 200).get_page(request.GET.get("page"))
    return render(
        request,
        "rewards/lines.html",
        _context(
            request,
            filters,
            township=township,
            totals=selectors.totals(qs),
            entries=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            query_string=urlencode({k: v for k, v in filters.items() if v}),
        ),
    )


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_required
@require_POST
def lines_action(request):
    """Bulk 审批 or 兑现 of the chosen lines, with the reason kept on each line's history."""
    township = township_of(request.user)
    _require(request.user, MANAGE, township)
    ids = [int(x) for x in request.POST.getlist("entry") if x.isdigit()]
    chosen = list(LedgerEntry.objects.filter(pk__in=ids, township=township))
    action, reason = request.POST.get("action"), request.POST.get("reason", "")
    back = _back(request, reverse("rewards:lines"))
    if not chosen:
        messages.error(request, _("请先勾选要处理的行。"))
        return redirect(back)
    try:
        if action == "approve":
            n = services.approve_entries(entries=chosen, by=request.user, reason=reason)
            messages.success(request, _("已审批 %(n)d 行。") % {"n": n})
        elif action == "pay":
            n = services.pay_entries(entries=chosen, by=request.user, reason=reason)
            messages.success(request, _("已标记兑现 %(n)d 行。") % {"n": n})
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)


@login_required
@require_POST
def settle(request):
    """Run a settlement: the year's deposits, a quarter, or the year end."""
    township = township_of(request.user)
    _require(request.user, MANAGE, township)
    year = int_param(request.POST.get("year"), None, 2000, 2100)
    what = request.POST.get("what")
    if year is None:
        raise Http404
    try:
        if what == "deposits":
            result = services.create_deposits(township=township, year=year, by=request.user)
        elif what == "year":
            result = services.settle_year(township=township, year=year, by=request.user)
        elif what == "quarter":
            quarter = int_param(request.POST.get("quarter"), None, 1, 4)
            if quarter is None:
                raise Http404
            result = services.settle_quarter(
                township=township, year=year, quarter=quarter, by=request.user
            )
        else:
            raise Http404
        messages.success(
            request,
            _("计算完成:新增 %(c)d 行(其中差额待审批 %(a)d 行),更新 %(u)d 行,删除 %(d)d 行。")
            % {
                "c": result.created,
                "a": result.adjustments,
                "u": result.updated,
                "d": result.deleted,
            },
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_back(request, f"{reverse('rewards:index')}?year={year}"))


REF_LABELS = {
    "deposit": "责任金",
    "village_year": "年度得分",
    "petition": "信访事件",
    "backlog": "信访积案",
    "relapse": "积案反弹",
    "dossier": "化解卷宗",
    "adjustment": "加减分事件",
    "sensitive_period": "敏感时期",
}


def _ref_url(kind: str, pk: int, year: int) -> str | None:
    try:
        if kind == "village_year":
            return f"{reverse('assessment:village_scores', args=[pk])}?year={year}"
        if kind == "sensitive_period":
            return reverse("governance:sensitiveperiod_detail", args=[pk])
    except NoReverseMatch:
        return None
    return record_url(kind, pk)


def ref_links(entry) -> list[tuple[str, int, str | None]]:
    """The records behind a line, with the page of each where there is one."""
    return [
        (REF_LABELS.get(kind, kind), pk, _ref_url(kind, pk, entry.year)) for kind, pk in entry.refs
    ]


@login_required
def entry_detail(request, pk: int):
    entry = selectors.entries_for(request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    history = entry.history.select_related("history_user").order_by("-history_date", "-pk")
    return render(
        request,
        "rewards/entry.html",
        {
            "entry": entry,
            "history": history,
            "adjustments": entry.adjustments.order_by("pk"),
            "links": ref_links(entry),
            "can_manage": request.user.has_perm(MANAGE, entry.township),
        },
    )


@login_required
def prior_years(request):
    """往年零上访情况: the township's statements of years kaohe did not keep, and the form that
    states one (a village's year stated again replaces what was stated, kept in its history).
    Township admins only; a year kaohe kept is refused on its field."""
    township = township_of(request.user)
    _require(request.user, MANAGE, township)
    initial = {"year": timezone.localdate().year - 1}
    form = PriorYearForm(request.POST or None, township=township, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            status = services.state_prior_year(
                village=data["village"],
                year=data["year"],
                zero_petition=data["zero_petition"],
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("已保存:%(village)s %(year)d年度。")
                % {"village": status.village, "year": status.year},
            )
            return redirect("rewards:prior_years")
    statuses = (
        PriorYearStatus.objects.filter(village__township=township)
        .select_related("village", "stated_by")
        .order_by("-year", "village__name")
    )
    return render(request, "rewards/prior_years.html", {"form": form, "statuses": statuses})
