"""make bench: build a synthetic county, then measure every row of issue 14's table in one run.

Prints one table (row | measured | target | ratio or status), never asserts: the figures go in
the README's performance section. The page rows come from `sampledata.pages_bench` when it is
there. Peak memory is tracemalloc's peak of Python allocations during a separate year recompute
(from no stored sheets), not the process's RSS, and not during the timed runs (tracing slows
them).
"""

import importlib
import importlib.util
import io
import os
import time
import tracemalloc
from contextlib import contextmanager
from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db import transaction

from assessment import rubrics
from assessment import services
from assessment.models import ScoreLine
from assessment.models import ScoreSheet
from assessment.scoring import engine
from assessment.scoring.facts import collect
from assessment.scoring.facts import window_for
from assessment.sheets import store_sheets
from core.records import record_save
from governance.models import Patrol
from sampledata import excel_bench as excel
from villages.models import Township

# The rows the collectors read, as one plain SQL pass per table (the floor of any collect).
FLOOR_SQL = [
    "SELECT id, village_id, date, level, nature, collective, person_count, channel, "
    "stabilised_in_time, carried_village_opinion, new_problem_unresolved, large_impact, matter "
    "FROM petitions_petition WHERE village_id IN ({v}) AND date BETWEEN %s AND %s",
    "SELECT petition_id, id_number, name FROM petitions_petitioner WHERE petition_id IN "
    "(SELECT id FROM petitions_petition WHERE village_id IN ({v}) AND date BETWEEN %s AND %s)",
    "SELECT id, village_id, year, month, half, submitted_at, signed_by, seal_scan "
    "FROM petitions_disputereport WHERE village_id IN ({v}) AND year BETWEEN {y0} AND {y1}",
    "SELECT id, village_id, found_date, resolved_date, found_at_town_or_above "
    "FROM petitions_dispute WHERE village_id IN ({v}) AND (resolved_date BETWEEN %s AND %s "
    "OR found_date BETWEEN %s AND %s)",
    "SELECT id, village_id, dispute_id, submitted_date, centre_result, centre_date, "
    "judicial_result, judicial_date FROM petitions_dossier WHERE village_id IN ({v}) "
    "AND submitted_date <= %s",
    'SELECT village_id, start, "end" FROM petitions_baobaoentry WHERE village_id IN ({v}) '
    "AND start <= %s",
    "SELECT id, village_id, due_date, concluded_date, due_provisional FROM cases_assignedcase "
    "WHERE village_id IN ({v}) AND due_date BETWEEN %s AND %s",
    "SELECT id, case_id, review_date FROM cases_casereview WHERE review_date BETWEEN %s AND %s",
    "SELECT id, village_id, resolved_date FROM cases_backlogcase WHERE village_id IN ({v})",
    "SELECT id, case_id, date FROM cases_backlogrelapse WHERE date BETWEEN %s AND %s",
    "SELECT * FROM governance_centreinspection WHERE village_id IN ({v}) AND date <= %s",
    "SELECT village_id, category, registered, removed FROM governance_specialperson "
    "WHERE village_id IN ({v})",
    "SELECT village_id, category, date FROM governance_zeroreport WHERE village_id IN ({v})",
    "SELECT village_id, kind, established, dissolved FROM governance_leadershipgroup "
    "WHERE village_id IN ({v})",
    "SELECT id, village_id, date FROM governance_patrol WHERE village_id IN ({v}) "
    "AND date BETWEEN %s AND %s",
    "SELECT id, village_id, date, studied_petition_work FROM governance_villagemeeting "
    "WHERE village_id IN ({v}) AND date BETWEEN %s AND %s",
    "SELECT a.id, a.village_id, m.date, a.status FROM governance_meetingattendance a JOIN "
    "governance_townshipmeeting m ON m.id = a.meeting_id WHERE m.date BETWEEN %s AND %s",
    "SELECT id, village_id, date FROM governance_survey WHERE village_id IN ({v}) "
    "AND date BETWEEN %s AND %s",
    "SELECT id, village_id, date, kind, level FROM governance_adjustmentevent "
    "WHERE village_id IN ({v}) AND date <= %s",
]


@contextmanager
def timed(results: dict, key: str):
    start = time.perf_counter()
    yield
    results[key] = results.get(key, 0.0) + time.perf_counter() - start


