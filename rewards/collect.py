"""Collect: database rows -> the plain facts of rewards/scheme/types.py, for a township at once.

Each function costs a fixed number of queries whatever the number of villages or records.
Who held a role on a day is read from one query of the responsibilities (``Roster``), with the
same answer as villages.selectors.holders_on (a 片长 through the village's area, earliest start
first).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db.models import Q

from assessment.models import ScoreSheet
from assessment.selectors import annual_scores
from cases import selectors as case_selectors
from core.vocabulary import LEVEL_BEIJING
from core.vocabulary import LEVEL_PROVINCE
from governance.choices import AdjustmentKind
from governance.models import AdjustmentEvent
from governance.selectors import sensitive_periods
from petitions import rules as petition_rules
from petitions.models import BaobaoEntry
from petitions.models import Dossier
from petitions.models import Petition
from petitions.models import Petitioner
from villages.models import Responsibility
from villages.models import Village

from .models import Deposit
from .models import PriorYearStatus
from .scheme import types


@dataclass(frozen=True)
class Roster:
    """Every responsibility of a township overlapping a span, to answer holders_on in memory."""

    rows: tuple[tuple, ...]  # (start, pk, role, village_id, area_id, person_id, end), by start
    area_of: dict[int, int]  # village -> area

    @cached_property
    def _rows_by_place(self) -> dict[tuple[str, int], list[tuple]]:
        found = defaultdict(list)
        for row in self.rows:
            place = ("village", row[3]) if row[3] else ("area", row[4])
            found[place].append(row)
        return found

    @cached_property
    def _villages_of_area(self) -> dict[int, list[int]]:
        found = defaultdict(list)
        for village_id, area_id in sorted(self.area_of.items()):
            found[area_id].append(village_id)
        return found

    def holders(self, village_id: int, day: date) -> dict[str, tuple[int, ...]]:
        """As villages.selectors.holders_on, for every role at once."""
        places = self._rows_by_place
        rows = sorted(
            places.get(("village", village_id), [])
            + places.get(("area", self.area_of.get(village_id)), [])
        )
        found: dict[str, list[int]] = defaultdict(list)
        for start, _pk, role, _v, _a, person_id, end in rows:
            if start <= day and (end is None or end >= day) and person_id not in found[role]:
                found[role].append(person_id)
        return {role: tuple(people) for role, people in found.items()}

    def villages_of(self, person_id: int, roles, start: date, end: date) -> list[int]:
        """The villages a person answered for with one of `roles` at any time in [start, end]."""
        found: list[int] = []
        for r_start, _pk, role, v_id, a_id, p_id, r_end in self.rows:
            if p_id != person_id or role not in roles:
                continue
            if r_start > end or (r_end is not None and r_end < start):
                continue
            for village_id in [v_id] if v_id else self._villages_of_area.get(a_id, ()):
                if village_id in self.area_of and village_id not in found:
                    found.append(village_id)
        return found


def villages(township_id: int) -> dict[int, Village]:
    qs = Village.objects.filter(township_id=township_id, is_active=True).select_related("area")
    return {v.pk: v for v in qs.order_by("area__name", "name")}


def roster(township_id: int, start: date, end: date, village_map: dict[int, Village]) -> Roster:
    rows = (
        Responsibility.objects.filter(
            Q(village__township_id=township_id) | Q(area__township_id=township_id),
            start__lte=end,
        )
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by("start", "pk")
        .values_list("start", "pk", "role", "village_id", "area_id", "person_id", "end")
    )
    return Roster(tuple(rows), {pk: v.area_id for pk, v in village_map.items()})


def deposits(township_id: int, year: int) -> dict[int, types.DepositRef]:
    """The year's deposits by person."""
    rows = Deposit.objects.filter(township_id=township_id, year=year).values_list(
        "person_id", "pk", "amount"
    )
    return {person: types.DepositRef(person, pk, amount) for person, pk, amount in rows}


def _responsible(petition_rows: list[tuple]) -> dict[int, tuple[int, ...]]:
    """相关责任人: the 包保责任人 of each petition's petitioners on its date (by name)."""
    if not petition_rows:
        return {}
    names = defaultdict(set)
    for petition_id, name in Petitioner.objects.filter(
        petition_id__in=[row[0] for row in petition_rows]
    ).values_list("petition_id", "name"):
        names[petition_id].add(name.strip())
    village_ids = {row[1] for row in petition_rows}
    entries = defaultdict(list)
    for village_id, name, person_id, start, end in BaobaoEntry.objects.filter(
        village_id__in=village_ids, responsible_person__isnull=False
    ).values_list("village_id", "petitioner_name", "responsible_person_id", "start", "end"):
        entries[village_id].append((name.strip(), person_id, start, end))
    found = {}
    for petition_id, village_id, day, *_rest in petition_rows:
        people = []
        for name, person_id, start, end in entries.get(village_id, ()):
            active = start <= day and (end is None or end >= day)
            if active and name in names.get(petition_id, ()) and person_id not in people:
                people.append(person_id)
        found[petition_id] = tuple(people)
    return found


