"""Issue 13: the deadline board and the quarterly/annual rankings know when a village is active."""

from datetime import date

from assessment import services
from assessment.selectors import annual_scores
from assessment.selectors import quarter_ranking


def test_the_deadline_board_lists_only_villages_that_owe_the_half(village_a, village_b):
    from dashboard.selectors import deadline_board

    village_b.active_from = date(2026, 11, 20)
    village_b.save()
    board = deadline_board(village_a.township_id, date(2026, 11, 20))
    # Current half: November's second (began the 15th, before 乙村 existed); previous: the first.
    assert (board.current.month, board.current.half) == (11, 2)
    assert board.current.total == 1 and board.current.missing == [village_a]
    assert board.previous.total == 1 and board.previous.missing == [village_a]
    december = deadline_board(village_a.township_id, date(2026, 12, 2))
    assert december.current.total == 2


def test_rankings_of_a_village_set_up_mid_year_are_not_provisional_for_earlier_months(
    township, village_a, village_b
):
    village_b.active_from = date(2026, 9, 1)
    village_b.save()
    services.score_months(
        township_id=township.pk, year=2026, months=range(1, 13), today=date(2027, 1, 20)
    )

    def missing(reasons):
        return [r for r in map(str, reasons) if "缺少" in r]

    assert missing(annual_scores(township.pk, 2026)[village_b.pk].provisional_reasons) == []
    q3 = {row.village.pk: row for row in quarter_ranking(township.pk, 2026, 3)}
    assert set(q3) == {village_a.pk, village_b.pk}
    assert missing(q3[village_b.pk].provisional_reasons) == []
