"""Form base for records: villages limited to what the user may see, a reason for every change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import visible_villages


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None, format="%Y-%m-%dT%H:%M"):
        super().__init__(attrs=attrs, format=format)


class RecordForm(forms.ModelForm):
    """Every record form: pass `user=`; editing asks why (kept in the record's history)."""

    change_reason = forms.CharField(
        label=_("修改原因"),
        required=False,
        max_length=200,
        help_text=_("修改已有记录时必填,记入修改历史。"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                field.widget = DateTimeInput()
            elif isinstance(field, forms.DateField):
                field.widget = DateInput()
        if "village" in self.fields and user is not None:
            self.fields["village"].queryset = visible_villages(user)
        if self.instance.pk is None:
            self.fields.pop("change_reason")
        else:
            self.fields["change_reason"].required = True
