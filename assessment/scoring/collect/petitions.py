"""Facts from the petitions app: petitions, 包保 register, screening reports, disputes, dossiers."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from datetime import datetime

from django.db.models import Min
from django.db.models import Q
from django.utils import timezone

from petitions import rules as petition_rules
from petitions.models import BaobaoEntry
from petitions.models import Dispute
from petitions.models import DisputeReport
from petitions.models import Dossier
from petitions.models import Petition
from petitions.models import Petitioner

from .. import types as t
from ..window import Window
from ..window import bucket
from ..window import merge


def _petitioner_keys(window: Window) -> tuple[dict[int, list[str]], dict[int, set[str]]]:
    """Each petition's petitioner keys (id number, else name), and their names."""
    people, names = defaultdict(list), defaultdict(set)
    rows = Petitioner.objects.filter(
        petition__village_id__in=window.village_ids,
        petition__date__range=(window.start, window.end),
    ).values_list("petition_id", "id_number", "name")
    for petition_id, id_number, name in rows:
        people[petition_id].append(id_number or name)
        names[petition_id].add(name.strip())
    return people, names


def _responsible(window: Window, names: dict[int, set[str]]):
    """相关责任人 (for the rewards): a function (petition id, village, day) -> the person ids of
    the 包保 register's entries active that day for one of the petition's petitioners (by name),
    in the register's order; one query for the window."""
    entries = defaultdict(list)
    for village_id, name, person_id, start, end in (
        BaobaoEntry.objects.filter(
            village_id__in=window.village_ids,
            responsible_person__isnull=False,
            start__lte=window.end,
        )
        .order_by("village_id", "-start", "pk")
        .values_list("village_id", "petitioner_name", "responsible_person_id", "start", "end")
    ):
        entries[village_id].append((name.strip(), person_id, start, end))

    def responsible(petition_id: int, village_id: int, day) -> tuple[int, ...]:
        mine = names.get(petition_id)
        found: list[int] = []
        for name, person_id, start, end in entries.get(village_id, ()) if mine else ():
            active = start <= day and (end is None or end >= day)
            if active and name in mine and person_id not in found:
                found.append(person_id)
        return tuple(found)

    return responsible


def petitions(window: Window) -> dict:
    rows = (
        Petition.objects.filter(
            village_id__in=window.village_ids, date__range=(window.start, window.end)
        )
        .order_by("date", "pk")
        .values_list(
            "pk",
            "village_id",
            "date",
            "level",
            "nature",
            "collective",
            "person_count",
            "channel",
            "stabilised_in_time",
            "carried_village_opinion",
            "new_problem_unresolved",
            "large_impact",
            "matter",
        )
    )
    people, names = _petitioner_keys(window)
    responsible = _responsible(window, names)
    facts = []
    for pk, village_id, day, level, nature, collective, count, channel, stable, *rest in rows:
        opinion, new_problem, large_impact, matter = rest
        duty = petition_rules.opinion_duty_applies(level, channel)
        facts.append(
            (
                village_id,
                t.Petition(
                    ref=t.RecordRef("petition", pk),
                    date=day,
                    level=level,
                    nature=nature,
                    collective=collective,
                    person_count=count,
                    channel=channel,
                    stabilised_in_time=stable,
                    carried_village_opinion=bool(opinion) if duty else None,
                    new_problem_unresolved=new_problem,
                    large_impact=large_impact,
                    petitioner_key=petition_rules.petitioner_key(people.get(pk, []), matter),
                    responsible_ids=responsible(pk, village_id, day),
                ),
            )
        )
    return bucket(window, facts, lambda p: p.date, "petitions")


def baobao(window: Window) -> dict:
    """评分表 一.2: a register exists at a month's end when one entry is active then."""
    rows = list(
        BaobaoEntry.objects.filter(
            village_id__in=window.village_ids, start__lte=window.end
        ).values_list("village_id", "start", "end")
    )
    found = {}
    for month, last_day in window.month_ends():
        present = {
            v for v, start, end in rows if start <= last_day and (end is None or end >= last_day)
        }
        found[month] = {v: {"baobao_register": v in present} for v in window.village_ids}
    return found


