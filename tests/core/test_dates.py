"""Every record date lies in a plausible window (issue 12, item 2): the rule, the table of date
fields, and the three doors (form page, API, Excel import) refusing a bad date at its field.

Time is pinned to 15 June 2026 in Shanghai, before any fixture creates the township, so the
township "began" on 1 January 2025 whatever the machine's clock says.
"""

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessment.models import RubricAssignment
from assessment.models import RubricVersion
from cases.models import BacklogCase
from core import dates
from core.records import record_save
from exports.importing import run_import
from governance.models import Patrol
from governance.models import SensitivePeriod
from petitions.models import Dispute
from petitions.models import Petition
from tests.exports.helpers import PETITION_HEADERS
from tests.exports.helpers import petition_row
from tests.exports.helpers import xlsx
from tests.factories import PersonFactory
from tests.factories import TownshipFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 6, 15)
BEGAN = date(2025, 1, 1)  # the township is set up in 2026: January of the year before
pytestmark = pytest.mark.django_db

RECORD_APPS = ("villages", "petitions", "cases", "governance", "rewards")


@pytest.fixture(autouse=True)
def _pinned_today():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield


# --- the table ---------------------------------------------------------------------------------


def _record_models():
    """Every model of the record apps that keeps history (the records core.records writes)."""
    return [
        m
        for app in RECORD_APPS
        for m in apps.get_app_config(app).get_models()
        if hasattr(m, "history") and not m.__name__.startswith("Historical")
    ]


def test_every_date_field_of_every_record_model_is_classified():
    unclassified = [
        f"{m._meta.label}.{f.name}"
        for m in _record_models()
        for f in m._meta.concrete_fields
        if isinstance(f, models.DateField)  # DateTimeField is a DateField
        and f.name not in dates.RECORD_DATES.get(m._meta.label, {})
    ]
    assert len(_record_models()) > 20
    assert unclassified == []


def test_the_table_names_only_real_date_fields():
    for label, fields in dates.RECORD_DATES.items():
        model = apps.get_model(label)
        for name, window in fields.items():
            assert isinstance(model._meta.get_field(name), models.DateField), (label, name)
            assert window in (dates.HAPPENED, dates.PLANNED, dates.RECALLED, dates.SCHEDULED, None)


def test_what_has_happened_is_never_planned():
    assert dates.RECORD_DATES["governance.Patrol"]["date"] is dates.HAPPENED
    assert dates.RECORD_DATES["petitions.Petition"]["date"] is dates.HAPPENED
    assert dates.RECORD_DATES["petitions.Dispute"]["found_date"] is dates.HAPPENED
    assert dates.RECORD_DATES["cases.AssignedCase"]["due_date"] is dates.PLANNED


# --- the rule (plain data) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "day", "ok"),
    [
        (dates.HAPPENED, TODAY, True),
        (dates.HAPPENED, date(2026, 6, 16), False),
        (dates.HAPPENED, BEGAN, True),
        (dates.HAPPENED, date(2024, 12, 31), False),
        (dates.HAPPENED, date(1, 1, 1), False),
        (dates.HAPPENED, date(9999, 12, 31), False),
        (dates.PLANNED, date(2026, 7, 15), True),
        (dates.PLANNED, date(2027, 12, 31), True),
        (dates.PLANNED, date(2028, 1, 1), False),
        (dates.PLANNED, date(2024, 12, 31), False),
        (dates.RECALLED, date(2000, 1, 1), True),
        (dates.RECALLED, date(1999, 12, 31), False),
        (dates.RECALLED, date(2026, 6, 16), False),
        (dates.SCHEDULED, date(2003, 5, 1), True),
        (dates.SCHEDULED, date(2027, 12, 31), True),
        (dates.SCHEDULED, date(9999, 12, 31), False),
    ],
)
def test_the_window(window, day, ok):
    found = dates.problems({"d": (window, day)}, today=TODAY, began=BEGAN)
    assert ("d" not in found) is ok, found


def test_each_end_says_which_limit_it_broke():
    found = dates.problems(
        {
            "early": (dates.HAPPENED, date(1, 1, 1)),
            "ancient": (dates.RECALLED, date(1, 1, 1)),
            "future": (dates.HAPPENED, date(2026, 6, 16)),
            "far": (dates.PLANNED, date(9999, 12, 31)),
            "blank": (dates.HAPPENED, None),
        },
        today=TODAY,
        began=BEGAN,
    )
    assert set(found) == {"early", "ancient", "future", "far"}
    assert "2025-01-01" in found["early"] and "考核的起始日期" in found["early"]
    assert found["ancient"] == "日期不能早于 2000-01-01。"
    assert "不能晚于今天(2026-06-15)" in found["future"]
    assert "2027-12-31" in found["far"]


