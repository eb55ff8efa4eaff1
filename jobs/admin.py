from django.contrib import admin

from .access import visible_jobs
from .models import Job
from .models import Notification


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only, and scoped like the pages: jobs are written by their services only, and a
    township's admin sees that township's jobs, not every township's."""

    list_display = [
        "title",
        "kind",
        "township",
        "state",
        "progress",
        "requested_by",
        "created_at",
        "heartbeat_at",
        "finished_at",
    ]
    list_filter = ["state", "kind"]
    search_fields = ["title", "error", "message"]

    def get_queryset(self, request):
        return visible_jobs(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "body", "user__username"]
