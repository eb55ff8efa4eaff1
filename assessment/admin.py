from django.contrib import admin
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from .models import Contest
from .models import Period
from .models import PeriodEvent
from .models import RubricAssignment
from .models import RubricEntry
from .models import RubricSection
from .models import RubricVersion
from .models import ScoreLine
from .models import ScoreSheet
from .rubrics import rubric_of


class PeriodEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PeriodEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["action_label", "from_state", "to_state", "reason", "by", "at"]

    @admin.display(description=_("操作"))
    def action_label(self, obj):
        return obj.action_label


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Periods move only through the services (publish/close/reopen pages), never by editing:
    deleting a closed period here would reopen its month behind the workflow's back."""

    list_display = ["township", "year", "month", "state", "published_at", "closed_at"]
    list_filter = ["township", "year", "state"]
    search_fields = ["township__name"]
    readonly_fields = ["township", "year", "month", "state", "published_at", "closed_at"]
    inlines = [PeriodEventInline]


class LockedVersionMixin:
    """A version that scored a closed month is read-only: copy it instead."""

    def _locked(self, obj):
        version = obj if isinstance(obj, RubricVersion) else getattr(obj, "version", None)
        return version is not None and version.is_locked

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)


class RubricSectionInline(LockedVersionMixin, admin.TabularInline):
    model = RubricSection
    extra = 0


class RubricEntryInline(LockedVersionMixin, admin.StackedInline):
    model = RubricEntry
    extra = 0
    fields = [("category", "code", "section", "points", "order"), "title", "kind", "params"]


@admin.register(RubricVersion)
class RubricVersionAdmin(LockedVersionMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "locked_at", "created_at"]
    search_fields = ["code", "name"]
    readonly_fields = ["locked_at", "created_by", "based_on"]
    inlines = [RubricSectionInline, RubricEntryInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)

        try:
            rubric_of(form.instance)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))


@admin.register(RubricEntry)
class RubricEntryAdmin(LockedVersionMixin, SimpleHistoryAdmin):
    list_display = ["version", "category", "code", "title", "points", "kind"]
    list_filter = ["version", "category"]
    search_fields = ["code", "title", "kind"]


@admin.register(RubricAssignment)
class RubricAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["township", "year", "version"]
    list_filter = ["township", "year"]
    search_fields = ["version__code"]


class ScoreLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ScoreLine
    extra = 0
    can_delete = False
    readonly_fields = ["position", "item_code", "points", "raw_points", "reason", "refs"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Derived data: rebuilt by the scoring service, read-only here (no delete either)."""

    list_display = ["village", "year", "month", "total", "version", "computed_at"]
    list_filter = ["year", "month", "village__township", "version"]
    search_fields = ["village__name"]
    inlines = [ScoreLineInline]


@admin.register(Contest)
class ContestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A contest is filed and decided through assessment.services on the contests page."""

    list_display = ["village", "year", "month", "item_code", "state", "filed_by", "decided_by"]
    list_filter = ["state", "year", "month"]
    search_fields = ["village__name", "reason", "line_reason"]
    readonly_fields = [f.name for f in Contest._meta.fields]
