"""Plain rules of the 综治中心 work: no database, no Django models; tested on plain values.

Models' clean() and the selectors call these, so a rule is written once.
"""

import random
import re
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import date
from datetime import timedelta

from core.periods import holds_on
from core.periods import month_end
from core.periods import month_ends_between

# 评分表 四.4: 每周不少于3次.  The rubric holds the scoring figure; this drives the week view.
PATROLS_PER_WEEK = 3

# 评分表 四.6: 每季度随机抽取10-20户固定电话户.
SAMPLE_MIN = 10
SAMPLE_MAX = 20

_PHONE_SEPARATORS = re.compile(r"[\s\-()()—]+")
_PHONE_DIGITS = re.compile(r"^\d{7,12}$")


def is_active(start: date | None, end: date | None, day: date) -> bool:
    """Active on `day`: started on or before it and `end`, its last day, not before it
    (core.spans: both days included, as every register)."""
    return holds_on(start, end, day)


def standing_dates(start: date | None, last_day: date | None, today: date) -> list[date]:
    """The days a standing entry counts on: its start, and each month's end it is read at.

    A standing item (a register entry, the latest inspection) is read at every month's end
    from its start to `last_day` (included: the entry's own last day, or the day before the
    entry that supersedes it), and no later than the current month, which is the last one
    scored. Edits guard and mark these months.
    """
    if start is None:
        return []
    last = month_end(today.year, today.month)
    if last_day is not None:
        last = min(last, last_day)
    return sorted({start, *month_ends_between(start, last)})


def changed_dates(old: Iterable[date], new: Iterable[date]) -> list[date]:
    """The days whose state an edit of a standing entry changes: those it gains or loses.

    An edit that moves no date (a name, a note) changes no month, so an entry that began in a
    closed month stays editable; moving a date guards and marks exactly the months it moves.
    """
    return sorted(set(old) ^ set(new))


def weeks_of_month(year: int, month: int) -> list[tuple[date, date]]:
    """The ISO weeks (Monday, Sunday) that belong to a month: those whose Thursday lies in it.

    评分表 四.4 counts patrols per week; docs/rubric.md decides a week belongs to the month holding
    its Thursday, so a week is never counted twice and April 2026 has Mar 30-Apr 5 ... Apr 27-May 3.
    """
    first = date(year, month, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    weeks = []
    while thursday.month == month:
        monday = thursday - timedelta(days=3)
        weeks.append((monday, monday + timedelta(days=6)))
        thursday += timedelta(days=7)
    return weeks


def missing_patrols(count: int, per_week: int = PATROLS_PER_WEEK) -> int:
    return max(per_week - count, 0)


# The week grid (issue 13.3): at most this many patrols of a village on one day.
MAX_PATROLS_PER_DAY = 9


def week_days(day: date) -> list[date]:
    """The seven days (Monday to Sunday) of the ISO week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(7)]


def patrols_to_add(existing: int, wanted: int | None) -> int | None:
    """A cell of the week grid says how many patrols a village had that day: the patrols to
    create to reach it (0 when left as it was or blank). None when it asks for fewer than are
    recorded: the grid only adds; a patrol is removed from its own page, with a reason."""
    if wanted is None:
        return 0
    if wanted < existing:
        return None
    return wanted - existing


def normalise_phone(value: str) -> str:
    """A landline as digits only: spaces, hyphens and brackets dropped (0571-8888 6666)."""
    return _PHONE_SEPARATORS.sub("", value or "")


def is_valid_phone(value: str) -> bool:
    """7 to 12 digits: a local number, or one with its area code."""
    return bool(_PHONE_DIGITS.match(normalise_phone(value)))


def required_groups(along_railway: bool, kinds: Sequence[str], railway_kinds) -> list[str]:
    """评分表 四.5: the groups a village must have; the railway group only along a railway."""
    return [k for k in kinds if along_railway or k not in railway_kinds]


def covered_categories(
    day: date,
    *,
    active: Iterable[str],
    registrations: Iterable[tuple[str, date]],
    zero_reports: Iterable[tuple[str, date]],
) -> frozenset[str]:
    """评分表 四.2: the special-person categories 'registered or declared empty' at `day`.

    `active` are the categories with a person on the register at `day`;
    `registrations` every (category, registered date); `zero_reports` every (category, date).

    Decision (the document is silent on how long a 零报告 holds): a zero report covers the day
    it is dated and every later day of the same calendar year, until a person of that category
    is registered on or after its date. From then on the register speaks for the category; if
    that person is removed again, the village must file a new zero report.
    """
    covered = set(active)
    registered = list(registrations)
    for category, reported_on in zero_reports:
        if category in covered or reported_on > day or reported_on.year != day.year:
            continue
        if any(c == category and reported_on <= r <= day for c, r in registered):
            continue
        covered.add(category)
    return frozenset(covered)


def draw_sample(population: Iterable[int], size: int, seed: int) -> list[int]:
    """评分表 四.6: a random sample of household ids, reproducible from (population, seed).

    The population is sorted first so the same ids and seed give the same draw whatever order
    they were read in; the result keeps the order of drawing.
    """
    return random.Random(seed).sample(sorted(population), size)


def new_seed() -> int:
    """A fresh seed, stored with the survey so its draw can be shown and repeated."""
    return random.SystemRandom().randrange(1, 2**31)
