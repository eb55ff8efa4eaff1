"""A stored reason read back with its Chinese text decodes its parts only when they are read
(a year's ranking holds thousands of reasons and shows a page of them), and then gives exactly
the reason that was stored: the same text, parts, English rendering and JSON."""

from datetime import date

from django.utils import translation

from assessment.reasons import render
from assessment.scoring.reasons import FullDate
from assessment.scoring.reasons import MonthDay
from assessment.scoring.reasons import Reason
from assessment.scoring.reasons import YearMonth
from assessment.scoring.reasons import from_json
from assessment.scoring.reasons import parts_of


def _reason():
    inner = Reason("%(month)s:%(reason)s", month=YearMonth(2026, 12), reason=Reason("尚缺报告"))
    return inner + Reason(
        "(%(day)s至%(end)s)", day=MonthDay(date(2026, 12, 1)), end=FullDate(date(2026, 12, 15))
    )


def test_a_stored_reason_decodes_its_parts_when_read_and_equals_the_original():
    original = _reason()
    stored = from_json(parts_of(original), str(original))
    assert "parts" not in stored.__dict__, "not decoded before it is read"
    assert str(stored) == str(original)
    assert stored.parts == original.parts
    assert "parts" in stored.__dict__, "decoded once, then kept"
    assert parts_of(stored) == parts_of(original)
    with translation.override("en"):
        assert render(parts_of(stored), str(stored)) == render(parts_of(original), str(original))
    assert stored + "。" == original + "。"
    assert (stored + "。").parts == (original + "。").parts
