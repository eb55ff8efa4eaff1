"""Pages of assigned and backlog cases: the generic record pages, plus the case's steps.

An assigned case's page shows its computed due date and alert tier and one small POST form per
step the user may take now; every step goes through cases.services.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import scope
from core.views import RecordCreate
from core.views import RecordDetail
from core.views import RecordList
from core.views import RecordUpdate
from workdays.calendar import WorkCalendar

from . import services
from .choices import AlertTier
from .choices import ExtensionState
from .forms import ACTION_FORMS
from .forms import run_action
from .forms import township_people
from .models import AssignedCase
from .models import CaseReview
from .selectors import provisional_years
from .tiers import TIER_BADGE
from .tiers import bounds_for
from .tiers import tier_for_dates
from .tiers import tier_q


class BannerMixin:
    """The provisional-calendar banner on every case page (docs/rubric.md "Deadlines")."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["provisional_years"] = provisional_years(
            scope(AssignedCase.objects.all(), self.request.user)
        )
        return ctx


class TierMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()
        self.bounds = bounds_for(self.today, calendar=WorkCalendar())

    def tier_of(self, case):
        tier = tier_for_dates(case.due_date, case.concluded_date, self.bounds)
        return {"value": tier, "label": tier.label, "badge": TIER_BADGE[tier]}


# assigned cases -----------------------------------------------------------------------------
class AssignedList(BannerMixin, TierMixin, RecordList):
    template_name = "cases/assigned_list.html"

    def get_filterset_class(self):
        bounds = self.bounds

        def by_tier(queryset, name, value):
            return queryset.filter(tier_q(value, bounds)) if value else queryset

        tier = django_filters.ChoiceFilter(
            label=_("预警"), choices=AlertTier.choices, method=by_tier, empty_label=_("全部")
        )
        return type("AssignedCaseTierFilterSet", (super().get_filterset_class(),), {"tier": tier})

    def get_queryset(self):
        return super().get_queryset().order_by("-assigned_date", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = [(case, self.tier_of(case)) for case in ctx["object_list"]]
        ctx["today"] = self.today
        return ctx


class AssignedDetail(BannerMixin, TierMixin, RecordDetail):
    template_name = "cases/assigned_detail.html"

    def base_queryset(self):
        return (
            super()
            .base_queryset()
            .prefetch_related(
                "handler_reports",
                "extensions__decided_by",
                "extensions__requested_by",
                Prefetch("reviews", queryset=CaseReview.objects.select_related("reviewed_by")),
            )
        )

    def get_context_data(self, bound=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case = self.object
        allowed = services.allowed_actions(case, self.request.user)
        forms = []
        for action in allowed:
            if bound and bound[0] == action:
                form = bound[1]
            else:
                form = ACTION_FORMS[action](auto_id=f"id_{action}_%s")
            forms.append({"action": action, "label": services.ACTION_LABELS[action], "form": form})
        ctx.update(
            tier=self.tier_of(case),
            action_forms=forms,
            open_action=bound[0] if bound else None,
            pending_extension=next(
                (e for e in case.extensions.all() if e.state == ExtensionState.PENDING), None
            ),
        )
        return ctx


class AssignedAction(AssignedDetail):
    """POST one step of the case; an invalid step shows the case page with the form's errors."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        action = kwargs["action"]
        form_class = ACTION_FORMS.get(action)
        if form_class is None:
            raise Http404
        self.object = case = self.get_object()
        if not request.user.has_perm(services.ACTION_PERMS[action], case):
            raise PermissionDenied
        form = form_class(request.POST, auto_id=f"id_{action}_%s")
        if form.is_valid():
            try:
                run_action(action, form, case=case, by=request.user)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("已%(action)s:%(case)s")
                    % {"action": services.ACTION_LABELS[action], "case": case},
                )
                return redirect(self.url("detail", case.pk))
        self.object = self.get_object()  # re-read: a refused step changed nothing
        return self.render_to_response(self.get_context_data(bound=(action, form)))


# backlog cases ------------------------------------------------------------------------------
class FormsetsMixin:
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["formsets"] = getattr(ctx["form"], "formsets", [])
        return ctx


class BacklogCreate(FormsetsMixin, RecordCreate):
    template_name = "cases/backlog_form.html"


class BacklogUpdate(FormsetsMixin, RecordUpdate):
    template_name = "cases/backlog_form.html"


class BacklogList(RecordList):
    def get_filterset_class(self):
        def by_state(queryset, name, value):
            if value == "open":
                return queryset.filter(resolved_date__isnull=True)
            if value == "resolved":
                return queryset.filter(resolved_date__isnull=False)
            return queryset

        state = django_filters.ChoiceFilter(
            label=_("化解情况"),
            choices=[("open", _("未化解")), ("resolved", _("已化解"))],
            method=by_state,
            empty_label=_("全部"),
        )
        return type("BacklogCaseStateFilterSet", (super().get_filterset_class(),), {"state": state})

    def get_filterset(self, filterset_class):
        fs = super().get_filterset(filterset_class)
        if "leader" in fs.filters:
            fs.filters["leader"].queryset = township_people(self.request.user)
        return fs


class BacklogDetail(RecordDetail):
    template_name = "cases/backlog_detail.html"

    def base_queryset(self):
        return super().base_queryset().select_related("leader").prefetch_related("resolvers")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["relapses"] = self.object.relapses.all()
        # simple-history keeps resolvers as rows of ids; show the people's names instead.
        names = dict(township_people(self.request.user).values_list("pk", "name"))
        for row in ctx["history"]:
            row["changes"] = [
                (label, _people(old, names), _people(new, names))
                if isinstance(old, list) or isinstance(new, list)
                else (label, old, new)
                for label, old, new in row["changes"]
            ]
        return ctx


def _people(value, names) -> str:
    if not isinstance(value, list):
        return value
    return "、".join(names.get(item.get("person"), "?") for item in value) or "—"
