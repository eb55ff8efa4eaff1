"""Ship the document's figures (实施方案 "二、考核奖惩") as the default reward scheme for 2026."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "scheme_2026.json"


def ship(apps, schema_editor):
    Scheme = apps.get_model("rewards", "RewardScheme")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    year = data.pop("year")
    if not Scheme.objects.filter(township__isnull=True, year=year).exists():
        Scheme.objects.create(township=None, year=year, **data)


def unship(apps, schema_editor):
    apps.get_model("rewards", "RewardScheme").objects.filter(
        township__isnull=True, year=2026
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("rewards", "0001_initial")]
    operations = [migrations.RunPython(ship, unship)]
