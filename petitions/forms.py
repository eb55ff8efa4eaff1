"""Forms of petitions and disputes. Choices of related records are limited to what the user may
see; multi-record forms save all or nothing (`save_record`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms import BaseInlineFormSet
from django.forms import inlineformset_factory
from django.forms import modelformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import visible_villages
from core import periods
from core.forms import DateInput
from core.forms import RecordForm
from core.forms import YesNoField
from core.records import record_delete
from core.records import record_save
from core.uploads import validate_upload
from villages.models import Person

from . import deadlines
from . import rules
from .choices import DisputeCategory
from .choices import DisputeStatus
from .choices import ReviewOffice
from .choices import ReviewResult
from .models import BaobaoEntry
from .models import Dispute
from .models import DisputeReport
from .models import Dossier
from .models import Petition
from .models import Petitioner
from .models import ReceptionLog


class ProtectedFileInput(forms.ClearableFileInput):
    """A file input that never links to the stored file (files are served only through the
    permission-checked download views); says "已上传" and offers to clear it when allowed."""

    template_name = "petitions/widgets/protected_file.html"


def _protect_file_widgets(form):
    for field in form.fields.values():
        if isinstance(field, forms.FileField):
            field.widget = ProtectedFileInput()
            field.widget.attrs["accept"] = (
                ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            )


# --- Petitions ---------------------------------------------------------------------------------


class PetitionerForm(forms.ModelForm):
    """A petitioner row. The stored ID number is never sent back to the browser: the input stays
    empty with the masked number as a hint, and leaving it empty keeps the number."""

    class Meta:
        model = Petitioner
        fields = ["name", "id_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.id_number if self.instance.pk else ""
        self.fields["id_number"].widget.attrs.update(
            {"autocomplete": "off", "inputmode": "text", "maxlength": 18}
        )
        if stored:
            self.initial["id_number"] = ""
            self.fields["id_number"].widget.attrs["placeholder"] = rules.mask_id_number(stored)
            self.fields["id_number"].help_text = _("已登记 %(masked)s;留空则不变。") % {
                "masked": rules.mask_id_number(stored)
            }

    def clean_id_number(self):
        value = rules.normalise_id_number(self.cleaned_data.get("id_number", ""))
        if not value and self.instance.pk:
            return self.instance.id_number
        return value


class BasePetitionerFormSet(BaseInlineFormSet):
    title = _("信访人")

    def filled_forms(self):
        """The rows that will be kept: existing or newly typed, not marked for deletion."""
        return [
            form
            for form in self.forms
            if form.is_valid()
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
        ]


PetitionerFormSet = inlineformset_factory(
    Petition,
    Petitioner,
    form=PetitionerForm,
    formset=BasePetitionerFormSet,
    fields=["name", "id_number"],
    extra=1,
    can_delete=True,
)


class OpinionSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", _("不适用(非到镇走访)")),
            ("true", _("是,持有")),
            ("false", _("否,未持有")),
        ]


class ReceptionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.village} · {obj}"


class PetitionForm(RecordForm):
    """A petition with its petitioners, saved together or not at all."""

    class Meta:
        model = Petition
        fields = [
            "village",
            "date",
            "level",
            "channel",
            "nature",
            "collective",
            "person_count",
            "matter",
            "stabilised_in_time",
            "carried_village_opinion",
            "carried_opinion",
            "new_problem_unresolved",
            "large_impact",
            "source",
            "source_ref",
        ]
        widgets = {
            "carried_village_opinion": OpinionSelect,
            "matter": forms.Textarea(attrs={"rows": 3}),
        }
        # 及时稳控/调处到位 answered explicitly: an unticked box read as 否 cost points.
        field_classes = {"carried_opinion": ReceptionChoiceField, "stabilised_in_time": YesNoField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        villages = visible_villages(user) if user is not None else ReceptionLog.objects.none()
        self.fields["carried_opinion"].queryset = (
            ReceptionLog.objects.filter(village__in=villages, opinion_issued=True)
            .select_related("village")
            .order_by("-date")
        )
        self.petitioners = PetitionerFormSet(
            data=self.data if self.is_bound else None,
            instance=self.instance,
            prefix="petitioners",
        )
        self.formsets = [self.petitioners]

    def clean(self):
        cleaned = super().clean()
        if self.petitioners.is_valid():
            try:
                rules.check_petitioner_count(
                    len(self.petitioners.filled_forms()), cleaned.get("person_count")
                )
            except ValidationError as exc:
                # The petitioners are the formset's rows, not a field of this form.
                for name, errors in exc.error_dict.items():
                    self.add_error(None if name == "petitioners" else name, errors)
        return cleaned

    def is_valid(self):
        form_ok = super().is_valid()
        return self.petitioners.is_valid() and form_ok

    @transaction.atomic
    def save_record(self, *, user, reason=""):
        petition = record_save(instance=self.instance, user=user, reason=reason)
        for form in self.petitioners.forms:
            if form.cleaned_data.get("DELETE"):
                if form.instance.pk:
                    record_delete(instance=form.instance, user=user, reason=reason)
                continue
            if not form.has_changed():
                continue
            person = form.save(commit=False)
            person.petition = petition
            record_save(instance=person, user=user, reason=reason)
        return petition


# --- Registers and the ledger ------------------------------------------------------------------


class ReceptionLogForm(RecordForm):
    class Meta:
        model = ReceptionLog
        fields = [
            "village",
            "date",
            "visitor_name",
            "matter",
            "reply",
            "opinion_issued",
            "mediator_name",
            "opinion_number",
        ]
        widgets = {
            "matter": forms.Textarea(attrs={"rows": 3}),
            "reply": forms.Textarea(attrs={"rows": 3}),
        }


class BaobaoEntryForm(RecordForm):
    class Meta:
        model = BaobaoEntry
        fields = [
            "village",
            "petitioner_name",
            "matter",
            "responsible_person",
            "responsible_name",
            "start",
            "end",
        ]
        widgets = {"matter": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        townships = visible_villages(user).values("township") if user else []
        self.fields["responsible_person"].queryset = Person.objects.filter(
            township__in=townships
        ).order_by("name")


class DisputeForm(RecordForm):
    class Meta:
        model = Dispute
        fields = [
            "village",
            "found_date",
            "parties",
            "matter",
            "category",
            "status",
            "resolved_date",
            "found_at_town_or_above",
        ]
        widgets = {"matter": forms.Textarea(attrs={"rows": 3})}


class DisputeChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.found_date:%m-%d} {obj}({obj.get_status_display()})"


class DisputeReportForm(RecordForm):
    """The staff's report page: any village of the township, the time the paper arrived."""

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
        field_classes = {"disputes": DisputeChoices}
        widgets = {"disputes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        _protect_file_widgets(self)
        villages = visible_villages(user) if user is not None else []
        self.fields["disputes"].queryset = (
            Dispute.objects.filter(village__in=villages)
            .select_related("village")
            .order_by("village__name", "-found_date")
        )
        self.fields["disputes"].help_text = _("只能勾选本村(居)的纠纷;不勾选即为零报告。")
        township_id = getattr(user, "township_id", None) or next(
            (v.township_id for v in villages), None
        )
        if self.instance.pk is None and township_id is not None:
            today = timezone.localdate()
            year, month, half = periods.half_of(
                today, deadlines.report_days(township_id, today.year)
            )
            self.initial.setdefault("year", year)
            self.initial.setdefault("month", month)
            self.initial.setdefault("half", half)
            self.initial.setdefault("submitted_at", timezone.localtime().replace(second=0))

    def clean(self):
        cleaned = super().clean()
        village = cleaned.get("village")
        disputes = cleaned.get("disputes")
        if village and disputes:
            strangers = [d for d in disputes if d.village_id != village.pk]
            if strangers:
                self.add_error(
                    "disputes",
                    _("以下纠纷不属于%(village)s:%(names)s")
                    % {"village": village, "names": "、".join(str(d) for d in strangers)},
                )
        return cleaned


class ResolvedDisputeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(village)s · %(dispute)s(化解于 %(date)s)") % {
            "village": obj.village,
            "dispute": obj,
            "date": f"{obj.resolved_date:%Y-%m-%d}",
        }


