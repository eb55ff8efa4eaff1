"""Pages of the 综治中心 work: generic record pages per kind, plus the pages that are more.

Village records use core.views as they are (with a month filter added). Township records get
the same pages with their own scope and saves (governance.access, governance.services). The
attendance and survey-answer pages save all rows or none.
"""

from dataclasses import dataclass
from datetime import date
from datetime import timedelta

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.access import get_for_user
from accounts.access import visible_villages
from audit import services as audit
from core import hooks
from core.views import RecordCreate
from core.views import RecordDelete
from core.views import RecordDetail
from core.views import RecordList
from core.views import RecordPages
from core.views import RecordRevert
from core.views import RecordUpdate
from core.views import add_validation_errors

from . import rules
from . import selectors
from . import services
from .access import SPECIAL_READ_PERM
from .access import TOWNSHIP_READ_PERM
from .access import get_township_record
from .access import scope_township
from .choices import GroupKind
from .choices import SpecialCategory
from .forms import AttendanceRowForm
from .forms import PatrolWeekForm
from .forms import ReasonForm
from .forms import SurveyAnswerForm
from .forms import SurveyDrawForm
from .models import MeetingAttendance
from .models import Patrol
from .models import Survey
from .models import SurveyAnswer
from .models import TownshipMeeting

APP = "governance"


def parse_month(value: str | None) -> tuple[int, int] | None:
    """'2026-04' -> (2026, 4); anything else -> None."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        date(year, month, 1)
    except ValueError:
        return None
    return year, month


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


class MonthInput(forms.TextInput):
    input_type = "month"


@dataclass
class GovernancePages(RecordPages):
    """RecordPages with a month filter on the record's date and per-kind view classes."""

    month_field: str | None = "date"

    def filterset_class(self):
        base = super().filterset_class()
        if not self.month_field:
            return base
        month_field = self.month_field

        def by_month(queryset, name, value):
            found = parse_month(value)
            if found is None:
                return queryset
            year, month = found
            return queryset.filter(**{f"{month_field}__year": year, f"{month_field}__month": month})

        month = django_filters.CharFilter(
            label=gettext_lazy("月份"), method=by_month, widget=MonthInput
        )
        return type(base.__name__, (base,), {"month": month})


# --- township-level records ------------------------------------------------------------------


class TownshipScoped:
    """Swap the village scope of the generic pages for the township one."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.has_perm(TOWNSHIP_READ_PERM):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        qs = self.pages.model._default_manager.all()
        if self.pages.select_related:
            qs = qs.select_related(*self.pages.select_related)
        return scope_township(qs, self.request.user)

    def get_object(self, queryset=None):
        return get_township_record(self.base_queryset(), self.request.user, pk=self.kwargs["pk"])


class TownshipList(TownshipScoped, RecordList):
    pass


class TownshipCreate(TownshipScoped, RecordCreate):
    pass


class TownshipUpdate(TownshipScoped, RecordUpdate):
    pass


class TownshipDetail(TownshipScoped, RecordDetail):
    pass


class TownshipDelete(TownshipScoped, RecordDelete):
    def delete_record(self, reason: str, expected_version: int | None) -> None:
        services.township_record_delete(instance=self.object, user=self.request.user, reason=reason)


class TownshipRevert(TownshipScoped, RecordRevert):
    def revert_record(self, obj, historical) -> None:
        services.township_record_revert(historical=historical, user=self.request.user)


TOWNSHIP_VIEWS = {
    "list": TownshipList,
    "create": TownshipCreate,
    "detail": TownshipDetail,
    "update": TownshipUpdate,
    "delete": TownshipDelete,
    "revert": TownshipRevert,
}


class TownshipMeetingCreate(TownshipCreate):
    """After the meeting, straight on to its attendance page."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code == 302 and form.instance.pk and not self.add_another():
            return redirect(reverse(f"{APP}:townshipmeeting_attendance", args=[form.instance.pk]))
        return response


class TownshipMeetingDetail(TownshipDetail):
    template_name = "governance/townshipmeeting_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["sheet"] = selectors.meeting_attendance_sheet(meeting=self.object)
        ctx["attendance_url"] = reverse(f"{APP}:townshipmeeting_attendance", args=[self.object.pk])
        return ctx


