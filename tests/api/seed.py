"""One record of every kind in a small township, for tests that need something to read, change
and delete (the schema-driven fuzz run)."""

from datetime import date

from accounts.models import Role
from assessment import services
from tests.cases.factories import AssignedCaseFactory, BacklogCaseFactory, BacklogRelapseFactory
from tests.factories import (
    AreaFactory,
    PersonFactory,
    ResponsibilityFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)
from tests.governance.factories import (
    AdjustmentEventFactory,
    CentreInspectionFactory,
    LandlineHouseholdFactory,
    LeadershipGroupFactory,
    MeetingAttendanceFactory,
    PatrolFactory,
    SensitivePeriodFactory,
    SpecialPersonFactory,
    SurveyFactory,
    TownshipMeetingFactory,
    VillageMeetingFactory,
    ZeroReportFactory,
)
from tests.petitions.factories import (
    BaobaoEntryFactory,
    DisputeFactory,
    DisputeReportFactory,
    DossierFactory,
    PetitionerFactory,
    PetitionFactory,
    ReceptionLogFactory,
)


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
