"""Reads of the district's dashboard: its townships side by side (issue 16).

Every figure is the township dashboard's own rule, read for all the townships at once by
assessment.township_figures: a closed month from the row stored when it closed, an open one from
the records; a quarter's or a year's scores from each township's stored span scores
(assessment.stored_periods), read together. So the page costs the same number of queries for 2
townships as for 50, once the span scores are stored. Templates only lay these figures out.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal

from django.utils.translation import gettext as _

from assessment import rubrics
from assessment import township_figures as figures
from assessment.selectors import month_scores_under
from assessment.selectors import span_scores_of
from core import periods
from core.periods import Span
from petitions.choices import Level
from rewards.services import risk_lines
from villages.models import District
from villages.models import Township
from villages.models import Village

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Scores:
    """The spread of a township's village scores for a span."""

    count: int
    low: Decimal | None
    median: Decimal | None
    high: Decimal | None
    mean: Decimal | None
    below: int  # under the township's risk line (rewards.services.risk_line: 80 in the document)
    vetoed: int


def scores_of(totals, vetoed: int, line: Decimal) -> Scores:
    """Scores from a span's totals (any order), how many are vetoed, and the risk line."""
    totals = sorted(Decimal(t) for t in totals)
    if not totals:
        return Scores(0, None, None, None, None, 0, vetoed)
    median = Decimal(statistics.median(totals)).quantize(TWO_PLACES, ROUND_HALF_UP)
    return Scores(
        count=len(totals),
        low=totals[0],
        median=median,
        high=totals[-1],
        mean=figures.mean_of(sum(totals, Decimal(0)), len(totals)),
        below=sum(1 for t in totals if t < line),
        vetoed=vetoed,
    )


@dataclass(frozen=True)
class Reports:
    """The screening reports owed in the span's halves whose due day has passed."""

    owed: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def rate(self) -> Decimal | None:
        """The share submitted on time, in per cent to one place (None when none was owed)."""
        if not self.owed:
            return None
        return (Decimal(100 * self.on_time) / self.owed).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class TownshipRow:
    township: Township
    version: str  # the rubric version that scores its year, as the township names it
    line: Decimal
    scores: Scores
    petitions: tuple[int, ...]  # by level, in Level's order
    reports: Reports
    overdue: int  # assigned cases open past their due date on `cases_on`
    seriously_overdue: int  # of those, ten working days or more (cases.tiers)
    cases_on: date | None
    frozen: bool  # every month counted was read from the row stored when it closed

    @property
    def petitions_total(self) -> int:
        return sum(self.petitions)

    @property
    def cases_total(self) -> int:
        return self.overdue + self.seriously_overdue


@dataclass(frozen=True)
class Group:
    district: District | None
    rows: list[TownshipRow]


@dataclass(frozen=True)
class DistrictBoard:
    span: Span
    months: list[int]  # the span's months that have begun: what the counts add up
    groups: list[Group]
    levels: list[str]  # the petition levels' names, the petitions columns' heads
    trend: dict  # the ECharts trend: each township's mean score by month of the year

    @property
    def rows(self) -> list[TownshipRow]:
        return [row for group in self.groups for row in group.rows]


def months_begun(span: Span, today: date) -> list[int]:
    """The span's months that have begun by `today` (a month to come has no records)."""
    return [m for m in span.months if date(span.year, m, 1) <= today]


def _span_scores(townships: list[Township], span: Span) -> dict[int, tuple[list, int]]:
    """{township: (totals, vetoed)} of a quarter's or a year's scores of its assessed villages,
    as its ranking reads them (assessment.stored_periods: stored once, read together)."""
    ids = [t.pk for t in townships]
    assessed = set(
        Village.objects.filter(township_id__in=ids, is_active=True).values_list("pk", flat=True)
    )
    found = {}
    for township_id, scores in span_scores_of(ids, span).items():
        ranked = [s for pk, s in scores.items() if pk in assessed]
        found[township_id] = ([s.score for s in ranked], sum(1 for s in ranked if s.vetoes))
    return found


