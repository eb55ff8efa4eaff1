"""The list search every record kind shares, on its pages and in the API (one rule, one home).

`q` matches a record when any of the kind's text fields contains it, case-insensitively; a
record matched through several related rows (two petitioners of the same name) is listed once.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SearchFilter(django_filters.CharFilter):
    def __init__(self, fields, **kwargs):
        self.search_fields = tuple(fields)
        kwargs.setdefault("label", _("搜索"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        q = Q()
        for name in self.search_fields:
            q |= Q(**{f"{name}__icontains": value})
        return qs.filter(q).distinct()
