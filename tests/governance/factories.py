"""Factories of the 综治中心 records (built on tests.factories)."""

from datetime import date

import factory

from governance.models import AdjustmentEvent
from governance.models import CentreInspection
from governance.models import LandlineHousehold
from governance.models import LeadershipGroup
from governance.models import MeetingAttendance
from governance.models import Patrol
from governance.models import SensitivePeriod
from governance.models import SpecialPerson
from governance.models import Survey
from governance.models import TownshipMeeting
from governance.models import VillageMeeting
from governance.models import ZeroReport
from tests.factories import TownshipFactory
from tests.factories import VillageFactory


class CentreInspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreInspection

    village = factory.SubFactory(VillageFactory)
    date = date(2026, 4, 10)
    inspector = "王检查"
    duty_records = True
    is_clean = True
    rules_complete = True
    dedicated_person = True
    file_zongzhi = True
    file_fangxie = True
    file_xinfang = True
    file_pufa = True
    file_jindu = True
    file_jindu_month = True
    file_chuanxiao = True


class SpecialPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialPerson

    village = factory.SubFactory(VillageFactory)
    category = "mental"
    name = factory.Sequence(lambda n: f"重点{n}")
    registered = date(2026, 1, 5)


class ZeroReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZeroReport

    village = factory.SubFactory(VillageFactory)
    category = "cult"
    date = date(2026, 1, 5)


class LeadershipGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadershipGroup

    village = factory.SubFactory(VillageFactory)
    kind = "mediation"
    established = date(2025, 1, 1)
    leader = "李组长"


class LandlineHouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LandlineHousehold

    village = factory.SubFactory(VillageFactory)
    head = factory.Sequence(lambda n: f"户主{n}")
    phone = factory.Sequence(lambda n: f"0571{8000000 + n}")


class PatrolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patrol

    village = factory.SubFactory(VillageFactory)
    date = date(2026, 4, 7)
    participants = "张三、李四"


class VillageMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageMeeting

    village = factory.SubFactory(VillageFactory)
    date = date(2026, 4, 8)
    topic = "研究信访工作"
    studied_petition_work = True


class TownshipMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TownshipMeeting

    township = factory.SubFactory(TownshipFactory)
    date = date(2026, 4, 9)
    topic = "四月综治例会"


class MeetingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendance

    meeting = factory.SubFactory(TownshipMeetingFactory)
    village = factory.SubFactory(
        VillageFactory, area__township=factory.SelfAttribute("...meeting.township")
    )
    status = "present"


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    village = factory.SubFactory(VillageFactory)
    year = 2026
    quarter = 2
    date = date(2026, 4, 20)


class AdjustmentEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdjustmentEvent

    village = factory.SubFactory(VillageFactory)
    date = date(2026, 4, 15)
    kind = "checkpoint"


class SensitivePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SensitivePeriod

    township = factory.SubFactory(TownshipFactory)
    name = "春节"
    start = date(2026, 2, 10)
    end = date(2026, 2, 24)
    bonus_points = "2.00"
    award_amount = "5000.00"