class DossierForm(RecordForm):
    """The village follows from the dispute; only resolved disputes can have a dossier."""

    class Meta:
        model = Dossier
        fields = [
            "dispute",
            "mediation_agreement",
            "id_copy",
            "village_certificate",
            "submitted_date",
            "centre_result",
            "centre_reason",
            "centre_date",
            "judicial_result",
            "judicial_reason",
            "judicial_date",
        ]
        field_classes = {"dispute": ResolvedDisputeChoice}
        widgets = {
            "centre_reason": forms.Textarea(attrs={"rows": 2}),
            "judicial_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        _protect_file_widgets(self)
        villages = visible_villages(user) if user is not None else []
        self.fields["dispute"].queryset = (
            Dispute.objects.filter(village__in=villages, status=DisputeStatus.RESOLVED)
            .select_related("village")
            .order_by("-resolved_date")
        )

    def clean(self):
        cleaned = super().clean()
        dispute = cleaned.get("dispute")
        if dispute is not None:
            self.instance.village = dispute.village
        return cleaned


class DossierReviewForm(forms.Form):
    office = forms.ChoiceField(label=_("审核单位"), choices=ReviewOffice.choices)
    result = forms.ChoiceField(
        label=_("审核结论"),
        choices=[
            (ReviewResult.ACCEPTED, ReviewResult.ACCEPTED.label),
            (ReviewResult.REJECTED, ReviewResult.REJECTED.label),
        ],
    )
    day = forms.DateField(label=_("审核日期"), widget=DateInput())
    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必填。"),
    )