def test_a_date_time_counts_on_the_townships_local_date():
    # 23:30 UTC on 15 June is 07:30 on 16 June in Shanghai: tomorrow there.
    late = datetime(2026, 6, 15, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert dates.as_day(late) == date(2026, 6, 16)


# --- when the township began -------------------------------------------------------------------


def test_a_township_began_in_january_of_the_year_before_it_was_set_up(township):
    assert dates.township_began(township.pk) == BEGAN


def test_assigning_a_rubric_to_an_earlier_year_moves_the_start_back(township):
    RubricAssignment.objects.create(
        township=township, year=2023, version=RubricVersion.objects.order_by("pk").first()
    )
    assert dates.township_began(township.pk) == date(2023, 1, 1)


def test_a_township_without_history_falls_back_to_the_floor():
    assert dates.township_began(None) == dates.FLOOR
    bare = TownshipFactory(name="无史镇", code="bare")
    bare.history.all().delete()
    assert dates.township_began(bare.pk) == dates.FLOOR


# --- through record_save (every door) ----------------------------------------------------------


def _refused(instance, field):
    with pytest.raises(ValidationError) as caught:
        record_save(instance=instance, user=None)
    assert field in caught.value.error_dict, caught.value
    return caught.value.error_dict[field][0].messages[0]


def test_record_save_refuses_a_future_patrol(village_a):
    patrol = Patrol(village=village_a, date=date(2026, 6, 16), participants="张三")
    assert "不能晚于今天" in _refused(patrol, "date")
    assert not Patrol.objects.exists()


def test_record_save_refuses_a_patrol_before_the_township_began(village_a):
    patrol = Patrol(village=village_a, date=date(2024, 12, 31), participants="张三")
    assert "2025-01-01" in _refused(patrol, "date")


def test_a_patrol_today_and_a_time_limit_next_month_are_accepted(village_a):
    record_save(instance=Patrol(village=village_a, date=TODAY, participants="张三"), user=None)
    case = BacklogCase(
        village=village_a,
        title="老宅基地纠纷",
        listed_date=date(2019, 3, 1),  # a backlog case is old by nature
        leader=PersonFactory(township=village_a.township),
        working_group="专班",
        resolution_plan="方案",
        stabilisation_measures="措施",
        time_limit=date(2026, 7, 15),
    )
    record_save(instance=case, user=None)
    assert Patrol.objects.count() == 1 and BacklogCase.objects.count() == 1


def test_a_backlog_time_limit_years_ahead_is_refused(village_a):
    case = BacklogCase(
        village=village_a,
        title="x",
        listed_date=date(2026, 3, 1),
        leader=PersonFactory(township=village_a.township),
        working_group="专班",
        resolution_plan="方案",
        stabilisation_measures="措施",
        time_limit=date(9999, 12, 31),
    )
    assert "2027-12-31" in _refused(case, "time_limit")


def test_township_records_are_checked_too(township, staff_user):
    from governance.services import township_record_save

    period = SensitivePeriod(
        township=township,
        name="国庆",
        start=date(2026, 7, 1),
        end=date(9999, 12, 31),
        bonus_points=1,
        award_amount=0,
    )
    with pytest.raises(ValidationError) as caught:
        township_record_save(instance=period, user=staff_user)
    assert list(caught.value.error_dict) == ["end"]
    period.end = date(2026, 7, 7)  # planned next month: fine
    township_record_save(instance=period, user=staff_user)
    assert SensitivePeriod.objects.count() == 1


# --- the three doors: form page, API, import row -----------------------------------------------

BAD_DAYS = ["9999-12-31", "0001-01-01"]


def _form_data(kind, village, day):
    if kind == "patrol":
        return (
            "governance:patrol_create",
            "date",
            {
                "village": village.pk,
                "date": day,
                "participants": "张三",
            },
        )
    if kind == "dispute":
        return (
            "petitions:dispute_create",
            "found_date",
            {
                "village": village.pk,
                "found_date": day,
                "parties": "甲乙",
                "matter": "地界",
                "category": "other",
                "status": "open",
            },
        )
    return (
        "petitions:petition_create",
        "date",
        {
            "village": village.pk,
            "date": day,
            "level": "district",
            "channel": "visit",
            "nature": "normal",
            "person_count": "1",
            "matter": "征地补偿",
            "stabilised_in_time": "False",
            "carried_village_opinion": "unknown",
            "source": "township_reception",
            "source_ref": "",
            "petitioners-TOTAL_FORMS": "1",
            "petitioners-INITIAL_FORMS": "0",
            "petitioners-MIN_NUM_FORMS": "0",
            "petitioners-MAX_NUM_FORMS": "1000",
            "petitioners-0-name": "张三",
            "petitioners-0-id_number": "",
        },
    )


MODELS = {"patrol": Patrol, "dispute": Dispute, "petition": Petition}


@pytest.mark.parametrize("day", BAD_DAYS)
@pytest.mark.parametrize("kind", ["patrol", "dispute", "petition"])
def test_the_form_page_shows_the_error_at_the_field(client_for, staff_user, village_a, kind, day):
    name, field, data = _form_data(kind, village_a, day)
    response = client_for(staff_user).post(reverse(name), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert "不能" in errors[field][0]
    assert not MODELS[kind].objects.exists()


def test_a_good_form_still_saves(client_for, staff_user, village_a):
    name, _field, data = _form_data("patrol", village_a, "2026-06-15")
    assert client_for(staff_user).post(reverse(name), data).status_code == 302
    assert Patrol.objects.count() == 1


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


API = {
    "patrol": ("/api/patrols/", "date", {"participants": "巡逻队"}),
    "dispute": ("/api/disputes/", "found_date", {"parties": "甲乙", "matter": "地界"}),
    "petition": (
        "/api/petitions/",
        "date",
        {"level": "city", "channel": "visit", "matter": "补偿", "petitioners": [{"name": "钱某"}]},
    ),
}


@pytest.mark.parametrize("day", BAD_DAYS)
@pytest.mark.parametrize("kind", ["patrol", "dispute", "petition"])
def test_the_api_answers_400_at_the_field(staff_user, village_a, kind, day):
    url, field, payload = API[kind]
    response = _api(staff_user).post(
        url, {**payload, "village": village_a.pk, field: day}, format="json"
    )
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert not MODELS[kind].objects.exists()


IMPORTS = {
    "patrol": (
        "patrols",
        ["所属村(居)", "巡逻日期", "开始时间", "结束时间", "巡逻人员"],
        lambda day: ["甲村", day, "19:00", "21:00", "张三"],
        "巡逻日期",
    ),
    "dispute": (
        "disputes",
        ["所属村(居)", "发现日期", "当事人", "纠纷事项", "状态", "化解日期"],
        lambda day: ["甲村", day, "张三", "地界", "未化解", ""],
        "发现日期",
    ),
    "petition": ("petitions", PETITION_HEADERS, lambda day: petition_row(day=day), "登记日期"),
}


@pytest.mark.parametrize("day", BAD_DAYS)
@pytest.mark.parametrize("kind", ["patrol", "dispute", "petition"])
def test_an_import_row_is_refused_at_its_column(township, village_a, staff_user, kind, day):
    resource, headers, row, column = IMPORTS[kind]
    outcome = run_import(
        resource,
        xlsx(headers, row(day)),
        township=township,
        user=staff_user,
        filename="x.xlsx",
        dry_run=False,
    )
    assert not outcome.ok and not outcome.imported
    (bad,) = outcome.error_rows
    assert bad.excel_row == 2
    assert any(col == column and "不能" in message for col, message in bad.errors), bad.errors
    assert not MODELS[kind].objects.exists()


def test_the_error_is_translated(client_for, staff_user, village_a):
    name, _field, data = _form_data("patrol", village_a, "0001-01-01")
    client = client_for(staff_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse(name), data)
    message = response.context["form"].errors["date"][0]
    assert "2025-01-01" in message
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.parametrize("day", BAD_DAYS)
def test_an_assigned_case_is_refused_before_its_due_date_is_counted(staff_user, village_a, day):
    # The due date is counted from the assignment date by the work calendar: 9999-12-31 used to
    # overflow there (a 500) before record_save could refuse it.
    response = _api(staff_user).post(
        "/api/assigned-cases/",
        {"village": village_a.pk, "title": "交办", "assigned_by": "区信访局", "assigned_date": day},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "assigned_date" in response.json()