class MeetingAttendanceView(LoginRequiredMixin, TemplateView):
    """评分表 五.6: every village's attendance at one township meeting, saved all or none."""

    template_name = "governance/meeting_attendance.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not request.user.has_perm(TOWNSHIP_READ_PERM):
                raise PermissionDenied
            self.meeting = get_township_record(
                TownshipMeeting.objects.select_related("township"), request.user, pk=kwargs["pk"]
            )
            if not request.user.has_perm("kaohe.change_records", self.meeting):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def build(self, data=None):
        rows = []
        for line in selectors.meeting_attendance_sheet(meeting=self.meeting):
            instance = line.attendance or MeetingAttendance(
                meeting=self.meeting, village=line.village
            )
            form = AttendanceRowForm(data, prefix=f"v{line.village.pk}", instance=instance)
            rows.append((line.village, form))
        editing = any(form.instance.pk for _village, form in rows)
        reason = ReasonForm(data, prefix="r") if editing else None
        return rows, reason

    def get(self, request, *args, **kwargs):
        rows, reason = self.build()
        return self.render_to_response(self.get_context_data(rows=rows, reason_form=reason))

    def post(self, request, *args, **kwargs):
        rows, reason = self.build(request.POST)
        valid = all([form.is_valid() for _village, form in rows])
        if reason is not None:
            valid = reason.is_valid() and valid
        errors = []
        if valid:
            try:
                services.meeting_attendance_save(
                    meeting=self.meeting,
                    rows=[form.save(commit=False) for _village, form in rows],
                    user=request.user,
                    reason=reason.cleaned_data["reason"] if reason else _("登记出席情况"),
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("已保存出席情况:%(m)s") % {"m": self.meeting})
                return redirect(reverse(f"{APP}:townshipmeeting_detail", args=[self.meeting.pk]))
        ctx = self.get_context_data(rows=rows, reason_form=reason, page_errors=errors)
        return self.render_to_response(ctx)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["meeting"] = self.meeting
        ctx["detail_url"] = reverse(f"{APP}:townshipmeeting_detail", args=[self.meeting.pk])
        return ctx


# --- surveys ---------------------------------------------------------------------------------


class SurveyDetail(RecordDetail):
    """The survey with its sample and answers; posting here draws the sample."""

    template_name = "governance/survey_detail.html"
    draw_form = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        sheet = selectors.survey_sheet(survey=self.object)
        ctx["sheet"] = sheet
        ctx["can_draw"] = ctx["can_change"] and sheet.answered == 0
        ctx["show_draw"] = ctx["can_draw"] or bool(self.draw_form and self.draw_form.errors)
        ctx["draw_form"] = self.draw_form or SurveyDrawForm()
        ctx["answers_url"] = reverse(f"{APP}:survey_answers", args=[self.object.pk])
        ctx["sample_min"], ctx["sample_max"] = rules.SAMPLE_MIN, rules.SAMPLE_MAX
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.can_change(self.object):
            raise PermissionDenied
        form = SurveyDrawForm(request.POST)
        if form.is_valid():
            try:
                samples = services.survey_draw(
                    survey=self.object,
                    size=form.cleaned_data["size"],
                    seed=form.cleaned_data["seed"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, _("已随机抽取 %(n)s 户。") % {"n": len(samples)})
                return redirect(self.url("detail", self.object.pk))
        self.draw_form = form
        return self.render_to_response(self.get_context_data(object=self.object))


class SurveyAnswersView(LoginRequiredMixin, TemplateView):
    """评分表 四.6: the answers of every sampled household, saved all or none."""

    template_name = "governance/survey_answers.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.survey = get_for_user(
                Survey.objects.select_related("village"), request.user, pk=kwargs["pk"]
            )
            if not request.user.has_perm("kaohe.change_records", self.survey):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def build(self, data=None):
        rows = []
        for line in selectors.survey_sheet(survey=self.survey).rows:
            instance = line.answer or SurveyAnswer(sample=line.sample)
            form = SurveyAnswerForm(data, prefix=f"s{line.sample.pk}", instance=instance)
            rows.append((line.sample, form))
        editing = any(form.instance.pk for _sample, form in rows)
        return rows, (ReasonForm(data, prefix="r") if editing else None)

    def get(self, request, *args, **kwargs):
        rows, reason = self.build()
        if not rows:
            messages.error(request, _("请先随机抽样,再录入回访结果。"))
            return redirect(reverse(f"{APP}:survey_detail", args=[self.survey.pk]))
        return self.render_to_response(self.get_context_data(rows=rows, reason_form=reason))

    def post(self, request, *args, **kwargs):
        rows, reason = self.build(request.POST)
        valid = bool(rows) and all([form.is_valid() for _sample, form in rows])
        if reason is not None:
            valid = reason.is_valid() and valid
        errors = []
        if valid:
            try:
                services.survey_answers_save(
                    survey=self.survey,
                    answers=[form.save(commit=False) for _sample, form in rows],
                    user=request.user,
                    reason=reason.cleaned_data["reason"] if reason else _("录入回访结果"),
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("已保存回访结果:%(s)s") % {"s": self.survey})
                return redirect(reverse(f"{APP}:survey_detail", args=[self.survey.pk]))
        ctx = self.get_context_data(rows=rows, reason_form=reason, page_errors=errors)
        return self.render_to_response(ctx)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["survey"] = self.survey
        ctx["detail_url"] = reverse(f"{APP}:survey_detail", args=[self.survey.pk])
        return ctx


