from django.contrib import admin

from .models import Period, PeriodEvent


class PeriodEventInline(admin.TabularInline):
    model = PeriodEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_state", "to_state", "reason", "by", "at"]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["township", "year", "month", "state", "published_at", "closed_at"]
    list_filter = ["township", "year", "state"]
    search_fields = ["township__name"]
    readonly_fields = ["state", "published_at", "closed_at"]
    inlines = [PeriodEventInline]
