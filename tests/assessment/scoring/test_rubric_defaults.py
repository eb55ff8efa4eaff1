"""The shipped rubric versions as data, and their JSON form for storage and admin copies."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from assessment.scoring.engine import score_village
from assessment.scoring.engine import validate_rubric
from assessment.scoring.rubric_defaults import DEFAULT_RUBRIC
from assessment.scoring.rubric_defaults import XX_2024_PLAN
from assessment.scoring.rubric_defaults import XX_2024_TABLE
from assessment.scoring.rubric_defaults import rubric_from_dict
from assessment.scoring.rubric_defaults import rubric_to_dict
from assessment.scoring.types import Survey
from tests.assessment.scoring.builders import month_in_order
from tests.assessment.scoring.builders import ref

ITEM_CODES = ["1.1", "1.2", "1.3", "1.4", "2", "3.1", "3.2", "3.3"]
ITEM_CODES += ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6"]
ADJUSTMENT_CODES = ["adj.dossier", "adj.checkpoint", "adj.cctv", "adj.backlog"]
ADJUSTMENT_CODES += ["adj.commend", "adj.meeting", "adj.no_staff", "adj.sanction"]


def test_the_scoring_table_is_the_default_and_worth_100():
    assert DEFAULT_RUBRIC is XX_2024_TABLE
    assert [(s.code, s.points) for s in XX_2024_TABLE.sections] == [
        ("1", 20),
        ("2", 30),
        ("3", 20),
        ("4", 30),
    ]
    assert XX_2024_TABLE.total_points == 100


def test_the_plan_gives_section_two_fifty_points_and_totals_120():
    assert [s.points for s in XX_2024_PLAN.sections] == [20, 50, 20, 30]
    assert XX_2024_PLAN.item("2").points == 50
    assert XX_2024_PLAN.total_points == 120


@pytest.mark.parametrize("rubric", [XX_2024_TABLE, XX_2024_PLAN], ids=["table", "plan"])
def test_shipped_rubric_has_every_item_and_adjustment_and_is_valid(rubric):
    assert [item.code for item in rubric.items] == ITEM_CODES
    assert [adj.code for adj in rubric.adjustments] == ADJUSTMENT_CODES
    assert validate_rubric(rubric) == []


def test_the_plan_differs_from_the_table_only_where_rubric_md_says():
    changed = [
        table.code
        for table, plan in zip(XX_2024_TABLE.items, XX_2024_PLAN.items, strict=True)
        if table != plan
    ]
    changed += [
        table.code
        for table, plan in zip(XX_2024_TABLE.adjustments, XX_2024_PLAN.adjustments, strict=True)
        if table != plan
    ]
    assert changed == ["1.4", "2", "4.6", "adj.dossier"]


@pytest.mark.parametrize("rubric", [XX_2024_TABLE, XX_2024_PLAN], ids=["table", "plan"])
def test_rubric_survives_a_trip_through_json(rubric):
    stored = json.dumps(rubric_to_dict(rubric), ensure_ascii=False)
    assert '"per_missing": "0.5"' in stored  # Decimals travel as strings
    assert rubric_from_dict(json.loads(stored)) == rubric


def test_an_admin_copy_with_a_changed_figure_scores_with_it():
    data = rubric_to_dict(XX_2024_TABLE)
    data["code"] = "xx-2025-table"
    next(item for item in data["items"] if item["code"] == "4.6")["params"]["per_household"] = "2"
    copy = rubric_from_dict(json.loads(json.dumps(data)))
    facts = month_in_order(surveys=(Survey(ref("survey"), date(2026, 4, 9), dissatisfied=2),))
    assert score_village(copy, facts).item("4.6").score == 1
    assert score_village(XX_2024_TABLE, facts).item("4.6").score == 3


def broken(change) -> dict:
    data = json.loads(json.dumps(rubric_to_dict(XX_2024_TABLE)))
    change(data)
    return data


def item_of(data: dict, code: str) -> dict:
    return next(item for item in data["items"] if item["code"] == code)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            lambda d: item_of(d, "3.1").update(kind="no_such_rule"),
            "unknown kind",
            id="unknown_rule_kind",
        ),
        pytest.param(
            lambda d: item_of(d, "4.4").update(points="5"),
            "section 4 is worth 30",
            id="items_no_longer_add_up_to_their_section",
        ),
        pytest.param(
            lambda d: item_of(d, "3.1")["params"].pop("per_case"),
            "3.1: params do not fit",
            id="missing_figure",
        ),
        pytest.param(
            lambda d: item_of(d, "2")["params"]["levels"]["city"]["normal"].pop("unit"),
            "2: params do not fit",
            id="missing_figure_deep_in_the_petition_table",
        ),
        pytest.param(
            lambda d: item_of(d, "1.4")["params"].pop("unsigned_report"),
            "1.4: params do not fit",
            id="missing_figure_for_an_unsigned_report",
        ),
        pytest.param(
            lambda d: item_of(d, "1.4")["params"].pop("missing_report"),
            "1.4: params do not fit",
            id="missing_figure_for_a_missing_report",
        ),
        pytest.param(
            lambda d: item_of(d, "4.1")["params"]["checks"][0].update(check="sleep"),
            "4.1: params do not fit",
            id="unknown_inspection_check",
        ),
        pytest.param(
            lambda d: item_of(d, "1.2").update(code="1.1"),
            "duplicate item code 1.1",
            id="duplicate_item_code",
        ),
        pytest.param(
            lambda d: d["settings"].update(aggregation="median"),
            "unknown aggregation",
            id="unknown_aggregation",
        ),
    ],
)
def test_rubric_from_dict_refuses_what_the_engine_cannot_score(change, message):
    with pytest.raises(ValueError, match=message):
        rubric_from_dict(broken(change))


def test_figures_are_decimals_after_loading():
    loaded = rubric_from_dict(json.loads(json.dumps(rubric_to_dict(XX_2024_PLAN))))
    assert loaded.adjustment("adj.dossier").params["yearly_cap"] == Decimal(10)
    assert loaded.item("4.4").params["per_week"] == 3
