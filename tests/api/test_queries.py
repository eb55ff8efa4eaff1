"""Query counts are part of the contract: a list page costs the same at 2 and at 12 records."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import services
from tests.cases.factories import AssignedCaseFactory
from tests.cases.factories import BacklogCaseFactory
from tests.cases.factories import BacklogRelapseFactory
from tests.governance.factories import MeetingAttendanceFactory
from tests.governance.factories import TownshipMeetingFactory
from tests.petitions.factories import DisputeFactory
from tests.petitions.factories import DisputeReportFactory
from tests.petitions.factories import DossierFactory
from tests.petitions.factories import PetitionerFactory
from tests.petitions.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def _petition(village, n):
    petition = PetitionFactory(village=village, person_count=2)
    PetitionerFactory(petition=petition, name=f"甲{n}")
    PetitionerFactory(petition=petition, name=f"乙{n}", id_number="")


def _report(village, n):
    report = DisputeReportFactory(village=village, year=2000 + n)
    report.disputes.add(DisputeFactory(village=village))


def _assigned(village, n):
    AssignedCaseFactory(village=village)


def _backlog(village, n):
    case = BacklogCaseFactory(village=village)
    case.resolvers.add(case.leader)
    BacklogRelapseFactory(case=case, date=date(2026, 4, 1 + n))


def _dossier(village, n):
    DossierFactory(dispute__village=village)


def _meeting(village, n):
    MeetingAttendanceFactory(
        meeting=TownshipMeetingFactory(township=village.township), village=village
    )


def _sheet(village, n):
    PetitionFactory(village=village, date=date(2026, 1 + n, 3), level="city")
    services.score_month(
        township_id=village.township_id, year=2026, month=1 + n, today=date(2026, 12, 31)
    )


@pytest.mark.parametrize(
    ("path", "make"),
    [
        ("/api/petitions/", _petition),
        ("/api/dispute-reports/", _report),
        ("/api/assigned-cases/", _assigned),
        ("/api/backlog-cases/", _backlog),
        ("/api/dossiers/", _dossier),
        ("/api/township-meetings/", _meeting),
        ("/api/sheets/", _sheet),
    ],
)
def test_a_list_costs_the_same_at_2_and_at_12_records(api, staff_user, village_a, path, make):
    client = api(staff_user)
    counts = []
    made = 0
    for total in (2, 12):
        while made < total:
            make(village_a, made)
            made += 1
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        assert response.json()["count"] >= total
        counts.append(len(queries))
    assert counts[0] == counts[1], (path, counts)
