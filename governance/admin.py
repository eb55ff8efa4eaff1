"""Admin of the 综治中心 records: every write goes through core.records (core.admin.RecordAdmin);
township records through governance.services, samples are drawn by the survey service only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from audit.admin_reads import AuditedReadsAdmin
from core.admin import ReadOnlyAdminMixin
from core.admin import RecordAdmin

from . import services
from .models import AdjustmentEvent
from .models import CentreInspection
from .models import LandlineHousehold
from .models import LeadershipGroup
from .models import MeetingAttendance
from .models import Patrol
from .models import SensitivePeriod
from .models import SpecialPerson
from .models import Survey
from .models import SurveyAnswer
from .models import SurveySample
from .models import TownshipMeeting
from .models import VillageMeeting
from .models import ZeroReport


@admin.register(CentreInspection)
class CentreInspectionAdmin(RecordAdmin):
    list_display = [
        "village",
        "date",
        "inspector",
        "duty_records",
        "is_clean",
        "rules_complete",
        "dedicated_person",
    ]
    list_filter = ["village__township", "village", "duty_records", "is_clean", "rules_complete"]
    search_fields = ["village__name", "inspector", "note"]
    date_hierarchy = "date"
    autocomplete_fields = ["village"]


@admin.register(SpecialPerson)
class SpecialPersonAdmin(AuditedReadsAdmin, RecordAdmin):  # every read is audited (PIPL)
    list_display = ["name", "category", "village", "responsible", "registered", "removed"]
    list_filter = ["category", "village__township", "village"]
    search_fields = ["name", "responsible", "village__name"]
    date_hierarchy = "registered"
    autocomplete_fields = ["village"]


@admin.register(ZeroReport)
class ZeroReportAdmin(RecordAdmin):
    list_display = ["village", "category", "date"]
    list_filter = ["category", "village__township", "village"]
    search_fields = ["village__name", "note"]
    date_hierarchy = "date"
    autocomplete_fields = ["village"]


@admin.register(LeadershipGroup)
class LeadershipGroupAdmin(RecordAdmin):
    list_display = ["village", "kind", "established", "dissolved", "leader", "document_ref"]
    list_filter = ["kind", "village__township", "village"]
    search_fields = ["village__name", "leader", "members", "document_ref"]
    autocomplete_fields = ["village"]


@admin.register(LandlineHousehold)
class LandlineHouseholdAdmin(RecordAdmin):
    list_display = ["head", "phone", "village", "address", "active"]
    list_filter = ["active", "village__township", "village"]
    search_fields = ["head", "phone", "address", "village__name"]
    autocomplete_fields = ["village"]


@admin.register(Patrol)
class PatrolAdmin(RecordAdmin):
    list_display = ["village", "date", "start_time", "end_time", "participants", "route"]
    list_filter = ["village__township", "village"]
    search_fields = ["village__name", "participants", "route", "note"]
    date_hierarchy = "date"
    autocomplete_fields = ["village"]


@admin.register(VillageMeeting)
class VillageMeetingAdmin(RecordAdmin):
    list_display = ["village", "date", "topic", "studied_petition_work"]
    list_filter = ["studied_petition_work", "village__township", "village"]
    search_fields = ["village__name", "topic", "attendees", "minutes"]
    date_hierarchy = "date"
    autocomplete_fields = ["village"]


class MeetingAttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    autocomplete_fields = ["village"]


@admin.register(TownshipMeeting)
class TownshipMeetingAdmin(RecordAdmin):
    list_display = ["date", "topic", "township", "location"]
    list_filter = ["township"]
    search_fields = ["topic", "location", "note"]
    date_hierarchy = "date"
    inlines = [MeetingAttendanceInline]

    # A township meeting has no village: the township save guards its month and marks the
    # attending villages; its attendance rows are village records (core.records).
    def save_record(self, request, obj, *, change, reason):
        return services.township_record_save(instance=obj, user=request.user, reason=reason)

    def delete_record(self, request, obj, *, reason):
        services.township_record_delete(instance=obj, user=request.user, reason=reason)


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(RecordAdmin):
    list_display = ["meeting", "village", "status", "note"]
    list_filter = ["status", "village__township", "village"]
    search_fields = ["meeting__topic", "village__name", "note"]
    autocomplete_fields = ["village"]


class SurveySampleInline(admin.TabularInline):
    model = SurveySample
    extra = 0
    fields = ["order", "household"]
    readonly_fields = ["order", "household"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # drawn by the survey service


@admin.register(Survey)
class SurveyAdmin(RecordAdmin):
    list_display = ["village", "year", "quarter", "date", "sample_size", "seed", "drawn_at"]
    list_filter = ["year", "quarter", "village__township", "village"]
    search_fields = ["village__name", "note"]
    readonly_fields = ["seed", "sample_size", "population", "drawn_at", "drawn_by"]
    autocomplete_fields = ["village"]
    inlines = [SurveySampleInline]


@admin.register(SurveySample)
class SurveySampleAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Drawn by governance.services.survey_draw on the survey page; view only here."""

    list_display = ["survey", "order", "household"]
    list_filter = ["survey__year", "survey__quarter", "survey__village"]
    search_fields = ["household__head", "household__phone", "survey__village__name"]
    raw_id_fields = ["survey", "household"]


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(RecordAdmin):
    list_display = ["sample", "reached", "answer", "note"]
    list_filter = ["reached", "answer", "sample__survey__village"]
    search_fields = ["sample__household__head", "sample__household__phone", "note"]
    raw_id_fields = ["sample"]


@admin.register(AdjustmentEvent)
class AdjustmentEventAdmin(RecordAdmin):
    list_display = ["village", "date", "kind", "level", "document_ref"]
    list_filter = ["kind", "level", "village__township", "village"]
    search_fields = ["village__name", "description", "document_ref"]
    date_hierarchy = "date"
    autocomplete_fields = ["village"]


@admin.register(SensitivePeriod)
class SensitivePeriodAdmin(RecordAdmin):
    list_display = ["name", "township", "start", "end", "bonus_points", "award_amount"]
    list_filter = ["township"]
    search_fields = ["name", "note"]
    date_hierarchy = "start"

    def save_record(self, request, obj, *, change, reason):
        return services.township_record_save(instance=obj, user=request.user, reason=reason)

    def delete_record(self, request, obj, *, reason):
        services.township_record_delete(instance=obj, user=request.user, reason=reason)