def reports(window: Window) -> dict:
    """Each report counts in the month whose half it answers, not when it came."""
    months = Q()
    for year, month in window.months:
        months |= Q(year=year, month=month)
    rows = DisputeReport.objects.filter(months, village_id__in=window.village_ids).values_list(
        "pk", "village_id", "year", "month", "half", "submitted_at", "signed_by", "seal_scan"
    )
    # petitions.rules.local_date, the zone looked up once: timezone.localtime looks it up again
    # for each of a year's 20,000 reports.
    zone = timezone.get_current_timezone()

    def local_date(moment):
        if isinstance(moment, datetime) and timezone.is_aware(moment):
            return moment.astimezone(zone).date()
        return petition_rules.local_date(moment)

    facts = [
        (
            village_id,
            t.DisputeReport(
                ref=t.RecordRef("report", pk),
                year=year,
                month=month,
                half=half,
                submitted_on=local_date(submitted_at) if submitted_at else None,
                signed=bool((signed_by or "").strip()),
                sealed=bool(seal),
            ),
        )
        for pk, village_id, year, month, half, submitted_at, signed_by, seal in rows
    ]
    return bucket(window, facts, lambda r: date(r.year, r.month, 1), "dispute_reports")


def disputes(window: Window) -> dict:
    """Resolved disputes with their first dossier's date; town-level finds no report listed."""
    resolved = (
        Dispute.objects.filter(
            village_id__in=window.village_ids, resolved_date__range=(window.start, window.end)
        )
        .annotate(first_dossier=Min("dossiers__submitted_date"))
        .order_by("resolved_date", "pk")
        .values_list("pk", "village_id", "resolved_date", "first_dossier")
    )
    unreported = (
        Dispute.objects.unreported()
        .filter(village_id__in=window.village_ids, found_date__range=(window.start, window.end))
        .order_by("found_date", "pk")
        .values_list("pk", "village_id", "found_date")
    )
    return merge(
        bucket(
            window,
            [(v, t.ResolvedDispute(t.RecordRef("dispute", pk), d, f)) for pk, v, d, f in resolved],
            lambda r: r.resolved_on,
            "resolved_disputes",
        ),
        bucket(
            window,
            [(v, t.Event(t.RecordRef("dispute", pk), d)) for pk, v, d in unreported],
            lambda e: e.date,
            "unreported_disputes",
        ),
    )


def dossiers(window: Window) -> dict:
    """Dossiers accepted per month, and how many earlier in the year (the plan's yearly cap)."""
    year_start = date(window.start.year, 1, 1)
    rows = (
        Dossier.objects.filter(
            village_id__in=window.village_ids,
            centre_result="accepted",
            judicial_result="accepted",
        )
        .filter(
            Q(centre_date__range=(year_start, window.end))
            | Q(judicial_date__range=(year_start, window.end))
        )
        .values_list(
            "pk", "village_id", "centre_result", "centre_date", "judicial_result", "judicial_date"
        )
    )
    accepted = []
    for pk, village_id, c_result, c_date, j_result, j_date in rows:
        day = petition_rules.accepted_date(c_result, c_date, j_result, j_date)
        if day is not None and year_start <= day <= window.end:
            accepted.append((village_id, t.Event(t.RecordRef("dossier", pk), day)))
    accepted.sort(key=lambda row: (row[1].date, row[1].ref.id))
    found = bucket(window, accepted, lambda e: e.date, "dossiers_accepted")
    for month in window.months:
        first = date(*month, 1)
        earlier = defaultdict(int)
        for village_id, event in accepted:
            if event.date.year == first.year and event.date < first:
                earlier[village_id] += 1
        for village_id, count in earlier.items():
            found.setdefault(month, {}).setdefault(village_id, {})[
                "dossiers_accepted_before_in_year"
            ] = count
    return found


COLLECTORS = [petitions, baobao, reports, disputes, dossiers]