# --- the special-person register (PIPL: sensitive personal information) ----------------------


def _ids_shown(context) -> list[int] | None:
    """The records a page shows: its object, or its list's rows; None for a page of none (the
    create form)."""
    obj = context.get("object")
    if obj is not None and obj.pk is not None:
        return [obj.pk]
    if "object_list" in context:
        return [row.pk for row in context["object_list"]]
    return None


class SpecialPersonReads:
    """Names on the register are read only by who keeps it (kaohe.view_special_persons; a leader
    is answered 403 and reads the counts page), and every page showing rows is audited with the
    ids it showed: the one audit call of the HTML pages."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(SPECIAL_READ_PERM):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        ids = _ids_shown(context)
        if ids is not None:
            audit.record_read(self.request, model=self.pages.model, ids=ids, door="page")
        return super().render_to_response(context, **response_kwargs)


SPECIAL_PERSON_VIEWS = {
    kind: type(f"SpecialPerson{view.__name__}", (SpecialPersonReads, view), {})
    for kind, view in [
        ("list", RecordList),
        ("create", RecordCreate),
        ("detail", RecordDetail),
        ("update", RecordUpdate),
        ("delete", RecordDelete),
        ("revert", RecordRevert),
    ]
}


class SpecialPersonCountsView(LoginRequiredMixin, TemplateView):
    """The register as a leader reads it: persons on the register at a day per village and
    category, numbers only (no name is read, so nothing is audited)."""

    template_name = "governance/specialperson_counts.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        day = parse_day(self.request.GET.get("day")) or timezone.localdate()
        rows = selectors.special_person_counts_of(
            villages=visible_villages(self.request.user), day=day
        )
        codes = SpecialCategory.values
        totals = [sum(row.by_category[code] for row in rows) for code in codes]
        ctx.update(
            day=day,
            labels=SpecialCategory.labels,
            rows=[(row, [row.by_category[code] for code in codes]) for row in rows],
            totals=totals,
            total=sum(totals),
            can_read_names=self.request.user.has_perm(SPECIAL_READ_PERM),
        )
        return ctx


# --- registers and patrol weeks --------------------------------------------------------------


def _by_township(villages) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for pk, township_id in villages.values_list("pk", "township_id"):
        found.setdefault(township_id, []).append(pk)
    return found


class RegistersView(LoginRequiredMixin, TemplateView):
    """The registers of every village the user may see, as they stood on a day."""

    template_name = "governance/registers.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        day = parse_day(self.request.GET.get("day")) or timezone.localdate()
        rows = []
        for township_id, ids in _by_township(visible_villages(self.request.user)).items():
            rows += selectors.registers_overview(township=township_id, day=day, village_ids=ids)
        ctx.update(day=day, rows=rows, n_categories=len(SpecialCategory.values))
        return ctx


class VillageRegisterView(LoginRequiredMixin, TemplateView):
    """One village's registers on a day: which categories are covered, which groups run."""

    template_name = "governance/register_village.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        village = visible_villages(self.request.user).filter(pk=self.kwargs["pk"]).first()
        if village is None:
            raise Http404
        day = parse_day(self.request.GET.get("day")) or timezone.localdate()
        (row,) = selectors.registers_overview(
            township=village.township_id, day=day, village_ids=[village.pk]
        )
        categories = [
            (
                label,
                row.persons_by_category.get(code, 0),
                code in row.categories_covered,
            )
            for code, label in SpecialCategory.choices
        ]
        required = rules.required_groups(
            village.along_railway, GroupKind.values, {GroupKind.RAILWAY}
        )
        groups = [
            (label, code in row.groups_active)
            for code, label in GroupKind.choices
            if code in required
        ]
        ctx.update(village=village, day=day, row=row, categories=categories, groups=groups)
        return ctx


