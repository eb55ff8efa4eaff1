"""Pure aggregation: facts -> a month's sheet; sheets -> quarters and years; vetoes and ranks.

docs/rubric.md "Items", "Vetoes" and "Periods". Decisions where the document is silent:
- An item's deductions stop at its points (扣完为止), applied line by line in the rules'
  order (by date), so the line that crosses zero is cut and later ones count 0; each cut line
  keeps its raw figure. Sections cannot go below 0 because their items cannot. The total is
  not floored: adjustments are outside the 100 and the lines must add up to it.
- A quarter is the mean of its monthly totals, a year the mean of twelve (``monthly_mean``), or
  one sheet over the year's records (``whole_year``). A month with no sheet is left out of the
  mean, which is taken over the months that exist and flagged provisional. Means are rounded
  half-up to ``settings.mean_places`` places.
- Vetoes zero the annual score only; quarters show the vetoes of their months but keep their
  mean, since the document vetoes "当年工作".
- Last place (奖惩 4): taken on the annual scores after the cause vetoes; every village at the
  lowest score is hit (ties share it), so a village vetoed for a cause that is last is the last
  place and no second village is hit. When every village has the same score there is no last
  place.
- A line waived by an accepted contest (申诉) counts 0 but stays on the sheet, marked, so the
  sheet still tells what the rule found (services.compute_month passes ``waived``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from collections.abc import Hashable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import TypeVar

from assessment.scoring import rules
from assessment.scoring.reasons import Reason
from assessment.scoring.reasons import YearMonth
from assessment.scoring.reasons import gettext_noop
from assessment.scoring.types import AGGREGATION_WHOLE_YEAR
from assessment.scoring.types import AGGREGATIONS
from assessment.scoring.types import ATTENDANCE_ABSENT
from assessment.scoring.types import ATTENDANCE_LATE
from assessment.scoring.types import COMMEND_LEVELS
from assessment.scoring.types import LEVELS
from assessment.scoring.types import NATURES
from assessment.scoring.types import VETO_LAST_PLACE
from assessment.scoring.types import AssignedCase
from assessment.scoring.types import Attendance
from assessment.scoring.types import Commendation
from assessment.scoring.types import DisputeReport
from assessment.scoring.types import Event
from assessment.scoring.types import Inspection
from assessment.scoring.types import ItemScore
from assessment.scoring.types import ItemSpec
from assessment.scoring.types import Line
from assessment.scoring.types import PeriodScore
from assessment.scoring.types import Petition
from assessment.scoring.types import RecordRef
from assessment.scoring.types import ResolvedDispute
from assessment.scoring.types import Rubric
from assessment.scoring.types import SectionScore
from assessment.scoring.types import Sheet
from assessment.scoring.types import Survey
from assessment.scoring.types import Veto
from assessment.scoring.types import VillageFacts
from core import periods

K = TypeVar("K", bound=Hashable)
ZERO = Decimal(0)
NO_RAW = -sum((), ZERO)  # Decimal("-0"): an item's raw deduction when it has no line


# --- One village, one period ---------------------------------------------------------------


def _cut_note(applied: Decimal) -> Reason:
    if applied == 0:
        return Reason(gettext_noop(",扣完为止,不再扣分"))
    return Reason(gettext_noop(",扣完为止,实扣%(points)s分"), points=rules.fmt(abs(applied)))


def cap_item(item: ItemSpec, lines: Iterable[Line]) -> tuple[list[Line], Decimal]:
    """Keep the item's score within 0 and its points, cutting the lines that cross a bound."""
    score = item.points
    kept = []
    for line in lines:
        after = min(max(score + line.points, ZERO), item.points)
        applied = after - score
        if applied == line.points:
            kept.append(line)
        else:
            note = line.reason + _cut_note(applied)
            kept.append(
                dataclasses.replace(line, points=applied, reason=note, raw_points=line.points)
            )
        score = after
    return kept, score


# An accepted contest (申诉) names a line by its item and the records it cites, or, for a line
# that cites no record (a missing meeting, a missing group), by its item and its reason.
Waiver = tuple
WAIVED_NOTE = Reason(gettext_noop(",经申诉核减"))


def waiver_of(line: Line) -> Waiver:
    refs = tuple((ref.kind, ref.id) for ref in line.refs)
    return (line.item_code, refs) if refs else (line.item_code, (), line.reason)


