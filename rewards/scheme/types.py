"""Plain data of the rewards core: the scheme's figures, the facts of a period, ledger lines.

Nothing here knows Django. rewards/collect.py turns the shared facts (the scoring collect step,
the villages' roster, the cases' and governance's selectors) into the frozen dataclasses below;
the rules (rules.py) turn a scheme and facts into ``Line``s; the ledger (ledger.py) decides how
stored lines follow a recompute. The code constants are the vocabulary rewards/choices.py
builds its TextChoices from (same values); the petition words are core/vocabulary.py's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from decimal import Decimal

from assessment.scoring.types import freeze
from cases.rules import relapsed_after_resolution

ZERO = Decimal(0)
CENT = Decimal("0.01")
MAX_TEXT = 500

# Roles (villages.choices.ResponsibilityRole values).
AREA_LEADER = "area_leader"
POINT_LEADER = "point_leader"
CENTRE_STAFF = "centre_staff"
SECRETARY = "secretary"
DIRECTOR = "director"
SECURITY_DIRECTOR = "security_director"
ROLE_LABELS = {
    AREA_LEADER: "片长",
    POINT_LEADER: "驻村点长",
    CENTRE_STAFF: "综治中心包村人员",
    SECRETARY: "村(居)书记",
    DIRECTOR: "村(居)主任",
    SECURITY_DIRECTOR: "治保主任",
}

# Ledger kinds (choices.EntryKind values).
DEPOSIT = "deposit"
SETTLEMENT_RETURN = "settlement_return"
DOUBLE_RETURN = "double_return"
FORFEIT = "forfeit"
FINE = "fine"
AWARD = "award"

# Rule codes (choices.RuleCode values).
RULE_DEPOSIT = "deposit"
RULE_SETTLEMENT = "settlement"
RULE_BEIJING_FORFEIT = "beijing_forfeit"
RULE_BEIJING_REPAY = "beijing_repay"
RULE_FINE_BEIJING = "fine_beijing"
RULE_FINE_PROVINCE = "fine_province"
RULE_FINE_BACKLOG_RELAPSE = "fine_backlog_relapse"
RULE_AWARD_DOSSIER = "award_dossier"
RULE_AWARD_BACKLOG_RESOLVED = "award_backlog_resolved"
RULE_AWARD_STAFF_COMMENDED = "award_staff_commended"
RULE_AWARD_ZERO_QUARTER = "award_zero_quarter"
RULE_AWARD_SENSITIVE_PERIOD = "award_sensitive_period"
RULE_AWARD_ZERO_YEAR = "award_zero_year"
RULE_AWARD_TOP_THREE = "award_top_three"

# Statuses (choices.EntryStatus values).
COMPUTED = "computed"
APPROVED = "approved"
PAID = "paid"
FIXED_STATUSES = frozenset({APPROVED, PAID})


# --- The scheme: figures as data ------------------------------------------------------------


@dataclass(frozen=True)
class Award:
    """An award to a village, plus an amount for each holder of the listed roles."""

    village: Decimal
    shares: Mapping[str, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shares", freeze(dict(self.shares)))


@dataclass(frozen=True)
class Scheme:
    """A RewardScheme's figures (实施方案 二、考核奖惩 1-5 and 一.2/三.2/三.3)."""

    deposits: Mapping[str, Decimal]
    double_return_from: Decimal
    return_from: Decimal
    beijing_fine_responsible: Decimal
    beijing_fine_roles: Mapping[str, Decimal]
    beijing_fine_multiplier: Decimal
    province_fine_responsible: Decimal
    backlog_relapse_fine: Decimal
    backlog_resolved_award: Decimal
    dossier_award: Decimal
    staff_commended_award: Decimal
    zero_quarter: Award
    zero_year: Award
    zero_year_consecutive_multiplier: Decimal
    sensitive_period_shares: Mapping[str, Decimal]
    top_min_score: Decimal
    top_awards: tuple[Award, ...]
    individual_share_cap: Decimal  # a fraction: 0.60
    zero_levels: frozenset[str]
    complaint_channels: frozenset[str]
    complaint_levels: frozenset[str]
    opinion_channels: frozenset[str]

    def __post_init__(self) -> None:
        for name in ("deposits", "beijing_fine_roles", "sensitive_period_shares"):
            object.__setattr__(self, name, freeze(dict(getattr(self, name))))


# --- Facts -------------------------------------------------------------------------------------

Holders = Mapping[str, tuple[int, ...]]  # role -> ids of the people holding it that day


