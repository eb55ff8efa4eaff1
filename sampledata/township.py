"""Load the demo township (fixtures/demo_township.json) idempotently: run twice, change nothing."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction

from accounts.models import User
from accounts.services import require_password_change
from core.records import attribute
from villages.models import Area
from villages.models import District
from villages.models import Person
from villages.models import Responsibility
from villages.models import Township
from villages.models import Village

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_township.json"
DEMO_PASSWORD = "kaohe-demo-2026"


# The change reason of every history row the demo writes (stored data, not a UI string).
DEMO_REASON = "演示数据"


@dataclass
class DemoResult:
    township: Township
    logins: list[tuple[str, str, str]]


def _upsert(model, by, lookup: dict, values: dict):
    """update_or_create that saves, and so writes an attributed history row, only when the row
    is new or differs: loading the demo again writes nothing, history included."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
    elif all(getattr(obj, name) == value for name, value in values.items()):
        return obj
    for name, value in values.items():
        setattr(obj, name, value)

    attribute(obj, by, DEMO_REASON)
    obj.save()
    return obj


@transaction.atomic
def load_demo_township(path: Path = DEMO_FILE, with_users: bool = True) -> DemoResult:
    data = json.loads(path.read_text(encoding="utf-8"))
    township = Township.objects.filter(code=data["township"]["code"]).first()
    new_township = township is None
    if new_township:
        # The township precedes its first user: its history row is written once the admin is.
        township = Township(**data["township"])
        township.skip_history_when_saving = True
        township.save()
        del township.skip_history_when_saving
    # Township-wide users first (the admin is the author of everything the demo writes);
    # secretaries once their villages exist.
    township_rows = [row for row in data["users"] if not row.get("village")]
    logins = _demo_users(township_rows, township, {}) if with_users else []
    by = township.users.filter(role="admin").order_by("pk").first() if with_users else None
    if new_township:
        Township.history.bulk_history_create(
            [township], default_user=by, default_change_reason=DEMO_REASON
        )
    areas = {
        name: _upsert(Area, by, {"township": township, "name": name}, {}) for name in data["areas"]
    }
    villages = {}
    for row in data["villages"]:
        fields = {k: v for k, v in row.items() if k not in ("name", "area")}
        villages[row["name"]] = _upsert(
            Village,
            by,
            {"township": township, "name": row["name"]},
            {"area": areas[row["area"]], **fields},
        )
    people = {}
    for row in data["people"]:
        people[row["name"]] = _upsert(
            Person,
            by,
            {"township": township, "name": row["name"]},
            {"title": row["title"], "phone": row["phone"]},
        )
    for row in data["responsibilities"]:
        _upsert(
            Responsibility,
            by,
            {
                "person": people[row["person"]],
                "role": row["role"],
                "area": areas.get(row.get("area")),
                "village": villages.get(row.get("village")),
                "start": date.fromisoformat(row["start"]),
            },
            {"end": date.fromisoformat(row["end"]) if row.get("end") else None},
        )
    if with_users:
        village_rows = [row for row in data["users"] if row.get("village")]
        logins += _demo_users(village_rows, township, villages)
    return DemoResult(township=township, logins=logins)


def _demo_users(rows, township, villages):

    logins = []
    for row in rows:
        user, created = User.objects.get_or_create(
            username=row["username"],
            defaults={
                "role": row["role"],
                "township": township,
                "village": villages.get(row.get("village")),
                "first_name": row["name"],
                "is_staff": row["role"] == "admin",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            require_password_change(user)  # a published initial password (等保 2.0)
            user.save()
        if row["role"] == "admin" and not user.is_superuser:
            # The township admin works in the Django admin too; give it every model permission.

            user.user_permissions.set(Permission.objects.all())
        logins.append((row["username"], DEMO_PASSWORD, user.get_role_display()))
    return logins


DEMO_SECOND_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_township_2.json"
# The demo district: both demo townships, and one district user (区综治办) who reads them.
DEMO_DISTRICT = {"name": "清江区", "code": "qingjiang"}
DEMO_DISTRICT_USER = ("district", "区综治办", "district_staff")


@transaction.atomic
def load_demo_district(townships: list[Township], by, with_users: bool = True) -> list:
    """The district the demo townships belong to, and its demo user; idempotent. Returns the
    district user's login (empty without users)."""
    district = _upsert(
        District, by, {"code": DEMO_DISTRICT["code"]}, {"name": DEMO_DISTRICT["name"]}
    )
    for township in townships:
        _upsert(Township, by, {"pk": township.pk}, {"district": district})
    if not with_users:
        return []
    username, name, role = DEMO_DISTRICT_USER
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": role, "district": district, "first_name": name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        require_password_change(user)
        user.save()
    return [(username, DEMO_PASSWORD, user.get_role_display())]
