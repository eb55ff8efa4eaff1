"""Synthetic records: a village month "in order" (the worked examples) and a whole county.

Records are written with bulk_create: this is generated data for tests, the benchmark and the
demo, not entry by staff, so it carries no history rows. Reproducible by seed.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from cases.models import AssignedCase, BacklogCase, BacklogRelapse, CaseReview
from governance.models import (
    AdjustmentEvent,
    CentreInspection,
    LeadershipGroup,
    MeetingAttendance,
    Patrol,
    SpecialPerson,
    Survey,
    TownshipMeeting,
    VillageMeeting,
    ZeroReport,
)
from petitions.models import (
    BaobaoEntry,
    Dispute,
    DisputeReport,
    Dossier,
    Petition,
    Petitioner,
)
from villages.models import Area, Person, Township, Village

from .scoring.rules import week_bounds, weeks_of_month
from .scoring.types import GROUP_RAILWAY, GROUPS, SPECIAL_CATEGORIES

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEAL = "synthetic/seal.png"
FILE = "synthetic/file.pdf"
WORK_FILES = ("zongzhi", "fangxie", "xinfang", "pufa", "jindu", "jindu_month", "chuanxiao")


@dataclass
class Batch:
    """Objects to insert, by model, in dependency order."""

    rows: dict = field(default_factory=dict)

    def add(self, obj):
        self.rows.setdefault(type(obj), []).append(obj)
        return obj

    def save(self):
        order = [
            BaobaoEntry,
            SpecialPerson,
            ZeroReport,
            LeadershipGroup,
            CentreInspection,
            VillageMeeting,
            DisputeReport,
            Patrol,
            Petition,
            Dispute,
            AssignedCase,
            BacklogCase,
            Survey,
            AdjustmentEvent,
            TownshipMeeting,
        ]
        for model in order + [m for m in self.rows if m not in order]:
            objs = self.rows.get(model, [])
            if objs:
                model.objects.bulk_create(objs, batch_size=2000)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def _patrol_days(year: int, month: int, per_week: dict | None = None):
    """Three patrols (Mon, Wed, Fri) in each week whose Thursday lies in the month."""
    for iso_year, iso_week in weeks_of_month(year, month):
        monday, _sunday = week_bounds(iso_year, iso_week)
        count = (per_week or {}).get((iso_year, iso_week), 3)
        for offset in (0, 2, 4, 5, 6)[:count]:
            yield monday + timedelta(days=offset)


def in_order_month(village: Village, year: int, month: int, *, patrols_per_week=None) -> None:
    """Everything the table asks of a village for the month, done on time (worked examples)."""
    batch = Batch()
    first = date(year, month, 1)
    batch.add(
        VillageMeeting(
            village=village,
            date=first + timedelta(days=6),
            topic="研究信访工作",
            studied_petition_work=True,
        )
    )
    for half, day in ((1, 13), (2, 27)):
        batch.add(
            DisputeReport(
                village=village,
                year=year,
                month=month,
                half=half,
                submitted_at=_at(date(year, month, day)),
                signed_by="书记",
                seal_scan=SEAL,
            )
        )
    batch.add(
        BaobaoEntry(
            village=village,
            petitioner_name="张某",
            matter="土地",
            responsible_name="包保人",
            start=first,
        )
    )
    batch.add(
        CentreInspection(
            village=village,
            date=first + timedelta(days=9),
            inspector="检查组",
            duty_records=True,
            is_clean=True,
            rules_complete=True,
            dedicated_person=True,
            **{f"file_{code}": True for code in WORK_FILES},
        )
    )
    for category in SPECIAL_CATEGORIES:
        batch.add(ZeroReport(village=village, category=category, date=first))
    for kind in GROUPS:
        if kind != GROUP_RAILWAY or village.along_railway:
            batch.add(
                LeadershipGroup(
                    village=village, kind=kind, established=date(year - 1, 1, 1), leader="组长"
                )
            )
    for day in _patrol_days(year, month, patrols_per_week):
        batch.add(Patrol(village=village, date=day, participants="巡逻队"))
    batch.save()


# --- A synthetic county -----------------------------------------------------------------------

LEVEL_WEIGHTS = [("township", 50), ("district", 30), ("city", 12), ("province", 6), ("beijing", 2)]
NATURE_WEIGHTS = [("normal", 80), ("abnormal", 8), ("repeat", 12)]


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: exact enough for the small means used here.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


@transaction.atomic
def make_county(*, villages: int, year: int, seed: int = 1, code: str = "synthetic") -> Township:
    """A township of `villages` villages with a year of records at a realistic density."""
    from workdays.calendar import WorkCalendar

    rng = random.Random(seed)
    township, _ = Township.objects.get_or_create(code=code, defaults={"name": f"合成县{seed}"})
    n_areas = max(1, villages // 12)
    areas = [
        Area.objects.get_or_create(township=township, name=f"{i + 1}片")[0] for i in range(n_areas)
    ]
    Village.objects.bulk_create(
        [
            Village(
                township=township,
                area=areas[i % n_areas],
                name=f"合成{i + 1:04d}村",
                population=rng.randint(800, 6000),
                households=rng.randint(250, 2000),
                along_railway=rng.random() < 0.08,
                has_cctv_room=rng.random() < 0.4,
            )
            for i in range(villages)
        ],
        batch_size=2000,
    )
    all_villages = list(township.villages.order_by("pk"))
    leader = Person.objects.create(township=township, name="包案领导")
    batch = Batch()
    cal = WorkCalendar()
    for v in all_villages:
        _standing(batch, rng, v, year)
        for month in range(1, 13):
            _month(batch, rng, v, year, month, cal, leader)
    batch.save()
    _children(rng, township, year)
    _township_meetings(rng, township, all_villages, year)
    return township


def _standing(batch: Batch, rng: random.Random, v: Village, year: int) -> None:
    if rng.random() < 0.95:
        batch.add(
            BaobaoEntry(
                village=v,
                petitioner_name="信访人",
                matter="历史遗留问题",
                responsible_name="包保干部",
                start=date(year, 1, 2),
            )
        )
    for category in SPECIAL_CATEGORIES:
        roll = rng.random()
        if roll < 0.6:
            batch.add(
                SpecialPerson(
                    village=v, category=category, name="重点人员", registered=date(year - 1, 6, 1)
                )
            )
        elif roll < 0.95:
            batch.add(ZeroReport(village=v, category=category, date=date(year, 1, 3)))
    for kind in GROUPS:
        if (kind != GROUP_RAILWAY or v.along_railway) and rng.random() < 0.95:
            batch.add(
                LeadershipGroup(
                    village=v, kind=kind, established=date(year - 1, 3, 1), leader="组长"
                )
            )
    if rng.random() < 0.3:
        batch.add(
            AdjustmentEvent(
                village=v,
                date=date(year, rng.randint(1, 12), 5),
                kind="checkpoint",
                description="卡点设施齐全",
            )
        )


def _month(batch, rng, v, year, month, cal, leader, until: date | None = None) -> None:
    """One month of a village's records; nothing dated after `until` (the demo's today)."""
    last = calendar.monthrange(year, month)[1]
    if until is not None and (year, month) == (until.year, until.month):
        last = until.day

    def day() -> date:
        return date(year, month, rng.randint(1, last))

    if rng.random() < 0.9:
        batch.add(
            VillageMeeting(
                village=v, date=day(), topic="村两委会", studied_petition_work=rng.random() < 0.9
            )
        )
    for half, due in ((1, 14), (2, 28)):
        if due > last:
            continue
        roll = rng.random()
        if roll < 0.02:
            continue
        submitted = date(year, month, due - rng.randint(0, 4) if roll < 0.95 else due)
        if roll >= 0.95:
            submitted += timedelta(days=rng.randint(1, 2))
        batch.add(
            DisputeReport(
                village=v,
                year=year,
                month=month,
                half=half,
                submitted_at=_at(submitted),
                signed_by="书记" if rng.random() < 0.97 else "",
                seal_scan=SEAL if rng.random() < 0.97 else "",
            )
        )
    batch.add(
        CentreInspection(
            village=v,
            date=day(),
            inspector="检查组",
            duty_records=rng.random() < 0.95,
            is_clean=rng.random() < 0.95,
            rules_complete=rng.random() < 0.97,
            dedicated_person=rng.random() < 0.97,
            **{f"file_{c}": rng.random() < 0.97 for c in WORK_FILES},
        )
    )
    for d in _patrol_days(year, month):
        if until is not None and d > until:
            continue
        if rng.random() < 0.95:
            batch.add(Patrol(village=v, date=d, participants="巡逻队"))
    for _ in range(_poisson(rng, 0.3)):
        level = _pick(rng, LEVEL_WEIGHTS)
        collective = rng.random() < 0.05
        batch.add(
            Petition(
                village=v,
                date=day(),
                level=level,
                channel="visit",
                nature=_pick(rng, NATURE_WEIGHTS),
                collective=collective,
                person_count=rng.randint(5, 12) if collective else rng.randint(1, 2),
                matter="反映土地承包问题",
                stabilised_in_time=rng.random() < 0.8,
                carried_village_opinion=(rng.random() < 0.8) if level == "township" else None,
                source="sunshine",
                source_ref=f"S{v.pk}-{year}{month:02d}-{rng.random():.9f}",
            )
        )
    for _ in range(_poisson(rng, 1.5)):
        found = day()
        resolved = found + timedelta(days=rng.randint(0, 20)) if rng.random() < 0.7 else None
        if resolved and (resolved.year != year or (until and resolved > until)):
            resolved = None
        batch.add(
            Dispute(
                village=v,
                found_date=found,
                parties="甲、乙",
                matter="邻里纠纷",
                category="neighbour",
                status="resolved" if resolved else "open",
                resolved_date=resolved,
            )
        )
    if rng.random() < 0.2:
        assigned = day()
        due = cal.add_working_days(assigned, 20)
        concluded = due.date - timedelta(days=rng.randint(-6, 10))
        batch.add(
            AssignedCase(
                village=v,
                title="上级交办件",
                assigned_by="区信访局",
                assigned_date=assigned,
                due_date=due.date,
                due_provisional=due.provisional,
                state="concluded" if concluded > assigned else "handling",
                concluded_date=concluded if concluded > assigned else None,
            )
        )
    if month == 1 and rng.random() < 0.1:
        batch.add(
            BacklogCase(
                village=v,
                title="信访积案",
                listed_date=day(),
                leader=leader,
                working_group="工作专班",
                resolution_plan="化解方案",
                stabilisation_measures="稳控措施",
                time_limit=date(year, 12, 31),
                resolved_date=date(year, rng.randint(2, 12), 10) if rng.random() < 0.5 else None,
            )
        )
    if month in (3, 6, 9, 12) and last >= 20:
        batch.add(Survey(village=v, year=year, quarter=month // 3, date=date(year, month, 20)))
    if rng.random() < 0.02:
        batch.add(
            AdjustmentEvent(
                village=v,
                date=day(),
                kind="commendation",
                level=_pick(rng, [("province", 1), ("city", 3), ("district", 6)]),
                description="上级检查表彰",
            )
        )
    if rng.random() < 0.01:
        batch.add(AdjustmentEvent(village=v, date=day(), kind="sanction", description="暗访通报"))


def _children(rng: random.Random, township: Township, year: int) -> None:
    """Rows that need their parents' ids: petitioners, dossiers, reviews, relapses."""
    petitions = Petition.objects.filter(village__township=township, date__year=year)
    Petitioner.objects.bulk_create(
        [
            Petitioner(petition_id=pk, name=f"信访人{pk % 97}")
            for pk in petitions.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    resolved = Dispute.objects.filter(village__township=township, status="resolved").values_list(
        "pk", "village_id", "resolved_date"
    )
    dossiers = []
    for pk, village_id, resolved_date in resolved:
        if rng.random() < 0.8:
            submitted = resolved_date + timedelta(days=rng.randint(0, 12))
            accepted = rng.random() < 0.6
            dossiers.append(
                Dossier(
                    village_id=village_id,
                    dispute_id=pk,
                    mediation_agreement=FILE,
                    id_copy=FILE,
                    village_certificate=FILE,
                    submitted_date=submitted,
                    centre_result="accepted" if accepted else "pending",
                    centre_date=submitted + timedelta(days=2) if accepted else None,
                    judicial_result="accepted" if accepted else "pending",
                    judicial_date=submitted + timedelta(days=4) if accepted else None,
                )
            )
    Dossier.objects.bulk_create(dossiers, batch_size=2000)
    cases = AssignedCase.objects.filter(village__township=township).values_list("pk", "due_date")
    CaseReview.objects.bulk_create(
        [
            CaseReview(
                case_id=pk,
                decision="rejected_improper",
                reason="处理不当",
                review_date=due - timedelta(days=3),
            )
            for pk, due in cases
            if rng.random() < 0.1
        ],
    )
    backlog = BacklogCase.objects.filter(village__township=township).values_list("pk", flat=True)
    BacklogRelapse.objects.bulk_create(
        [
            BacklogRelapse(case_id=pk, date=date(year, rng.randint(1, 12), 18), note="反复访")
            for pk in backlog
            if rng.random() < 0.2
        ],
    )


def _township_meetings(rng, township, villages, year, until: date | None = None) -> None:
    for month in range(1, 13):
        if until is not None and date(year, month, 8) > until:
            break
        meeting = TownshipMeeting.objects.create(
            township=township, date=date(year, month, 8), topic=f"{month}月综治例会"
        )
        MeetingAttendance.objects.bulk_create(
            [
                MeetingAttendance(
                    meeting=meeting,
                    village=v,
                    status=_pick(rng, [("present", 94), ("late", 4), ("absent", 2)]),
                )
                for v in villages
            ],
            batch_size=2000,
        )


@transaction.atomic
def fill_demo_township(township: Township, *, year: int, until: date, seed: int = 7) -> bool:
    """A year of records up to `until` for the demo township's villages; once only."""
    from workdays.calendar import WorkCalendar

    villages = list(township.villages.order_by("pk"))
    if Patrol.objects.filter(village__in=villages).exists():
        return False
    rng = random.Random(seed)
    leader = township.people.order_by("pk").first() or Person.objects.create(
        township=township, name="包案领导"
    )
    batch, cal = Batch(), WorkCalendar()
    for v in villages:
        _standing(batch, rng, v, year)
        for month in range(1, until.month + 1):
            _month(batch, rng, v, year, month, cal, leader, until=until)
    batch.save()
    _children(rng, township, year)
    # Keep every generated date on or before `until`: the children's dates move forward.
    Dossier.objects.filter(village__in=villages, submitted_date__gt=until).delete()
    Dossier.objects.filter(village__in=villages, judicial_date__gt=until).update(
        centre_result="pending", centre_date=None, judicial_result="pending", judicial_date=None
    )
    CaseReview.objects.filter(case__village__in=villages, review_date__gt=until).delete()
    AssignedCase.objects.filter(village__in=villages, concluded_date__gt=until).update(
        concluded_date=None, state="handling"
    )
    BacklogCase.objects.filter(village__in=villages, resolved_date__gt=until).update(
        resolved_date=None
    )
    BacklogRelapse.objects.filter(case__village__in=villages, date__gt=until).delete()
    _township_meetings(rng, township, villages, year, until=until)
    return True
