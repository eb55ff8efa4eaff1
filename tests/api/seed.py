"""One record of every kind in a small township, for tests that need something to read, change
and delete (the schema-driven fuzz run)."""

from datetime import date

from accounts.models import Role
from assessment import services
from tests.cases.factories import AssignedCaseFactory
from tests.cases.factories import BacklogCaseFactory
from tests.cases.factories import BacklogRelapseFactory
from tests.factories import AreaFactory
from tests.factories import PersonFactory
from tests.factories import ResponsibilityFactory
from tests.factories import TownshipFactory
from tests.factories import UserFactory
from tests.factories import VillageFactory
from tests.governance.factories import AdjustmentEventFactory
from tests.governance.factories import CentreInspectionFactory
from tests.governance.factories import LandlineHouseholdFactory
from tests.governance.factories import LeadershipGroupFactory
from tests.governance.factories import MeetingAttendanceFactory
from tests.governance.factories import PatrolFactory
from tests.governance.factories import SensitivePeriodFactory
from tests.governance.factories import SpecialPersonFactory
from tests.governance.factories import SurveyFactory
from tests.governance.factories import TownshipMeetingFactory
from tests.governance.factories import VillageMeetingFactory
from tests.governance.factories import ZeroReportFactory
from tests.petitions.factories import BaobaoEntryFactory
from tests.petitions.factories import DisputeFactory
from tests.petitions.factories import DisputeReportFactory
from tests.petitions.factories import DossierFactory
from tests.petitions.factories import PetitionerFactory
from tests.petitions.factories import PetitionFactory
from tests.petitions.factories import ReceptionLogFactory


def seed_township():
    township = TownshipFactory(name="种子镇", code="seed")
    area = AreaFactory(township=township, name="种子片")
    village = VillageFactory(area=area, name="种子村")
    VillageFactory(area=area, name="邻村")
    staff = UserFactory(username="seed_staff", role=Role.STAFF, township=township)
    person = PersonFactory(township=township)
    ResponsibilityFactory(person=person, village=village)
    petition = PetitionFactory(village=village)
    PetitionerFactory(petition=petition)
    ReceptionLogFactory(village=village)
    BaobaoEntryFactory(village=village)
    DisputeFactory(village=village)
    DisputeReportFactory(village=village)
    DossierFactory(dispute__village=village)
    AssignedCaseFactory(village=village)
    BacklogRelapseFactory(case=BacklogCaseFactory(village=village, leader=person))
    CentreInspectionFactory(village=village)
    SpecialPersonFactory(village=village)
    ZeroReportFactory(village=village)
    LeadershipGroupFactory(village=village)
    LandlineHouseholdFactory(village=village)
    PatrolFactory(village=village)
    VillageMeetingFactory(village=village)
    MeetingAttendanceFactory(meeting=TownshipMeetingFactory(township=township), village=village)
    SurveyFactory(village=village)
    AdjustmentEventFactory(village=village)
    SensitivePeriodFactory(township=township)
    services.score_month(township_id=township.pk, year=2026, month=4, today=date(2026, 5, 10))
    services.period_for(township.pk, 2026, 4)
    return {"township": township, "village": village, "staff": staff}
