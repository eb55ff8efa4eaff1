"""The township admins' calendar page: years covered, entered or missing; overrides; entering.

What the calendar means for the cases' due dates (the years they were counted in provisionally,
recomputing them) is the cases' to answer, through core.hooks: workdays never imports cases.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import require
from core import hooks

from . import services
from .forms import EnterYearForm
from .forms import OverrideForm
from .selectors import KIND_LABELS
from .selectors import month_grid
from .selectors import overrides_in_year
from .selectors import year_statuses

MANAGE = services.MANAGE


def report_recompute(request, change) -> None:
    """Tell the admin what a calendar change did to due dates (never a silent change)."""
    result = change.recomputed
    if result.changed:
        messages.info(
            request,
            _("已按新的工作日历重新计算 %(n)s 件交办件的办结期限:%(cases)s")
            % {
                "n": len(result.changed),
                "cases": "、".join(f"{c}(→{c.due_date:%Y-%m-%d})" for c in result.changed),
            },
        )
    for case, message in result.refused:
        messages.error(
            request,
            _("交办件「%(case)s」的办结期限未能更新:%(msg)s") % {"case": case, "msg": message},
        )


def _page(request, *, override_form=None, year_form=None, status=200):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    try:
        month = int(request.GET.get("month", today.month if year == today.year else 1))
    except ValueError:
        month = 1
    if not 2000 <= year <= 2100:
        year = today.year
    month = min(max(month, 1), 12)
    provisional = hooks.provisional_years(request.user)
    statuses = year_statuses({today.year - 1, today.year, today.year + 1, year, *provisional})
    missing = [s.year for s in statuses if s.is_missing]
    context = {
        "year": year,
        "grid": month_grid(year, month),
        "legend": [(kind, label) for kind, label in KIND_LABELS.items()],
        "statuses": statuses,
        "overrides": overrides_in_year(year),
        "provisional_years": provisional,
        "missing_years": missing,
        "override_form": override_form or OverrideForm(),
        "year_form": year_form or EnterYearForm(initial={"year": missing[0] if missing else ""}),
    }
    return render(request, "workdays/calendar.html", context, status=status)


def _back(year=None):
    url = reverse("workdays:calendar")
    return redirect(f"{url}?year={year}" if year else url)


@login_required
def calendar(request):
    require(request.user, MANAGE)
    return _page(request)


@login_required
@require_POST
def override_add(request):
    require(request.user, MANAGE)
    form = OverrideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = services.set_override(
                day=data["date"], is_workday=data["is_workday"], note=data["note"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存:%(row)s") % {"row": change.row})
            report_recompute(request, change)
            return _back(data["date"].year)
    return _page(request, override_form=form)


@login_required
@require_POST
def override_delete(request):
    require(request.user, MANAGE)
    day = parse_date(request.POST.get("date", ""))
    if day is None:
        messages.error(request, _("日期无效。"))
        return _back()
    try:
        change = services.delete_override(day=day, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(day.year)
    messages.success(request, _("已删除:%(row)s") % {"row": change.row})
    report_recompute(request, change)
    return _back(day.year)


@login_required
@require_POST
def year_enter(request):
    require(request.user, MANAGE)
    form = EnterYearForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = services.enter_year(year=data["year"], note=data["note"], by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("year", message)
        else:
            messages.success(
                request, _("%(year)s年节假日已确认录入,不再按暂定计算。") % {"year": data["year"]}
            )
            report_recompute(request, change)
            return _back(data["year"])
    return _page(request, year_form=form)


@login_required
@require_POST
def recompute(request):
    """Retry the provisional dates that a closed month held back, once it is reopened."""
    require(request.user, MANAGE)
    result = hooks.provisional_due_dates(by=request.user)
    report_recompute(request, services.CalendarChange(None, result))
    if not result.changed and not result.refused:
        messages.info(request, _("没有需要更新的办结期限。"))
    return _back()