# --- Unreported-dispute candidates ------------------------------------------------------------


class CandidateConfirmForm(forms.Form):
    category = forms.ChoiceField(
        label=_("纠纷类别"), choices=DisputeCategory.choices, initial=DisputeCategory.OTHER
    )
    reason = forms.CharField(label=_("核实说明"), required=False, max_length=500)


class CandidateDismissForm(forms.Form):
    reason = forms.CharField(label=_("排除理由"), max_length=500)


# --- The secretary's portal --------------------------------------------------------------------


class PortalReportForm(forms.Form):
    """The village's own report: who signs, the sealed scan, which ledger disputes it lists.
    New disputes come in the `NewDisputeFormSet` alongside."""

    signed_by = forms.CharField(
        label=_("责任人签名"),
        max_length=50,
        required=False,
        help_text=_("填写签字的责任人姓名;未签名的报告要扣分。"),
    )
    seal_scan = forms.FileField(
        label=_("盖章扫描件"),
        required=False,
        validators=[validate_upload],
        widget=ProtectedFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
        help_text=_("加盖村(居)公章的报告照片或扫描件(PDF、JPEG、PNG);未盖章的报告要扣分。"),
    )
    disputes = DisputeChoices(
        label=_("本期列入的已登记纠纷"),
        queryset=Dispute.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, village, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.village = village
        listed = list(report.disputes.all()) if report is not None and report.pk else []
        self.fields["disputes"].queryset = Dispute.objects.filter(
            Q(status=DisputeStatus.OPEN) | Q(pk__in=[d.pk for d in listed]), village=village
        ).order_by("-found_date")
        if report is not None and report.pk:
            self.initial.setdefault("signed_by", report.signed_by)
            self.initial.setdefault("disputes", listed)
            if report.seal_scan:
                self.fields["seal_scan"].help_text = _("已上传盖章扫描件;重新选择文件将替换。")


class NewDisputeForm(forms.ModelForm):
    class Meta:
        model = Dispute
        fields = ["found_date", "parties", "matter", "category"]
        widgets = {"found_date": DateInput(), "matter": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["found_date"].initial = timezone.localdate


class BaseNewDisputeFormSet(forms.BaseModelFormSet):
    title = _("新排查出的矛盾纠纷")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Dispute.objects.none())
        super().__init__(*args, **kwargs)

    def new_disputes(self) -> list[Dispute]:
        return [
            form.save(commit=False)
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]


NewDisputeFormSet = modelformset_factory(
    Dispute, form=NewDisputeForm, formset=BaseNewDisputeFormSet, extra=1, can_delete=False
)