def _trend(townships: list[Township], year: int, today: date, lines: dict) -> dict:
    """Each township's mean month total, by month of the year so far (a line per township)."""
    months = months_begun(Span(year), today)
    means = figures.means([t.pk for t in townships], year, months)
    last = max((m for _t, m in means), default=0)
    shown = list(range(1, last + 1))
    threshold = set(lines.values())
    return {
        "months": [_("%(m)d月") % {"m": m} for m in shown],
        # One dashed line when every township shares its risk line (they usually do).
        "threshold": float(next(iter(threshold))) if len(threshold) == 1 else None,
        "series": [
            {
                "name": t.name,
                "data": [float(means[(t.pk, m)]) if (t.pk, m) in means else None for m in shown],
            }
            for t in townships
        ],
    }


def _groups(rows: list[TownshipRow]) -> list[Group]:
    """The rows grouped by district (a superuser's page; a district user's has one group)."""
    groups: dict[int | None, list[TownshipRow]] = defaultdict(list)
    for row in rows:
        groups[row.township.district_id].append(row)
    districts = {row.township.district_id: row.township.district for row in rows}
    order = sorted(groups, key=lambda pk: (pk is None, districts[pk].name if pk else ""))
    return [Group(districts[pk], groups[pk]) for pk in order]


def district_board(townships, span: Span, today: date) -> DistrictBoard:
    """The townships side by side for the span (townships: with their district selected)."""
    townships = list(townships)
    ids = [t.pk for t in townships]
    months = months_begun(span, today)
    found, frozen = figures.figures(ids, span.year, months, today)
    versions = rubrics.versions_for_year(ids, span.year)
    lines = risk_lines(ids, span.year)
    span_scores = _span_scores(townships, span) if span.kind != periods.MONTH else {}
    rows = []
    for t in townships:
        of_months = [found[(t.pk, m)] for m in months]
        if span.kind == periods.MONTH:
            scored = of_months[0][figures.SCORES] if of_months else {"totals": [], "vetoed": 0}
            totals, vetoed = scored["totals"], scored["vetoed"]
        else:
            totals, vetoed = span_scores[t.pk]
        reports = [f[figures.REPORTS] for f in of_months]
        # Cases open and overdue at the span's end (or today): the last month begun.
        cases = of_months[-1][figures.CASES] if of_months else None
        rows.append(
            TownshipRow(
                township=t,
                version=rubrics.version_title(versions[t.pk].name, t.name),
                line=lines[t.pk],
                scores=scores_of(totals, vetoed, lines[t.pk]),
                petitions=tuple(
                    sum(f[figures.PETITIONS].get(level, 0) for f in of_months)
                    for level in Level.values
                ),
                reports=Reports(
                    **{
                        k: sum(r[k] for r in reports)
                        for k in ("owed", "on_time", "late", "missing")
                    }
                ),
                overdue=cases["overdue"] if cases else 0,
                seriously_overdue=cases["seriously_overdue"] if cases else 0,
                cases_on=date.fromisoformat(cases["as_of"]) if cases else None,
                frozen=bool(months) and all((t.pk, m) in frozen for m in months),
            )
        )
    return DistrictBoard(
        span=span,
        months=months,
        groups=_groups(rows),
        levels=[str(label) for _value, label in Level.choices],
        trend=_trend(townships, span.year, today, lines),
    )


@dataclass(frozen=True)
class FairRow:
    township: Township
    version: str  # the township's own version for the year
    own: Scores  # its stored scores of the month, under its own version
    under: Scores  # the same month scored under the chosen version


def fair_comparison(townships, version, year: int, month: int, today: date) -> list[FairRow]:
    """Every township's month scored under one version (in memory, nothing stored), beside its
    stored scores under its own: one month, so the cost stays that of scoring one month of
    each township."""
    townships = list(townships)
    ids = [t.pk for t in townships]
    lines = risk_lines(ids, year)
    versions = rubrics.versions_for_year(ids, year)
    own, _frozen = figures.figures(ids, year, [month], today, parts=(figures.SCORES,))
    under = month_scores_under(ids, year, month, version)
    return [
        FairRow(
            township=t,
            version=rubrics.version_title(versions[t.pk].name, t.name),
            own=scores_of(
                own[(t.pk, month)][figures.SCORES]["totals"],
                own[(t.pk, month)][figures.SCORES]["vetoed"],
                lines[t.pk],
            ),
            under=scores_of(under[t.pk]["totals"], under[t.pk]["vetoed"], lines[t.pk]),
        )
        for t in townships
    ]
