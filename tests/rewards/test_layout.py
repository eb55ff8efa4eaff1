"""Issue 15: the rewards core is split as the scoring core is, speaks one vocabulary, and reads
no record a second way (no facts pipeline of its own)."""

import ast
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from rewards.choices import EntryKind
from rewards.choices import EntryStatus
from rewards.choices import RuleCode
from rewards.scheme import types
from villages.choices import ResponsibilityRole

ROOT = Path(settings.BASE_DIR)
REWARDS = ROOT / "rewards"


def _modules():
    return [p for p in REWARDS.rglob("*.py") if "migrations" not in p.parts]


def test_the_choices_are_the_cores_codes():
    assert set(EntryKind.values) == {
        types.DEPOSIT,
        types.SETTLEMENT_RETURN,
        types.DOUBLE_RETURN,
        types.FORFEIT,
        types.FINE,
        types.AWARD,
    }
    assert set(EntryStatus.values) == {types.COMPUTED, types.APPROVED, types.PAID}
    codes = {v for k, v in vars(types).items() if k.startswith("RULE_")}
    assert set(RuleCode.values) == codes


def test_the_roles_the_rules_name_are_the_villages_roles():
    assert set(types.ROLE_LABELS) == set(ResponsibilityRole.values)


def test_the_core_needs_no_django():
    code = (
        "import sys, rewards.scheme.types, rewards.scheme.rules, rewards.scheme.ledger;"
        " sys.exit('django' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_rewards_read_no_petition_register_or_responsibility_row_themselves():
    # They come from the scoring collect step (petitions, their 包保责任人, dossiers) and the
    # villages' roster (responsibilities).
    words = ["petitions.models", "BaobaoEntry", "Petitioner", "Dossier.objects"]
    words += ["Responsibility.objects"]
    found = [
        (str(path.relative_to(ROOT)), word)
        for path in _modules()
        for word in words
        if word in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_no_import_inside_a_function():
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found += [
                    f"{path.relative_to(ROOT)}:{inner.lineno}"
                    for inner in ast.walk(node)
                    if isinstance(inner, (ast.Import, ast.ImportFrom))
                ]
    assert found == []
