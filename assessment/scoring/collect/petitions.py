"""Facts from the petitions app: petitions, 包保 register, screening reports, disputes, dossiers."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Min, Q

from petitions import rules as petition_rules
from petitions.models import Dispute, DisputeReport, Dossier, Petition, Petitioner
from petitions.selectors import villages_with_baobao_register

from .. import types as t


def _petitioner_keys(petition_ids) -> dict[int, str]:
    people = defaultdict(list)
    rows = Petitioner.objects.filter(petition_id__in=petition_ids).values_list(
        "petition_id", "id_number", "name"
    )
    for petition_id, id_number, name in rows:
        people[petition_id].append(id_number or name)
    return people


def petitions(window) -> dict[int, dict]:
    rows = list(
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
    people = _petitioner_keys([row[0] for row in rows]) if rows else {}
    found: dict[int, list] = defaultdict(list)
    for (
        pk,
        village_id,
        day,
        level,
        nature,
        collective,
        count,
        channel,
        stable,
        opinion,
        *rest,
    ) in rows:
        new_problem, large_impact, matter = rest
        duty = petition_rules.opinion_duty_applies(level, channel)
        found[village_id].append(
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
            )
        )
    return {v: {"petitions": tuple(items)} for v, items in found.items()}


def baobao(window) -> dict[int, dict]:
    present = villages_with_baobao_register(window.village_ids, window.end)
    return {v: {"baobao_register": v in present} for v in window.village_ids}


def reports(window) -> dict[int, dict]:
    """The month's two halves; a report is dated by the half it answers, not when it came."""
    rows = DisputeReport.objects.filter(
        village_id__in=window.village_ids,
        year__gte=window.start.year,
        year__lte=window.end.year,
    ).values_list(
        "pk", "village_id", "year", "month", "half", "submitted_at", "signed_by", "seal_scan"
    )
    found: dict[int, list] = defaultdict(list)
    for pk, village_id, year, month, half, submitted_at, signed_by, seal in rows:
        if not window.start <= date(year, month, 1) <= window.end:
            continue
        found[village_id].append(
            t.DisputeReport(
                ref=t.RecordRef("report", pk),
                year=year,
                month=month,
                half=half,
                submitted_on=petition_rules.local_date(submitted_at) if submitted_at else None,
                signed=bool((signed_by or "").strip()),
                sealed=bool(seal),
            )
        )
    return {v: {"dispute_reports": tuple(items)} for v, items in found.items()}


def disputes(window) -> dict[int, dict]:
    """Resolved disputes with their first dossier's date; town-level finds no report listed."""
    resolved = (
        Dispute.objects.filter(
            village_id__in=window.village_ids, resolved_date__range=(window.start, window.end)
        )
        .annotate(first_dossier=Min("dossiers__submitted_date"))
        .values_list("pk", "village_id", "resolved_date", "first_dossier")
    )
    unreported = (
        Dispute.objects.filter(
            village_id__in=window.village_ids,
            found_at_town_or_above=True,
            found_date__range=(window.start, window.end),
            reports__isnull=True,
        )
        .values_list("pk", "village_id", "found_date")
        .distinct()
    )
    found: dict[int, dict] = defaultdict(
        lambda: {"resolved_disputes": [], "unreported_disputes": []}
    )
    for pk, village_id, day, dossier_day in resolved:
        found[village_id]["resolved_disputes"].append(
            t.ResolvedDispute(t.RecordRef("dispute", pk), day, dossier_day)
        )
    for pk, village_id, day in unreported:
        found[village_id]["unreported_disputes"].append(t.Event(t.RecordRef("dispute", pk), day))
    return {
        v: {key: tuple(sorted(items, key=lambda e: e.ref.id)) for key, items in fields.items()}
        for v, fields in found.items()
    }


def dossiers(window) -> dict[int, dict]:
    """Dossiers accepted in the period, and how many earlier in the year (the plan's yearly cap)."""
    year_start = date(window.start.year, 1, 1)
    rows = (
        Dossier.objects.filter(
            village_id__in=window.village_ids, centre_result="accepted", judicial_result="accepted"
        )
        .filter(
            Q(centre_date__range=(year_start, window.end))
            | Q(judicial_date__range=(year_start, window.end))
        )
        .values_list(
            "pk", "village_id", "centre_result", "centre_date", "judicial_result", "judicial_date"
        )
    )
    found: dict[int, dict] = defaultdict(
        lambda: {"dossiers_accepted": [], "dossiers_accepted_before_in_year": 0}
    )
    for pk, village_id, c_result, c_date, j_result, j_date in rows:
        day = petition_rules.accepted_date(c_result, c_date, j_result, j_date)
        if day is None or not year_start <= day <= window.end:
            continue
        if day < window.start:
            found[village_id]["dossiers_accepted_before_in_year"] += 1
        else:
            found[village_id]["dossiers_accepted"].append(t.Event(t.RecordRef("dossier", pk), day))
    return {
        v: {
            "dossiers_accepted": tuple(
                sorted(f["dossiers_accepted"], key=lambda e: (e.date, e.ref.id))
            ),
            "dossiers_accepted_before_in_year": f["dossiers_accepted_before_in_year"],
        }
        for v, f in found.items()
    }


COLLECTORS = [petitions, baobao, reports, disputes, dossiers]
