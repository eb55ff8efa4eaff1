"""Synthetic records: a village month "in order" (the worked examples) and a whole county.

Records are written in bulk (fast enough for the benchmark's 1,000 villages) but with their
history, like every other path: each creation is attributed to the seeding user and carries the
reason `DATA_REASON` (the demo passes its own admin and reason), so "every change is
attributable" holds for generated data too. Reproducible by seed.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from accounts.models import User
from assessment.scoring.rules import week_bounds
from assessment.scoring.rules import weeks_of_month
from assessment.scoring.types import GROUP_RAILWAY
from assessment.scoring.types import GROUPS
from assessment.scoring.types import SPECIAL_CATEGORIES
from cases.models import AssignedCase
from cases.models import BacklogCase
from cases.models import BacklogRelapse
from cases.models import CaseReview
from core.periods import month_end
from core.records import attribute
from governance.models import AdjustmentEvent
from governance.models import CentreInspection
from governance.models import LeadershipGroup
from governance.models import MeetingAttendance
from governance.models import Patrol
from governance.models import SpecialPerson
from governance.models import Survey
from governance.models import TownshipMeeting
from governance.models import VillageMeeting
from governance.models import ZeroReport
from petitions.models import BaobaoEntry
from petitions.models import Dispute
from petitions.models import DisputeReport
from petitions.models import Dossier
from petitions.models import Petition
from petitions.models import Petitioner
from villages.models import Area
from villages.models import District
from villages.models import Person
from villages.models import Township
from villages.models import Village
from workdays.calendar import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEAL = "synthetic/seal.png"
FILE = "synthetic/file.pdf"
WORK_FILES = ("zongzhi", "fangxie", "xinfang", "pufa", "jindu", "jindu_month", "chuanxiao")
# The change reason of every history row the generator writes (stored data, not a UI string).
DATA_REASON = "合成数据"
BATCH_SIZE = 2000


@dataclass(frozen=True)
class Author:
    """Who a generated row's history names, and why."""

    user: User | None = None
    reason: str = DATA_REASON

    def bulk(self, model, objs) -> list:
        """bulk_create, then one attributed history row per object ("+", now).

        The history rows are copied from the rows just inserted by one INSERT ... SELECT per
        chunk instead of simple-history's bulk_create_with_history, which builds a second
        Python object per row: the benchmark's county is about 270,000 rows.
        """
        if not objs:
            return []
        created = model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        self._copy_history(model, [obj.pk for obj in created])
        return created

    def _copy_history(self, model, pks) -> None:
        history = model.history.model
        own = {f.column for f in model._meta.concrete_fields}
        columns = [f.column for f in history._meta.concrete_fields if f.column in own]
        quote = connection.ops.quote_name
        when = history._meta.get_field("history_date").get_db_prep_value(timezone.now(), connection)
        names = ", ".join(quote(c) for c in columns)
        for start in range(0, len(pks), BATCH_SIZE):
            chunk = pks[start : start + BATCH_SIZE]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {quote(history._meta.db_table)} ({names}, history_date,"
                    " history_change_reason, history_type, history_user_id)"
                    f" SELECT {names}, %s, %s, '+', %s FROM {quote(model._meta.db_table)}"
                    f" WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))})",
                    [when, self.reason, self.user.pk if self.user else None, *chunk],
                )

    def save(self, obj):
        """One object through save(), its history row attributed (as core.records does)."""

        attribute(obj, self.user, self.reason)
        obj.save()
        return obj


