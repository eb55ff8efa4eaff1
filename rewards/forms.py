"""The admin's statement of a year kaohe did not keep (rewards.services.state_prior_year)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import YesNoField
from villages.models import Village

from .models import PriorYearStatus


class PriorYearForm(forms.Form):
    """Village, year, 是/否 (no default: a forgotten answer must not decide the award) and the
    reason, required. The service refuses a year kaohe kept; the view shows it on the field."""

    village = forms.ModelChoiceField(label=_("村(居)"), queryset=Village.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    zero_petition = YesNoField(
        label=PriorYearStatus._meta.get_field("zero_petition").verbose_name,
        help_text=PriorYearStatus._meta.get_field("zero_petition").help_text,
    )
    reason = forms.CharField(
        label=_("依据"),
        max_length=500,
        help_text=PriorYearStatus._meta.get_field("reason").help_text,
    )

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.filter(township=township).order_by("name")
