"""A large township's dashboard shows a summary of its ranking, and the ranking page pages
(issue 14: 1,000 villages made a 726 KB dashboard)."""

import pytest
from django.urls import reverse

from assessment.views import RANKING_PAGE_SIZE
from dashboard.selectors import TABLE_ENDS
from dashboard.selectors import table_rows
from tests.dashboard.factories import sheet_row
from tests.dashboard.factories import sheets
from tests.factories import VillageFactory

YEAR = 2026


@pytest.fixture
def sixty(area):
    """60 villages ranked by their February total (99.0 down by halves); the 31st vetoed; the
    26th scored 60 in January, so its year-to-date mean is under the risk line (80)."""
    villages = [VillageFactory(area=area, name=f"表村{i:02d}") for i in range(60)]
    rows = []
    for i, v in enumerate(villages):
        rows.append(sheet_row(v, YEAR, 1, 60 if i == 25 else 95))
        vetoes = [("beijing_new_problem", "进京上访")] if i == 30 else ()
        rows.append(sheet_row(v, YEAR, 2, 99 - i / 2, vetoes=vetoes))
    sheets(rows)
    return villages


def test_a_large_township_sees_the_ends_the_vetoed_and_the_at_risk(client_for, cast, sixty):
    response = client_for(cast["leader"]).get(
        reverse("dashboard:index"), {"year": YEAR, "month": 2}
    )
    board = response.context["board"]
    ranked = [r.village for r in board.rows]
    shown = [t.row.village for t in board.table]
    # The cast's 甲村 and 乙村 have no sheets: the 60 are ranked in their own order.
    assert ranked == sixty
    expected = [*sixty[:TABLE_ENDS], sixty[25], sixty[30], *sixty[-TABLE_ENDS:]]
    assert shown == expected
    assert [t.skipped for t in board.table if t.skipped] == [15, 4, 19]
    assert sum(t.skipped for t in board.table) + len(board.table) == len(board.rows)
    html = response.content.decode()
    start = html.index('id="ranking"')
    ranking_html = html[start : html.index("</section>", start)]
    assert sixty[11].name not in ranking_html and sixty[25].name in ranking_html
    assert reverse("assessment:ranking") + "?kind=month&amp;year=2026&amp;month=2" in ranking_html


def test_a_small_township_sees_its_whole_ranking(client_for, cast, sixty):
    response = client_for(cast["leader"]).get(
        reverse("dashboard:index"), {"year": YEAR, "month": 2, "kind": "quarter", "quarter": 1}
    )
    board = response.context["board"]
    assert len(board.table) < len(board.rows)  # 60 is a large township
    small = board.rows[:5]
    assert [t.row for t in table_rows(small, [])] == small


def test_the_ranking_page_pages(client_for, cast, area, sixty):
    more = [VillageFactory(area=area, name=f"表村{i:03d}") for i in range(60, 150)]
    sheets([sheet_row(v, YEAR, 2, 50) for v in more])
    client = client_for(cast["leader"])
    url = reverse("assessment:ranking")
    first = client.get(url, {"year": YEAR, "month": 2})
    assert len(first.context["rows"]) == RANKING_PAGE_SIZE
    assert [r.rank for r in first.context["rows"]][:3] == [1, 2, 3]
    second = client.get(url, {"year": YEAR, "month": 2, "page": 2})
    assert len(second.context["rows"]) == 150 - RANKING_PAGE_SIZE
    assert "year=2026&amp;month=2&page=1" in second.content.decode()