def waive(lines: Iterable[Line], waived: frozenset[Waiver]) -> list[Line]:
    """Set to 0 the lines an accepted contest waived, keeping them visible with their figure.

    Decision: lines are matched on (item, records); lines that cite no record on (item, reason),
    so contesting one missing group does not waive the others.
    """
    if not waived:  # nearly every sheet: no line to match
        return list(lines)
    return [
        dataclasses.replace(
            line,
            points=ZERO,
            raw_points=line.uncapped,
            reason=line.reason + WAIVED_NOTE,
            waived=True,
        )
        if waiver_of(line) in waived
        else line
        for line in lines
    ]


def _unique(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(texts))


def _pending(rubric: Rubric, facts: VillageFacts) -> tuple[str, ...]:
    specs = (*rubric.items, *rubric.adjustments)
    return _unique(
        reason
        for spec in specs
        if spec.kind in rules.PENDING_RULES
        for reason in rules.PENDING_RULES[spec.kind](spec, facts)
    )


def score_village(
    rubric: Rubric, facts: VillageFacts, *, waived: frozenset[Waiver] = frozenset()
) -> Sheet:
    """The sheet of one village for the facts' period (a month, or a year for ``whole_year``).

    ``waived`` names the lines of accepted contests, which count 0 (see ``waive``).
    """
    lines: list[Line] = []
    items = []
    for item in rubric.items:
        found = rules.ITEM_RULES[item.kind](item, facts)
        if not found:
            # Most items of most sheets: no line, the full points, and the raw deduction the
            # sum below gives for no line (-0, as stored).
            items.append(
                ItemScore(item.code, item.section, item.title, item.points, item.points, NO_RAW)
            )
            continue
        kept, score = cap_item(item, waive(found, waived))
        raw = -sum((line.uncapped for line in kept if not line.waived), ZERO)
        items.append(ItemScore(item.code, item.section, item.title, item.points, score, raw))
        lines += kept
    # Each section's items summed in one pass over the items, in their order.
    by_section = {section.code: ZERO for section in rubric.sections}
    for i in items:
        if i.section in by_section:
            by_section[i.section] += i.score
    sections = tuple(
        SectionScore(section.code, section.title, section.points, by_section[section.code])
        for section in rubric.sections
    )
    adjustments = waive(
        (
            line
            for adj in rubric.adjustments
            for line in rules.ADJUSTMENT_RULES[adj.kind](adj, facts)
        ),
        waived,
    )
    vetoes = tuple(
        veto for spec in rubric.vetoes for veto in rules.VETO_RULES[spec.kind](spec, facts)
    )
    return Sheet(
        village_id=facts.village_id,
        rubric_code=rubric.code,
        period_start=facts.period_start,
        period_end=facts.period_end,
        total=sum((s.score for s in sections), ZERO) + sum((a.points for a in adjustments), ZERO),
        sections=sections,
        items=tuple(items),
        lines=tuple(lines + adjustments),
        vetoes=vetoes,
        provisional_reasons=_pending(rubric, facts),
    )


# --- Quarters and years --------------------------------------------------------------------


def _mean(rubric: Rubric, values: Sequence[Decimal]) -> Decimal:
    exact = sum(values, ZERO) / len(values)
    return exact.quantize(Decimal(1).scaleb(-rubric.settings.mean_places), ROUND_HALF_UP)


def _monthly_sheets(
    village_id: int, months: Sequence[tuple[int, int]], sheets: Iterable[Sheet]
) -> dict[tuple[int, int], Sheet]:
    found: dict[tuple[int, int], Sheet] = {}
    for sheet in sheets:
        key = (sheet.period_start.year, sheet.period_start.month)
        monthly = sheet.period_start.day == 1 and sheet.period_end == periods.month_end(*key)
        if sheet.village_id != village_id or not monthly or key not in months or key in found:
            raise ValueError(f"sheet {sheet.period_start}..{sheet.period_end} does not fit")
        found[key] = sheet
    if not found:
        raise ValueError("no monthly sheet to aggregate")
    return found


