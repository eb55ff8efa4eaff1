"""URLs of the 综治中心 work: one RecordPages per record kind, and the pages that are more."""

from django.urls import path

from . import views
from .forms import AdjustmentEventForm
from .forms import CentreInspectionForm
from .forms import LandlineHouseholdForm
from .forms import LeadershipGroupForm
from .forms import MeetingAttendanceForm
from .forms import PatrolForm
from .forms import SensitivePeriodForm
from .forms import SpecialPersonForm
from .forms import SurveyForm
from .forms import TownshipMeetingForm
from .forms import VillageMeetingForm
from .forms import ZeroReportForm
from .models import AdjustmentEvent
from .models import CentreInspection
from .models import LandlineHousehold
from .models import LeadershipGroup
from .models import MeetingAttendance
from .models import Patrol
from .models import SensitivePeriod
from .models import SpecialPerson
from .models import Survey
from .models import TownshipMeeting
from .models import VillageMeeting
from .models import ZeroReport
from .views import TOWNSHIP_VIEWS
from .views import GovernancePages

app_name = "governance"

PAGES = [
    GovernancePages(
        name="centreinspection",
        model=CentreInspection,
        form_class=CentreInspectionForm,
        columns=("village", "date", "inspector", "duty_records", "is_clean", "rules_complete"),
        search_fields=("inspector", "note"),
    ),
    GovernancePages(
        name="specialperson",
        model=SpecialPerson,
        form_class=SpecialPersonForm,
        columns=("village", "category", "name", "responsible", "registered", "removed"),
        filter_fields=("village", "category"),
        search_fields=("name", "responsible", "note"),
        month_field="registered",
        views=views.SPECIAL_PERSON_VIEWS,
    ),
    GovernancePages(
        name="zeroreport",
        model=ZeroReport,
        form_class=ZeroReportForm,
        columns=("village", "category", "date"),
        filter_fields=("village", "category"),
        search_fields=("note",),
    ),
    GovernancePages(
        name="leadershipgroup",
        model=LeadershipGroup,
        form_class=LeadershipGroupForm,
        columns=("village", "kind", "established", "dissolved", "leader"),
        filter_fields=("village", "kind"),
        search_fields=("leader", "members", "document_ref"),
        month_field="established",
    ),
    GovernancePages(
        name="landlinehousehold",
        model=LandlineHousehold,
        form_class=LandlineHouseholdForm,
        columns=("village", "head", "phone", "address", "active"),
        filter_fields=("village", "active"),
        search_fields=("head", "phone", "address"),
        month_field=None,
    ),
    GovernancePages(
        name="patrol",
        model=Patrol,
        form_class=PatrolForm,
        columns=("village", "date", "start_time", "end_time", "participants", "route"),
        search_fields=("participants", "route", "note"),
    ),
    GovernancePages(
        name="villagemeeting",
        model=VillageMeeting,
        form_class=VillageMeetingForm,
        columns=("village", "date", "topic", "studied_petition_work"),
        filter_fields=("village", "studied_petition_work"),
        search_fields=("topic", "attendees", "minutes"),
    ),
    GovernancePages(
        name="townshipmeeting",
        model=TownshipMeeting,
        form_class=TownshipMeetingForm,
        columns=("date", "topic", "location"),
        filter_fields=(),
        search_fields=("topic", "location", "note"),
        village_path="",
        select_related=("township",),
        views={
            **TOWNSHIP_VIEWS,
            "create": views.TownshipMeetingCreate,
            "detail": views.TownshipMeetingDetail,
        },
    ),
    GovernancePages(
        name="meetingattendance",
        model=MeetingAttendance,
        form_class=MeetingAttendanceForm,
        columns=("meeting", "village", "status", "note"),
        filter_fields=("village", "status"),
        search_fields=("meeting__topic", "note"),
        select_related=("village", "meeting"),
        month_field="meeting__date",
    ),
    GovernancePages(
        name="survey",
        model=Survey,
        form_class=SurveyForm,
        columns=("village", "year", "quarter", "date", "sample_size"),
        filter_fields=("village", "year", "quarter"),
        search_fields=("note",),
        detail_fields=("village", "year", "quarter", "date", "note"),
        views={"detail": views.SurveyDetail},
    ),
    GovernancePages(
        name="adjustmentevent",
        model=AdjustmentEvent,
        form_class=AdjustmentEventForm,
        columns=("village", "date", "kind", "level", "document_ref"),
        filter_fields=("village", "kind"),
        search_fields=("description", "document_ref"),
    ),
    GovernancePages(
        name="sensitiveperiod",
        model=SensitivePeriod,
        form_class=SensitivePeriodForm,
        columns=("name", "start", "end", "bonus_points", "award_amount"),
        filter_fields=(),
        search_fields=("name", "note"),
        village_path="",
        select_related=("township",),
        month_field="start",
        views=TOWNSHIP_VIEWS,
    ),
]

urlpatterns = [
    path("registers/", views.RegistersView.as_view(), name="registers"),
    path("registers/<int:pk>/", views.VillageRegisterView.as_view(), name="register_village"),
    path("patrol-weeks/", views.PatrolWeeksView.as_view(), name="patrol_weeks"),
    path("patrol-weeks/grid/", views.PatrolWeekGridView.as_view(), name="patrol_week_grid"),
    path(
        "specialperson/counts/",
        views.SpecialPersonCountsView.as_view(),
        name="specialperson_counts",
    ),
    path(
        "townshipmeeting/<int:pk>/attendance/",
        views.MeetingAttendanceView.as_view(),
        name="townshipmeeting_attendance",
    ),
    path("survey/<int:pk>/answers/", views.SurveyAnswersView.as_view(), name="survey_answers"),
]
for pages in PAGES:
    urlpatterns += pages.urls(app_name)
