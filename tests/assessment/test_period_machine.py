"""Issue 13: periods move along one table (assessment/periods.py), in the services, on the
periods page (each move confirmed) and through the API alike."""

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessment import periods
from assessment import services
from assessment.models import Contest
from assessment.models import Period
from assessment.models import PeriodEvent
from assessment.models import PeriodState
from assessment.periods import CLOSE
from assessment.periods import PUBLISH
from assessment.periods import REOPEN
from assessment.periods import PeriodFacts
from assessment.periods import PeriodTransitionError
from tests.assessment.period_steps import close_month
from tests.assessment.period_steps import publish_month

SHANGHAI = ZoneInfo("Asia/Shanghai")
# April 2026 published on 6 May (after the Labour Day holiday); "now" is 1 June, long after
# its contest window. A month "closed, never published" is one closed before the table existed.
PUBLISHED_AT = datetime(2026, 5, 6, 9, tzinfo=SHANGHAI)
NOW = datetime(2026, 6, 1, 10, tzinfo=SHANGHAI)
TODAY = NOW.date()

OPEN, PUBLISHED, CLOSED = PeriodState.OPEN, PeriodState.PUBLISHED, PeriodState.CLOSED
LEGACY = "closed_unpublished"
STATES = [OPEN, PUBLISHED, CLOSED, LEGACY]
ACTIONS = [PUBLISH, CLOSE, REOPEN]

# Every allowed move and where it leads; every other (state, action) pair is refused.
ALLOWED = {
    (OPEN, PUBLISH): PUBLISHED,
    (PUBLISHED, CLOSE): CLOSED,
    (CLOSED, REOPEN): PUBLISHED,
    (LEGACY, REOPEN): OPEN,
}
PRODUCT = [(state, action) for state in STATES for action in ACTIONS]


def _facts(state: str) -> PeriodFacts:
    """April 2026 in `state`, everything else a move could wait for already satisfied."""
    if state == OPEN:
        return PeriodFacts(year=2026, month=4)
    if state == LEGACY:
        return PeriodFacts(year=2026, month=4, state=CLOSED)
    return PeriodFacts(
        year=2026,
        month=4,
        state=state,
        published_at=PUBLISHED_AT,
        contest_deadline=date(2026, 5, 13),
    )


@pytest.fixture
def june():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def april(township, june):
    def make(state: str) -> Period:
        published = state in (PUBLISHED, CLOSED)
        return Period.objects.create(
            township=township,
            year=2026,
            month=4,
            state=CLOSED if state == LEGACY else state,
            published_at=PUBLISHED_AT if published else None,
            closed_at=NOW if state in (CLOSED, LEGACY) else None,
        )

    return make


def _move(action: str, period: Period, by):
    step = {
        PUBLISH: services.period_publish,
        CLOSE: services.period_close,
        REOPEN: services.period_reopen,
    }[action]
    kwargs = {"reason": "补录漏报的记录"} if action != PUBLISH else {}
    return step(period=period, by=by, **kwargs)


def test_the_table_is_the_documented_one():
    assert periods.ALLOWED_FROM == {
        PUBLISH: (OPEN,),
        CLOSE: (PUBLISHED,),
        REOPEN: (CLOSED,),
    }


@pytest.mark.parametrize(("state", "action"), PRODUCT)
def test_the_rules_allow_only_the_tables_moves(state, action):
    facts = _facts(state)
    refused = periods.refusal(action, facts, TODAY)
    if (state, action) in ALLOWED:
        assert refused is None
        assert periods.target(action, facts) == ALLOWED[(state, action)]
        assert periods.check(action, facts, TODAY) == ALLOWED[(state, action)]
        assert action in periods.allowed(facts, TODAY)
    else:
        assert "2026年4月" in refused and str(periods.action_label(action)) in refused
        assert action not in periods.allowed(facts, TODAY)
        with pytest.raises(PeriodTransitionError):
            periods.check(action, facts, TODAY)


@pytest.mark.parametrize(("state", "action"), PRODUCT)
def test_the_services_make_every_allowed_move_and_refuse_every_other(
    april, admin_user, village_a, state, action
):
    period = april(state)
    before = (period.state, period.published_at, period.closed_at)
    if (state, action) not in ALLOWED:
        with pytest.raises(PeriodTransitionError) as exc:
            _move(action, period, admin_user)
        assert exc.value.code == "period_transition"
        period.refresh_from_db()
        assert (period.state, period.published_at, period.closed_at) == before
        assert not PeriodEvent.objects.filter(period=period).exists()
        return
    _move(action, period, admin_user)
    period.refresh_from_db()
    assert period.state == ALLOWED[(state, action)]
    (event,) = PeriodEvent.objects.filter(period=period)
    assert (event.action, event.from_state, event.to_state) == (action, before[0], period.state)


# --- the rules beyond the state -------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "today", "allowed"),
    [
        (4, date(2026, 4, 30), False),  # its last day
        (5, date(2026, 5, 2), False),  # the current month on its second day
        (4, date(2026, 5, 1), True),  # the day after
    ],
)
def test_a_month_is_published_only_once_it_has_ended(township, admin_user, month, today, allowed):
    period = services.period_for(township.pk, 2026, month)
    at = datetime.combine(today, datetime.min.time(), tzinfo=SHANGHAI)
    if not allowed:
        with pytest.raises(PeriodTransitionError) as exc:
            services.period_publish(period=period, by=admin_user, today=today, at=at)
        assert "尚未结束" in exc.value.messages[0]
        assert Period.objects.get(pk=period.pk).state == OPEN
        return
    services.period_publish(period=period, by=admin_user, today=today, at=at)
    assert Period.objects.get(pk=period.pk).state == PUBLISHED


