"""Ship the township's two readings of its document: the scoring table (default) and the plan."""

import json
from pathlib import Path

from django.db import migrations

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rubrics"
SHIPPED = ["xx-2024-table", "xx-2024-plan"]
DESCRIPTIONS = {
    "xx-2024-table": "考核评分表(100分),默认版本。",
    "xx-2024-plan": "实施方案正文(120分),与评分表不一致处按正文。",
}


def ship(apps, schema_editor):
    Version = apps.get_model("assessment", "RubricVersion")
    Section = apps.get_model("assessment", "RubricSection")
    Entry = apps.get_model("assessment", "RubricEntry")
    for code in SHIPPED:
        if Version.objects.filter(code=code).exists():
            continue
        data = json.loads((FIXTURES / f"{code}.json").read_text(encoding="utf-8"))
        version = Version.objects.create(
            code=code,
            name=data["name"],
            rubric_settings=data["settings"],
            description=DESCRIPTIONS[code],
        )
        for order, s in enumerate(data["sections"]):
            Section.objects.create(
                version=version, code=s["code"], title=s["title"], points=s["points"], order=order
            )
        order = 0
        for category, key in (("item", "items"), ("adjustment", "adjustments"), ("veto", "vetoes")):
            for e in data.get(key, []):
                Entry.objects.create(
                    version=version,
                    category=category,
                    code=e["code"],
                    section=e.get("section", ""),
                    title=e["title"],
                    points=e.get("points"),
                    kind=e["kind"],
                    params=e.get("params", {}),
                    order=order,
                )
                order += 1


def unship(apps, schema_editor):
    apps.get_model("assessment", "RubricVersion").objects.filter(code__in=SHIPPED).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_rubric_versions_and_sheets")]
    operations = [migrations.RunPython(ship, unship)]
