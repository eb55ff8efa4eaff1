"""The plausible window of every date a record carries (issue 12: one bad date poisons a township).

A patrol dated 9999-12-31 used to be accepted, and the recompute then overflowed; 0001-01-01 was
accepted everywhere. Every date field of every record model is classified here, and
`core.records.record_save` (which every door passes: forms, the API, imports, services) refuses a
date outside its window, at its field.

The window has two ends:

- Earliest:
  - `TOWNSHIP`, for a date that places the record in assessment months (docs/rubric.md "Evidence"):
    not before the township began in kaohe. A month before that can be neither scored nor
    settled, and a sheet written for it would make the zero-petition rule read that year as kept
    in kaohe. "Began" is 1 January of the year before the township was set up in kaohe (its first
    history row): a township starting mid-year enters its year from January, and the previous
    year is the furthest back any rule reads (the zero-petition year, the register entries a
    year starts with). An admin who keeps an earlier year assigns it a rubric version, which
    moves the start back to that year. A township without a history row falls back to `FLOOR`.
  - `FLOOR`, for a date that only tells the story and places the record in no month (a backlog
    case's listing, a role's start): 1 January 2000, the first year periods accept.
- Latest:
  - `TODAY`, for what has already happened (a patrol, a meeting, a petition, a report's
    submission): not after the township's local today (`timezone.localdate()`).
  - `AHEAD`, for a date set in advance (a due date, a time limit, the end of a register entry, a
    sensitive period planned ahead): not after 31 December of next year. kaohe works on the
    current year and settles it early in the next; nothing it scores or settles lies further
    ahead, and in December the whole next year can still be planned.

A `SYSTEM` date is set by kaohe itself at the moment of an action (`auto_now`, a service's
`timezone.now()`), never typed, and is not checked. A model or field missing from the table is
found by tests/core/test_dates.py, so a new date field cannot slip through unclassified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.rules import village_of
from villages.models import Township

from . import hooks

FLOOR = date(2000, 1, 1)


@dataclass(frozen=True)
class Window:
    """Which ends bound a date: `earliest` is "township" or "floor", `latest` "today" or "ahead"."""

    earliest: str
    latest: str


HAPPENED = Window("township", "today")  # an event counted in its month
PLANNED = Window("township", "ahead")  # set in advance, counted in its month
RECALLED = Window("floor", "today")  # happened, may predate kaohe, counted in no month
SCHEDULED = Window("floor", "ahead")  # set in advance, may predate kaohe, counted in no month
SYSTEM = None  # set by kaohe at the moment of an action: not checked

# Every DateField / DateTimeField of every record model (tests/core/test_dates.py enumerates them).
RECORD_DATES: dict[str, dict[str, Window | None]] = {
    "villages.Responsibility": {"start": SCHEDULED, "end": SCHEDULED},
    "villages.Village": {"active_from": SCHEDULED, "active_until": SCHEDULED},
    "petitions.ReceptionLog": {"date": HAPPENED},
    "petitions.Petition": {"date": HAPPENED},
    "petitions.BaobaoEntry": {"start": HAPPENED, "end": PLANNED},
    "petitions.Dispute": {"found_date": HAPPENED, "resolved_date": HAPPENED},
    "petitions.DisputeReport": {"submitted_at": HAPPENED},
    "petitions.Dossier": {
        "submitted_date": HAPPENED,
        "centre_date": HAPPENED,
        "judicial_date": HAPPENED,
    },
    "petitions.UnreportedCandidate": {"decided_at": SYSTEM, "created_at": SYSTEM},
    "cases.AssignedCase": {
        "assigned_date": HAPPENED,
        "due_date": PLANNED,  # computed from the work calendar and approved extensions
        "result_reported_date": HAPPENED,  # copied from the handler's report
        "concluded_date": HAPPENED,  # copied from the approving review
    },
    "cases.CaseHandlerReport": {"reported_date": HAPPENED},
    "cases.CaseReview": {"review_date": HAPPENED, "result_reported_date": HAPPENED},
    "cases.CaseExtension": {"requested_at": HAPPENED, "decided_at": SYSTEM},
    "cases.BacklogCase": {
        "listed_date": RECALLED,  # a backlog case is old by nature; only its resolution counts
        "time_limit": SCHEDULED,  # may have passed long ago (an overdue case) or lie ahead
        "resolved_date": HAPPENED,
    },
    "cases.BacklogRelapse": {"date": HAPPENED},
    "governance.CentreInspection": {"date": HAPPENED},
    "governance.SpecialPerson": {"registered": HAPPENED, "removed": PLANNED},
    "governance.ZeroReport": {"date": HAPPENED},
    "governance.LeadershipGroup": {"established": HAPPENED, "dissolved": PLANNED},
    "governance.Patrol": {"date": HAPPENED},
    "governance.VillageMeeting": {"date": HAPPENED},
    "governance.TownshipMeeting": {"date": HAPPENED},
    "governance.Survey": {"date": HAPPENED, "drawn_at": SYSTEM},
    "governance.AdjustmentEvent": {"date": HAPPENED},
    "governance.SensitivePeriod": {"start": PLANNED, "end": PLANNED},
    "rewards.LedgerEntry": {"computed_at": SYSTEM, "approved_at": SYSTEM, "paid_at": SYSTEM},
    "rewards.PriorYearStatus": {"stated_at": SYSTEM},
}


def as_day(value) -> date | None:
    """A DateField's value, or a DateTimeField's as the township's local date."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            return timezone.localtime(value).date()
        return value.date()
    return value


