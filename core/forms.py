"""Form base for records: villages limited to what the user may see, a reason for every change,
the version read carried along (a stale save is refused, core.records.RecordConflict) and a
one-time token on create forms (a resubmission is not saved twice, core.submissions)."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.access import visible_villages

from .submissions import MAX_KEY_LENGTH
from .submissions import new_token

CONFIRM_DUPLICATE = "confirm_duplicate"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None, format="%Y-%m-%dT%H:%M"):
        super().__init__(attrs=attrs, format=format)


MSG_ANSWER_YES_NO = _("请选择“是”或“否”。")


def _as_bool(value) -> bool:
    return value in (True, "True", "true", "1")


class YesNoField(forms.TypedChoiceField):
    """A check answered explicitly: 是 or 否 as radio buttons, nothing chosen until the user
    chooses (an unticked checkbox read as 否 cost villages points when forgotten). Over a model
    BooleanField: the stored value stays a bool."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        # Not the model field's default either (False: a failed check).
        for key in ("required", "coerce", "choices", "empty_value", "max_length", "initial"):
            kwargs.pop(key, None)
        super().__init__(
            choices=[(True, _("是")), (False, _("否"))],
            coerce=_as_bool,
            required=True,
            **kwargs,
        )
        self.error_messages["required"] = MSG_ANSWER_YES_NO


class RecordForm(forms.ModelForm):
    """Every record form: pass `user=`; editing asks why (kept in the record's history)."""

    change_reason = forms.CharField(
        label=_("修改原因"),
        required=False,
        max_length=200,
        help_text=_("修改已有记录时必填,记入修改历史。"),
    )

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    submission_token = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=MAX_KEY_LENGTH
    )

    # Not fields of the record: left out of an entry's fingerprint (core.submissions).
    META_FIELDS = ("change_reason", "version", "submission_token", CONFIRM_DUPLICATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is None:
            self.fields.pop("version")
            self.fields["submission_token"].initial = new_token()
            if self.add_prefix(CONFIRM_DUPLICATE) in self.data:
                self.ask_confirm_duplicate()
        else:
            self.fields.pop("submission_token")
            if hasattr(self.instance, "version"):
                self.fields["version"].initial = self.instance.version
            else:
                self.fields.pop("version")
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                field.widget = DateTimeInput()
            elif isinstance(field, forms.DateField):
                field.widget = DateInput()
        if "village" in self.fields and user is not None:
            self.fields["village"].queryset = visible_villages(user)
        if self.instance.pk is None:
            self.fields.pop("change_reason")
            # A new record's yes/no checks start unanswered, not at the model's default.
            given = kwargs.get("initial") or {}
            for name, field in self.fields.items():
                if isinstance(field, YesNoField) and name not in given:
                    self.initial.pop(name, None)
        else:
            self.fields["change_reason"].required = True

    def ask_confirm_duplicate(self):
        """Show the box that lets the user save an entry identical to one just saved."""
        self.fields[CONFIRM_DUPLICATE] = forms.BooleanField(
            label=_("确认再新增一条相同的记录"), required=False
        )

    @property
    def duplicate_confirmed(self) -> bool:
        return bool(self.cleaned_data.get(CONFIRM_DUPLICATE))

    def entry_values(self) -> dict:
        """What the user entered for the record itself (for core.submissions.entry_digest)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.META_FIELDS}

    @property
    def expected_version(self) -> int | None:
        """The version the user read (None: not carried, e.g. a form from before versions)."""
        return self.cleaned_data.get("version")

    @property
    def submission_key(self) -> str:
        return self.cleaned_data.get("submission_token") or ""

    def take_theirs(self, conflict) -> dict:
        """The bound data again, on top of the version now stored: what the other person
        changed replaces what this user left as they read it; what both changed keeps this
        user's input (listed in the conflict message). Returns the new data for a new form."""
        data = QueryDict(mutable=True)
        for key in self.data:
            data.setlist(
                key,
                list(self.data.getlist(key)) if hasattr(self.data, "getlist") else [self.data[key]],
            )
        data[self.add_prefix("version")] = str(conflict.current)
        for change in conflict.changes:
            field = self.fields.get(change.field)
            if field is None or change.concealed:
                continue
            if isinstance(field, (forms.FileField, forms.ModelMultipleChoiceField)):
                continue  # a file or a set of rows is not merged: listed in the message only
            if self.cleaned_data.get(change.field) != change.old:
                continue
            key = self.add_prefix(change.field)
            value = field.prepare_value(change.value)
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[key] = "on"
                else:
                    data.pop(key, None)
                continue
            shown = field.widget.format_value(value)
            if isinstance(shown, list):
                data.setlist(key, shown)
            else:
                data[key] = "" if shown is None else str(shown)
        return data
