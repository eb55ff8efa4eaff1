from datetime import date

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core import hooks

from . import rules
from .models import Area
from .models import District
from .models import Person
from .models import Responsibility
from .models import Township
from .models import Village
from .selectors import townships_with_counts


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name"]
    list_display_links = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Township)
class TownshipAdmin(SimpleHistoryAdmin):
    """The townships with their codes (what `createuser --township` takes) and counts, as
    `manage.py list_townships` prints them (villages.selectors.townships_with_counts)."""

    list_display = ["code", "name", "district", "village_count", "user_count"]
    list_display_links = ["code", "name"]
    list_filter = ["district"]
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        return townships_with_counts()

    @admin.display(description=_("村(居)数"), ordering="village_count")
    def village_count(self, obj):
        return obj.village_count

    @admin.display(description=_("用户数"), ordering="user_count")
    def user_count(self, obj):
        return obj.user_count


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "township"]
    list_filter = ["township"]
    search_fields = ["name"]


@admin.register(Village)
class VillageAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "area",
        "kind",
        "population",
        "households",
        "along_railway",
        "is_active",
        "active_from",
        "active_until",
        "merged_into",
    ]
    list_filter = ["township", "area", "kind", "along_railway", "has_cctv_room", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["merged_into"]

    def save_model(self, request, obj, form, change):
        """A change of the dates the village is assessed between rebuilds the months it
        changes (from January of last year to this month; a closed month stays as closed)."""
        stored = (
            Village.objects.filter(pk=obj.pk).values_list("active_from", "active_until").first()
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        if stored is None:
            return
        today = timezone.localdate()
        months = rules.months_changed(
            stored,
            (obj.active_from, obj.active_until),
            date(today.year - 1, 1, 1),
            today,
        )
        hooks.mark_stale(obj.pk, [date(y, m, 1) for y, m in months])


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ["village", "area"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "title", "phone", "township"]
    list_filter = ["township"]
    search_fields = ["name", "phone", "title"]
    inlines = [ResponsibilityInline]


@admin.register(Responsibility)
class ResponsibilityAdmin(SimpleHistoryAdmin):
    list_display = ["person", "role", "area", "village", "start", "end"]
    list_filter = ["role", "area", "village"]
    search_fields = ["person__name", "village__name", "area__name"]
    autocomplete_fields = ["person", "village", "area"]
    date_hierarchy = "start"
