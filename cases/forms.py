"""Forms of the cases pages: the records themselves, and one small form per step of a case."""

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.forms import RecordForm
from core.records import record_delete
from core.records import record_save
from villages.models import Person

from . import services
from .choices import ReviewDecision
from .models import AssignedCase
from .models import BacklogCase
from .models import BacklogRelapse


def township_people(user):
    qs = Person.objects.order_by("name")
    if user is None or user.is_superuser:
        return qs
    return qs.filter(township_id=user.township_id)


class AssignedCaseForm(RecordForm):
    """What the township enters when a case arrives; the due date is computed, never typed."""

    class Meta:
        model = AssignedCase
        fields = ["village", "title", "reference", "assigned_by", "assigned_date", "matter"]
        widgets = {"matter": forms.Textarea(attrs={"rows": 4})}

    def save_record(self, *, user, reason):
        case = self.instance
        if case.pk is None:
            return services.case_assign(
                village=case.village,
                title=case.title,
                matter=case.matter,
                reference=case.reference,
                assigned_by=case.assigned_by,
                assigned_date=case.assigned_date,
                by=user,
            )
        return services.case_edit(case=case, by=user, reason=reason)


class RelapseForm(forms.ModelForm):
    class Meta:
        model = BacklogRelapse
        fields = ["date", "note"]
        widgets = {"date": DateInput()}


class BaseRelapseFormSet(forms.BaseInlineFormSet):
    title = _("反弹记录(重复访、反复访)")


RelapseFormSet = forms.inlineformset_factory(
    BacklogCase,
    BacklogRelapse,
    form=RelapseForm,
    formset=BaseRelapseFormSet,
    extra=1,
    can_delete=True,
)


# What staff enter for a backlog case besides its village and its resolvers (its 五个一): the
# form, the API and the detail page read this one list.
BACKLOG_FIELDS = (
    "title",
    "matter",
    "listed_date",
    "leader",
    "working_group",
    "resolution_plan",
    "stabilisation_measures",
    "time_limit",
    "resolved_date",
)


class BacklogCaseForm(RecordForm):
    """A backlog case with its 五个一 and, inline, its relapses; saved all or nothing."""

    class Meta:
        model = BacklogCase
        fields = ["village", *BACKLOG_FIELDS, "resolvers"]
        widgets = {
            "resolvers": forms.CheckboxSelectMultiple,
            "matter": forms.Textarea(attrs={"rows": 3}),
            "working_group": forms.Textarea(attrs={"rows": 2}),
            "resolution_plan": forms.Textarea(attrs={"rows": 3}),
            "stabilisation_measures": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        people = township_people(user)
        self.fields["leader"].queryset = people
        self.fields["resolvers"].queryset = people
        self.relapses = RelapseFormSet(
            self.data if self.is_bound else None, instance=self.instance, prefix="relapses"
        )
        self.formsets = [self.relapses]

    def is_valid(self):
        valid = super().is_valid()
        relapses_valid = self.relapses.is_valid()
        listed = self.cleaned_data.get("listed_date") if valid else None
        for form in self.relapses.forms if relapses_valid and listed else ():
            day = form.cleaned_data.get("date")
            if day and day < listed and not form.cleaned_data.get("DELETE"):
                form.add_error("date", _("反弹日期不能早于列为积案日期。"))
                relapses_valid = False
        return valid and relapses_valid

    def clean(self):
        data = super().clean()
        if data.get("resolved_date") and not data.get("resolvers"):
            self.add_error("resolvers", _("填写化解日期时须指定化解人。"))
        if data.get("resolvers") and not data.get("resolved_date"):
            self.add_error("resolved_date", _("指定化解人时须填写化解日期。"))
        return data

    @transaction.atomic
    def save_record(self, *, user, reason):
        case = record_save(instance=self.instance, user=user, reason=reason)
        self.save_m2m()
        for form in self.relapses.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.relapses.can_delete and self.relapses._should_delete_form(form):
                if form.instance.pk is not None:
                    record_delete(
                        instance=form.instance, user=user, reason=reason or _("删除反弹记录")
                    )
                continue
            relapse = form.save(commit=False)
            relapse.case = case
            record_save(instance=relapse, user=user, reason=reason)
        return case


# one form per step of an assigned case ----------------------------------------------------
def _today():
    return timezone.localdate()


class HandlersForm(forms.Form):
    names = forms.CharField(label=_("承办人"), max_length=200, help_text=_("多人用顿号分隔。"))
    reported_date = forms.DateField(label=_("上报日期"), initial=_today, widget=DateInput())


class ResultForm(forms.Form):
    result = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 4}))
    reported_date = forms.DateField(label=_("结果上报日期"), initial=_today, widget=DateInput())


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回重办时必填。"),
    )
    review_date = forms.DateField(label=_("审核日期"), initial=_today, widget=DateInput())

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == ReviewDecision.REJECTED_IMPROPER
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", _("退回重办须写明办理不当的原因。"))
        return data


class ConcludeForm(forms.Form):
    concluded_date = forms.DateField(label=_("办结日期"), initial=_today, widget=DateInput())


class ExtensionRequestForm(forms.Form):
    requested_days = forms.IntegerField(
        label=_("申请延期工作日数"), min_value=1, max_value=60, initial=5
    )
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("审批结论"),
        choices=[("approve", _("批准延期")), ("refuse", _("不予批准"))],
        coerce=lambda v: v == "approve",
        widget=forms.RadioSelect,
    )
    decision_reason = forms.CharField(
        label=_("审批意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不予批准时必填。"),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") is False and not data.get("decision_reason", "").strip():
            self.add_error("decision_reason", _("不予批准须写明理由。"))
        return data


def run_action(action: str, form, *, case, by):
    """Call the service of `action` with the form's cleaned data."""
    data = form.cleaned_data
    if action == services.REPORT_HANDLERS:
        return services.case_report_handlers(case=case, by=by, **data)
    if action == services.REPORT_RESULT:
        return services.case_report_result(case=case, by=by, **data)
    if action == services.REVIEW:
        return services.case_review(case=case, by=by, **data)
    if action == services.CONCLUDE:
        return services.case_conclude(case=case, by=by, **data)
    if action == services.REQUEST_EXTENSION:
        return services.case_request_extension(case=case, by=by, **data)
    if action == services.DECIDE_EXTENSION:
        return services.case_decide_extension(
            case=case, by=by, approve=data["decision"], reason=data["decision_reason"]
        )
    raise ValueError(action)


ACTION_FORMS = {
    services.REPORT_HANDLERS: HandlersForm,
    services.REPORT_RESULT: ResultForm,
    services.REVIEW: ReviewForm,
    services.CONCLUDE: ConcludeForm,
    services.REQUEST_EXTENSION: ExtensionRequestForm,
    services.DECIDE_EXTENSION: ExtensionDecisionForm,
}
