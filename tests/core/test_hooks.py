"""core.hooks: the slots through which a lower layer calls a higher one (docs/layers.md)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core import hooks


@pytest.fixture
def slot():
    """A slot of the test's own, taken out of the registry again afterwards."""
    made = hooks.Hook("test_slot", "tests")
    yield made
    hooks.SLOTS.remove(made)


def test_a_slot_nobody_filled_raises_naming_it_and_its_owner(slot):
    assert not slot.filled
    with pytest.raises(ImproperlyConfigured, match=r"test_slot.*tests"):
        slot(1, 2)


def test_a_filled_slot_calls_its_function_with_the_callers_arguments(slot):
    slot.fill(lambda a, b=0: (a, b))
    assert slot.filled
    assert slot(1, b=2) == (1, 2)


def test_a_slot_is_filled_once(slot):
    def first():
        return "first"

    slot.fill(first)
    slot.fill(first)  # AppConfig.ready run again: the same function, nothing changes
    with pytest.raises(ImproperlyConfigured, match="already filled"):
        slot.fill(lambda: "second")
    assert slot() == "first"


def test_every_slot_is_filled_by_its_app_once_django_is_set_up():
    assert hooks.SLOTS, "core.hooks declares no slot"
    unfilled = [slot.name for slot in hooks.SLOTS if not slot.filled]
    assert unfilled == []
    wrong_owner = [
        (slot.name, slot._target.__module__)
        for slot in hooks.SLOTS
        if slot._target.__module__.split(".")[0] != slot.filled_by
    ]
    assert wrong_owner == []


def test_the_slots_have_distinct_names():
    names = [slot.name for slot in hooks.SLOTS]
    assert len(names) == len(set(names))
