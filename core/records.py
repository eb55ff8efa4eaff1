"""The one write path for assessment records: validate, guard closed periods, attribute, mark stale.

Every record model places itself in months through `record_dates()` (the dates RUBRIC.md
"Evidence" counts it on); by default its `PERIOD_DATE_FIELD`. Views, imports, the API and tasks
all save through `record_save` / `record_delete`, so the rules are enforced once.
"""

from datetime import date

from django.db import transaction

from accounts.rules import village_of
from assessment.periods import ensure_open
from assessment.recompute import mark_stale


def record_dates(instance) -> list[date]:
    if hasattr(instance, "record_dates"):
        return [d for d in instance.record_dates() if d is not None]
    field = getattr(instance, "PERIOD_DATE_FIELD", "date")
    value = getattr(instance, field, None)
    if value is not None and hasattr(value, "date") and callable(value.date):
        value = value.date()
    return [value] if value is not None else []


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
def record_save(*, instance, user, reason: str = "", validate: bool = True, touched_dates=None):
    """Save one record; refuse if it touches a closed month (old or new dates).

    `touched_dates`: when a service knows which months a change affects (a step of a case that
    runs over several months changes only the months of that step), only those months are
    guarded and marked stale instead of every old and new date of the record.
    """
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
    ensure_open(village.township_id, *old_dates, *new_dates)
    attribute(instance, user, reason)
    instance.save()
    mark_stale(village.pk, new_dates + old_dates)
    if old_village_id and old_village_id != village.pk:
        mark_stale(old_village_id, old_dates)
    return instance


@transaction.atomic
def record_delete(*, instance, user, reason: str = "") -> None:
    village = village_of(instance)
    days = record_dates(instance)
    ensure_open(village.township_id, *days)
    attribute(instance, user, reason)
    instance.delete()
    mark_stale(village.pk, days)


@transaction.atomic
def record_revert(*, historical, user, reason: str = ""):
    """Restore a record to one of its historical versions; itself a new, attributed change."""
    instance = historical.instance
    # simple-history builds the version as a new object; it is the stored row, so full_clean()
    # must not find its own primary key taken.
    instance._state.adding = not type(instance)._default_manager.filter(pk=instance.pk).exists()
    return record_save(
        instance=instance,
        user=user,
        reason=reason or f"恢复到 {historical.history_date:%Y-%m-%d %H:%M} 的版本",
    )
