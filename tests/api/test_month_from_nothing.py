"""A village's month entered from nothing through the API alone, scored, and read back by item.

Only the township, its area, its village and two users come from fixtures; every record is
created with token-authenticated requests, as an outside system would.
"""

from datetime import date
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.api.conftest import png

pytestmark = pytest.mark.usefixtures("may_2026")

GROUPS = ("mediation", "patrol", "winter", "safety", "law", "drugs", "migrants", "cult", "mlm")
CATEGORIES = ("mental", "drug", "cult", "petitioner")
WORK_FILES = ("zongzhi", "fangxie", "xinfang", "pufa", "jindu", "jindu_month", "chuanxiao")
# The weeks whose Thursday lies in April 2026 (评分表 四.4): Mar 30-Apr 5 ... Apr 27-May 3.
WEEK_MONDAYS = [date(2026, 3, 30) + timedelta(weeks=n) for n in range(5)]


def token_client(api, username):
    anonymous = api()
    response = anonymous.post(
        "/api/token/", {"username": username, "password": "pw"}, format="json"
    )
    assert response.status_code == 200, response.content
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def created(client, path, data, **kwargs):
    response = client.post(path, data, format=kwargs.pop("format", "json"), **kwargs)
    assert response.status_code == 201, (path, response.json())
    return response.json()


def test_a_month_entered_through_the_api_is_scored_and_read_back_by_item(
    api, village_a, staff_user, admin_user
):
    staff = token_client(api, staff_user.username)
    admin = token_client(api, admin_user.username)
    village = village_a.pk

    created(
        staff,
        "/api/village-meetings/",
        {
            "village": village,
            "date": "2026-04-07",
            "topic": "研究信访工作",
            "studied_petition_work": True,
        },
    )
    for half, day in ((1, "2026-04-13"), (2, "2026-04-27")):
        created(
            staff,
            "/api/dispute-reports/",
            {
                "village": village,
                "year": 2026,
                "month": 4,
                "half": half,
                "submitted_at": f"{day}T10:00:00+08:00",
                "signed_by": "王书记",
                "seal_scan": png(),
            },
            format="multipart",
        )
    for monday in WEEK_MONDAYS:
        for offset in (0, 2, 4):
            created(
                staff,
                "/api/patrols/",
                {
                    "village": village,
                    "date": (monday + timedelta(days=offset)).isoformat(),
                    "participants": "巡逻队",
                },
            )
    created(
        staff,
        "/api/centre-inspections/",
        {
            "village": village,
            "date": "2026-04-10",
            "inspector": "检查组",
            "duty_records": True,
            "is_clean": True,
            "rules_complete": True,
            "dedicated_person": True,
            **{f"file_{code}": True for code in WORK_FILES},
        },
    )
    for kind in GROUPS:
        created(
            staff,
            "/api/leadership-groups/",
            {"village": village, "kind": kind, "established": "2026-04-01", "leader": "组长"},
        )
    for category in CATEGORIES:
        created(
            staff,
            "/api/zero-reports/",
            {"village": village, "category": category, "date": "2026-04-02"},
        )
    created(
        staff,
        "/api/baobao-entries/",
        {
            "village": village,
            "petitioner_name": "张某",
            "matter": "土地纠纷",
            "responsible_name": "李包保",
            "start": "2026-04-01",
        },
    )
    petition = created(
        staff,
        "/api/petitions/",
        {
            "village": village,
            "date": "2026-04-16",
            "level": "province",
            "channel": "visit",
            "matter": "宅基地",
            "petitioners": [{"name": "张某", "id_number": ""}],
        },
    )

    # Scoring: the admin recomputes the month now (the saves also marked it stale).
    response = admin.post("/api/periods/recompute/", {"year": 2026, "month": 4}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["sheets"] >= 1

    response = staff.get("/api/sheets/", {"village": village, "year": 2026, "month": 4})
    assert response.status_code == 200
    (sheet,) = response.json()["results"]
    by_item = {}
    for line in sheet["lines"]:
        by_item.setdefault(line["item_code"], []).append(line)
    assert list(by_item) == ["2"], sheet["lines"]
    (line,) = by_item["2"]
    assert Decimal(line["points"]) == Decimal(-4)
    assert line["refs"] == [{"kind": "petition", "id": petition["id"]}]
    assert Decimal(sheet["total"]) == Decimal(96)
    assert sheet["version"] == "xx-2024-table"
    item_two = next(item for item in sheet["items"] if item["code"] == "2")
    assert Decimal(item_two["score"]) == Decimal(26)


def test_saving_records_alone_recomputes_the_month(
    api, village_a, staff_user, django_capture_on_commit_callbacks
):
    """No recompute call: the save marks the month stale and the eager task rebuilds it."""
    staff = token_client(api, staff_user.username)
    with django_capture_on_commit_callbacks(execute=True):
        created(
            staff,
            "/api/petitions/",
            {
                "village": village_a.pk,
                "date": "2026-04-16",
                "level": "city",
                "channel": "visit",
                "matter": "补偿款",
                "petitioners": [{"name": "赵某"}],
            },
        )
    response = staff.get("/api/sheets/", {"village": village_a.pk, "year": 2026, "month": 4})
    (sheet,) = response.json()["results"]
    codes = [line["item_code"] for line in sheet["lines"]]
    assert "2" in codes
