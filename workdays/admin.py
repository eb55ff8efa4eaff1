"""Django admin for the calendar; writes go through workdays.services so due dates follow."""

from django import forms
from django.contrib import admin
from django.contrib import messages
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .calendar import library_covers
from .models import CalendarDay
from .models import CalendarYear


def _tell(request, change):
    result = change.recomputed
    if result.changed:
        messages.info(request, f"已重新计算 {len(result.changed)} 件交办件的办结期限。")
    for case, message in result.refused:
        messages.error(request, f"交办件「{case}」的办结期限未能更新:{message}")


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    search_fields = ["note", "date"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if change and "date" in form.changed_data:
            services.delete_override(day=form.initial["date"], by=request.user)
        result = services.set_override(
            day=obj.date, is_workday=obj.is_workday, note=obj.note, by=request.user
        )
        obj.pk = result.row.pk
        _tell(request, result)

    def delete_model(self, request, obj):
        _tell(request, services.delete_override(day=obj.date, by=request.user))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "note"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if self.instance.pk is None and library_covers(year):
            raise forms.ValidationError(f"{year}年的节假日已由内置法定节假日数据提供,无需录入。")
        return year


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    form = CalendarYearForm
    list_display = ["year", "entered_by", "entered_at", "note"]
    search_fields = ["year", "note"]
    list_filter = ["entered_at"]
    fields = ["year", "note", "entered_by", "entered_at"]
    readonly_fields = ["entered_by", "entered_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "year"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()  # only the note can change on an entered year
            return
        result = services.enter_year(year=obj.year, note=obj.note, by=request.user)
        obj.pk = result.row.pk
        _tell(request, result)

    def delete_model(self, request, obj):
        _tell(
            request,
            services.withdraw_year(year=obj.year, by=request.user, reason="管理后台撤销录入"),
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
