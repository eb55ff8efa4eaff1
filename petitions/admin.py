"""Admin of petitions and disputes: history on every model, writes through core.records (so the
closed-month guard, attribution and recompute hold here too), ID numbers masked."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.admin import RecordAdmin as BaseRecordAdmin
from core.records import record_delete
from core.records import record_save

from .forms import PetitionerForm
from .forms import ProtectedFileInput
from .models import BaobaoEntry
from .models import Dispute
from .models import DisputeReport
from .models import Dossier
from .models import Petition
from .models import Petitioner
from .models import ReceptionLog
from .models import UnreportedCandidate


class RecordAdmin(BaseRecordAdmin):
    """core.admin.RecordAdmin (writes through core.records), with files never linked."""

    formfield_overrides = {
        # Never a link to the stored file: files are served only by the checked download views.
        models.FileField: {"widget": ProtectedFileInput},
    }


class PetitionerInline(admin.TabularInline):
    model = Petitioner
    form = PetitionerForm
    extra = 0


@admin.register(Petition)
class PetitionAdmin(RecordAdmin):
    list_display = [
        "date",
        "village",
        "level",
        "channel",
        "nature",
        "collective",
        "person_count",
        "stabilised_in_time",
        "source",
        "source_ref",
    ]
    list_filter = [
        "level",
        "channel",
        "nature",
        "collective",
        "stabilised_in_time",
        "new_problem_unresolved",
        "large_impact",
        "source",
        "village__township",
        "village",
    ]
    search_fields = ["matter", "source_ref", "petitioners__name", "village__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["village", "carried_opinion"]
    inlines = [PetitionerInline]

    def save_related(self, request, form, formsets, change):
        # Petitioners go through core.records as well (history with who and why); the lists
        # below are what the admin's change message reads.
        form.save_m2m()
        reason = self.change_reason(form)
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for inline_form in formset.forms:
                person = inline_form.instance
                if inline_form.cleaned_data.get("DELETE"):
                    if person.pk:
                        record_delete(instance=person, user=request.user, reason=reason)
                        formset.deleted_objects.append(person)
                    continue
                if not inline_form.has_changed():
                    continue
                is_new = person.pk is None
                person = inline_form.save(commit=False)
                person.petition = form.instance
                record_save(instance=person, user=request.user, reason=reason)
                if is_new:
                    formset.new_objects.append(person)
                else:
                    formset.changed_objects.append((person, inline_form.changed_data))


class PetitionerAdminForm(PetitionerForm):
    class Meta(PetitionerForm.Meta):
        fields = ["petition", "name", "id_number"]


@admin.register(Petitioner)
class PetitionerAdmin(RecordAdmin):
    form = PetitionerAdminForm
    list_display = ["name", "masked_id", "petition", "village_name"]
    list_filter = ["petition__level", "petition__village"]
    search_fields = ["name", "=id_number", "petition__matter"]
    autocomplete_fields = ["petition"]
    # The historical rows would show the whole number; the history page lists who and when.
    history_list_display = ["name"]

    @admin.display(description=_("身份证号"))
    def masked_id(self, obj):
        return obj.masked_id

    @admin.display(description=_("村(居)"))
    def village_name(self, obj):
        return obj.petition.village

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("petition__village")


@admin.register(ReceptionLog)
class ReceptionLogAdmin(RecordAdmin):
    list_display = [
        "date",
        "village",
        "visitor_name",
        "opinion_issued",
        "mediator_name",
        "opinion_number",
    ]
    list_filter = ["opinion_issued", "village__township", "village"]
    search_fields = ["visitor_name", "matter", "opinion_number", "mediator_name"]
    date_hierarchy = "date"
    autocomplete_fields = ["village"]


@admin.register(BaobaoEntry)
class BaobaoEntryAdmin(RecordAdmin):
    list_display = [
        "village",
        "petitioner_name",
        "responsible_person",
        "responsible_name",
        "start",
        "end",
    ]
    list_filter = ["village__township", "village", "start"]
    search_fields = ["petitioner_name", "matter", "responsible_name", "responsible_person__name"]
    autocomplete_fields = ["village", "responsible_person"]


class DossierInline(admin.TabularInline):
    model = Dossier
    extra = 0
    fields = ["submitted_date", "centre_result", "judicial_result"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(RecordAdmin):
    list_display = [
        "found_date",
        "village",
        "parties",
        "category",
        "status",
        "resolved_date",
        "found_at_town_or_above",
    ]
    list_filter = ["status", "category", "found_at_town_or_above", "village__township", "village"]
    search_fields = ["parties", "matter", "village__name"]
    date_hierarchy = "found_date"
    autocomplete_fields = ["village"]
    inlines = [DossierInline]


class DisputeReportAdminForm(forms.ModelForm):
    class Meta:
        model = DisputeReport
        fields = [
            "village",
            "year",
            "month",
            "half",
            "submitted_at",
            "signed_by",
            "seal_scan",
            "disputes",
        ]

    def clean(self):
        cleaned = super().clean()
        village = cleaned.get("village")
        strangers = [
            d for d in cleaned.get("disputes") or [] if village and d.village_id != village.pk
        ]
        if strangers:
            self.add_error("disputes", _("只能列入本村(居)的矛盾纠纷。"))
        return cleaned


@admin.register(DisputeReport)
class DisputeReportAdmin(RecordAdmin):
    form = DisputeReportAdminForm
    list_display = [
        "village",
        "year",
        "month",
        "half",
        "submitted_at",
        "signed_by",
        "late",
        "sealed",
    ]
    list_filter = ["year", "month", "half", "village__township", "village"]
    search_fields = ["village__name", "signed_by"]
    autocomplete_fields = ["village", "disputes"]

    @admin.display(description=_("迟报"), boolean=True)
    def late(self, obj):
        return obj.is_late

    @admin.display(description=_("已盖章"), boolean=True)
    def sealed(self, obj):
        return obj.is_sealed


@admin.register(Dossier)
class DossierAdmin(RecordAdmin):
    list_display = [
        "dispute",
        "village",
        "submitted_date",
        "centre_result",
        "judicial_result",
        "accepted",
    ]
    list_filter = ["centre_result", "judicial_result", "village__township", "village"]
    search_fields = ["dispute__parties", "dispute__matter", "village__name"]
    date_hierarchy = "submitted_date"
    autocomplete_fields = ["village", "dispute"]

    @admin.display(description=_("审核通过日期"))
    def accepted(self, obj):
        return obj.accepted_date


@admin.register(UnreportedCandidate)
class UnreportedCandidateAdmin(RecordAdmin):
    list_display = ["petition", "village", "state", "decided_by", "decided_at"]
    list_filter = ["state", "village__township", "village"]
    search_fields = ["petition__matter", "petition__petitioners__name", "reason"]
    autocomplete_fields = ["village", "petition", "dispute"]
    readonly_fields = ["decided_by", "decided_at", "created_at"]
