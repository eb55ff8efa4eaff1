"""Benchmarks `make bench` runs (sampledata/management/commands/bench.py): real work, timed.

- `bench_import_petitions`: builds an in-memory .xlsx of n petitions in the 阳光信访 layout for
  the township's villages and imports it exactly as a confirmed upload does (read, validate every
  row, write the new ones together with their history, one transaction, commit). Building the
  file is not timed. The commit's recompute of the affected month runs in-process when Celery is
  eager (no Redis), and so is part of the figure; with a worker it is queued instead. A dry run
  (the preview) costs about as much as the import.
- `bench_export_year`: every village's 评分表 for each month of the year, one workbook per month
  (12 workbooks), built and serialised to bytes as the background job does.
"""

from __future__ import annotations

import time
import uuid
from datetime import date
from io import BytesIO

from openpyxl import Workbook

from accounts.models import Role
from accounts.models import User
from assessment.models import Period
from assessment.models import PeriodState
from exports.importing import run_import
from exports.periods import Span
from exports.resources import VILLAGE
from exports.resources import PetitionResource
from exports.score_sheets import township_workbook
from exports.styles import workbook_bytes
from petitions.rules import id_check_char
from villages.models import Township
from villages.models import Village

LEVELS = ["区", "镇", "市", "区", "镇", "省", "区", "镇"]
NATURES = ["正常", "正常", "正常", "非正常", "重复"]


def _id_number(i: int) -> str:
    first17 = f"110101{1960 + i % 40:04d}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
    return first17 + id_check_char(first17)


def _open_month(township: Township, today: date) -> tuple[int, int]:
    """The latest month up to today that is not closed (imported rows must be writable)."""
    closed = set(
        Period.objects.filter(township=township, state=PeriodState.CLOSED).values_list(
            "year", "month"
        )
    )
    year, month = today.year, today.month
    while (year, month) in closed:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return year, month


def petitions_file(n: int, township: Township, *, prefix: str | None = None) -> bytes:
    """n petitions of the township's villages, dated in its latest open month, half of them with
    a petitioner's ID number; every row valid."""
    villages = list(
        Village.objects.filter(township=township, is_active=True).values_list("name", flat=True)
    )
    if not villages:
        raise ValueError(f"{township} has no villages")
    today = date.today()
    year, month = _open_month(township, today)
    last_day = today.day if (year, month) == (today.year, today.month) else 28
    prefix = prefix or f"BENCH-{uuid.uuid4().hex[:8]}"
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("导入数据")
    ws.append(PetitionResource.columns())
    for i in range(n):
        level = LEVELS[i % len(LEVELS)]
        people = 1 + i % 3
        names = "、".join(f"信访人{i}-{k}" for k in range(people))
        ids = "、".join(_id_number(i * 3 + k) for k in range(people)) if i % 2 else ""
        row = {
            "信访编号": f"{prefix}-{i:06d}",
            "来源": "阳光信访",
            "登记日期": date(year, month, 1 + i % last_day),
            "信访人": names,
            "身份证号": ids,
            VILLAGE: villages[i % len(villages)],
            "信访层级": level,
            "信访形式": "走访" if level == "镇" else "网上信访",
            "上访性质": NATURES[i % len(NATURES)],
            "是否集体访": "否",
            "人数": people,
            "反映事项": f"反映第{i}号事项:土地承包、征地补偿或劳资纠纷",
            "是否及时稳控": "是" if i % 4 else "否",
            "是否持村处理意见书": ("是" if i % 2 else "否") if level == "镇" else "",
            "是否因新问题调处不及时": "否",
            "是否造成较大影响": "否",
        }
        ws.append([row[c] for c in PetitionResource.columns()])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _importer(township: Township) -> User:
    user = User.objects.filter(township=township, role=Role.ADMIN, is_active=True).first()
    if user is None:
        user, _created = User.objects.get_or_create(
            username=f"bench-import-{township.pk}",
            defaults={"role": Role.ADMIN, "township": township},
        )
        if _created:
            user.set_unusable_password()
            user.save()
    return user


def bench_import_petitions(n: int = 10000, township: Township | None = None) -> float:
    """Seconds to import n petitions (validated, saved with history, committed)."""
    township = township or Township.objects.order_by("pk").first()
    data = petitions_file(n, township)
    user = _importer(township)
    start = time.perf_counter()
    outcome = run_import(
        "petitions", data, township=township, user=user, filename="bench.xlsx", dry_run=False
    )
    seconds = time.perf_counter() - start
    if not outcome.imported:
        problems = outcome.file_errors or [r.errors for r in outcome.error_rows[:3]]
        raise RuntimeError(f"the benchmark file did not import: {problems}")
    return seconds


def bench_export_year(township_id: int, year: int) -> float:
    """Seconds to build every village's 评分表 of each month of the year (12 workbooks)."""
    start = time.perf_counter()
    for month in range(1, 13):
        workbook_bytes(township_workbook(township_id, Span(year, month=month)))
    return time.perf_counter() - start
