"""Periods' one state machine, and the guards record services call before writing.

The states and the moves between them, as a table (like cases/services.py's `ALLOWED_FROM`):

    action    from         to                               also required
    publish   进行中 open   已公示 published (time recorded)  the month has ended: its last
                                                            day is before today
    close     已公示        已关闭 closed                    the contest window is over (today
                                                            is after the fifth working day
                                                            after publishing) AND no contest
                                                            of the month is still pending
    reopen    已关闭        已公示 if it had been published   a reason (kept in the history)
                            (its publish time kept), else
                            进行中 (a month closed before this
                            machine existed, never published)

Every other (state, action) pair is refused with a message naming the month and its state.

Decisions:
- Closing waits for the contest window even when no contest was filed: an empty contest list
  on the second day only means the villages have not had their five working days yet, and
  closing then would take that right away. Pending contests must be decided as well (a contest
  filed on the window's last day may still be open after it).
- A month published with no publish time (only rows written before this machine) has no window
  to wait for: it may be closed once its contests are decided.
- Reopening never invents a state: a month returns to 已公示 only when it has a publish time,
  so it never shows 已公示 without one, and secretaries see it again only if it had been
  published. Its contest window is not opened again (the villages had it); the admin may close
  it again at once.
- Recomputing is not a move: it is allowed in every state and does nothing to a closed month.

`refusal()` and `target()` are plain functions over `PeriodFacts` (plain data); the services
build the facts under the month's lock and call them, the pages and the API only show their
answers.
"""

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.labels import year_month
from core.periods import month_end

from .models import Period
from .models import PeriodState
from .models.periods import PeriodAction
from .models.periods import action_label

PUBLISH, CLOSE, REOPEN = PeriodAction.PUBLISH, PeriodAction.CLOSE, PeriodAction.REOPEN
ACTIONS = (PUBLISH, CLOSE, REOPEN)
ACTION_LABELS = {action: action.label for action in PeriodAction}

ALLOWED_FROM = {
    PUBLISH: (PeriodState.OPEN,),
    CLOSE: (PeriodState.PUBLISHED,),
    REOPEN: (PeriodState.CLOSED,),
}


@dataclass(frozen=True)
class PeriodFacts:
    """What the rules read about a month, as plain data."""

    year: int
    month: int
    state: str = PeriodState.OPEN
    published_at: datetime | None = None
    contest_deadline: date | None = None  # the window's last day; None when never published
    pending_contests: int = 0

    @property
    def name(self) -> str:
        return year_month(self.year, self.month)

    @property
    def last_day(self) -> date:
        return month_end(self.year, self.month)


class PeriodTransitionError(ValidationError):
    """A move the table refuses; the API answers it with 409."""


def target(action: str, facts: PeriodFacts) -> str:
    """The state the move leads to."""
    if action == REOPEN:
        return PeriodState.PUBLISHED if facts.published_at is not None else PeriodState.OPEN
    return {PUBLISH: PeriodState.PUBLISHED, CLOSE: PeriodState.CLOSED}[action]


def refusal(action: str, facts: PeriodFacts, today: date) -> str | None:
    """Why the move is refused now, for people; None when it is allowed."""
    if facts.state not in ALLOWED_FROM[action]:
        return _("%(period)s 当前状态为「%(state)s」,不能%(action)s。") % {
            "period": facts.name,
            "state": PeriodState(facts.state).label,
            "action": action_label(action),
        }
    if action == PUBLISH and not facts.last_day < today:
        return _("%(period)s 尚未结束,%(day)s 之后才能公示。") % {
            "period": facts.name,
            "day": facts.last_day.isoformat(),
        }
    if action == CLOSE:
        if facts.contest_deadline is not None and today <= facts.contest_deadline:
            return _("%(period)s 的申诉期至 %(day)s 结束,申诉期过后才能关闭。") % {
                "period": facts.name,
                "day": facts.contest_deadline.isoformat(),
            }
        if facts.pending_contests:
            return _("%(period)s 还有 %(n)d 条申诉未处理,请先处理再关闭。") % {
                "period": facts.name,
                "n": facts.pending_contests,
            }
    return None


def allowed(facts: PeriodFacts, today: date) -> list[str]:
    """The moves allowed now, in the table's order (the buttons the periods page shows)."""
    return [action for action in ACTIONS if refusal(action, facts, today) is None]


def check(action: str, facts: PeriodFacts, today: date) -> str:
    """The state the move leads to, or PeriodTransitionError saying why not."""
    reason = refusal(action, facts, today)
    if reason is not None:
        raise PeriodTransitionError(reason, code="period_transition")
    return target(action, facts)


def consequence(action: str, facts: PeriodFacts, *, deadline: date | None = None) -> str:
    """What the move will do, said on its confirmation page. `deadline`: for publishing, the
    last day of the contest window it opens."""
    name = facts.name
    if action == PUBLISH:
        return _(
            "公示 %(period)s:按当前记录重新计算该月评分并向各村(居)公开。公示后5个工作日内"
            "(至 %(day)s)村(居)可对扣分提出申诉;申诉期过后、申诉处理完毕才能关闭。"
        ) % {"period": name, "day": deadline.isoformat() if deadline else "—"}
    if action == CLOSE:
        return _(
            "关闭 %(period)s:评分定稿并冻结,该月记录不能再修改,所用考核细则版本将被锁定。"
            "如需修改,须由管理员填写原因重新开启。"
        ) % {"period": name}
    state = PeriodState(target(REOPEN, facts)).label
    return _(
        "重新开启 %(period)s:该月记录可以再修改并重新计分,月份回到「%(state)s」"
        "(已有的公示时间保留)。须填写原因,记入操作记录。"
    ) % {"period": name, "state": state}


class PeriodClosedError(ValidationError):
    """A write into a closed month; the API answers it with 409."""


def closed_months(township_id: int, days) -> list[Period]:
    months = {(d.year, d.month) for d in days if d is not None}
    if not months:
        return []
    closed = Period.objects.filter(township_id=township_id, state=PeriodState.CLOSED)
    return [
        p for p in closed.filter(year__in={y for y, _ in months}) if (p.year, p.month) in months
    ]


def closed_months_of(by_township: Mapping[int, Iterable[date]]) -> set[tuple[int, int, int]]:
    """(township id, year, month) of the closed months among each township's days, in one
    query: closed_months for many townships (a district's import), where one query each would
    grow with the district."""
    wanted = {(t, d.year, d.month) for t, days in by_township.items() for d in days if d}
    if not wanted:
        return set()
    closed = Period.objects.filter(
        township_id__in={t for t, _y, _m in wanted},
        year__in={y for _t, y, _m in wanted},
        state=PeriodState.CLOSED,
    ).values_list("township_id", "year", "month")
    return {key for key in closed if key in wanted}


def ensure_open(township_id: int, *days: date) -> None:
    """Refuse a change that touches a closed month, naming the month (docs/rubric.md "Periods")."""
    closed = closed_months(township_id, days)
    if closed:
        names = "、".join(str(p) for p in closed)
        raise PeriodClosedError(
            _("%(period)s 的考核已关闭,该月记录不能修改;如需修改请先由管理员重新开启该月。")
            % {"period": names},
            code="period_closed",
        )
