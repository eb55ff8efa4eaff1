"""The petitions' own clean() reports the same date windows as record_save (core.dates), not a
narrower rule of its own: a form or import that validates a model sees the township's start
too, with the one message (issue 12, item 2)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.dates import date_errors
from tests.petitions.factories import DisputeFactory
from tests.petitions.factories import PetitionFactory
from tests.petitions.factories import ReceptionLogFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "field"),
    [(PetitionFactory, "date"), (ReceptionLogFactory, "date"), (DisputeFactory, "found_date")],
)
def test_clean_refuses_a_date_before_any_township(factory, field, village_a):
    record = factory.build(village=village_a, **{field: date(1, 1, 1)})
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    messages = refused.value.message_dict[field]
    assert messages == [date_errors(record)[field]]
    assert messages[0].startswith("日期不能早于")


def test_clean_refuses_a_future_date_with_the_one_message(village_a):
    record = PetitionFactory.build(village=village_a, date=date(2999, 1, 1))
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert refused.value.message_dict["date"][0].startswith("日期不能晚于今天(")
