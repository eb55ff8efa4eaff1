"""make bench: build a synthetic county, then measure every row of issue 14's table in one run;
then a synthetic district (issue 16): its year recomputed by 1 and by 2 real celery workers, and
its dashboard.

Prints one table (row | measured | target | ratio or status), never asserts: the figures go in
the README's performance section. The page rows come from `sampledata.pages_bench` when it is
there. Peak memory is tracemalloc's peak of Python allocations during a separate year recompute
(from no stored sheets), not the process's RSS, and not during the timed runs (tracing slows
them).

The district rows start `celery worker --concurrency 1` processes (sampledata/workers.py) on
the bench database and BENCH_REDIS_URL (a Redis database number of the bench's own), time
assessment.fanout.recompute_district from no stored sheets until its run's job is finished,
and stop them. `--district-only` runs these rows alone.
"""

import importlib
import importlib.util
import io
import os
import re
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db import transaction
from django.urls import reverse

from accounts.models import Role
from assessment import fanout
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
from jobs.models import Job
from sampledata import excel_bench as excel
from sampledata import workers
from villages.models import District
from villages.models import Township

# The bench's own Redis database number on the machine's Redis (the workers' broker).
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")

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


def _clear_sheets(township_id: int | None, year: int, district_id: int | None = None) -> None:
    """No stored sheet for the year (the township's, or every township's of the district), and
    no dead rows left behind (autovacuum is off here)."""
    old = ScoreSheet.objects.filter(year=year)
    if district_id is not None:
        old = old.filter(village__township__district_id=district_id)
    else:
        old = old.filter(village__township_id=township_id)
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
    # Issue 16: the synthetic district.
    ("district year recompute, 1 celery worker", None, "s"),
    ("district year recompute, 2 celery workers", None, "s"),
    ("district year recompute, 2 workers against 1", 0.6, "x"),
    ("district dashboard (p95)", 0.2, "s"),
]
DISTRICT_ROWS = [name for name, _target, _unit in ROWS[-4:]]
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
        return f"{value:.2f}x" if value < 1 else f"{value:.1f}x"
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
        parser.add_argument("--townships", type=int, default=50, help="of the synthetic district")
        parser.add_argument("--villages-per-township", type=int, default=20)
        parser.add_argument(
            "--district-only", action="store_true", help="only the synthetic district's rows"
        )
        parser.add_argument("--skip-district", action="store_true")
        parser.add_argument(
            "--district-runs", type=int, default=2, help="timed runs of each worker count"
        )

    def handle(self, *args, **opts):
        measured, notes = {}, {}
        self.stdout.write(f"database: {connection.vendor}")
        if opts["district_only"]:
            for name, _target, _unit in ROWS:
                if name not in DISTRICT_ROWS:
                    notes[name] = "skipped (--district-only)"
        else:
            measured.update(self._township(opts, notes))
        if opts["skip_district"]:
            notes.update(dict.fromkeys(DISTRICT_ROWS, "skipped (--skip-district)"))
        else:
            measured.update(self._district(opts, notes))
        for line in table(measured, notes):
            self.stdout.write(line)

    def _township(self, opts, notes) -> dict:
        """Issue 14's rows, on a synthetic county of one township."""
        year, out = opts["year"], {}
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
        return measured

    def _district(self, opts, notes) -> dict:
        """Issue 16's rows: the synthetic district's year recomputed by 1 and by 2 celery
        workers (from no stored sheets each time), then its dashboard."""
        if connection.vendor != "postgresql":
            notes.update(dict.fromkeys(DISTRICT_ROWS, "not measured: needs PostgreSQL"))
            return {}
        year, n, m = opts["year"], opts["townships"], opts["villages_per_township"]
        code = f"bench-d{opts['seed']}-{n}x{m}"
        district = District.objects.filter(code=code).first()
        if district is None:
            started = time.perf_counter()
            call_command(
                "make_synthetic",
                townships=n,
                villages_per_township=m,
                year=year,
                seed=opts["seed"],
                code=code,
                name=f"合成区{opts['seed']}·{n}×{m}",
                stdout=self.stdout,
            )
            district = District.objects.get(code=code)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"build synthetic district: {time.perf_counter() - started:.2f} s")
        measured = {}
        size = f"{n} townships × {m} villages"
        why = self._workers_missing()
        if why:
            notes.update(dict.fromkeys(DISTRICT_ROWS[:3], f"not measured: {why}"))
            # The dashboard still needs the year's sheets: computed here, when tasks run eagerly.
            from celery import current_app  # the project's (config/celery.py); config is above

            if current_app.conf.task_always_eager:
                fanout.recompute_district(district=district, year=year)
        else:
            # 1 worker, then 2, `runs` times over: the best of each, so that a burst of other
            # work on the machine weighs on neither alone.
            best = {}
            for _run in range(opts["district_runs"]):
                for count in (1, 2):
                    seconds = self._recompute_with_workers(district, year, count, notes)
                    if seconds is not None:
                        best[count] = min(seconds, best.get(count, seconds))
            runs = f"best of {opts['district_runs']}"
            for count, row in ((1, DISTRICT_ROWS[0]), (2, DISTRICT_ROWS[1])):
                if count in best:
                    measured[row] = best[count]
                    notes[row] = f"{size}, {runs}"
            if len(best) == 2:
                measured[DISTRICT_ROWS[2]] = best[2] / best[1]
        measured.update(self._district_page(district, year, opts["repeats"], notes))
        return measured

    def _workers_missing(self) -> str:
        if connection.in_atomic_block:  # the bench's test: nothing it writes is committed
            return "inside a transaction, which the workers cannot see"
        if not workers.redis_answers(BENCH_REDIS_URL):
            return f"no Redis at {BENCH_REDIS_URL}"
        return ""

    def _recompute_with_workers(self, district, year, count: int, notes) -> float | None:
        """Seconds from queuing the district's year until its run is finished, with `count`
        workers of one process each; None (and why, in notes) if the run did not finish."""
        env = workers.worker_env(
            database=workers.database_url(connection.settings_dict), redis=BENCH_REDIS_URL
        )
        row = DISTRICT_ROWS[count - 1]
        with tempfile.TemporaryDirectory() as logs, workers.using_broker(BENCH_REDIS_URL) as app:
            app.control.purge()  # nothing left from an interrupted bench
            started = [
                workers.Worker(
                    env,
                    Path(logs) / f"worker{i}.log",
                    ["--concurrency=1", f"--hostname=bench{i}@%h", *workers.QUIET],
                )
                for i in range(count)
            ]
            try:
                for worker in started:
                    worker.launch()
                for worker in started:
                    worker.wait_ready(60)
                load = _load()
                time.sleep(1)  # each worker's sweep on connect (config/celery.py) runs first
                _clear_sheets(None, year, district_id=district.pk)
                cpu = sum(worker.cpu_seconds() for worker in started)
                begin = time.perf_counter()
                run = fanout.recompute_district(district=district, year=year)
                finished = workers.wait_for(lambda: Job.objects.get(pk=run.pk).finished, 1800, 0.05)
                seconds = time.perf_counter() - begin
                cpu = sum(worker.cpu_seconds() for worker in started) - cpu
            finally:
                for worker in started:
                    worker.stop()
            busy = sum(_task_seconds(worker.log.read_text()) for worker in started)
        run.refresh_from_db()
        if not finished or run.state != "done":
            notes[row] = f"not measured: the run ended {run.state}: {run.error[:80]}"
            return None
        # The tasks' own durations, summed, and the workers' CPU: about the same for 1 and 2
        # workers when each has a core of its own; each task takes twice as long, on the same
        # CPU, when they share one.
        self.stdout.write(
            f"district year recompute, {count} worker(s): {seconds:.2f} s; the tasks took "
            f"{busy:.2f} s together, the workers {cpu:.2f} s of CPU; "
            f"load average before: {load}"
        )
        return seconds

    def _district_page(self, district, year, repeats, notes) -> dict:
        name = DISTRICT_ROWS[3]
        pages_bench = importlib.import_module("sampledata.pages_bench")
        reader = pages_bench.bench_reader(
            f"bench-district-{district.pk}", role=Role.DISTRICT_LEADER, district=district
        )
        try:
            _p50, p95, _size = pages_bench.time_page(
                reader, reverse("dashboard:district"), {"year": year}, repeats
            )
        except RuntimeError as exc:
            notes[name] = f"not measured: {exc}"
            return {}
        notes[name] = f"{district.townships.count()} townships"
        return {name: p95}

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


def _task_seconds(log: str) -> float:
    """The seconds of the run's tasks a worker's log reports ("... succeeded in 0.53s")."""
    return sum(
        float(match)
        for match in re.findall(r"jobs\.tasks\.run_job\[[^\]]+\] succeeded in ([0-9.]+)s", log)
    )


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
