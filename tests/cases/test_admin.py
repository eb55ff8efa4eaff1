"""The admin of cases and the calendar: every list opens with search and filters."""

from datetime import date

import pytest
from django.urls import reverse

from tests.cases.factories import BacklogRelapseFactory
from tests.cases.factories import CaseReviewFactory
from tests.factories import UserFactory
from workdays.models import CalendarYear

pytestmark = pytest.mark.django_db

MODELS = [
    "cases_assignedcase",
    "cases_casehandlerreport",
    "cases_casereview",
    "cases_caseextension",
    "cases_backlogcase",
    "cases_backlogrelapse",
    "workdays_calendarday",
    "workdays_calendaryear",
]


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("model", MODELS)
def test_every_admin_list_opens_with_a_search(client_for, superuser, model):
    CaseReviewFactory()
    BacklogRelapseFactory()
    response = client_for(superuser).get(reverse(f"admin:{model}_changelist") + "?q=x")
    assert response.status_code == 200


def test_an_assigned_case_page_in_the_admin_opens(client_for, superuser):
    review = CaseReviewFactory()
    url = reverse("admin:cases_assignedcase_change", args=[review.case.pk])
    assert client_for(superuser).get(url).status_code == 200


def test_entering_a_year_in_the_admin_goes_through_the_service(client_for, superuser):
    response = client_for(superuser).post(
        reverse("admin:workdays_calendaryear_add"), {"year": "2027", "note": "国办发明电"}
    )
    assert response.status_code == 302
    row = CalendarYear.objects.get()
    assert row.entered_by == superuser
    assert row.entered_at is not None
    assert row.entered_at.date() >= date(2026, 1, 1)


def test_the_admin_refuses_a_year_the_library_covers(client_for, superuser):
    response = client_for(superuser).post(
        reverse("admin:workdays_calendaryear_add"), {"year": "2026"}
    )
    assert response.status_code == 200
    assert "无需录入" in response.content.decode()
    assert not CalendarYear.objects.exists()
