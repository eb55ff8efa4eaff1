"""Issue 15: the report due days are rubric data. An admin who edits them in the year's rubric
version moves scoring, the report's due date, the portal's deadline and the reminders together
(assessment.rubrics.report_days, read by petitions through petitions.deadlines)."""

from datetime import date
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse_lazy

from assessment import rubrics
from assessment import services
from assessment.models import RubricVersion
from assessment.models import ScoreLine
from core.periods import ReportDays
from jobs.models import Notification
from petitions.scheduled import report_reminders
from tests.petitions.factories import SHANGHAI
from tests.petitions.factories import DisputeReportFactory

pytestmark = pytest.mark.django_db

PORTAL = reverse_lazy("petitions:portal")


def _at(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def due_10_and_25(township, admin_user):
    """2026 is scored by a copy of the shipped table whose reports are due on the 10th and 25th."""
    source = RubricVersion.objects.get(code=rubrics.DEFAULT_CODE)
    version = rubrics.version_copy(
        version=source, code="own-2026", name="本镇2026年考核细则", by=admin_user
    )
    entry = version.entries.get(kind="dispute_reports")
    entry.params = {**entry.params, "due_days": [10, 25]}
    entry.save()
    rubrics.assign_year(township=township, year=2026, version=version, by=admin_user)
    return version


def test_the_selector_reads_the_years_version(township, due_10_and_25):
    assert rubrics.report_days(township.pk, 2026) == ReportDays((10, 25))
    assert rubrics.report_days(township.pk, 2025) == ReportDays((14, 28))  # the shipped default


def test_scoring_and_the_reports_due_date_move_together(township, village_a, due_10_and_25):
    report = DisputeReportFactory(
        village=village_a, month=4, half=1, submitted_at=datetime(2026, 4, 12, 9, tzinfo=SHANGHAI)
    )
    report.refresh_from_db()
    assert report.due_date == date(2026, 4, 10)
    assert report.is_late and not report.is_complete
    services.score_months(township_id=township.pk, year=2026, months=[4], today=date(2026, 5, 1))
    reasons = list(
        ScoreLine.objects.filter(
            sheet__village=village_a, sheet__month=4, item_code="1.4"
        ).values_list("reason", flat=True)
    )
    assert any("4月10日前" in r and "逾期" in r for r in reasons), reasons
    assert any("4月25日前" in r and "未上报" in r for r in reasons), reasons


def test_the_portal_shows_the_rubrics_due_day(client_for, cast, village_a, due_10_and_25):
    with _at(date(2026, 4, 20)):
        body = client_for(cast["secretary_a"]).get(PORTAL).content.decode()
    assert "2026年4月25日" in body and "还有 5 天" in body
    assert "2026年4月28日" not in body


def test_the_portal_moves_to_the_next_half_after_the_rubrics_first_due_day(
    client_for, cast, village_a, due_10_and_25
):
    with _at(date(2026, 4, 12)):  # after the 10th: the second half's report is being worked on
        response = client_for(cast["secretary_a"]).get(PORTAL)
    current = response.context["status"].current
    assert (current.half, current.due) == (2, date(2026, 4, 25))


def test_the_reminders_fall_before_the_rubrics_due_days(secretary_a, due_10_and_25):
    with _at(date(2026, 4, 11)):  # three days before the shipped 14th: not a due day now
        assert report_reminders.apply().get() == 0
    with _at(date(2026, 4, 22)):  # three days before the 25th
        assert report_reminders.apply().get() == 1
    (note,) = Notification.objects.all()
    assert note.user == secretary_a and "2026-04-25" in note.title
