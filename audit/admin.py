"""The audit log in the admin: read only for everyone, the superuser too (no add, change or
delete permission, so no "delete selected" action either); filters and search to find rows.
A township's users see only their own township's rows."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "address", "object_type", "object_repr", "detail"]
    list_filter = ["action", "at", "object_type", "township"]
    search_fields = ["username", "address", "object_repr", "detail"]
    date_hierarchy = "at"
    list_select_related = False
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(township_id=request.user.township_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