def _clear_sheets(township_id: int, year: int) -> None:
    """No stored sheet for the year, and no dead rows left behind (autovacuum is off here)."""
    old = ScoreSheet.objects.filter(village__township_id=township_id, year=year)
    ScoreLine.objects.filter(sheet__in=old)._raw_delete(ScoreLine.objects.db)
    old._raw_delete(ScoreSheet.objects.db)
    # VACUUM cannot run inside a transaction: a bench called inside one (its test) skips it.
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for model in (ScoreSheet, ScoreLine):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def _one_edit(village, day: date) -> None:
    """A patrol saved through the one write path: with eager tasks (no REDIS_URL) the stale
    village-month is rebuilt before record_save's transaction hands back."""
    with transaction.atomic():
        record_save(
            instance=Patrol(village=village, date=day, participants="bench"),
            user=None,
            reason="bench",
        )


def _floor_pass(village_ids, start: date, end: date) -> int:
    ids = ",".join(str(v) for v in village_ids)
    rows = 0
    with connection.cursor() as cursor:
        for sql in FLOOR_SQL:
            params = [p for _ in range(sql.count("%s") // 2) for p in (start, end)]
            if sql.count("%s") % 2:
                params = [end]
            cursor.execute(sql.format(v=ids, y0=start.year, y1=end.year), params)
            rows += len(cursor.fetchall())
    return rows


# (row, target, unit): the rows of issue 14's table, in its order.
ROWS = [
    ("year recompute, service (compute + store)", 3.0, "s"),
    ("year recompute, manage.py score --year", 3.0, "s"),
    ("compute (collect + rules) against the SQL floor", 5.0, "x"),
    ("store the year's sheets (timed apart)", 0.8, "s"),
    ("one edit until its sheet is fresh, eager", 0.1, "s"),
    ("one edit until its sheet is fresh, with a worker", None, "s"),
    ("dashboard, month (p95)", 0.15, "s"),
    ("dashboard, year (p95)", 0.2, "s"),
    ("ranking, month (p95)", 0.1, "s"),
    ("/api/rankings/ for the year (p95)", 0.2, "s"),
    ("one village's 评分表 for the year", 0.2, "s"),
    ("every village's 评分表 for the year (12 workbooks)", 15.0, "s"),
    ("import petitions, validated, with history", 10.0, "s"),
    ("peak memory of the year recompute (tracemalloc)", 300.0, "MB"),
]
# pages_bench's row names for the page rows above.
PAGE_ROWS = {
    "dashboard, month": "dashboard, month (p95)",
    "dashboard, year": "dashboard, year (p95)",
    "ranking, month": "ranking, month (p95)",
    "/api/rankings/ for the year": "/api/rankings/ for the year (p95)",
    "one village's 评分表 for the year (xlsx)": "one village's 评分表 for the year",
}


def _shown(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.1f}x"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table(measured: dict, notes: dict) -> list[str]:
    """The printed table: each row's figure beside its target, or why it was not measured."""
    lines = [
        f"| {'row':<52} | {'measured':>10} | {'target':>8} | ratio or status |",
        f"|{'-' * 54}|{'-' * 12}|{'-' * 10}|{'-' * 17}|",
    ]
    for name, target, unit in ROWS:
        shown_target = "—" if target is None else "≤ " + _shown(target, unit)
        if name not in measured:
            status = notes.get(name, "not measured")
            lines.append(f"| {name:<52} | {'—':>10} | {shown_target:>8} | {status} |")
            continue
        value = measured[name]
        if target is None:
            status = notes.get(name, "")
        else:
            ratio = value / target
            status = f"{ratio:.2f} of target, " + ("met" if ratio <= 1 else "not met")
        lines.append(f"| {name:<52} | {_shown(value, unit):>10} | {shown_target:>8} | {status} |")
    return lines


class Command(BaseCommand):
    help = "Benchmark: synthetic county, every row of issue 14's table measured in one run."

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=1000)
        parser.add_argument("--year", type=int, default=2026)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--petitions", type=int, default=10000)
        parser.add_argument("--repeats", type=int, default=20, help="GETs per page row")
        parser.add_argument("--skip-excel", action="store_true")

    def handle(self, *args, **opts):
        year, out, notes = opts["year"], {}, {}
        self.stdout.write(f"database: {connection.vendor}")
        code = f"bench{opts['seed']}-{opts['villages']}"
        township = Township.objects.filter(code=code).first()
        if township is None:
            with timed(out, "build"):
                call_command(
                    "make_synthetic",
                    villages=opts["villages"],
                    year=year,
                    seed=opts["seed"],
                    code=code,
                    stdout=self.stdout,
                )
            township = Township.objects.get(code=code)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # what autovacuum does after a bulk load
        version = rubrics.version_for_year(township.pk, year)
        rubric = rubrics.rubric_of(version)
        months = list(range(1, 13))
        window = window_for(township.pk, year, months, dict.fromkeys(months))
        with timed(out, "floor"):
            rows = _floor_pass(window.village_ids, window.start, window.end)
        with services.gc_paused():  # as the service computes
            with timed(out, "collect"):
                facts = collect(window)
            with timed(out, "rules"):
                sheets = {
                    m: [engine.score_village(rubric, f) for f in facts[(year, m)].values()]
                    for m in months
                }
        _clear_sheets(township.pk, year)
        with timed(out, "store"), services.gc_paused():
            for month, month_sheets in sheets.items():
                store_sheets(
                    township_id=township.pk,
                    year=year,
                    month=month,
                    version=version,
                    sheets=month_sheets,
                )
        _clear_sheets(township.pk, year)
        today = date(year + 1, 1, 15)
        with timed(out, "service"):
            services.score_year(township_id=township.pk, year=year, today=today)
        with timed(out, "service_again"):
            services.score_year(township_id=township.pk, year=year, today=today)
        with timed(out, "command"):
            call_command("score", township=code, year=year, stdout=io.StringIO())
        village = township.villages.order_by("pk").first()
        with timed(out, "edit"):
            _one_edit(village, date(year, 6, 10))
        _clear_sheets(township.pk, year)
        tracemalloc.start()
        services.score_year(township_id=township.pk, year=year, today=today)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

        computing = out["collect"] + out["rules"]
        n_sheets = sum(len(v) for v in sheets.values())
        n_lines = sum(len(s.lines) for v in sheets.values() for s in v)
        self.stdout.write(
            f"villages: {len(window.village_ids)}, sheets: {n_sheets}, lines: {n_lines}, "
            f"rows read by the floor pass: {rows}"
        )
        if "build" in out:
            self.stdout.write(f"build synthetic county: {out['build']:.2f} s")
        self.stdout.write(
            f"plain SQL floor (the year's rows, one pass): {out['floor']:.2f} s; "
            f"compute: collect {out['collect']:.2f} s + rules {out['rules']:.2f} s; "
            f"score_year again, nothing changed: {out['service_again']:.2f} s"
        )
        measured = {
            "year recompute, service (compute + store)": out["service"],
            "year recompute, manage.py score --year": out["command"],
            "compute (collect + rules) against the SQL floor": computing / out["floor"],
            "store the year's sheets (timed apart)": out["store"],
            "one edit until its sheet is fresh, eager": out["edit"],
            "peak memory of the year recompute (tracemalloc)": peak / 2**20,
        }
        notes["one edit until its sheet is fresh, with a worker"] = (
            "not measured: no REDIS_URL"
            if not os.environ.get("REDIS_URL")
            else "not measured: the worker timing is not built yet"
        )
        measured.update(self._pages(township, year, opts["repeats"], notes))
        if opts["skip_excel"]:
            notes["every village's 评分表 for the year (12 workbooks)"] = "skipped (--skip-excel)"
            notes["import petitions, validated, with history"] = "skipped (--skip-excel)"
        else:
            measured.update(self._excel(township, year, opts["petitions"], notes))
        for line in table(measured, notes):
            self.stdout.write(line)

    def _pages(self, township, year, repeats, notes) -> dict:
        if importlib.util.find_spec("sampledata.pages_bench") is None:
            for name in PAGE_ROWS.values():
                notes[name] = "not measured: no sampledata.pages_bench"
            return {}
        pages_bench = importlib.import_module("sampledata.pages_bench")
        return {
            PAGE_ROWS[name]: p95
            for name, p95, _size in pages_bench.bench_pages(township, year, repeats)
            if name in PAGE_ROWS
        }

    def _excel(self, township, year, petitions, notes) -> dict:
        found = {
            "every village's 评分表 for the year (12 workbooks)": excel.bench_export_year(
                township.pk, year
            )
        }
        name = "import petitions, validated, with history"
        found[name] = excel.bench_import_petitions(n=petitions, township=township)
        notes[name] = f"{petitions:,} petitions"
        return found
