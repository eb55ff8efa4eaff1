"""cases.rules: 化解后反弹, one rule for the selectors' rows, the rewards rows and the record."""

from datetime import date
from types import SimpleNamespace

import pytest

from cases.rules import relapsed_after_resolution
from tests.cases.factories import BacklogRelapseFactory

RESOLVED = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("relapse_day", "resolved", "after"),
    [
        (date(2026, 3, 9), RESOLVED, False),  # before the resolution: not fined
        (RESOLVED, RESOLVED, True),  # on the day of the resolution: already resolved
        (date(2026, 4, 1), RESOLVED, True),
        (date(2026, 4, 1), None, False),  # a case not yet resolved has no resolvers to fine
    ],
)
def test_relapsed_after_resolution(relapse_day, resolved, after):
    relapse = SimpleNamespace(date=relapse_day, resolved_date=resolved)
    assert relapsed_after_resolution(relapse) is after


@pytest.mark.django_db
def test_the_record_reads_its_case_resolution():
    relapse = BacklogRelapseFactory(case__resolved_date=None)
    assert relapse.after_resolution is False
    relapse.case.resolved_date = relapse.date
    assert relapse.after_resolution is True
