"""Every governance model has an admin page with search and filters that loads."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User
from governance import models

from .factories import AdjustmentEventFactory
from .factories import CentreInspectionFactory
from .factories import MeetingAttendanceFactory
from .factories import SensitivePeriodFactory
from .factories import SurveyFactory

MODELS = [
    models.CentreInspection,
    models.SpecialPerson,
    models.ZeroReport,
    models.LeadershipGroup,
    models.LandlineHousehold,
    models.Patrol,
    models.VillageMeeting,
    models.TownshipMeeting,
    models.MeetingAttendance,
    models.Survey,
    models.SurveySample,
    models.SurveyAnswer,
    models.AdjustmentEvent,
    models.SensitivePeriod,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_changelist_with_search_and_filters(client, village_a, model):
    registered = admin.site._registry[model]
    assert registered.search_fields and registered.list_filter and registered.list_display
    CentreInspectionFactory(village=village_a)
    MeetingAttendanceFactory(meeting__township=village_a.township, village=village_a)
    SurveyFactory(village=village_a)
    AdjustmentEventFactory(village=village_a)
    SensitivePeriodFactory(township=village_a.township)
    client.force_login(User.objects.create_superuser("root", "root@example.cn", "pw"))
    name = f"admin:governance_{model._meta.model_name}_changelist"
    response = client.get(reverse(name), {"q": "甲"})
    assert response.status_code == 200
