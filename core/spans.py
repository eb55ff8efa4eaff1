"""Dated registers: entries that hold from a first day to a last day, both days included.

One convention for every register (responsibilities, the 包保 register, special persons,
leadership groups, sensitive periods): the end field is the LAST day the entry holds, and an
empty end means it still holds (docs/rubric.md "Evidence"). `active_on(day)` is the one query
for "in force on this day"; `core.periods.holds_on` is the same rule over plain values, for
the scoring core.
"""

from datetime import date

from django.db import models
from django.db.models import Q


class SpanQuerySet(models.QuerySet):
    """A register's queryset; a model names its two fields in `span_fields` (first, last)."""

    def _span(self) -> tuple[str, str]:
        return self.model.span_fields

    def active_on(self, day: date):
        first, last = self._span()
        return self.filter(
            Q(**{f"{last}__isnull": True}) | Q(**{f"{last}__gte": day}), **{f"{first}__lte": day}
        )

    def overlapping(self, first_day: date, last_day: date | None):
        """The entries holding on any day of [first_day, last_day] (no last_day: open-ended)."""
        first, last = self._span()
        qs = self.filter(Q(**{f"{last}__isnull": True}) | Q(**{f"{last}__gte": first_day}))
        return qs if last_day is None else qs.filter(**{f"{first}__lte": last_day})
