"""The demo and the synthetic county stay inside the date windows the pages enforce
(core.dates): a newcomer who opens and saves a demo record is never refused for a date the
product itself wrote."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from core.dates import RECORD_DATES
from core.dates import date_errors
from sampledata.synthetic import make_county


def _out_of_window(today):
    found = []
    for label in RECORD_DATES:
        model = apps.get_model(label)
        for record in model._default_manager.all():
            if errors := date_errors(record, today=today):
                found.append(f"{label}#{record.pk}: {errors}")
    return found


def test_every_demo_date_lies_in_its_window(db):
    call_command("load_demo", stdout=StringIO())
    assert _out_of_window(timezone.localdate())[:10] == [], len(
        _out_of_window(timezone.localdate())
    )


@pytest.mark.parametrize("years_ago", [1, 0])
def test_every_synthetic_date_lies_in_its_window(db, years_ago):
    """A past year whole, and the current year up to today."""
    today = timezone.localdate()
    make_county(villages=3, year=today.year - years_ago, seed=1, code="tiny")
    assert _out_of_window(today)[:10] == [], len(_out_of_window(timezone.localdate()))