@dataclass(frozen=True)
class DepositRef:
    """A deposit paid for the year by a person answering for a village."""

    person_id: int
    deposit_id: int
    amount: Decimal


@dataclass(frozen=True)
class Petition:
    id: int
    village_id: int
    date: date
    level: str
    channel: str
    nature: str = "normal"
    new_problem_unresolved: bool = False
    # The 包保责任人 of its petitioners on its date (相关责任人), when the register names them.
    responsible_ids: tuple[int, ...] = ()
    # The roles of the village on the petition's date.
    holders: Holders = field(default_factory=dict)
    # The deposits of the year held by people answering for the village on its date.
    deposits: tuple[DepositRef, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "holders", freeze(dict(self.holders)))


@dataclass(frozen=True)
class VillageYear:
    """A village's annual score (assessment.selectors.annual_scores), after vetoes."""

    village_id: int
    name: str
    score: Decimal | None
    vetoes: tuple[tuple[str, str], ...] = ()  # (cause, reason)
    provisional_reasons: tuple[str, ...] = ()

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)


@dataclass(frozen=True)
class Depositor:
    """A person's deposit for the year and every village they answered for in it."""

    person_id: int
    name: str
    deposit_id: int
    role: str
    amount: Decimal
    villages: tuple[VillageYear, ...]


@dataclass(frozen=True)
class BacklogResolution:
    case_id: int
    village_id: int
    date: date
    resolver_ids: tuple[int, ...]


@dataclass(frozen=True)
class BacklogRelapse:
    relapse_id: int
    case_id: int
    village_id: int
    date: date
    resolved_date: date | None
    resolver_ids: tuple[int, ...]

    after_resolution = property(relapsed_after_resolution)


@dataclass(frozen=True)
class Dated:
    """A record that counts on one day for one village (an accepted dossier, a commendation)."""

    id: int
    village_id: int
    date: date


@dataclass(frozen=True)
class VillagePeriod:
    """A village over a quarter, a sensitive period or a year: its petitions and its people."""

    village_id: int
    name: str
    petitions: tuple[Petition, ...] = ()
    holders: Holders = field(default_factory=dict)  # on the period's last day
    # Whether the period was assessed (score sheets for its months); absence of petitions in a
    # period nobody assessed proves nothing, so its award stays provisional.
    assessed: bool = True
    vetoes: tuple[tuple[str, str], ...] = ()  # for a year: its vetoes bar the award
    # For a year: True / False when the previous year was assessed, None when it was not.
    previous_zero: bool | None = None
    # The previous year's status comes from an admin's statement (PriorYearStatus), not records.
    previous_stated: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "holders", freeze(dict(self.holders)))


@dataclass(frozen=True)
class SensitivePeriod:
    id: int
    name: str
    start: date
    end: date
    award_amount: Decimal


# --- Result ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One amount of the ledger. ``key`` names what it pays for, stable across recomputes."""

    key: str
    rule: str
    kind: str
    amount: Decimal
    cause: str
    village_id: int | None = None
    person_id: int | None = None
    refs: tuple[tuple[str, int], ...] = ()
    provisional_reason: str = ""

    def __post_init__(self) -> None:
        # A ledger line holds at most MAX_TEXT characters of cause and reason (its column).
        object.__setattr__(self, "cause", self.cause[:MAX_TEXT])
        object.__setattr__(self, "provisional_reason", self.provisional_reason[:MAX_TEXT])
        object.__setattr__(self, "amount", Decimal(self.amount).quantize(CENT))
        object.__setattr__(self, "refs", tuple((str(k), int(i)) for k, i in self.refs))

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_reason)


@dataclass(frozen=True)
class Split:
    """An award shared between a village and people, after the ceiling on individual shares."""

    total: Decimal
    village: Decimal
    shares: tuple[tuple[str, int, Decimal, Decimal], ...]  # (role, person, planned, paid)
    limit: Decimal

    @property
    def scaled(self) -> bool:
        return any(planned != paid for _r, _p, planned, paid in self.shares)

    @property
    def individuals(self) -> Decimal:
        return sum((paid for *_rest, paid in self.shares), ZERO)


# --- Reconciling a recompute with the stored ledger --------------------------------------------


@dataclass(frozen=True)
class Stored:
    """A stored ledger line as the reconciliation sees it."""

    id: int
    line: Line
    status: str
    adjusts_id: int | None = None


@dataclass(frozen=True)
class Plan:
    """What to write: new lines (with the approved line they adjust), changes, deletions."""

    create: tuple[tuple[Line, int | None], ...] = ()
    update: tuple[tuple[int, Line, int | None], ...] = ()
    delete: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.create or self.update or self.delete)
