"""The rewards cast: the township's people in their roles, and annual scores as stored sheets.

Villages A (甲村) and B (乙村) lie in the area 东片 of the conftest township; village C (丙村),
in 西片 with nobody in its roles, takes the last place (a veto) so that A and B keep theirs.
"""

from datetime import date
from decimal import Decimal

import pytest

from assessment.models import RubricVersion
from assessment.models import ScoreSheet
from tests.factories import AreaFactory
from tests.factories import PersonFactory
from tests.factories import ResponsibilityFactory
from tests.factories import VillageFactory

AFTER_2026 = date(2027, 1, 10)  # "today" once 2026 is over
ROLES = ["point_leader", "centre_staff", "secretary", "director", "security_director"]


@pytest.fixture
def village_c(township):
    return VillageFactory(area=AreaFactory(township=township, name="西片"), name="丙村")


@pytest.fixture
def people(township, area, village_a, village_b):
    """片长 of the area; for each of A and B one holder of every village role, all year."""
    found = {"area_leader": PersonFactory(township=township, name="片长老王")}
    ResponsibilityFactory(person=found["area_leader"], role="area_leader", area=area, village=None)
    for village, tag in ((village_a, "a"), (village_b, "b")):
        for role in ROLES:
            person = PersonFactory(township=township, name=f"{village.name}{role}")
            ResponsibilityFactory(person=person, role=role, village=village)
            found[f"{role}_{tag}"] = person
    return found


@pytest.fixture
def score_year():
    """Store twelve monthly sheets of `total` (a veto in `veto_month` when given)."""
    version = None

    def store(village, year, total, *, veto=None, veto_month=12, months=range(1, 13)):
        nonlocal version
        version = version or RubricVersion.objects.get(code="xx-2024-table")
        for month in months:
            ScoreSheet.objects.update_or_create(
                village=village,
                year=year,
                month=month,
                defaults={
                    "version": version,
                    "total": Decimal(str(total)),
                    "sections": [],
                    "items": [],
                    "vetoes": [[veto, f"否决:{veto}", []]] if veto and month == veto_month else [],
                    "provisional_reasons": [],
                },
            )

    return store
