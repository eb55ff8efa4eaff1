"""The scoring service's forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from villages.models import District


class DistrictRecomputeForm(forms.Form):
    district = forms.ModelChoiceField(label=_("区(县)"), queryset=District.objects.all())
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("月份"),
        choices=[("", _("全年(截至本月)"))] + [(m, f"{m}") for m in range(1, 13)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
