"""python manage.py score --township T --year 2026 [--month 3] [--rubric V] [--format table|json]
python manage.py score --district D --year 2026 [--month 3] [--timeout 3600] [--format table|json]

With --district, every township of the district is recomputed, one job per township queued as
a Celery group (assessment/fanout.py); the command waits for the run and prints each
township's outcome. Without a broker (eager tasks) the townships run one after the other."""

import json
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.utils import timezone

from assessment import fanout
from assessment import rubrics
from assessment import services
from assessment.models import RubricVersion
from jobs.models import Job
from villages.models import District
from villages.models import Township

# How often the command looks at a district run's jobs while it waits.
POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = "Recompute a township's sheets for a year or a month and print them."

    def add_arguments(self, parser):
        unit = parser.add_mutually_exclusive_group(required=True)
        unit.add_argument("--township", help="township code or name")
        unit.add_argument("--district", help="district code or name: every township, in parallel")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int)
        parser.add_argument(
            "--rubric", help="score with this version instead (printed, not stored)"
        )
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--timeout", type=float, default=3600, help="seconds to wait for a district's run"
        )

    def handle(self, *args, **opts):
        if opts["month"] and not 1 <= opts["month"] <= 12:
            raise CommandError("--month must be 1..12")
        if opts["district"]:
            return self._district(opts)
        township = (
            Township.objects.filter(code=opts["township"]).first()
            or Township.objects.filter(name=opts["township"]).first()
        )
        if township is None:
            raise CommandError(f"no township {opts['township']!r}")
        today = timezone.localdate()
        months = [opts["month"]] if opts["month"] else services.months_to_score(opts["year"], today)
        assigned = rubrics.version_for_year(township.pk, opts["year"])
        version = assigned
        if opts["rubric"]:
            version = RubricVersion.objects.filter(code=opts["rubric"]).first()
            if version is None:
                raise CommandError(f"no rubric version {opts['rubric']!r}")
        names = dict(township.villages.values_list("pk", "name"))
        year = opts["year"]
        computed = {}
        if version == assigned:
            # Scored and stored once; the sheets printed are the ones stored.
            computed = services.score_months_computed(
                township_id=township.pk, year=year, months=months, today=today
            )
        rest = [m for m in months if m not in computed]
        if rest:  # another rubric, or closed months (scored as final, as they were stored)
            computed.update(
                services.compute_months(
                    township_id=township.pk, year=year, months=rest, version=version, today=today
                )
            )
        result = [(month, computed[month]) for month in months]
        if opts["format"] == "json":
            self.stdout.write(
                json.dumps(
                    _as_json(version, opts["year"], result, names), ensure_ascii=False, indent=1
                )
            )
        else:
            self._table(version, opts["year"], result, names)

    def _district(self, opts):
        if opts["rubric"]:
            raise CommandError("--rubric scores one township (--township)")
        district = (
            District.objects.filter(code=opts["district"]).first()
            or District.objects.filter(name=opts["district"]).first()
        )
        if district is None:
            raise CommandError(f"no district {opts['district']!r}")
        try:
            run = fanout.recompute_district(
                district=district, year=opts["year"], month=opts["month"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        deadline = time.monotonic() + opts["timeout"]
        run.refresh_from_db()
        while not run.finished and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            run.refresh_from_db()
        townships = list(run.children_in_order.select_related("township"))
        if opts["format"] == "json":
            self.stdout.write(json.dumps(_run_json(run, townships), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(f"{run.title}  · job {run.pk} · {run.current_state}")
            for job in townships:
                outcome = job.error or job.message
                self.stdout.write(f"  {job.township.code:<16} {job.current_state:<8} {outcome}")
        if not run.finished:
            raise CommandError(f"not finished after {opts['timeout']:.0f} s: see /jobs/{run.pk}/")
        failed = [job.township.code for job in townships if job.state == "failed"]
        if failed:
            raise CommandError(f"{len(failed)} township(s) failed: {', '.join(failed)}")

    def _table(self, version, year, result, names):
        self.stdout.write(f"{version.code}  {year}")
        for month, sheets in result:
            self.stdout.write(f"— {year}年{month}月")
            for sheet in sorted(sheets, key=lambda s: (-s.total, names[s.village_id])):
                flags = " 暂定" if sheet.provisional else ""
                flags += " 否决" if sheet.vetoes else ""
                self.stdout.write(f"  {names[sheet.village_id]:<8} {sheet.total:>7}{flags}")


def _as_json(version, year, result, names):
    return {
        "rubric": version.code,
        "year": year,
        "months": [
            {
                "month": month,
                "sheets": [
                    {
                        "village_id": s.village_id,
                        "village": names[s.village_id],
                        "total": str(s.total),
                        "provisional": s.provisional,
                        "provisional_reasons": list(s.provisional_reasons),
                        "sections": {x.code: str(x.score) for x in s.sections},
                        "vetoes": [{"cause": v.cause, "reason": v.reason} for v in s.vetoes],
                        "lines": [
                            {
                                "item": line.item_code,
                                "points": str(line.points),
                                "reason": line.reason,
                                "records": [[r.kind, r.id] for r in line.refs],
                            }
                            for line in s.lines
                        ],
                    }
                    for s in sheets
                ],
            }
            for month, sheets in result
        ],
    }


def _run_json(run: Job, townships: list[Job]) -> dict:
    return {
        "job": run.pk,
        "title": run.title,
        "state": run.state,
        "townships": [
            {
                "township": job.township.code,
                "job": job.pk,
                "state": job.state,
                "message": job.message,
                "error": job.error,
            }
            for job in townships
        ],
    }
