"""Score reasons in the reader's language: the Chinese text stays as the sheet prints it, and the
parts it was made of render it in English (assessment.scoring.reasons, assessment.reasons)."""

import pickle
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from assessment.models import RubricVersion
from assessment.models import ScoreLine
from assessment.reasons import render
from assessment.scoring import engine
from assessment.scoring import rules
from assessment.scoring.reasons import FullDate
from assessment.scoring.reasons import MonthDay
from assessment.scoring.reasons import Reason
from assessment.scoring.reasons import YearMonth
from assessment.scoring.reasons import parts_of
from assessment.scoring.types import Line
from assessment.scoring.types import RecordRef
from assessment.scoring.types import Sheet
from assessment.sheets import store_sheets
from tests.test_i18n import _compiled_catalogue  # noqa: F401 (module fixture: a fresh .mo)

HAN = re.compile(r"[\u3400-\u9fff]")
SCORING = Path(settings.BASE_DIR) / "assessment" / "scoring"


def _report_reason() -> Reason:
    label = Reason("%(due)s前的排查报告", due=FullDate(date(2026, 4, 14)))
    return label + Reason("逾期(%(date)s)上报,按缺报计", date=MonthDay(date(2026, 4, 16)))


def test_a_reason_is_its_chinese_text_and_keeps_its_parts():
    reason = _report_reason() + Reason(",扣%(points)s分", points="1")
    assert reason == "2026年4月14日前的排查报告逾期(4月16日)上报,按缺报计,扣1分"
    assert hash(reason) == hash(str(reason))
    assert reason.to_json() == [
        ["%(due)s前的排查报告", {"due": {"d": "2026-04-14"}}],
        ["逾期(%(date)s)上报,按缺报计", {"date": {"md": "2026-04-16"}}],
        [",扣%(points)s分", {"points": "1"}],
    ]
    copy = pickle.loads(pickle.dumps(reason))
    assert copy == reason and copy.parts == reason.parts
    assert parts_of("plain text") == []
    nested = Reason("未建立%(group)s领导小组", group=Reason("冬防"))
    assert nested == "未建立冬防领导小组"
    assert nested.to_json() == [["未建立%(group)s领导小组", {"group": {"r": [["冬防", {}]]}}]]
    assert Reason("%(month)s没有开会", month=YearMonth(2026, 4)) == "2026年4月没有开会"


def test_the_engine_notes_keep_the_parts():
    line = rules._deduction("1.1", Decimal(1), Reason("无信访人包保表"))
    capped = engine.waive([line], frozenset({engine.waiver_of(line)}))[0]
    assert capped.reason == "无信访人包保表,扣1分,经申诉核减"
    assert [template for template, _ in capped.reason.parts] == [
        "无信访人包保表",
        ",扣%(points)s分",
        ",经申诉核减",
    ]


def test_render_keeps_the_chinese_and_formats_dates_for_the_language():
    parts = _report_reason().to_json()
    with translation.override("zh-hans"):
        assert render(parts, "stored") == "stored"
    with translation.override("en"):
        text = render(parts, "stored")
        assert "April 14, 2026" in text and "April 16" in text
        assert render([], "stored") == "stored"
        # A translation that does not fit its parameters falls back to the Chinese template.
        assert render([["%(missing)s", {"other": 1}]], "stored") == "stored"


def test_every_reason_template_and_rubric_title_has_an_english_form():
    """Fails until the catalogue holds the scoring's messages (/tmp/pending-po/english.tsv)."""
    templates = set()
    for path in SCORING.glob("*.py"):
        templates |= set(re.findall(r'gettext_noop\(\s*"((?:[^"\\]|\\.)*)"\s*\)', path.read_text()))
    assert len(templates) > 80
    with translation.override("en"):
        missing = sorted(
            t for t in templates if HAN.search(translation.gettext(t).replace("xx镇", ""))
        )
    assert not missing, f"{len(missing)} scoring messages without English: {missing}"


@pytest.mark.django_db
def test_stored_lines_carry_their_parts_and_show_in_the_active_language(village_a):
    reason = rules._deduction("1.4", Decimal(1), _report_reason(), [RecordRef("report", 7)])
    sheet = Sheet(
        village_id=village_a.pk,
        rubric_code="xx-2024-table",
        period_start=date(2026, 4, 1),
        period_end=date(2026, 4, 30),
        total=Decimal(99),
        sections=(),
        items=(),
        lines=(reason, Line("1.1", Decimal(-1), "旧的原因", ())),
        vetoes=(),
        provisional_reasons=(),
    )
    version = RubricVersion.objects.get(code="xx-2024-table")
    store_sheets(
        township_id=village_a.township_id, year=2026, month=4, version=version, sheets=[sheet]
    )
    new, old = ScoreLine.objects.filter(sheet__village=village_a).order_by("position")
    assert new.reason == "2026年4月14日前的排查报告逾期(4月16日)上报,按缺报计,扣1分"
    assert new.reason_parts == reason.reason.to_json()
    assert old.reason_parts == []
    with translation.override("zh-hans"):
        assert new.reason_text == new.reason
    with translation.override("en"):
        assert "April 16" in new.reason_text
        assert old.reason_text == "旧的原因"  # no parts: shown as stored
        assert ScoreLine(item_code="adj.checkpoint").item_label != "adj.checkpoint"
        assert ScoreLine(item_code="1.4").item_label == "1.4"


@pytest.mark.django_db
def test_vetoes_and_provisional_reasons_keep_their_parts_through_the_stored_sheet(village_a):
    from django.template import Context
    from django.template import Template

    from assessment.scoring.types import Veto
    from assessment.sheets import sheet_from_row

    veto = Reason("因新问题未及时化解导致进京上访(%(date)s)", date=MonthDay(date(2026, 4, 3)))
    pending = Reason("本期尚无综治中心检查记录")
    sheet = Sheet(
        village_id=village_a.pk,
        rubric_code="xx-2024-table",
        period_start=date(2026, 4, 1),
        period_end=date(2026, 4, 30),
        total=Decimal(100),
        sections=(),
        items=(),
        lines=(),
        vetoes=(Veto("beijing_new_problem", veto, (RecordRef("petition", 3),)),),
        provisional_reasons=(pending, "旧的暂定原因"),
    )
    version = RubricVersion.objects.get(code="xx-2024-table")
    store_sheets(
        township_id=village_a.township_id, year=2026, month=4, version=version, sheets=[sheet]
    )
    row = village_a.sheets.get(year=2026, month=4)
    assert row.vetoes == [["beijing_new_problem", veto, [["petition", 3]]]]
    back = sheet_from_row(row, ())
    assert back.vetoes[0].reason == veto and back.vetoes[0].reason.parts
    assert back.provisional_reasons == (pending, "旧的暂定原因")
    shown = Template(
        "{% load scores %}{% for c, r, refs in s.vetoes_shown %}{{ r|reason_text }}{% endfor %}"
    )
    with translation.override("zh-hans"):
        assert shown.render(Context({"s": row})) == veto
    with translation.override("en"):
        assert "April 3" in shown.render(Context({"s": row}))
        plain = Template("{% load scores %}{{ r|reason_text }}").render(
            Context({"r": "旧的暂定原因"})
        )
        assert plain == "旧的暂定原因"
