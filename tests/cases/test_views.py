"""Case pages per role, the step forms, and the backlog form with its relapses inline."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.choices import CaseState
from cases.models import AssignedCase
from cases.models import BacklogCase
from cases.models import BacklogRelapse
from cases.models import CaseHandlerReport
from tests.cases.factories import BacklogCaseFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(village_a, staff_user):
    return services.case_assign(
        village=village_a,
        title="甲村交办件",
        assigned_by="区信访局",
        assigned_date=date(2026, 2, 5),
        by=staff_user,
    )


@pytest.fixture
def case_b(village_b, staff_user):
    return services.case_assign(
        village=village_b,
        title="乙村交办件",
        assigned_by="区信访局",
        assigned_date=date(2026, 2, 5),
        by=staff_user,
    )


def _detail(case):
    return reverse("cases:assigned_detail", args=[case.pk])


def _step(case, action):
    return reverse("cases:assigned_action", args=[case.pk, action])


@pytest.mark.parametrize(
    ("role", "which", "status"),
    [
        ("secretary_a", "a", 200),
        ("secretary_a", "b", 404),
        ("secretary_b", "a", 404),
        ("staff", "b", 200),
        ("leader", "a", 200),
        ("admin", "b", 200),
        ("other_staff", "a", 404),
    ],
)
def test_assigned_case_page_reach(client_for, cast, case_a, case_b, role, which, status):
    case = {"a": case_a, "b": case_b}[which]
    response = client_for(cast[role]).get(_detail(case))
    assert response.status_code == status
    if status == 404:
        assert case.title not in response.content.decode()


def test_a_secretary_lists_only_the_own_village(client_for, secretary_a, case_a, case_b):
    body = client_for(secretary_a).get(reverse("cases:assigned_list")).content.decode()
    assert case_a.title in body
    assert case_b.title not in body


def test_anonymous_goes_to_login(client, case_a):
    response = client.get(_detail(case_a))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_staff_enters_a_case_and_the_due_date_is_computed(client_for, staff_user, village_a):
    response = client_for(staff_user).post(
        reverse("cases:assigned_create"),
        {
            "village": village_a.pk,
            "title": "新交办件",
            "assigned_by": "区信访局",
            "assigned_date": "2026-09-15",
            "due_date": "2026-09-16",  # not a field of the form: ignored
        },
    )
    case = AssignedCase.objects.get(title="新交办件")
    assert response.status_code == 302
    assert case.due_date == date(2026, 10, 19)
    body = client_for(staff_user).get(_detail(case)).content.decode()
    assert "2026-10-19" in body


def test_a_secretary_may_not_enter_or_edit_a_case(client_for, secretary_a, case_a):
    client = client_for(secretary_a)
    assert client.get(reverse("cases:assigned_create")).status_code == 403
    assert client.get(reverse("cases:assigned_update", args=[case_a.pk])).status_code == 403


def test_the_secretary_reports_handlers_from_the_case_page(client_for, secretary_a, case_a):
    client = client_for(secretary_a)
    page = client.get(_detail(case_a)).content.decode()
    assert 'id="step-report_handlers"' in page
    assert 'id="step-review"' not in page
    response = client.post(
        _step(case_a, "report_handlers"), {"names": "李四", "reported_date": "2026-02-06"}
    )
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.state == CaseState.HANDLING


def test_an_invalid_step_shows_its_errors_and_saves_nothing(client_for, secretary_a, case_a):
    response = client_for(secretary_a).post(
        _step(case_a, "report_handlers"), {"names": "", "reported_date": "2026-02-01"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "该字段是必填项" in body
    assert not CaseHandlerReport.objects.exists()
    response = client_for(secretary_a).post(
        _step(case_a, "report_handlers"), {"names": "李四", "reported_date": "2026-02-01"}
    )
    assert "上报日期不能早于交办日期 2026-02-05" in response.content.decode()
    assert not CaseHandlerReport.objects.exists()


def test_a_step_out_of_order_is_refused_with_a_message(client_for, staff_user, case_a):
    response = client_for(staff_user).post(
        _step(case_a, "conclude"), {"concluded_date": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "当前状态为「已交办」,不能办结" in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.state == CaseState.ASSIGNED


def test_a_secretary_may_not_review(client_for, secretary_a, case_a):
    response = client_for(secretary_a).post(
        _step(case_a, "review"), {"decision": "accepted", "review_date": "2026-02-27"}
    )
    assert response.status_code == 403


def test_an_unknown_step_is_not_found(client_for, staff_user, case_a):
    assert client_for(staff_user).post(_step(case_a, "teleport"), {}).status_code == 404


def test_an_admin_approves_an_extension_and_the_page_shows_the_new_date(
    client_for, admin_user, secretary_a, case_a
):
    client_for(secretary_a).post(
        _step(case_a, "request_extension"), {"requested_days": "5", "reason": "当事人外出"}
    )
    client = client_for(admin_user)
    assert 'id="step-decide_extension"' in client.get(_detail(case_a)).content.decode()
    client.post(_step(case_a, "decide_extension"), {"decision": "approve"})
    body = client.get(_detail(case_a)).content.decode()
    assert "2026-03-18" in body
    assert "已批准" in body


# backlog cases ---------------------------------------------------------------------------
def _backlog_post(village, leader, resolvers=(), **extra):
    data = {
        "village": village.pk,
        "title": "王某土地纠纷积案",
        "listed_date": "2026-01-05",
        "leader": leader.pk,
        "working_group": "镇信访办、村两委",
        "resolution_plan": "依法依规解决",
        "stabilisation_measures": "专人稳控",
        "time_limit": "2026-06-30",
        "resolved_date": "",
        "resolvers": [p.pk for p in resolvers],
        "relapses-TOTAL_FORMS": "1",
        "relapses-INITIAL_FORMS": "0",
        "relapses-MIN_NUM_FORMS": "0",
        "relapses-MAX_NUM_FORMS": "1000",
        "relapses-0-date": "",
        "relapses-0-note": "",
    }
    data.update(extra)
    return data


def test_staff_enters_a_backlog_case_with_a_relapse(client_for, staff_user, village_a, township):
    leader, resolver = PersonFactory.create_batch(2, township=township)
    response = client_for(staff_user).post(
        reverse("cases:backlog_create"),
        _backlog_post(
            village_a,
            leader,
            [resolver],
            resolved_date="2026-03-05",
            **{"relapses-0-date": "2026-04-10", "relapses-0-note": "到区重复访"},
        ),
    )
    assert response.status_code == 302, response.content.decode()
    case = BacklogCase.objects.get()
    assert list(case.resolvers.all()) == [resolver]
    assert [r.date for r in case.relapses.all()] == [date(2026, 4, 10)]
    body = client_for(staff_user).get(reverse("cases:backlog_detail", args=[case.pk])).content
    assert "到区重复访" in body.decode()


def test_an_invalid_backlog_case_saves_nothing(client_for, staff_user, village_a, township):
    leader = PersonFactory(township=township)
    response = client_for(staff_user).post(
        reverse("cases:backlog_create"),
        _backlog_post(
            village_a,
            leader,
            resolved_date="2026-03-05",
            **{"relapses-0-date": "2025-12-01"},
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "填写化解日期时须指定化解人" in body
    assert not BacklogCase.objects.exists()
    assert not BacklogRelapse.objects.exists()


def test_a_relapse_before_the_listing_is_refused(client_for, staff_user, village_a, township):
    leader = PersonFactory(township=township)
    response = client_for(staff_user).post(
        reverse("cases:backlog_create"),
        _backlog_post(village_a, leader, **{"relapses-0-date": "2025-12-01"}),
    )
    assert "反弹日期不能早于列为积案日期" in response.content.decode()
    assert not BacklogCase.objects.exists()


def test_the_leader_must_be_of_the_township(client_for, staff_user, village_a, other_village):
    outsider = PersonFactory(township=other_village.township)
    response = client_for(staff_user).post(
        reverse("cases:backlog_create"), _backlog_post(village_a, outsider)
    )
    assert response.status_code == 200
    assert not BacklogCase.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("secretary_a", 200), ("secretary_b", 404), ("other_staff", 404)]
)
def test_backlog_case_page_reach(client_for, cast, village_a, role, status):
    case = BacklogCaseFactory(village=village_a)
    response = client_for(cast[role]).get(reverse("cases:backlog_detail", args=[case.pk]))
    assert response.status_code == status


def test_the_history_names_the_resolvers(client_for, staff_user, village_a, township):
    leader, resolver = PersonFactory.create_batch(2, township=township)
    resolver.name = "赵化解"
    resolver.save()
    client = client_for(staff_user)
    client.post(reverse("cases:backlog_create"), _backlog_post(village_a, leader))
    case = BacklogCase.objects.get()
    data = _backlog_post(village_a, leader, [resolver], resolved_date="2026-03-05")
    data["change_reason"] = "已化解"
    response = client.post(reverse("cases:backlog_update", args=[case.pk]), data)
    assert response.status_code == 302, response.content.decode()
    body = client.get(reverse("cases:backlog_detail", args=[case.pk])).content.decode()
    assert "赵化解" in body
    assert "'person'" not in body


def test_the_menu_offers_cases_to_a_secretary_but_not_the_calendar(client_for, secretary_a):
    body = client_for(secretary_a).get(reverse("cases:assigned_list")).content.decode()
    assert "交办件与积案" in body
    assert reverse("workdays:calendar") not in body


def test_the_list_costs_the_same_queries_for_3_or_25_cases(client_for, staff_user, village_a):
    client = client_for(staff_user)
    counts = []
    for n in (3, 22):
        for i in range(n):
            services.case_assign(
                village=village_a,
                title=f"件{i}",
                assigned_by="区信访局",
                assigned_date=date(2026, 12, 1),  # provisional: the banner's queries count too
                by=staff_user,
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases:assigned_list")).status_code == 200
        counts.append(len(queries))
    # Tier bounds 1 (overrides around today); banner 2 (provisional cases, entered years);
    # count 1; page 1 (with villages); village filter 1; plus session, user, menu.
    assert counts[0] == counts[1]
