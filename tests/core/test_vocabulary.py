"""Issue 15: the petition vocabulary is written once (core/vocabulary.py), and the choices, the
scoring core, the rewards and the exports all say the same words."""

import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.utils import translation

from assessment.scoring import rules as scoring_rules
from assessment.scoring import types
from assessment.scoring.rubric_defaults import SHIPPED_RUBRICS
from core import vocabulary
from petitions.choices import Channel
from petitions.choices import Level
from petitions.choices import Nature
from rewards import models as reward_models
from rewards.scheme import rules as reward_rules

ROOT = Path(settings.BASE_DIR)


def _choices(enum) -> dict[str, str]:
    with translation.override("zh-hans"):
        return {choice.value: str(choice.label) for choice in enum}


def test_the_choices_are_the_vocabularys_words():
    assert _choices(Level) == vocabulary.LEVEL_LABELS
    assert _choices(Nature) == vocabulary.NATURE_LABELS
    assert _choices(Channel) == vocabulary.CHANNEL_LABELS
    assert tuple(_choices(Level)) == vocabulary.LEVELS  # highest first
    assert tuple(_choices(Channel)) == vocabulary.CHANNELS


def test_scoring_and_rewards_read_the_same_tables():
    assert types.LEVEL_LABELS is vocabulary.LEVEL_LABELS
    assert types.NATURE_LABELS is vocabulary.NATURE_LABELS
    assert types.LEVELS == vocabulary.LEVELS and types.NATURES == vocabulary.NATURES
    assert reward_rules.LEVEL_LABELS is vocabulary.LEVEL_LABELS
    assert reward_rules.NATURE_LABELS is vocabulary.NATURE_LABELS
    assert scoring_rules.UNIT_LABELS is vocabulary.UNIT_LABELS
    assert reward_models.LEVELS == vocabulary.LEVELS
    assert reward_models.CHANNELS == vocabulary.CHANNELS


def test_the_online_channel_has_one_name():
    # The rewards once said 网上信访 where the records say 网上/阳光信访.
    assert not hasattr(reward_rules, "CHANNEL_LABELS")
    assert _choices(Channel)[vocabulary.CHANNEL_ONLINE] == "网上/阳光信访"


def test_every_unit_and_level_a_shipped_rubric_names_is_in_the_vocabulary():
    for rubric in SHIPPED_RUBRICS.values():
        item = next(i for i in rubric.items if i.kind == "petitions_by_level")
        assert set(item.params["levels"]) <= set(vocabulary.LEVELS)
        units = {
            clause["unit"]
            for clauses in item.params["levels"].values()
            for clause in clauses.values()
            if isinstance(clause, dict)
        }
        assert units <= set(vocabulary.UNIT_LABELS), units


def test_the_doubled_natures_are_the_rubrics_not_a_copy():
    # The rewards read them from the year's rubric version (rewards.services.aggravated_natures;
    # tests/rewards/test_services.py edits a version and the fine follows).
    assert not hasattr(reward_rules, "DOUBLED_NATURES")


def test_no_other_module_writes_a_label_table():
    # (scoring's LEVEL_WORDS, 省级 / 市级 ..., are other words: the reasons' "at level" forms.)
    table = re.compile(r"^((LEVEL|NATURE|CHANNEL)_LABELS|UNIT_(LABELS|WORDS))\s*=", re.M)
    apps = [d for d in ROOT.iterdir() if (d / "__init__.py").exists() and d.name != "tests"]
    found = [
        str(path.relative_to(ROOT))
        for app in apps
        for path in app.rglob("*.py")
        if "migrations" not in path.parts and table.search(path.read_text(encoding="utf-8"))
    ]
    assert found == ["core/vocabulary.py"]


def test_the_vocabulary_and_the_periods_need_no_django():
    code = "import sys, core.vocabulary, core.periods; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
