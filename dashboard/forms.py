from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from assessment import rubrics
from assessment.models import RubricVersion


class VersionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # One version for every township: the document's "xx镇" placeholder reads "each township".
        return rubrics.version_title(obj.name, pgettext("rubric version for all townships", "各镇"))


class FairComparisonForm(forms.Form):
    """同一版本比较: one rubric version and one month (a bounded computation: one month)."""

    prefix = "fair"

    version = VersionChoice(
        label=_("考核细则版本"),
        queryset=RubricVersion.objects.order_by("code"),
        empty_label=None,
        error_messages={"invalid_choice": _("请选择一个考核细则版本。")},
    )
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("请填写年份,如 2026。")},
    )
    month = forms.TypedChoiceField(
        label=_("月份"), coerce=int, choices=[(m, m) for m in range(1, 13)]
    )