class PatrolWeeksView(LoginRequiredMixin, TemplateView):
    """评分表 四.4 for a village-month: each week (by its Thursday) with its patrols vs 3."""

    template_name = "governance/patrol_weeks.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        villages = (
            visible_villages(self.request.user)
            .select_related("area")
            .order_by("area__name", "name")
        )
        village = None
        wanted = self.request.GET.get("village")
        if wanted and wanted.isdigit():
            village = villages.filter(pk=int(wanted)).first()
            if village is None:
                raise Http404
        elif villages.exists():
            village = villages.first()
        today = timezone.localdate()
        year, month = parse_month(self.request.GET.get("month")) or (today.year, today.month)
        weeks = selectors.patrol_weeks(village=village, year=year, month=month) if village else []
        ctx.update(
            villages=villages,
            village=village,
            month_value=f"{year:04d}-{month:02d}",
            year=year,
            month=month,
            weeks=weeks,
            per_week=rules.PATROLS_PER_WEEK,
            total=sum(w.count for w in weeks),
            missing=sum(w.missing for w in weeks),
            can_enter=self.request.user.has_perm("kaohe.change_records"),
        )
        return ctx


class PatrolWeekGridView(LoginRequiredMixin, TemplateView):
    """评分表 四.4 entered a week at a time (issue 13.3): villages x the seven days of one week,
    each cell the number of patrols that day; saving adds the missing patrols through
    services.patrol_week_save (one attributed transaction, all or nothing). Days after today
    or in a closed month are locked."""

    template_name = "governance/patrol_week_grid.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            if not user.has_perm("kaohe.change_records"):
                raise PermissionDenied
            self.villages = [
                v
                for v in visible_villages(user)
                .select_related("area")
                .order_by("area__name", "name")
                if user.has_perm("kaohe.change_records", v)
            ]
            today = timezone.localdate()
            self.today = today
            self.days = rules.week_days(parse_day(request.GET.get("week")) or today)
        return super().dispatch(request, *args, **kwargs)

    def url_of(self, monday):
        return f"{reverse(f'{APP}:patrol_week_grid')}?week={monday.isoformat()}"

    def build(self, data=None):
        days, ids = self.days, [v.pk for v in self.villages]
        counts = {
            (row["village_id"], row["date"]): row["n"]
            for row in Patrol.objects.filter(village_id__in=ids, date__range=(days[0], days[-1]))
            .values("village_id", "date")
            .annotate(n=Count("pk"))
        }
        participants = {}
        recent = Patrol.objects.filter(village_id__in=ids, date__lte=days[-1])
        for village_id, who in recent.order_by("-date", "-pk").values_list(
            "village_id", "participants"
        )[: 20 * max(len(ids), 1)]:
            participants.setdefault(village_id, who)
        locked = set()
        for township_id in {v.township_id for v in self.villages}:
            closed = {(p.year, p.month) for p in hooks.closed_months(township_id, days)}
            for day in days:
                if day > self.today or (day.year, day.month) in closed:
                    locked.add((township_id, day))
        return PatrolWeekForm(
            data,
            villages=self.villages,
            days=days,
            counts=counts,
            participants=participants,
            locked=locked,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.build()))

    def post(self, request, *args, **kwargs):
        form = self.build(request.POST)
        if form.is_valid():
            try:
                created = services.patrol_week_save(entries=form.entries, user=request.user)
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    village_id, _sep, day = key.partition(":")
                    name = PatrolWeekForm.cell_name(int(village_id), date.fromisoformat(day))
                    form.add_error(name if name in form.fields else None, errors)
            else:
                if created:
                    messages.success(request, _("已新增 %(n)s 条巡逻记录。") % {"n": len(created)})
                else:
                    messages.info(request, _("没有需要新增的巡逻记录。"))
                return redirect(self.url_of(self.days[0]))
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        monday = self.days[0]
        ctx.update(
            days=self.days,
            monday=monday,
            sunday=self.days[-1],
            previous_url=self.url_of(monday - timedelta(days=7)),
            next_url=self.url_of(monday + timedelta(days=7)),
            weeks_url=f"{reverse(f'{APP}:patrol_weeks')}?month={self.days[3]:%Y-%m}",
            per_week=rules.PATROLS_PER_WEEK,
            max_per_day=rules.MAX_PATROLS_PER_DAY,
        )
        return ctx