def _mean_of_months(
    rubric: Rubric,
    village_id: int,
    start: date,
    end: date,
    sheets: Iterable[Sheet],
    expected: Collection[tuple[int, int]] | None = None,
) -> PeriodScore:
    """The mean of the months' totals. A month without its sheet makes the result provisional,
    unless `expected` (the months the village is assessed in, villages.rules.assessed_in) leaves
    it out: a village set up or merged away mid-year is averaged over its own months."""
    months = rules.months_in(start, end)
    found = _monthly_sheets(village_id, months, sheets)
    missing = [
        Reason(
            gettext_noop("缺少%(month)s评分表,按已有%(count)s个月平均"),
            month=YearMonth(y, m),
            count=len(found),
        )
        for y, m in months
        if (y, m) not in found and (expected is None or (y, m) in expected)
    ]
    carried = [
        Reason(gettext_noop("%(month)s:%(reason)s"), month=YearMonth(y, m), reason=reason)
        for (y, m), s in found.items()
        for reason in s.provisional_reasons
    ]
    ordered = [found[key] for key in months if key in found]
    computed = _mean(rubric, [sheet.total for sheet in ordered])
    return PeriodScore(
        village_id=village_id,
        period_start=start,
        period_end=end,
        score=computed,
        computed=computed,
        months=tuple(sheet.period_start for sheet in ordered),
        vetoes=tuple(veto for sheet in ordered for veto in sheet.vetoes),
        provisional_reasons=_unique([*missing, *carried]),
    )


def quarter_score(
    rubric: Rubric,
    village_id: int,
    year: int,
    quarter: int,
    sheets: Iterable[Sheet],
    expected: Collection[tuple[int, int]] | None = None,
) -> PeriodScore:
    """季兑现: the mean of the quarter's monthly totals; vetoes are shown, not applied."""
    start, end = periods.quarter_bounds(year, quarter)
    return _mean_of_months(rubric, village_id, start, end, sheets, expected)


def _whole_year(village_id: int, year: int, sheets: Iterable[Sheet]) -> PeriodScore:
    (sheet,) = sheets
    if (sheet.village_id, sheet.period_start, sheet.period_end) != (
        village_id,
        date(year, 1, 1),
        date(year, 12, 31),
    ):
        raise ValueError("whole_year needs one sheet over the whole year")
    return PeriodScore(
        village_id=village_id,
        period_start=sheet.period_start,
        period_end=sheet.period_end,
        score=sheet.total,
        computed=sheet.total,
        months=(),
        vetoes=sheet.vetoes,
        provisional_reasons=sheet.provisional_reasons,
    )


def annual_score(
    rubric: Rubric,
    village_id: int,
    year: int,
    sheets: Iterable[Sheet],
    expected: Collection[tuple[int, int]] | None = None,
) -> PeriodScore:
    """年终综合考核 before ranking: the year's score, set to 0 by a cause veto.

    ``sheets`` are the year's monthly sheets (``monthly_mean``) or the single sheet scored over
    the year's facts (``whole_year``).
    """
    if rubric.settings.aggregation == AGGREGATION_WHOLE_YEAR:
        result = _whole_year(village_id, year, sheets)
    else:
        start, end = date(year, 1, 1), date(year, 12, 31)
        result = _mean_of_months(rubric, village_id, start, end, sheets, expected)
    return dataclasses.replace(result, score=ZERO) if result.vetoes else result


LAST_PLACE_REASON = "年度综合排名最后一名,一票否决(并在大会表态发言)"


def apply_last_place_veto(rubric: Rubric, annual: Mapping[K, PeriodScore]) -> dict[K, PeriodScore]:
    """实施方案 奖惩 4: 对综合排名最后一名的村实行一票否决, on the scores after cause vetoes."""
    scores = {key: result.score for key, result in annual.items()}
    if not rubric.settings.last_place_veto or len(set(scores.values())) < 2:
        return dict(annual)
    lowest = min(scores.values())
    veto = Veto(VETO_LAST_PLACE, LAST_PLACE_REASON)
    return {
        key: dataclasses.replace(result, score=ZERO, vetoes=(*result.vetoes, veto))
        if scores[key] == lowest
        else result
        for key, result in annual.items()
    }


def score_year(
    rubric: Rubric,
    year: int,
    sheets_by_village: Mapping[int, Iterable[Sheet]],
    expected_by_village: Mapping[int, Collection[tuple[int, int]]] | None = None,
) -> dict[int, PeriodScore]:
    """Every village's annual score with all vetoes applied, ready for ``rank``.

    `expected_by_village`: the months each village is assessed in (villages.selectors
    .assessed_months); a village missing from it, or None, is expected every month."""
    expected = expected_by_village or {}
    annual = {
        village_id: annual_score(rubric, village_id, year, sheets, expected.get(village_id))
        for village_id, sheets in sheets_by_village.items()
    }
    return apply_last_place_veto(rubric, annual)


