"""Load the demo township (fixtures/demo_township.json) idempotently: run twice, change nothing."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Area, Person, Responsibility, Township, Village

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_township.json"
DEMO_PASSWORD = "kaohe-demo-2026"


@dataclass
class DemoResult:
    township: Township
    logins: list[tuple[str, str, str]]


@transaction.atomic
def load_demo_township(path: Path = DEMO_FILE, with_users: bool = True) -> DemoResult:
    data = json.loads(path.read_text(encoding="utf-8"))
    township, _ = Township.objects.get_or_create(
        code=data["township"]["code"], defaults={"name": data["township"]["name"]}
    )
    areas = {
        name: Area.objects.get_or_create(township=township, name=name)[0] for name in data["areas"]
    }
    villages = {}
    for row in data["villages"]:
        fields = {k: v for k, v in row.items() if k not in ("name", "area")}
        villages[row["name"]], _ = Village.objects.update_or_create(
            township=township, name=row["name"], defaults={"area": areas[row["area"]], **fields}
        )
    people = {}
    for row in data["people"]:
        people[row["name"]], _ = Person.objects.update_or_create(
            township=township,
            name=row["name"],
            defaults={"title": row["title"], "phone": row["phone"]},
        )
    for row in data["responsibilities"]:
        Responsibility.objects.update_or_create(
            person=people[row["person"]],
            role=row["role"],
            area=areas.get(row.get("area")),
            village=villages.get(row.get("village")),
            start=date.fromisoformat(row["start"]),
            defaults={"end": date.fromisoformat(row["end"]) if row.get("end") else None},
        )
    logins = _demo_users(data["users"], township, villages) if with_users else []
    return DemoResult(township=township, logins=logins)


def _demo_users(rows, township, villages):
    from accounts.models import User

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
            from accounts.services import require_password_change

            user.set_password(DEMO_PASSWORD)
            require_password_change(user)  # a published initial password (等保 2.0)
            user.save()
        if row["role"] == "admin" and not user.is_superuser:
            # The township admin works in the Django admin too; give it every model permission.
            from django.contrib.auth.models import Permission

            user.user_permissions.set(Permission.objects.all())
        logins.append((row["username"], DEMO_PASSWORD, user.get_role_display()))
    return logins