def petitions(
    township_id: int,
    start: date,
    end: date,
    *,
    roster: Roster | None = None,
    deposits: dict[int, types.DepositRef] | None = None,
) -> list[types.Petition]:
    """The petitions dated in [start, end]; with a roster, the people of each one's day (three
    queries with a roster, one without)."""
    rows = list(
        Petition.objects.filter(village__township_id=township_id, date__range=(start, end))
        .order_by("date", "pk")
        .values_list(
            "pk", "village_id", "date", "level", "channel", "nature", "new_problem_unresolved"
        )
    )
    fined = [row for row in rows if row[3] in (LEVEL_BEIJING, LEVEL_PROVINCE)]
    responsible = _responsible(fined) if roster is not None else {}
    found = []
    for pk, village_id, day, level, channel, nature, new_problem in rows:
        holders = roster.holders(village_id, day) if roster and pk in responsible else {}
        people = {p for ids in holders.values() for p in ids}
        found.append(
            types.Petition(
                id=pk,
                village_id=village_id,
                date=day,
                level=level,
                channel=channel,
                nature=nature,
                new_problem_unresolved=new_problem,
                responsible_ids=responsible.get(pk, ()),
                holders=holders,
                deposits=tuple(deposits[p] for p in sorted(people) if deposits and p in deposits),
            )
        )
    return found


def prior_year_statuses(township_id: int, year: int) -> dict[int, bool]:
    """What admins stated about the year's zero petitions, by village (one query)."""
    return dict(
        PriorYearStatus.objects.filter(village__township_id=township_id, year=year).values_list(
            "village_id", "zero_petition"
        )
    )


def sheet_months(township_id: int, year: int) -> dict[int, set[int]]:
    """The months of the year each village has a score sheet for (one query)."""
    found: dict[int, set[int]] = defaultdict(set)
    for village_id, month in ScoreSheet.objects.filter(
        village__township_id=township_id, year=year
    ).values_list("village_id", "month"):
        found[village_id].add(month)
    return found


def annual(township_id: int, year: int, village_map: dict[int, Village]) -> dict:
    """Each active village's annual score after vetoes (None where it has no sheet)."""
    scores = annual_scores(township_id, year)
    found = {}
    for pk, village in village_map.items():
        s = scores.get(pk)
        found[pk] = types.VillageYear(
            village_id=pk,
            name=village.name,
            score=s.score if s else None,
            vetoes=tuple((v.cause, v.reason) for v in s.vetoes) if s else (),
            provisional_reasons=tuple(s.provisional_reasons) if s else (),
        )
    return found


def depositors(
    township_id: int, year: int, scheme: types.Scheme, roster: Roster, annual_by_village: dict
) -> list[types.Depositor]:
    """Every deposit of the year with the villages its person answered for in the year."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    roles = set(scheme.deposits)
    found = []
    for deposit in (
        Deposit.objects.filter(township_id=township_id, year=year)
        .select_related("person")
        .order_by("pk")
    ):
        village_ids = roster.villages_of(deposit.person_id, roles | {deposit.role}, start, end)
        found.append(
            types.Depositor(
                person_id=deposit.person_id,
                name=deposit.person.name,
                deposit_id=deposit.pk,
                role=deposit.role,
                amount=deposit.amount,
                villages=tuple(annual_by_village[v] for v in village_ids if v in annual_by_village),
            )
        )
    return found


def backlog(township_id: int, start: date, end: date):
    resolutions = [
        types.BacklogResolution(r.case_id, r.village_id, r.resolved_date, r.resolver_ids)
        for r in case_selectors.backlog_resolutions(township_id, start, end)
    ]
    relapses = [
        types.BacklogRelapse(
            r.relapse_id, r.case_id, r.village_id, r.date, r.resolved_date, r.resolver_ids
        )
        for r in case_selectors.backlog_relapses(township_id, start, end)
    ]
    return resolutions, relapses


def accepted_dossiers(township_id: int, start: date, end: date) -> list[types.Dated]:
    """Dossiers accepted by both the centre and the judicial office in [start, end]."""
    rows = (
        Dossier.objects.filter(
            village__township_id=township_id,
            centre_result="accepted",
            judicial_result="accepted",
            centre_date__lte=end,
            judicial_date__lte=end,
        )
        .filter(Q(centre_date__gte=start) | Q(judicial_date__gte=start))
        .values_list(
            "pk", "village_id", "centre_result", "centre_date", "judicial_result", "judicial_date"
        )
    )
    found = []
    for pk, village_id, c_result, c_date, j_result, j_date in rows:
        day = petition_rules.accepted_date(c_result, c_date, j_result, j_date)
        if day is not None and start <= day <= end:
            found.append(types.Dated(pk, village_id, day))
    return sorted(found, key=lambda d: (d.date, d.id))


def staff_commendations(township_id: int, start: date, end: date) -> list[types.Dated]:
    rows = AdjustmentEvent.objects.filter(
        village__township_id=township_id,
        kind=AdjustmentKind.STAFF_COMMENDED,
        date__range=(start, end),
    ).values_list("pk", "village_id", "date")
    return [types.Dated(*row) for row in rows]


def periods_ending(township_id: int, start: date, end: date) -> list[types.SensitivePeriod]:
    """Sensitive periods that end in [start, end] (a period is settled with its last day)."""
    return [
        types.SensitivePeriod(p.id, p.name, p.start, p.end, Decimal(p.award_amount))
        for p in sensitive_periods(township=township_id, start=start, end=end)
        if start <= p.end <= end
    ]