def rank(scores: Mapping[K, Decimal]) -> dict[K, int]:
    """Standard competition ranking, highest first: ties share a rank (1, 2, 2, 4)."""
    first_position: dict[Decimal, int] = {}
    for position, score in enumerate(sorted(scores.values(), reverse=True), start=1):
        first_position.setdefault(score, position)
    return {key: first_position[score] for key, score in scores.items()}


# --- Validation of an edited rubric --------------------------------------------------------


def _probe_facts(as_of: date | None) -> VillageFacts:
    """A month touching every rule and every params key, to dry-run an edited rubric."""
    day = date(2026, 4, 10)

    def ref(n: int) -> RecordRef:
        return RecordRef("probe", n)

    petitions = tuple(
        Petition(
            ref(0),
            day,
            level,
            nature,
            collective=collective,
            person_count=2,
            stabilised_in_time=False,
            carried_village_opinion=False,
            petitioner_key="p",
        )
        for level in LEVELS
        for nature in NATURES
        for collective in (False, True)
    )
    event = (Event(ref(1), day),)
    return VillageFacts(
        village_id=0,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 4, 30),
        as_of=as_of,
        is_railway=True,
        petitions=petitions,
        case_rejections=event,
        assigned_cases=(AssignedCase(ref(2), day),),
        dispute_reports=(DisputeReport(ref(3), 2026, 4, 1, day, signed=False),),
        unreported_disputes=event,
        resolved_disputes=(ResolvedDispute(ref(4), day),),
        backlog_relapses=event,
        backlog_resolutions=event,
        inspection=Inspection(ref(5), day, False, False, False, False, frozenset()),
        surveys=(Survey(ref(6), day, 1),),
        dossiers_accepted=event,
        checkpoint_equipped=ref(7),
        cctv_lighting=ref(8),
        commendations=tuple(Commendation(ref(9), day, level) for level in COMMEND_LEVELS),
        township_meeting_attendance=(
            Attendance(ref(10), day, ATTENDANCE_LATE),
            Attendance(ref(11), day, ATTENDANCE_ABSENT),
        ),
        sanctions=event,
    )


def _structure_errors(rubric: Rubric) -> list[str]:
    errors = []
    for label, codes in (
        ("section", [s.code for s in rubric.sections]),
        ("item", [i.code for i in rubric.items]),
        ("adjustment", [a.code for a in rubric.adjustments]),
        ("veto", [v.code for v in rubric.vetoes]),
    ):
        errors += [f"duplicate {label} code {c}" for c in sorted(set(codes)) if codes.count(c) > 1]
    for section in rubric.sections:
        worth = sum((i.points for i in rubric.items if i.section == section.code), ZERO)
        if worth != section.points:
            errors.append(f"section {section.code} is worth {section.points}, its items {worth}")
    known_sections = {s.code for s in rubric.sections}
    errors += [
        f"item {i.code} has no section {i.section}"
        for i in rubric.items
        if i.section not in known_sections
    ]
    errors += [f"item {i.code} has points {i.points}" for i in rubric.items if i.points <= 0]
    for specs, registry in (
        (rubric.items, rules.ITEM_RULES),
        (rubric.adjustments, rules.ADJUSTMENT_RULES),
        (rubric.vetoes, rules.VETO_RULES),
    ):
        errors += [f"{s.code}: unknown kind {s.kind}" for s in specs if s.kind not in registry]
    if rubric.settings.aggregation not in AGGREGATIONS:
        errors.append(f"unknown aggregation {rubric.settings.aggregation}")
    return errors


def validate_rubric(rubric: Rubric) -> list[str]:
    """What stops the engine from scoring this rubric; empty when it can.

    Beyond the structure, every rule is dry-run on probe facts, closed and open (so the pending
    rules run too), so a missing or mistyped figure in an admin's copy is caught before it is
    stored.
    """
    errors = _structure_errors(rubric)
    if errors:
        return errors
    probes = (_probe_facts(None), _probe_facts(date(2026, 4, 20)))
    for specs, registry in (
        (rubric.items, rules.ITEM_RULES),
        (rubric.adjustments, rules.ADJUSTMENT_RULES),
        (rubric.vetoes, rules.VETO_RULES),
    ):
        for spec in specs:
            try:
                for probe in probes:
                    registry[spec.kind](spec, probe)
                    rules.PENDING_RULES.get(spec.kind, lambda *_: [])(spec, probe)
            except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
                errors.append(f"{spec.code}: params do not fit kind {spec.kind}: {exc!r}")
    return errors
