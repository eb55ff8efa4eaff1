from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput


class OverrideForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput())
    is_workday = forms.TypedChoiceField(
        label=_("该日为"),
        choices=[("0", _("休息日(法定节假日)")), ("1", _("工作日(调休上班)"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("说明"), max_length=100, required=False)


class EnterYearForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    confirm = forms.BooleanField(
        label=_("该年的法定节假日和调休上班日已全部录入"),
        required=True,
        error_messages={"required": _("请先录入该年全部节假日和调休上班日,再勾选确认。")},
    )