def latest_start(today: date) -> date:
    """The latest day any township can have begun on (set up this year: January of last year)."""
    return date(today.year - 1, 1, 1)


def bounds(window: Window, *, today: date, began: date) -> tuple[date, date]:
    earliest = began if window.earliest == "township" else FLOOR
    latest = today if window.latest == "today" else date(today.year + 1, 12, 31)
    return earliest, latest


MSG_BEFORE_TOWNSHIP = gettext_lazy(
    "日期不能早于 %(earliest)s(本镇在本系统考核的起始日期;如需登记更早年度的记录,"
    "请管理员为该年度指定评分细则版本)。"
)
MSG_BEFORE_FLOOR = gettext_lazy("日期不能早于 %(earliest)s。")
MSG_FUTURE = gettext_lazy("日期不能晚于今天(%(today)s):已发生的事项不能登记为将来的日期。")
MSG_TOO_FAR = gettext_lazy("日期不能晚于 %(latest)s(最多可提前安排到明年年底)。")


def problems(
    values: Mapping[str, tuple[Window, date | None]], *, today: date, began: date
) -> dict[str, str]:
    """The fields whose date lies outside its window, each with its message (a plain rule)."""
    found = {}
    for name, (window, day) in values.items():
        if day is None:
            continue
        earliest, latest = bounds(window, today=today, began=began)
        if day < earliest:
            message = MSG_BEFORE_TOWNSHIP if window.earliest == "township" else MSG_BEFORE_FLOOR
            found[name] = message % {"earliest": f"{earliest:%Y-%m-%d}"}
        elif day > latest:
            if window.latest == "today":
                found[name] = MSG_FUTURE % {"today": f"{today:%Y-%m-%d}"}
            else:
                found[name] = MSG_TOO_FAR % {"latest": f"{latest:%Y-%m-%d}"}
    return found


# --- the Django side: read an instance, find its township's start ------------------------------


def township_began(township_id: int | None) -> date:
    """1 January of the year before the township's first history row, or of the earliest year an
    admin assigned a rubric version to, whichever is earlier; `FLOOR` if neither is known."""
    if township_id is None:
        return FLOOR
    years = []
    first = Township.history.filter(id=township_id).aggregate(first=Min("history_date"))["first"]
    if first is not None:
        years.append(as_day(first).year - 1)
    kept = hooks.first_rubric_year(township_id)  # assessment's, a layer above
    if kept is not None:
        years.append(kept)
    return max(date(min(years), 1, 1), FLOOR) if years else FLOOR


def _township_id(instance) -> int | None:
    """The township a record belongs to: through its village, or its own (a township record),
    or its area (a 片长's responsibility)."""
    village = village_of(instance)
    if village is not None:
        return village.township_id
    if getattr(instance, "township_id", None):
        return instance.township_id
    area = getattr(instance, "area", None)
    return area.township_id if area is not None else None


def check_dates(instance, *, today: date | None = None) -> None:
    """Refuse a record whose dates lie outside their windows, each error at its field."""
    found = date_errors(instance, today=today)
    if found:
        raise ValidationError({name: [message] for name, message in found.items()})


def date_errors(instance, *, today: date | None = None) -> dict[str, str]:
    """The fields of `instance` whose date lies outside its window, with their messages: for a
    model's clean() to report beside its own rules (the same check record_save makes)."""
    table = RECORD_DATES.get(instance._meta.label, {})
    values = {
        name: (window, as_day(getattr(instance, name, None)))
        for name, window in table.items()
        if window is not SYSTEM
    }
    if not values:
        return {}
    today = today or timezone.localdate()
    earliest = min((d for _w, d in values.values() if d is not None), default=None)
    # Every township began on or before January of last year: only an older date needs the query.
    if earliest is not None and earliest < latest_start(today):
        began = township_began(_township_id(instance))
    else:
        began = latest_start(today)
    return problems(values, today=today, began=began)
