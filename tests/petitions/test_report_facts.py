"""A half's state from lean rows (report_facts, the dashboards) is the state HalfStatus gives the
report itself: one rule, rules.report_state, for both."""

from datetime import datetime

import pytest

from petitions.models import DisputeReport
from petitions.selectors import HalfStatus
from petitions.selectors import half_states
from petitions.selectors import report_facts
from tests.petitions.factories import SHANGHAI
from tests.petitions.factories import DisputeReportFactory

pytestmark = pytest.mark.django_db

ON_TIME = datetime(2026, 4, 13, 16, 0, tzinfo=SHANGHAI)
LATE = datetime(2026, 4, 20, 9, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "fields, state",
    [
        ({"submitted_at": None}, "draft"),
        ({"submitted_at": LATE}, "late"),
        ({"signed_by": "  "}, "incomplete"),
        ({"seal_scan": ""}, "incomplete"),
        ({}, "ok"),
    ],
)
def test_lean_rows_give_the_reports_own_state(village_a, village_b, fields, state):
    DisputeReportFactory(village=village_a, **fields)
    report = DisputeReport.objects.get(village=village_a)
    due = report.due_date
    assert HalfStatus(2026, 4, 1, due, report).state == state
    facts = report_facts(DisputeReport.objects.filter(village__in=[village_a, village_b]))
    # village_b has no report: missing.
    assert half_states([village_a, village_b], 2026, 4, 1, due, facts) == {
        village_a.pk: state,
        village_b.pk: "missing",
    }
