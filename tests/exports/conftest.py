"""Scored months of the cast's township, and a reader for the workbooks the exports write."""

from datetime import date
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from assessment import rubrics
from assessment.scoring import engine
from assessment.scoring import types as F
from assessment.scoring.types import RecordRef
from assessment.scoring.types import VillageFacts
from assessment.sheets import store_sheets


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


def store_month(township, year, month, facts_by_village: dict):
    """Score and store a month from hand-made facts (the engine and the store the scoring
    service uses), so these tests do not depend on which collectors exist."""
    version = rubrics.version_for_year(township.pk, year)
    rubric = rubrics.rubric_of(version)
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    sheets = [
        engine.score_village(
            rubric,
            VillageFacts(village_id=pk, period_start=start, period_end=end, **extra),
        )
        for pk, extra in facts_by_village.items()
    ]
    store_sheets(township_id=township.pk, year=year, month=month, version=version, sheets=sheets)


def april_a() -> dict:
    """Village A's April: a district abnormal petition of two people not stabilised (−8), a
    Beijing petition (a veto cause), a city commendation (+3) and a meeting."""
    day = date(2026, 4, 15)
    return {
        "petitions": (
            F.Petition(
                RecordRef("petition", 7),
                day,
                "district",
                "abnormal",
                person_count=2,
                stabilised_in_time=False,
            ),
            F.Petition(RecordRef("petition", 8), day, "beijing", new_problem_unresolved=True),
        ),
        "commendations": (F.Commendation(RecordRef("adjustment", 3), day, "city"),),
        "meetings": (F.Meeting(RecordRef("meeting", 1), day),),
    }


@pytest.fixture
def scored(township, village_a, village_b):
    """April and May 2026 scored for both villages (a month is stored for all its villages)."""
    store_month(township, 2026, 4, {village_a.pk: april_a(), village_b.pk: {}})
    store_month(township, 2026, 5, {village_a.pk: {}, village_b.pk: {"baobao_register": True}})
    return township


def load(data: bytes):
    return openpyxl.load_workbook(BytesIO(data))


def find_row(ws, col: int, text: str) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=col).value == text:
            return row
    raise AssertionError(f"no row with {text!r} in column {col}")


def item_scores(ws) -> dict[str, Decimal]:
    """考核重点 -> 得分 of the item rows (between the header and the 加减分 rows)."""
    found = {}
    end = find_row(ws, 1, "一票否决")
    for row in range(4, end):
        title, points = ws.cell(row=row, column=2).value, ws.cell(row=row, column=3).value
        if title and points is not None:
            found[title] = Decimal(str(ws.cell(row=row, column=5).value))
    return found


def adjustment_scores(ws) -> dict[str, Decimal]:
    found = {}
    end = find_row(ws, 1, "一票否决")
    for row in range(4, end):
        title, points = ws.cell(row=row, column=2).value, ws.cell(row=row, column=3).value
        if title and points is None:
            found[title.split("、", 1)[1]] = Decimal(str(ws.cell(row=row, column=5).value))
    return found


def detail_lines(ws) -> list[tuple[str, Decimal, str]]:
    """(条目, 分数, 原因) of the 扣分明细 rows."""
    start = find_row(ws, 1, "扣分明细") + 2
    lines = []
    for row in range(start, ws.max_row + 1):
        code = ws.cell(row=row, column=1).value
        if code is None or code == "本期无扣分与加分":
            break
        points = Decimal(str(ws.cell(row=row, column=3).value))
        lines.append((code, points, ws.cell(row=row, column=2).value))
    return lines


def total(ws) -> Decimal:
    return Decimal(str(ws.cell(row=find_row(ws, 1, "总分"), column=5).value))
