"""The Django admin is one more door to the records: it writes through core.records too.

`RecordAdmin` is the base of every record model's admin. Its change, delete, bulk delete, inline
and history-revert writes all end in `record_save` / `record_delete` (or the per-admin
`save_record` / `delete_record` hooks, for kinds whose writes are services), so a closed month,
validation and attribution hold here exactly as on the record pages. A refusal comes back on the
form (or the delete confirmation) as a message, never as a 500 and never as a silent success.

Attribution: a change or a delete asks for a reason (required, like the record pages); an add is
recorded as "管理后台新增". The reason is stored as "管理后台:<reason>" so the history tells
which door a change came through.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.actions import delete_selected
from django.core import checks
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError
from django.db import router
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.models import Versioned
from core.records import RecordConflict
from core.records import check_version
from core.records import record_delete
from core.records import record_save

REASON_FIELD = "change_reason"
# The version the admin read, carried in the change form like on the record pages: a save over
# someone else's later change is refused (core.records.RecordConflict), never an overwrite.
# Not "version" itself: the admin's form factory refuses a non-editable model field by name.
VERSION_FIELD = "record_version"
DELETE_REASON_FIELD = "reason"


def admin_reason(reason: str) -> str:
    return gettext("管理后台:%(reason)s") % {"reason": reason.strip()}


def added_reason() -> str:
    return gettext("管理后台新增")


def refusal_messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


class _RecordAdminFormMixin:
    """Asks a reason when changing; shows a refusal of core.records at its field."""

    _record_refusal = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding and REASON_FIELD in self.fields:
            del self.fields[REASON_FIELD]
        if VERSION_FIELD in self.fields:
            if self.instance._state.adding:
                del self.fields[VERSION_FIELD]
            else:
                self.fields[VERSION_FIELD].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self._record_refusal is not None:
            self._show_refusal(self._record_refusal)
        return cleaned

    def _show_refusal(self, exc: ValidationError) -> None:
        if isinstance(exc, RecordConflict):
            self.add_error(None, exc.messages)
            for change in exc.changes:
                self.add_error(None, f"{change.label}:{change.text}")
            return
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.error_dict.items():
            if field in self.fields and field != NON_FIELD_ERRORS:
                self.add_error(field, errors)
                continue
            label = self._label(field)
            for error in errors:
                text = " ".join(error.messages)
                self.add_error(None, f"{label}:{text}" if label else text)

    def _label(self, field: str) -> str:
        if field == NON_FIELD_ERRORS:
            return ""
        try:
            return str(self._meta.model._meta.get_field(field).verbose_name)
        except Exception:  # a model-level key that is not a field: show the message alone
            return ""


def _reason_form_field():
    return forms.CharField(
        label=_("修改原因"),
        max_length=200,
        required=True,
        help_text=_("修改已有记录时必填,记入修改历史。"),
    )


class RecordAdmin(SimpleHistoryAdmin):
    """Admin of an assessment record: every write goes through core.records (see module doc)."""

    delete_confirmation_template = "admin/core/record_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/core/record_delete_selected_confirmation.html"

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        declared = {REASON_FIELD: _reason_form_field(), "__module__": __name__}
        if self._versioned():
            declared[VERSION_FIELD] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=1
            )
        self.form = type(self.form.__name__, (_RecordAdminFormMixin, self.form), declared)

    def _versioned(self) -> bool:
        return issubclass(self.model, Versioned)

    # --- the write hooks: a kind whose writes are services overrides these ---------------------

    def save_record(self, request, obj, *, change: bool, reason: str):
        return record_save(instance=obj, user=request.user, reason=reason)

    def delete_record(self, request, obj, *, reason: str):
        record_delete(instance=obj, user=request.user, reason=reason)

    def save_inline_record(self, request, obj, *, reason: str):
        return record_save(instance=obj, user=request.user, reason=reason)

    def delete_inline_record(self, request, obj, *, reason: str):
        record_delete(instance=obj, user=request.user, reason=reason)

    # --- reasons ---------------------------------------------------------------------------------

    def change_reason(self, form) -> str:
        given = (getattr(form, "cleaned_data", None) or {}).get(REASON_FIELD, "")
        return admin_reason(given) if given else added_reason()

    def delete_reason(self, request) -> str:
        given = request.POST.get(DELETE_REASON_FIELD, "").strip()
        if not given:
            raise ValidationError(_("请填写删除原因(记入修改历史)。"), code="reason_required")
        return admin_reason(given)

    # --- ModelAdmin's write points, routed to the hooks -----------------------------------------

    def save_model(self, request, obj, form, change):
        if change and VERSION_FIELD in form.fields:
            check_version(obj, form.cleaned_data.get(VERSION_FIELD))
        saved = self.save_record(request, obj, change=change, reason=self.change_reason(form))
        if saved is not None and saved is not obj:
            obj.pk = saved.pk

    def delete_model(self, request, obj):
        self.delete_record(request, obj, reason=self.delete_reason(request))

    def delete_queryset(self, request, queryset):
        reason = self.delete_reason(request)
        with transaction.atomic(using=router.db_for_write(self.model)):  # all or nothing
            for obj in queryset:
                self.delete_record(request, obj, reason=reason)

    def save_formset(self, request, form, formset, change):
        reason = self.change_reason(form)
        objects = formset.save(commit=False)
        for obj in formset.deleted_objects:
            self.delete_inline_record(request, obj, reason=reason)
        for obj in objects:
            self.save_inline_record(request, obj, reason=reason)
        formset.save_m2m()

    # --- the reason field on change forms --------------------------------------------------------

    def _asks_reason(self, request, obj) -> bool:
        return obj is not None and self.has_change_permission(request, obj)

    def _tail_fields(self, request, obj) -> list[str]:
        if not self._asks_reason(request, obj):
            return []
        return [REASON_FIELD, VERSION_FIELD] if self._versioned() else [REASON_FIELD]

    def get_fields(self, request, obj=None):
        fields = [
            f for f in super().get_fields(request, obj) if f not in (REASON_FIELD, VERSION_FIELD)
        ]
        return [*fields, *self._tail_fields(request, obj)]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        tail = self._tail_fields(request, obj)
        if not self.fieldsets or not tail:
            return fieldsets  # the default fieldset is built from get_fields
        return [*fieldsets, (_("修改原因"), {"fields": tail})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_record_refusal", None)
        if refusal is None:
            return form
        return type(form.__name__, (form,), {"_record_refusal": refusal})

    # --- refusals come back on the page ----------------------------------------------------------

    def _showing_refusal(self, request, view, *args, **kwargs):
        """Run a form view; when core.records refuses the save, run it again showing why.

        The first run is rolled back whole (record, inlines, log entry); the second one binds the
        same POST and adds the refusal to the form, so the admin sees the form they sent.
        """
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(request, *args, **kwargs)
        except ValidationError as exc:
            if request.method != "POST" or getattr(request, "_record_refusal", None):
                raise
            request._record_refusal = exc
            for upload in request.FILES.values():
                upload.seek(0)
            return view(request, *args, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._showing_refusal(
            request, super().changeform_view, object_id, form_url, extra_context
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting in the admin is a change like any other: the form asks the reason and the
        # save goes through save_model, so a closed month refuses it here too.
        return self._showing_refusal(
            request, super().history_form_view, object_id, version_id, extra_context
        )

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(refusal_messages(exc)), messages.ERROR)
            request.POST = QueryDict()  # show the confirmation page again, nothing deleted
            return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (record_delete_selected, name, description)
        return actions

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.list_editable:
            errors.append(
                checks.Error(
                    "A record admin may not use list_editable: a change must give its reason.",
                    obj=self.__class__,
                    id="core.E001",
                )
            )
        return errors


def record_delete_selected(modeladmin, request, queryset):
    """Django's "delete selected", in one transaction (log rows included), refusal shown."""
    try:
        with transaction.atomic(using=router.db_for_write(modeladmin.model)):
            return delete_selected(modeladmin, request, queryset)
    except ValidationError as exc:
        modeladmin.message_user(request, " ".join(refusal_messages(exc)), messages.ERROR)
        data = request.POST.copy()
        data.pop("post", None)  # back to the confirmation page, nothing deleted
        request.POST = data
        return delete_selected(modeladmin, request, queryset)


class ReadOnlyAdminMixin:
    """A record kind whose writes are steps of a service (taken on its page): view only here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


__all__ = ["ReadOnlyAdminMixin", "RecordAdmin", "added_reason", "admin_reason"]
