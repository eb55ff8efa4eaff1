"""Score sheets stored directly: the dashboard reads sheets (scoring is tested elsewhere)."""

from decimal import Decimal

from assessment import rubrics
from assessment.models import ScoreLine
from assessment.models import ScoreSheet

SECTIONS = (  # as the shipped table reading names them
    ("1", "一、落实信访工作责任制,建立一把手负总责", 20),
    ("2", "二、包保网络建设和责任追究", 30),
    ("3", "三、解决信访问题", 20),
    ("4", "四、综治维稳基层基础工作,综治维稳信访工作站运行工作开展情况", 30),
)


def sheet_row(village, year, month, total, *, lost=None, vetoes=(), provisional=(), version=None):
    """An unsaved ScoreSheet: `lost` maps a section code to the points it lost."""
    lost = lost or {}
    version = version or rubrics.version_for_year(village.township_id, year)
    return ScoreSheet(
        village=village,
        year=year,
        month=month,
        version=version,
        total=Decimal(str(total)),
        sections=[
            [code, title, str(points), str(Decimal(points) - Decimal(str(lost.get(code, 0))))]
            for code, title, points in SECTIONS
        ],
        items=[],
        vetoes=[[*v, []] if len(v) == 2 else list(v) for v in vetoes],
        provisional_reasons=list(provisional),
    )


def sheets(rows):
    return ScoreSheet.objects.bulk_create(rows)


def sheet(village, year, month, total, **kwargs):
    return sheets([sheet_row(village, year, month, total, **kwargs)])[0]


def line(sheet, position, code, points, reason, refs=()):
    return ScoreLine.objects.create(
        sheet=sheet,
        position=position,
        item_code=code,
        points=Decimal(str(points)),
        reason=reason,
        refs=[list(r) for r in refs],
    )