def seed_user(township: Township) -> User:
    """The synthetic county's author: an inactive admin with no usable password (it can never
    log in; the reminders skip inactive users), so its rows name who made them."""
    user, created = User.objects.get_or_create(
        username=f"seed-{township.code}",
        defaults={
            "role": Role.ADMIN,
            "township": township,
            "first_name": "合成数据生成",
            "is_active": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


@dataclass
class Batch:
    """Objects to insert, by model, in dependency order."""

    rows: dict = field(default_factory=dict)
    author: Author = field(default_factory=Author)

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
            self.author.bulk(model, self.rows.get(model, []))


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


# What the records say (issue 13: every demo petition read 反映土地承包问题 and every dispute
# 邻里纠纷). Chosen by a hash of the record's place (village, month, number) rather than by
# `rng`, so the draws and therefore the scores are what they were, run after run.
PETITION_MATTERS = (
    "反映土地承包经营权纠纷",
    "要求解决征地补偿款发放问题",
    "反映拖欠农民工工资",
    "反映宅基地界址争议",
    "要求复核低保评定结果",
    "反映村务财务公开不及时",
    "反映小区物业服务质量差",
    "反映养殖场异味扰民",
    "要求解决村道积水出行难",
    "反映新农合医疗费用报销问题",
    "反映房屋征收安置房分配问题",
    "反映企业夜间施工噪声扰民",
    "反映村集体资产收益分配问题",
    "要求解决饮用水水质问题",
    "反映退役军人优抚待遇落实问题",
    "反映惠农补贴未按时发放",
)
DISPUTES = (  # (petitions.choices.DisputeCategory value, matter)
    ("family", "赡养老人费用分担纠纷"),
    ("family", "离婚后子女抚养费纠纷"),
    ("neighbour", "相邻房屋排水滴水纠纷"),
    ("neighbour", "邻里通行道路占用纠纷"),
    ("neighbour", "树木遮挡采光纠纷"),
    ("land", "承包地边界纠纷"),
    ("land", "山林权属争议"),
    ("demolition", "拆迁补偿款家庭内部分配纠纷"),
    ("labour", "装修工程务工工资拖欠纠纷"),
    ("debt", "民间借贷还款纠纷"),
    ("debt", "农资赊购货款纠纷"),
    ("property", "物业费收缴纠纷"),
    ("traffic", "电动车交通事故赔偿纠纷"),
    ("medical", "村卫生室诊疗费用纠纷"),
    ("other", "宠物伤人赔偿纠纷"),
    ("other", "婚丧事宜占道纠纷"),
)
CASE_TITLES = (
    "群众反映道路积水问题",
    "反映征地补偿款发放问题",
    "反映农民工工资拖欠问题",
    "反映养殖污染问题",
    "反映危房改造补助问题",
    "反映低保评定不公问题",
    "反映小区物业管理问题",
    "反映宅基地审批问题",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"


def _choose(options, *place):
    """One of `options`, the same every run for the same place (crc32 of it, not the rng)."""
    return options[zlib.crc32("|".join(map(str, place)).encode()) % len(options)]


def _parties(*place) -> str:
    first = _choose(SURNAMES, "a", *place)
    second = _choose(SURNAMES.replace(first, ""), "b", *place)
    return f"{first}某某、{second}某某"


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
def make_county(
    *,
    villages: int,
    year: int,
    seed: int = 1,
    code: str = "synthetic",
    until: date | None = None,
    name: str | None = None,
    district: District | None = None,
) -> Township:
    """A township of `villages` villages with a year of records at a realistic density, none
    dated after `until` (default: today, so the current year stops where the calendar does);
    named `name` (default 合成县<seed>), in `district` when given.

    The township's first history row is dated 1 January of the year before: its records (the
    standing registers begin the year before) then lie inside the date windows the pages
    enforce (core.dates.township_began), as a township's own entries would."""

    until = until or min(date(year, 12, 31), timezone.localdate())
    rng = random.Random(seed)
    township = Township.objects.filter(code=code).first()
    if township is None:
        # The township exists before its author can: its history row follows the author.
        (township,) = Township.objects.bulk_create(
            [Township(code=code, name=name or f"合成县{seed}", district=district)]
        )
        township._history_date = timezone.make_aware(datetime(year - 1, 1, 1))
        author = Author(seed_user(township))
        Township.history.bulk_history_create(
            [township], default_user=author.user, default_change_reason=author.reason
        )
    else:
        author = Author(seed_user(township))
    n_areas = max(1, villages // 12)
    areas = author.bulk(Area, [Area(township=township, name=f"{i + 1}片") for i in range(n_areas)])
    all_villages = author.bulk(
        Village,
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
    )
    leader = author.save(Person(township=township, name="包案领导"))
    batch = Batch(author=author)
    cal = WorkCalendar()
    months = until.month if until.year == year else (12 if until.year > year else 0)
    for v in all_villages:
        _standing(batch, rng, v, year)
        for month in range(1, months + 1):
            _month(batch, rng, v, year, month, cal, leader, until=until)
    batch.save()
    _children(rng, township, year, author, until=until)
    _township_meetings(rng, township, all_villages, year, author, until=until)
    return township


def township_seed(seed: int, index: int) -> int:
    """The seed of a district's index-th township: its own draws, the same for the same seed."""
    return zlib.crc32(f"{seed}|township|{index}".encode())


@transaction.atomic
def make_district(
    *,
    townships: int,
    villages_per_township: int,
    year: int,
    seed: int = 1,
    code: str = "synthetic",
    until: date | None = None,
    name: str | None = None,
) -> District:
    """A district of `townships` synthetic townships of `villages_per_township` villages each,
    every one a make_county township with draws of its own (township_seed), so a district is
    the same for the same seed; named `name` (default 合成区<seed>). A township already there
    is left as it is."""
    district = District.objects.filter(code=code).first()
    if district is None:
        (district,) = District.objects.bulk_create(
            [District(code=code, name=name or f"合成区{seed}")]
        )
        District.history.bulk_history_create([district], default_change_reason=DATA_REASON)
    for i in range(townships):
        township_code = f"{code}-{i + 1:02d}"
        if Township.objects.filter(code=township_code).exists():
            continue
        make_county(
            villages=villages_per_township,
            year=year,
            seed=township_seed(seed, i),
            code=township_code,
            until=until,
            name=f"{district.name}第{i + 1:02d}镇",
            district=district,
        )
    return district


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


def _month(
    batch, rng, v, year, month, cal, leader, until: date | None = None, backlog: float = 0.1
) -> None:
    """One month of a village's records; nothing dated after `until` (the demo's today).
    `backlog` is the chance that January lists a 积案 for the village."""
    last = month_end(year, month).day
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
    for n in range(_poisson(rng, 0.3)):
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
                matter=_choose(PETITION_MATTERS, v.name, year, month, n),
                stabilised_in_time=rng.random() < 0.8,
                carried_village_opinion=(rng.random() < 0.8) if level == "township" else None,
                source="sunshine",
                source_ref=f"S{v.pk}-{year}{month:02d}-{rng.random():.9f}",
            )
        )
    for n in range(_poisson(rng, 1.5)):
        found = day()
        resolved = found + timedelta(days=rng.randint(0, 20)) if rng.random() < 0.7 else None
        if resolved and (resolved.year != year or (until and resolved > until)):
            resolved = None
        category, matter = _choose(DISPUTES, v.name, year, month, n)
        batch.add(
            Dispute(
                village=v,
                found_date=found,
                parties=_parties(v.name, year, month, n),
                matter=matter,
                category=category,
                status="resolved" if resolved else "open",
                resolved_date=resolved,
            )
        )
    if rng.random() < 0.2:
        assigned = day()
        due = cal.add_working_days(assigned, 20)
        concluded = due.date - timedelta(days=rng.randint(-6, 10))
        if concluded <= assigned or (until is not None and concluded > until):
            concluded = None  # still handling (on the demo's today, or ever)
        batch.add(
            AssignedCase(
                village=v,
                title=_choose(CASE_TITLES, v.name, year, month),
                assigned_by="区信访局",
                assigned_date=assigned,
                due_date=due.date,
                due_provisional=due.provisional,
                state="concluded" if concluded else "handling",
                concluded_date=concluded,
            )
        )
    if month == 1 and rng.random() < backlog:
        resolved = date(year, rng.randint(2, 12), 10) if rng.random() < 0.5 else None
        if until is not None and resolved is not None and resolved > until:
            resolved = None
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
                resolved_date=resolved,
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


def _children(rng: random.Random, township, year: int, author: Author, until=None) -> None:
    """Rows that need their parents' ids: petitioners, dossiers, reviews, relapses; nothing
    dated after `until` (the same draws are made, so a seed gives the same county)."""

    def happened(day: date) -> bool:
        return until is None or day <= until

    petitions = Petition.objects.filter(village__township=township, date__year=year)
    author.bulk(
        Petitioner,
        [
            Petitioner(petition_id=pk, name=f"信访人{pk % 97}")
            for pk in petitions.values_list("pk", flat=True)
        ],
    )
    resolved = Dispute.objects.filter(village__township=township, status="resolved").values_list(
        "pk", "village_id", "resolved_date"
    )
    dossiers = []
    for pk, village_id, resolved_date in resolved:
        if rng.random() < 0.8:
            submitted = resolved_date + timedelta(days=rng.randint(0, 12))
            accepted = rng.random() < 0.6 and happened(submitted + timedelta(days=4))
            if not happened(submitted):
                continue
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
    author.bulk(Dossier, dossiers)
    cases = AssignedCase.objects.filter(village__township=township).values_list("pk", "due_date")
    author.bulk(
        CaseReview,
        [
            CaseReview(
                case_id=pk,
                decision="rejected_improper",
                reason="处理不当",
                review_date=due - timedelta(days=3),
            )
            for pk, due in cases
            if rng.random() < 0.1 and happened(due - timedelta(days=3))
        ],
    )
    backlog = BacklogCase.objects.filter(village__township=township).values_list("pk", flat=True)
    relapses = []
    for pk in backlog:
        if rng.random() < 0.2:
            day = date(year, rng.randint(1, 12), 18)
            if happened(day):
                relapses.append(BacklogRelapse(case_id=pk, date=day, note="反复访"))
    author.bulk(BacklogRelapse, relapses)


def _township_meetings(rng, township, villages, year, author: Author, until=None) -> None:
    for month in range(1, 13):
        if until is not None and date(year, month, 8) > until:
            break
        meeting = author.save(
            TownshipMeeting(
                township=township, date=date(year, month, 8), topic=f"{month}月综治例会"
            )
        )
        author.bulk(
            MeetingAttendance,
            [
                MeetingAttendance(
                    meeting=meeting,
                    village=v,
                    status=_pick(rng, [("present", 94), ("late", 4), ("absent", 2)]),
                )
                for v in villages
            ],
        )


@transaction.atomic
def _stream(seed: int, v: Village, year: int, month: int) -> random.Random:
    """The random draws of one village-month of the demo, apart from every other: a new month
    adds its records without redrawing the months before it, so the demo a newcomer opens in
    December holds the same January as in February (and the crawl finds the same kinds)."""
    return random.Random(zlib.crc32(f"{seed}|{v.name}|{year}|{month}".encode()))


def fill_demo_township(
    township: Township, *, year: int, until: date, seed: int = 7, by=None, reason=DATA_REASON
) -> bool:
    """A year of records up to `until` for the demo township's villages, their history
    attributed to `by` for `reason`; once only."""

    villages = list(township.villages.order_by("pk"))
    if Patrol.objects.filter(village__in=villages).exists():
        return False
    rng = random.Random(seed)
    author = Author(by, reason)
    leader = township.people.order_by("pk").first() or author.save(
        Person(township=township, name="包案领导")
    )
    batch, cal = Batch(author=author), WorkCalendar()
    for i, v in enumerate(villages):
        _standing(batch, _stream(seed, v, year, 0), v, year)
        # The demo always shows 积案: its first three villages list one each in January.
        backlog = 1.0 if i < 3 else 0.1
        for month in range(1, until.month + 1):
            rng_month = _stream(seed, v, year, month)
            _month(batch, rng_month, v, year, month, cal, leader, until=until, backlog=backlog)
    batch.save()
    _children(rng, township, year, author, until=until)
    _township_meetings(rng, township, villages, year, author, until=until)
    return True
