"""The facts scoring reads from cases: right rows, and the same queries for 2 or 20 villages."""

from datetime import date

import pytest

from cases import selectors
from cases.selectors import OverdueCaseRow
from cases.selectors import RejectedReviewRow
from tests.cases.factories import AssignedCaseFactory
from tests.cases.factories import BacklogCaseFactory
from tests.cases.factories import BacklogRelapseFactory
from tests.cases.factories import CaseReviewFactory
from tests.factories import PersonFactory
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def test_rejections_count_on_their_day(township, village_a, village_b, other_village):
    case = AssignedCaseFactory(village=village_a)
    feb = CaseReviewFactory(case=case, review_date=date(2026, 2, 27))
    mar = CaseReviewFactory(case=case, review_date=date(2026, 3, 2))
    CaseReviewFactory(case=case, review_date=date(2026, 3, 9), decision="accepted")
    CaseReviewFactory(case__village=other_village, review_date=date(2026, 3, 3))
    rows = selectors.rejected_reviews(township, *MARCH)
    assert rows == [RejectedReviewRow(village_a.pk, case.pk, mar.pk, date(2026, 3, 2))]
    assert feb.pk not in {r.review_id for r in rows}


def test_an_overdue_case_counts_once_in_the_month_of_its_due_date(township, village_a, village_b):
    # Assigned 2026-02-05, due 2026-03-11.
    open_case = AssignedCaseFactory(village=village_a, assigned_date=date(2026, 2, 5))
    late = AssignedCaseFactory(
        village=village_b, assigned_date=date(2026, 2, 5), concluded_date=date(2026, 3, 12)
    )
    AssignedCaseFactory(
        village=village_b, assigned_date=date(2026, 2, 5), concluded_date=date(2026, 3, 11)
    )
    rows = selectors.cases_not_concluded_by_due(township, *MARCH, as_of=date(2026, 5, 1))
    assert rows == [
        OverdueCaseRow(village_a.pk, open_case.pk, date(2026, 3, 11), None, False),
        OverdueCaseRow(village_b.pk, late.pk, date(2026, 3, 11), date(2026, 3, 12), False),
    ]
    # Not in April, however long it stays open.
    assert (
        selectors.cases_not_concluded_by_due(
            township, date(2026, 4, 1), date(2026, 4, 30), as_of=date(2026, 5, 1)
        )
        == []
    )
    # Before its due date has passed, an open case is not (yet) overdue.
    rows = selectors.cases_not_concluded_by_due(township, *MARCH, as_of=date(2026, 3, 11))
    assert [r.case_id for r in rows] == [late.pk]


def test_relapses_and_resolutions_with_their_resolvers(township, village_a):
    resolvers = PersonFactory.create_batch(2, township=township)
    case = BacklogCaseFactory(village=village_a, resolved_date=date(2026, 3, 5))
    case.resolvers.set(resolvers)
    before = BacklogRelapseFactory(case=case, date=date(2026, 3, 2))
    after = BacklogRelapseFactory(case=case, date=date(2026, 3, 20))
    BacklogRelapseFactory(case=case, date=date(2026, 4, 1))
    rows = selectors.backlog_relapses(township, *MARCH)
    assert [(r.relapse_id, r.after_resolution) for r in rows] == [
        (before.pk, False),
        (after.pk, True),
    ]
    assert rows[0].resolver_ids == tuple(sorted(p.pk for p in resolvers))
    resolved = selectors.backlog_resolutions(township, *MARCH)
    assert [(r.village_id, r.case_id, r.resolved_date) for r in resolved] == [
        (village_a.pk, case.pk, date(2026, 3, 5))
    ]
    assert resolved[0].resolver_ids == tuple(sorted(p.pk for p in resolvers))
    assert selectors.backlog_resolutions(township, date(2026, 4, 1), date(2026, 4, 30)) == []


def _populate(area, n):
    for _ in range(n):
        village = VillageFactory(area=area)
        case = AssignedCaseFactory(village=village, assigned_date=date(2026, 2, 5))
        CaseReviewFactory(case=case, review_date=date(2026, 3, 3))
        backlog = BacklogCaseFactory(village=village, resolved_date=date(2026, 3, 4))
        backlog.resolvers.add(PersonFactory(township=area.township))
        BacklogRelapseFactory(case=backlog, date=date(2026, 3, 20))


def _run_all(township):
    return [
        selectors.rejected_reviews(township, *MARCH),
        selectors.cases_not_concluded_by_due(township, *MARCH, as_of=date(2026, 5, 1)),
        selectors.backlog_relapses(township, *MARCH),
        selectors.backlog_resolutions(township, *MARCH),
    ]


@pytest.mark.parametrize("villages", [2, 20])
def test_the_selectors_cost_six_queries_whatever_the_number_of_villages(
    area, villages, django_assert_max_num_queries
):
    _populate(area, villages)
    # rejected reviews 1, overdue cases 1, relapses 1 + their resolvers 1,
    # resolutions 1 + their resolvers 1.
    with django_assert_max_num_queries(6):
        results = _run_all(area.township)
    assert [len(rows) for rows in results] == [villages] * 4
