"""The list filters every record endpoint shares, built from a few declarations per kind.

    village       the village's id
    date_from/to  the record's date (the one that puts it into a month), inclusive
    month         YYYY-MM, on that date (or on year + month for kinds stored that way)
    q             a case-insensitive search over the kind's text fields
and the kind's own exact fields (level, status, category, kind ...), typed from the model.
"""

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.filters import SearchFilter

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
MAX_ID = 2**63 - 1


class MonthFilter(django_filters.CharFilter):
    """YYYY-MM on a date field, or on a (year, month) pair of fields."""

    def __init__(self, *date_fields, **kwargs):
        self.date_fields = date_fields
        kwargs.setdefault("label", _("月份(YYYY-MM)"))
        kwargs.setdefault(
            "validators", [RegexValidator(MONTH_PATTERN, _("月份格式为 YYYY-MM,如 2026-04。"))]
        )
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        year, month = (int(part) for part in value.split("-"))
        if len(self.date_fields) == 2:
            return qs.filter(**{self.date_fields[0]: year, self.date_fields[1]: month})
        (field,) = self.date_fields
        return qs.filter(**{f"{field}__year": year, f"{field}__month": month})


def _by_id(queryset, name: str, value: int):
    return queryset if value is None else queryset.filter(**{name: value})


class IdFilter(django_filters.NumberFilter):
    """A related record's id (an integer in the schema and in validation)."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("method", _by_id)
        # Ids are 64-bit: a larger number is an invalid filter, not a database overflow.
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def labelled(filterset):
    """Give every filter a label (the schema's description): the model field's verbose name."""
    model = filterset._meta.model
    for filter_ in filterset.base_filters.values():
        if filter_._label is None:
            try:
                field = model._meta.get_field(filter_.field_name)
            except FieldDoesNotExist:
                continue
            filter_.label = field.verbose_name
    return filterset


def filterset_for(
    model,
    *,
    village_path: str | None = "village",
    date_field: str | None = None,
    month_fields: tuple[str, ...] = (),
    fields: tuple[str, ...] = (),
    search: tuple[str, ...] = (),
    extra: dict | None = None,
):
    """A FilterSet class for one record kind."""
    attrs = {}
    if village_path:
        attrs["village"] = IdFilter(field_name=f"{village_path}_id", label=_("村(居)编号"))
    if date_field:
        attrs["date_from"] = django_filters.DateFilter(
            field_name=date_field, lookup_expr="gte", label=_("日期起(含)")
        )
        attrs["date_to"] = django_filters.DateFilter(
            field_name=date_field, lookup_expr="lte", label=_("日期止(含)")
        )
    if month_fields or date_field:
        attrs["month"] = MonthFilter(*(month_fields or (date_field,)))
    if search:
        attrs["q"] = SearchFilter(search)
    attrs.update(extra or {})
    meta = type("Meta", (), {"model": model, "fields": list(fields)})
    attrs["Meta"] = meta
    return labelled(type(f"{model.__name__}ApiFilterSet", (django_filters.FilterSet,), attrs))
