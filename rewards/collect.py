"""Collect: the facts rewards/scheme/rules.py reads, for all villages of a township at once.

Rewards read no record a second way. Petitions (with their 包保责任人) and accepted dossiers come
from the scoring collect step (assessment/scoring/collect/petitions.py, the same collectors
and rows that score the months); who held a role on a day from the villages' roster
(villages/roster.py); backlog cases from the cases' selectors; commendations and sensitive
periods from governance; annual scores and sheets from assessment. What is rewards' own (the
deposits, the admins' statements about years before kaohe) is read here. Each function costs a
fixed number of queries whatever the number of villages or records.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from assessment.models import ScoreSheet
from assessment.scoring.collect import petitions as petition_facts
from assessment.scoring.rules import months_in
from assessment.scoring.window import Window
from assessment.selectors import annual_scores
from cases import selectors as case_selectors
from core.vocabulary import LEVEL_BEIJING
from core.vocabulary import LEVEL_PROVINCE
from governance.choices import AdjustmentKind
from governance.models import AdjustmentEvent
from governance.selectors import sensitive_periods
from villages.models import Village
from villages.roster import Roster
from villages.roster import roster as township_roster

from .models import Deposit
from .models import PriorYearStatus
from .scheme import types

# The petitions fined (二.1, 二.2) are the ones whose people the settlement looks up.
FINED_LEVELS = frozenset({LEVEL_BEIJING, LEVEL_PROVINCE})


def villages(township_id: int) -> dict[int, Village]:
    qs = Village.objects.filter(township_id=township_id, is_active=True).select_related("area")
    return {v.pk: v for v in qs.order_by("area__name", "name")}


def roster(township_id: int, start: date, end: date, village_map: dict[int, Village]) -> Roster:
    """Who answered for the villages of `village_map` over [start, end] (one query)."""
    area_of = {pk: v.area_id for pk, v in village_map.items()}
    return township_roster(township_id, start, end, area_of)


def deposits(township_id: int, year: int) -> dict[int, types.DepositRef]:
    """The year's deposits by person."""
    rows = Deposit.objects.filter(township_id=township_id, year=year).values_list(
        "person_id", "pk", "amount"
    )
    return {person: types.DepositRef(person, pk, amount) for person, pk, amount in rows}


def _window(township_id: int, start: date, end: date) -> Window:
    """The scoring collectors' window over the months of [start, end], for every village of the
    township (a fine is due for a petition of any of them)."""
    months = months_in(start, end)
    ids = tuple(
        Village.objects.filter(township_id=township_id).order_by("pk").values_list("pk", flat=True)
    )
    return Window(township_id, ids, months, {m: None for m in months})


def _dated(found: dict, field: str, start: date, end: date, when) -> list[tuple[int, object]]:
    """(village, fact) of a collector's {month: {village: {field: facts}}} dated in [start, end]."""
    return [
        (village_id, fact)
        for by_village in found.values()
        for village_id, fields in by_village.items()
        for fact in fields.get(field, ())
        if start <= when(fact) <= end
    ]


def petitions(
    township_id: int,
    start: date,
    end: date,
    *,
    roster: Roster | None = None,
    deposits: dict[int, types.DepositRef] | None = None,
) -> list[types.Petition]:
    """The petitions dated in [start, end], by date; with a roster, each fined one carries its
    相关责任人 and the people of its day (four queries)."""
    found = _dated(
        petition_facts.petitions(_window(township_id, start, end)),
        "petitions",
        start,
        end,
        lambda p: p.date,
    )
    result = []
    for village_id, p in sorted(found, key=lambda row: (row[1].date, row[1].ref.id)):
        fined = roster is not None and p.level in FINED_LEVELS
        holders = roster.holders(village_id, p.date) if fined else {}
        people = {person for ids in holders.values() for person in ids}
        result.append(
            types.Petition(
                id=p.ref.id,
                village_id=village_id,
                date=p.date,
                level=p.level,
                channel=p.channel,
                nature=p.nature,
                new_problem_unresolved=p.new_problem_unresolved,
                responsible_ids=p.responsible_ids if fined else (),
                holders=holders,
                deposits=tuple(deposits[x] for x in sorted(people) if deposits and x in deposits),
            )
        )
    return result


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
    """Dossiers accepted by both the centre and the judicial office in [start, end] (the scoring
    collect step's ``dossiers_accepted``)."""
    found = _dated(
        petition_facts.dossiers(_window(township_id, start, end)),
        "dossiers_accepted",
        start,
        end,
        lambda e: e.date,
    )
    return sorted(
        (types.Dated(e.ref.id, village_id, e.date) for village_id, e in found),
        key=lambda d: (d.date, d.id),
    )


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