def test_a_month_is_closed_only_after_its_contest_window(township, admin_user):
    period = services.period_for(township.pk, 2026, 5)
    publish_month(period, admin_user, day=date(2026, 6, 1))
    deadline = services.contest_deadline(period)
    assert deadline == date(2026, 6, 8)  # five working days after Monday 1 June
    for day in (date(2026, 6, 2), deadline):  # the second day, the window's last day
        with pytest.raises(PeriodTransitionError) as exc:
            services.period_close(period=period, by=admin_user, today=day)
        assert deadline.isoformat() in exc.value.messages[0]
    services.period_close(period=period, by=admin_user, today=date(2026, 6, 9))
    assert Period.objects.get(pk=period.pk).state == CLOSED


def test_a_month_with_a_pending_contest_is_not_closed(township, admin_user, secretary_a):
    period = services.period_for(township.pk, 2026, 4)
    publish_month(period, admin_user)
    Contest.objects.create(
        village=secretary_a.village,
        year=2026,
        month=4,
        item_code="2",
        line_reason="x",
        reason="不同意",
        filed_by=secretary_a,
    )
    with pytest.raises(PeriodTransitionError) as exc:
        services.period_close(period=period, by=admin_user, today=date(2026, 7, 1))
    assert "1 条申诉未处理" in exc.value.messages[0]


def test_a_reopened_month_is_published_again_with_its_publish_time(township, admin_user):
    period = services.period_for(township.pk, 2026, 4)
    publish_month(period, admin_user)
    published_at = Period.objects.get(pk=period.pk).published_at
    close_month(period, admin_user)
    services.period_reopen(period=period, by=admin_user, reason="补录漏报的巡逻记录")
    period.refresh_from_db()
    assert (period.state, period.published_at, period.closed_at) == (
        PUBLISHED,
        published_at,
        None,
    )
    # Its window is long over: it may be closed again at once.
    services.period_close(period=period, by=admin_user)
    assert Period.objects.get(pk=period.pk).state == CLOSED


def test_a_month_closed_without_publishing_reopens_to_open(april, admin_user):
    period = april(LEGACY)
    services.period_reopen(period=period, by=admin_user, reason="旧数据")
    period.refresh_from_db()
    assert (period.state, period.published_at) == (OPEN, None)


# --- the periods page: each move is confirmed ------------------------------------------------


def _post(client, data):
    return client.post(reverse("assessment:period_action", args=[2026, 4]), data)


@pytest.mark.parametrize(
    ("state", "action", "says"),
    [
        (OPEN, PUBLISH, "5个工作日内"),
        (PUBLISHED, CLOSE, "评分定稿并冻结"),
        (CLOSED, REOPEN, "月份回到「已公示」"),
    ],
)
def test_a_move_without_confirmation_only_asks(
    client, april, admin_user, village_a, state, action, says
):
    period = april(state)
    client.force_login(admin_user)
    response = _post(client, {"action": action})
    assert response.status_code == 200
    body = response.content.decode()
    assert says in body and 'name="confirm" value="1"' in body
    assert Period.objects.get(pk=period.pk).state == state
    assert not PeriodEvent.objects.exists()

    response = _post(client, {"action": action, "confirm": "1", "reason": "补录"})
    assert response.status_code == 302
    assert Period.objects.get(pk=period.pk).state == ALLOWED[(state, action)]


def test_a_refused_move_is_not_offered_for_confirmation(client, april, admin_user):
    period = april(OPEN)
    client.force_login(admin_user)
    for data in ({"action": CLOSE}, {"action": CLOSE, "confirm": "1"}):
        response = _post(client, data)
        assert response.status_code == 302
        assert Period.objects.get(pk=period.pk).state == OPEN
    page = client.get(response.url).content.decode()
    assert "当前状态为「进行中」,不能关闭" in page


def test_the_page_offers_only_the_moves_allowed_now(client, township, admin_user):
    with time_machine.travel(datetime(2026, 5, 2, 10, tzinfo=SHANGHAI), tick=False):
        client.force_login(admin_user)
        body = client.get(reverse("assessment:periods"), {"year": 2026}).content.decode()
    url = reverse("assessment:period_action", args=[2026, 4])
    may = reverse("assessment:period_action", args=[2026, 5])
    april_row = body.split(f'action="{url}"', 1)[1].split("</tr>", 1)[0]
    may_row = body.split(f'action="{may}"', 1)[1].split("</tr>", 1)[0]
    assert 'value="publish"' in april_row and 'value="close"' not in april_row
    assert 'value="publish"' not in may_row and "2026年5月 尚未结束" in may_row


# --- the API obeys the same table -------------------------------------------------------------


@pytest.fixture
def api(admin_user):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=admin_user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.parametrize(("state", "action"), PRODUCT)
def test_the_api_makes_the_same_moves(api, april, village_a, state, action):
    period = april(state)
    facts = services.period_facts(period)
    response = api.post(
        f"/api/periods/{action}/", {"year": 2026, "month": 4, "reason": "补录"}, format="json"
    )
    if (state, action) in ALLOWED:
        assert response.status_code == 200, response.content
        assert response.json()["state"] == ALLOWED[(state, action)]
        return
    assert response.status_code == 409, response.content
    assert response.json() == {
        "detail": periods.refusal(action, facts, TODAY),
        "code": "period_transition",
    }
    assert Period.objects.get(pk=period.pk).state == period.state


def test_the_api_refuses_publishing_a_month_not_ended(api, township, june):
    response = api.post("/api/periods/publish/", {"year": 2026, "month": 6}, format="json")
    assert response.status_code == 409
    assert "2026年6月 尚未结束" in response.json()["detail"]
