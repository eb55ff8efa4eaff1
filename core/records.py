"""The one write path for assessment records: validate, guard closed periods, attribute, mark stale.

Every record model places itself in months through `record_dates()` (the dates docs/rubric.md
"Evidence" counts it on); by default its `PERIOD_DATE_FIELD`. Views, imports, the API and tasks
all save through `record_save` / `record_delete`, so the rules are enforced once. The closed
month guard and the stale mark are assessment's, reached through `core.hooks` (this layer sits
below assessment and never imports it).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.rules import village_of

from . import hooks
from .dates import check_dates
from .history import field_label
from .models import stored_version

MSG_CONFLICT = _(
    "该记录在您打开之后已被他人修改(您读取的是第 %(expected)s 版,现在是第 %(current)s 版),"
    "您的修改没有保存。"
)
MSG_CONFLICT_GONE = _("该记录在您打开之后已被他人删除,您的修改没有保存。")


@dataclass(frozen=True)
class OtherChange:
    """A field someone else changed since the version a user read: its label and new value."""

    field: str
    label: str
    value: object  # the stored value now (a related object, not its key); None when concealed
    old: object  # the value in the version the user read (to tell what the user left as read)
    text: str  # the value as people read it (a choice's label, 是/否, 空)
    concealed: bool = False


def _as_text(model, name: str, value) -> str:
    if value is None or value == "":
        return str(_("(空)"))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    try:
        choices = dict(model._meta.get_field(name).flatchoices)
    except FieldDoesNotExist:
        choices = {}
    if value in choices:
        return str(choices[value])
    if isinstance(value, list):  # a many-to-many field's rows
        return "、".join(str(v) for v in value) or str(_("(空)"))
    return str(value)


class RecordConflict(ValidationError):
    """A save or delete from a stale read: the record changed (or went) since `expected`.

    `changes` are what the others changed between the version read and the stored one, and
    `users` who changed it; both empty when no history tells (a bulk write without history).
    """

    code = "edit_conflict"

    def __init__(self, *, instance, expected, current, changes=(), users=()):
        self.instance, self.expected, self.current = instance, expected, current
        self.changes, self.users = list(changes), list(users)
        if current is None:
            message = MSG_CONFLICT_GONE
        else:
            message = MSG_CONFLICT % {"expected": expected, "current": current}
        super().__init__(message, code=self.code)


def other_changes(instance, expected: int) -> tuple[list[OtherChange], list]:
    """What changed in the stored record after version `expected`, from its history rows: the
    newest row against the last one at or before `expected`; and who made those changes."""
    history = getattr(type(instance), "history", None)
    if history is None or instance.pk is None:
        return [], []
    rows = history.filter(id=instance.pk).select_related("history_user")
    rows = rows.order_by("-history_date", "-history_id")
    newer = [row for row in rows if row.version > expected]
    base = next((row for row in rows if row.version <= expected), None)
    users = []
    for row in newer:
        if row.history_user is not None and row.history_user not in users:
            users.append(row.history_user)
    if not newer or base is None:
        return [], users
    model = type(instance)
    concealed = set(getattr(model, "CONCEALED_FIELDS", ()))
    delta = newer[0].diff_against(base, foreign_keys_are_objs=True)
    changes = [
        OtherChange(
            field=c.field,
            label=field_label(model, c.field),
            value=None if c.field in concealed else c.new,
            old=None if c.field in concealed else c.old,
            text=str(_("(已修改)")) if c.field in concealed else _as_text(model, c.field, c.new),
            concealed=c.field in concealed,
        )
        for c in delta.changes
    ]
    return changes, users


def check_version(instance, expected_version) -> None:
    """Refuse a write from a stale read: lock the stored row (until the transaction ends) and
    compare its version with the one the user read. Call it inside the write's transaction."""
    if expected_version is None or instance.pk is None:
        return
    current = stored_version(instance)
    if current == int(expected_version):
        return
    changes, users = other_changes(instance, int(expected_version)) if current else ([], [])
    raise RecordConflict(
        instance=instance,
        expected=int(expected_version),
        current=current,
        changes=changes,
        users=users,
    )


def record_dates(instance) -> list[date]:
    if hasattr(instance, "record_dates"):
        return [d for d in instance.record_dates() if d is not None]
    field = getattr(instance, "PERIOD_DATE_FIELD", "date")
    value = getattr(instance, field, None)
    if value is not None and hasattr(value, "date") and callable(value.date):
        value = value.date()
    return [value] if value is not None else []


