"""Reads of petitions and disputes: the 包保 register at a day, the portal's view of a village's
screening reports, and the petitions no ledger dispute covers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils.formats import date_format
from django.utils.translation import gettext

from core import periods
from core.labels import half_month

from . import deadlines
from . import rules
from .choices import Level
from .models import BaobaoEntry
from .models import Dispute
from .models import DisputeReport
from .models import Petition


def villages_with_baobao_register(village_ids, day: date) -> set[int]:
    """评分表 一.2: the villages whose 包保 register holds at least one entry active on `day`
    (read at a month's end)."""
    return set(
        BaobaoEntry.objects.active_on(day)
        .filter(village_id__in=list(village_ids))
        .values_list("village_id", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class HalfStatus:
    """One half-month of a village's screening and the report it has for it, if any."""

    year: int
    month: int
    half: int
    due: date
    report: DisputeReport | None = None

    @property
    def state(self) -> str:
        """missing (no report), draft (saved, not submitted), late, incomplete (unsigned or
        unsealed), ok."""
        report = self.report
        if report is None:
            return "missing"
        return rules.report_state(
            report.submitted_at, report.due_date, signed=report.is_signed, sealed=report.is_sealed
        )

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.half)

    @property
    def label(self) -> str:
        return half_month(self.year, self.month, self.half)


# What a half's report counts as on time for (the township's and the district's dashboards): it
# was submitted by its due day; unsigned or unsealed (incomplete) it is still on time.
ON_TIME = ("ok", "incomplete")


@dataclass(frozen=True)
class ReportFacts:
    """What a half's state reads of its report (rules.report_state): a dashboard reads one per
    village and half, thousands for a district, as plain rows rather than model instances."""

    submitted_at: datetime | None
    signed: bool
    sealed: bool


def report_facts(reports) -> dict[tuple[int, int, int, int], ReportFacts]:
    """{(village id, year, month, half): ReportFacts} of a DisputeReport queryset, one query."""
    rows = reports.values_list(
        "village_id", "year", "month", "half", "submitted_at", "signed_by", "seal_scan"
    )
    return {
        (village, year, month, half): ReportFacts(submitted, bool(signed.strip()), bool(seal))
        for village, year, month, half, submitted, signed, seal in rows
    }


def half_states(villages, year: int, month: int, half: int, due: date, reports) -> dict:
    """{village id: the half's state (rules.report_state, or "missing")} of the villages that owe
    the half's report (Village.owes_report): the others owe nothing and are left out. `reports`
    maps (village id, year, month, half) to its ReportFacts (report_facts)."""
    states = {}
    for village in villages:
        if not village.owes_report(year, month, half):
            continue
        facts = reports.get((village.pk, year, month, half))
        states[village.pk] = (
            "missing"
            if facts is None
            else rules.report_state(
                facts.submitted_at, due, signed=facts.signed, sealed=facts.sealed
            )
        )
    return states


@dataclass(frozen=True)
class PortalStatus:
    today: date
    current: HalfStatus
    overdue: list[HalfStatus] = field(default_factory=list)
    reports: list[DisputeReport] = field(default_factory=list)
    # The current half is not owed (Village.owes_report): why, to show instead of its due day.
    not_owed: str = ""

    @property
    def days_left(self) -> int:
        return (self.current.due - self.today).days


def portal_status(village, today: date) -> PortalStatus:
    """What the secretary's portal shows: the half being worked on with its due day, the past
    halves of this year whose due day has passed with no report or a late one (or only a
    draft), and the year's reports. Only halves the village owed count as overdue: none from
    before it was set up or after it was merged away (Village.owes_report)."""
    days_for = deadlines.days_for(village.township_id)
    year, month, half = periods.half_of(today, days_for(today.year))
    years = {today.year, year}
    reports = list(
        DisputeReport.objects.filter(village=village, year__in=years)
        .prefetch_related("disputes")
        .order_by("-year", "-month", "-half")
    )
    for report in reports:
        report.use_report_days(days_for(report.year))
    by_half = {(r.year, r.month, r.half): r for r in reports}
    current = HalfStatus(
        year,
        month,
        half,
        periods.report_due_date(year, month, half, days_for(year)),
        by_half.get((year, month, half)),
    )
    past = periods.halves_due(date(today.year, 1, 1), today - timedelta(days=1), days_for)
    overdue = [
        status
        for y, m, h, due in past
        for status in [HalfStatus(y, m, h, due, by_half.get((y, m, h)))]
        if status.state in ("missing", "draft", "late") and village.owes_report(y, m, h)
    ]
    return PortalStatus(
        today=today,
        current=current,
        overdue=overdue,
        reports=reports,
        not_owed=not_owed_notice(village, year, month, half),
    )


def not_owed_notice(village, year: int, month: int, half: int) -> str:
    """Why the village owes no report for the half (Village.owes_report), or "" when it owes one:
    merged away or no longer assessed, or not assessed yet."""
    if village.owes_report(year, month, half):
        return ""
    if not village.is_active:
        return gettext("本村(居)不参加考核,无需报送排查报告。")
    until = village.active_until
    if until is not None and until < periods.month_end(year, month):
        day = date_format(until + timedelta(days=1), "DATE_FORMAT")
        if village.merged_into_id:
            return gettext(
                "本村(居)自 %(day)s 起不再参加考核(已并入%(into)s),无需报送排查报告。"
            ) % {"day": day, "into": village.merged_into}
        return gettext("本村(居)自 %(day)s 起不再参加考核,无需报送排查报告。") % {"day": day}
    start = date_format(village.active_from, "DATE_FORMAT") if village.active_from else ""
    return gettext("本村(居)自 %(day)s 起参加考核,此前各期无需报送排查报告。") % {"day": start}


def uncovered_petitions(village_ids) -> list[Petition]:
    """Petitions (every level from the township up) of these villages that have no candidate yet
    and that no dispute of the village's ledger found on or before the petition's date covers:
    no petitioner is a party to it and the matters do not match (rules.matter_matches)."""
    petitions = list(
        Petition.objects.filter(village_id__in=list(village_ids), unreported_candidate__isnull=True)
        .prefetch_related("petitioners")
        .order_by("date", "pk")
    )
    ledger = ledger_for(village_ids)
    return [p for p in petitions if not covered(p, ledger[p.village_id])]


def ledger_for(village_ids) -> dict[int, list[tuple[date, str, str]]]:
    ledger: dict[int, list[tuple[date, str, str]]] = defaultdict(list)
    rows = Dispute.objects.filter(village_id__in=list(village_ids)).values_list(
        "village_id", "found_date", "parties", "matter"
    )
    for village_id, found, parties, matter in rows:
        ledger[village_id].append((found, parties, matter))
    return ledger


def covered(petition: Petition, disputes: list[tuple[date, str, str]]) -> bool:
    names = [p.name for p in petition.petitioners.all()]
    return any(
        found <= petition.date
        and rules.petition_matches_dispute(names, petition.matter, parties, matter)
        for found, parties, matter in disputes
    )


def levels_by_month(township_ids, year: int, months=None) -> dict[int, dict[str, list[int]]]:
    """{township id: {level: [petitions of month 1, ..., month 12]}} of a year, for every level
    (Level.values), a township with none all zeros: one query for all the townships."""
    counts = {t: {level: [0] * 12 for level in Level.values} for t in township_ids}
    rows = Petition.objects.filter(village__township_id__in=list(counts), date__year=year)
    if months is not None:
        rows = rows.filter(date__month__in=list(months))
    rows = (
        rows.annotate(m=ExtractMonth("date"))
        .order_by()
        .values("village__township_id", "m", "level")
        .annotate(n=Count("id"))
    )
    for row in rows:
        by_level = counts[row["village__township_id"]]
        if row["level"] in by_level:
            by_level[row["level"]][row["m"] - 1] = row["n"]
    return counts
