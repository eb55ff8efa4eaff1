from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.factories import PersonFactory
from tests.factories import ResponsibilityFactory
from villages.models import Responsibility
from villages.selectors import holders_on
from villages.selectors import villages_answered_by


def test_role_that_changed_hands_mid_year(village_a):
    old = ResponsibilityFactory(village=village_a, role="secretary", end=date(2026, 6, 30))
    new = ResponsibilityFactory(village=village_a, role="secretary", start=date(2026, 7, 1))
    assert holders_on(village_a, "secretary", date(2026, 6, 30)) == [old.person]
    assert holders_on(village_a, "secretary", date(2026, 12, 31)) == [new.person]


def test_area_leader_answers_for_every_village_of_the_area(area, village_a, village_b):
    leader = PersonFactory(township=area.township)
    Responsibility.objects.create(
        person=leader, role="area_leader", area=area, start=date(2026, 1, 1)
    )
    assert holders_on(village_b, "area_leader", date(2026, 5, 1)) == [leader]
    assert villages_answered_by(leader, date(2026, 5, 1)) == [village_a, village_b]
    assert villages_answered_by(leader, date(2025, 12, 31)) == []


@pytest.mark.parametrize(
    ("role", "use_area", "field"),
    [
        ("area_leader", False, "area"),
        ("secretary", True, "village"),
    ],
)
def test_responsibility_target_must_match_role(area, village_a, role, use_area, field):
    person = PersonFactory(township=area.township)
    row = Responsibility(
        person=person,
        role=role,
        area=area if use_area else None,
        village=None if use_area else village_a,
        start=date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        row.full_clean()
    assert field in exc.value.message_dict


def test_end_before_start_is_refused(village_a):
    row = ResponsibilityFactory.build(
        village=village_a, person=PersonFactory(), start=date(2026, 5, 1), end=date(2026, 4, 1)
    )
    with pytest.raises(ValidationError) as exc:
        row.full_clean()
    assert "end" in exc.value.message_dict
