"""Import batches are a trail, not data to edit: read-only in the admin (the file itself is never
linked, uploads are served by no URL)."""

from django.contrib import admin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "filename", "kind", "township", "district", "state", "rows", "uploaded_by", "created_at",
    )  # fmt: skip
    list_filter = ("kind", "state", "township", "district")
    search_fields = ("filename", "sha256", "uploaded_by__username")
    exclude = ("file", "report")
    readonly_fields = (
        "kind", "township", "district", "filename", "size", "sha256", "rows", "state", "counts",
        "uploaded_by", "created_at", "imported_at",
    )  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