def _township_id_of(instance):
    village = village_of(instance)
    if village is not None:
        return village.township_id
    return getattr(instance, "township_id", None)  # a township-level record


def closed_periods(instance) -> list:
    """The closed months a stored record lies in: the Periods (state closed) whose months
    record_delete refuses it for, and record_save refuses any change of it for, through
    assessment.periods.closed_months (through core.hooks), the one test of a closed month. Empty
    for a new record."""
    township_id = _township_id_of(instance)
    if instance.pk is None or township_id is None:
        return []
    return hooks.closed_months(township_id, record_dates(instance))


def edit_frozen(instance) -> list:
    """The closed months that freeze a stored record's edit form. A standing register entry
    (`changed_record_dates`) is guarded per change, not whole: an edit of open months only
    still saves, so its form stays open (record_save refuses the rest, naming the month)."""
    if hasattr(instance, "changed_record_dates"):
        return []
    return closed_periods(instance)


def _stored_dates(instance) -> list[date]:
    if instance.pk is None:
        return []
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    return record_dates(stored) if stored is not None else []


def _stored_village_id(instance):
    if instance.pk is None:
        return None
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    village = village_of(stored) if stored is not None else None
    return village.pk if village is not None else None


def attribute(instance, user, reason: str = "") -> None:
    """simple-history reads these when it writes the history row."""
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user
    instance._change_reason = reason or ""


@transaction.atomic
def record_save(
    *,
    instance,
    user,
    reason: str = "",
    validate: bool = True,
    touched_dates=None,
    expected_version=None,
):
    """Save one record; refuse if it touches a closed month (old or new dates).

    `expected_version`: the version the user read; a record changed since is refused with a
    RecordConflict naming what the other person changed (nothing is overwritten). The version
    goes up by one on every save (core.models.Versioned).

    `touched_dates`: when a service knows which months a change affects (a step of a case that
    runs over several months changes only the months of that step), only those months are
    guarded and marked stale instead of every old and new date of the record.
    """
    check_version(instance, expected_version)
    check_dates(instance)  # before full_clean: a model's clean() may compute with the dates
    if validate:
        instance.full_clean()
    village = village_of(instance)
    if touched_dates is None:
        old_dates = _stored_dates(instance)
        old_village_id = _stored_village_id(instance)
        new_dates = record_dates(instance)
        if old_village_id == village.pk and hasattr(instance, "changed_record_dates"):
            # A standing register entry: only the months whose state the edit changes.
            old_dates, new_dates = [], instance.changed_record_dates(old_dates, new_dates)
    else:
        old_dates, old_village_id = [], None
        new_dates = [d for d in touched_dates if d is not None]
    hooks.ensure_open(village.township_id, *old_dates, *new_dates)
    attribute(instance, user, reason)
    instance.save()
    hooks.mark_stale(village.pk, new_dates + old_dates)
    if old_village_id and old_village_id != village.pk:
        hooks.mark_stale(old_village_id, old_dates)
    return instance


@transaction.atomic
def record_delete(*, instance, user, reason: str = "", expected_version=None) -> None:
    check_version(instance, expected_version)
    village = village_of(instance)
    days = record_dates(instance)
    hooks.ensure_open(village.township_id, *days)
    attribute(instance, user, reason)
    instance.delete()
    hooks.mark_stale(village.pk, days)


def restored(historical):
    """The record as one of its historical versions shows it, to be saved as a new, attributed
    change (by record_revert, or a kind's own save); and the reason its history row gives when
    none is asked for."""
    instance = historical.instance
    # simple-history builds the version as a new object; it is the stored row, so full_clean()
    # must not find its own primary key taken.
    instance._state.adding = not type(instance)._default_manager.filter(pk=instance.pk).exists()
    when = f"{historical.history_date:%Y-%m-%d %H:%M}"
    return instance, _("恢复到 %(at)s 的版本") % {"at": when}


@transaction.atomic
def record_revert(*, historical, user, reason: str = ""):
    """Restore a record to one of its historical versions; itself a new, attributed change."""
    instance, default_reason = restored(historical)
    return record_save(instance=instance, user=user, reason=reason or default_reason)
