"""Django admin for cases. The steps of an assigned case are taken on its page (cases.services),
so here its computed fields and step records are read-only; record edits go through
core.records, like every other write."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin
from core.admin import RecordAdmin

from . import services
from .models import AssignedCase
from .models import BacklogCase
from .models import BacklogRelapse
from .models import CaseExtension
from .models import CaseHandlerReport
from .models import CaseReview


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HandlerReportInline(ReadOnlyInline):
    model = CaseHandlerReport
    fields = ["names", "reported_date"]


class ReviewInline(ReadOnlyInline):
    model = CaseReview
    fields = ["review_date", "decision", "reason", "reviewed_by"]


class ExtensionInline(ReadOnlyInline):
    model = CaseExtension
    fields = ["requested_at", "requested_days", "reason", "state", "decided_by", "decision_reason"]


@admin.register(AssignedCase)
class AssignedCaseAdmin(RecordAdmin):
    list_display = [
        "title",
        "village",
        "assigned_by",
        "assigned_date",
        "due_date",
        "due_provisional",
        "state",
        "concluded_date",
    ]
    list_filter = ["state", "due_provisional", "village__township", "village", "assigned_date"]
    search_fields = ["title", "matter", "assigned_by", "reference", "village__name"]
    date_hierarchy = "assigned_date"
    readonly_fields = AssignedCase.SERVICE_FIELDS
    inlines = [HandlerReportInline, ReviewInline, ExtensionInline]

    def save_record(self, request, obj, *, change, reason):
        if change:
            return services.case_edit(case=obj, by=request.user, reason=reason)
        return services.case_assign(
            village=obj.village,
            title=obj.title,
            matter=obj.matter,
            reference=obj.reference,
            assigned_by=obj.assigned_by,
            assigned_date=obj.assigned_date,
            by=request.user,
        )


@admin.register(CaseHandlerReport)
class CaseHandlerReportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["case", "names", "reported_date"]
    list_filter = ["reported_date", "case__village"]
    search_fields = ["names", "case__title"]


@admin.register(CaseReview)
class CaseReviewAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["case", "decision", "review_date", "reviewed_by"]
    list_filter = ["decision", "review_date", "case__village"]
    search_fields = ["case__title", "reason"]
    date_hierarchy = "review_date"


@admin.register(CaseExtension)
class CaseExtensionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["case", "requested_days", "state", "requested_at", "decided_by", "decided_at"]
    list_filter = ["state", "case__village"]
    search_fields = ["case__title", "reason", "decision_reason"]


class RelapseInline(admin.TabularInline):
    model = BacklogRelapse
    extra = 0


@admin.register(BacklogCase)
class BacklogCaseAdmin(RecordAdmin):
    list_display = ["title", "village", "leader", "listed_date", "time_limit", "resolved_date"]
    list_filter = ["village__township", "village", "resolved_date", "time_limit"]
    search_fields = ["title", "matter", "leader__name", "working_group", "village__name"]
    autocomplete_fields = ["leader", "resolvers"]
    date_hierarchy = "listed_date"
    inlines = [RelapseInline]


@admin.register(BacklogRelapse)
class BacklogRelapseAdmin(RecordAdmin):
    list_display = ["case", "date", "note"]
    list_filter = ["date", "case__village"]
    search_fields = ["case__title", "note"]
    date_hierarchy = "date"
