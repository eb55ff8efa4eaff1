"""A record's versions as people read them: newest first, each with what changed from the one
before. The record page and the API's `/history/` both read this (one home for the diff).

A record may have no history row at all (written by a bulk path before history was written
everywhere, or history pruned): it then has no versions, which is not an error.
"""

from dataclasses import dataclass
from dataclasses import field

from django.core.exceptions import FieldDoesNotExist


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class Version:
    record: object  # the simple-history row
    changes: list[Change] = field(default_factory=list)


def field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def versions(obj, *, hidden: frozenset = frozenset()) -> list[Version]:
    """Newest first; `hidden` fields are left out of the changes (never shown)."""
    history = getattr(obj, "history", None)
    if history is None:
        return []
    records = list(history.select_related("history_user").order_by("-history_date", "-history_id"))
    found = []
    # Each version against the one before it; the oldest has nothing to compare with.
    for i, newer in enumerate(records):
        older = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                if change.field in hidden:
                    continue
                label = field_label(type(obj), change.field)
                changes.append(Change(change.field, label, change.old, change.new))
        found.append(Version(record=newer, changes=changes))
    return found
