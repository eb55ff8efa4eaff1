"""The money rules of 实施方案 "二、考核奖惩" as pure functions: plain facts in, ledger lines out.

Nothing here knows Django: facts come in as types.py's dataclasses (built by collect.py), and
each rule returns ``Line``s (positive amount = paid to the village or person, negative = owed
by them); ledger.py decides how stored lines follow a recompute. Every figure comes from the
``Scheme`` (a ``RewardScheme`` row), or from the year's rubric (the natures a Beijing fine
doubles for), none from this file.

Decisions where the document is silent (also in the report of the rewards issue):
- A person answering for several villages takes the exact mean of their annual scores (not
  rounded, so 84.995 is below 85); a veto in any of them forfeits their deposit.
- A forfeited deposit is a line of 0 yuan: the money was paid in by the deposit line and does
  not come back. A Beijing petition from an unresolved new problem forfeits the deposit on the
  spot and obliges the person to pay it again (a second deposit line); the year-end
  settlement then settles the standing (re-paid) deposit, which the same cause's veto forfeits.
- Fines are per petition record, not per person-time. The "responsible person" (相关责任人)
  is the 包保责任人 of the petition's petitioners on its date; when the register names nobody,
  or a role had no holder that day, the line has no person and stays provisional until the
  records are completed and the quarter is settled again.
- Awards with individual shares: the award is the village's amount plus every share; when the
  shares exceed the ceiling (60%) of that total they are scaled down proportionally (to the
  fen, rounding down) and the difference goes to the village. Awards named by the document for
  given people (backlog resolvers) are outside the ceiling.
- Year-end awards (zero-petition year, top three) are barred by any veto; quarterly awards are
  paid by the quarter and are not clawed back.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import ROUND_DOWN
from decimal import Decimal

from assessment.scoring.engine import rank
from core.vocabulary import LEVEL_BEIJING
from core.vocabulary import LEVEL_LABELS
from core.vocabulary import LEVEL_PROVINCE
from core.vocabulary import NATURE_LABELS
from core.vocabulary import NATURE_NORMAL

from .types import AWARD
from .types import CENT
from .types import DEPOSIT
from .types import DOUBLE_RETURN
from .types import FINE
from .types import FORFEIT
from .types import ROLE_LABELS
from .types import RULE_AWARD_BACKLOG_RESOLVED
from .types import RULE_AWARD_DOSSIER
from .types import RULE_AWARD_SENSITIVE_PERIOD
from .types import RULE_AWARD_STAFF_COMMENDED
from .types import RULE_AWARD_TOP_THREE
from .types import RULE_AWARD_ZERO_QUARTER
from .types import RULE_AWARD_ZERO_YEAR
from .types import RULE_BEIJING_FORFEIT
from .types import RULE_BEIJING_REPAY
from .types import RULE_DEPOSIT
from .types import RULE_FINE_BACKLOG_RELAPSE
from .types import RULE_FINE_BEIJING
from .types import RULE_FINE_PROVINCE
from .types import RULE_SETTLEMENT
from .types import SETTLEMENT_RETURN
from .types import ZERO
from .types import Award
from .types import BacklogRelapse
from .types import BacklogResolution
from .types import Dated
from .types import Depositor
from .types import Holders
from .types import Line
from .types import Petition
from .types import Scheme
from .types import SensitivePeriod
from .types import Split
from .types import VillagePeriod
from .types import VillageYear


def yuan(amount: Decimal) -> str:
    """An amount as a statement prints it: 2000, 2571.42, never 2000.00 or 2E+3."""
    value = Decimal(amount).quantize(CENT)
    text = format(value, "f")
    return text[:-3] if text.endswith(".00") else text


def score_text(score: Decimal) -> str:
    return format(Decimal(score).normalize(), "f")


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def with_provisional(lines: Iterable[Line], reason: str) -> list[Line]:
    """Mark every line provisional (a period not yet over), keeping an earlier reason first."""
    return [
        replace(
            line, provisional_reason=";".join(r for r in (line.provisional_reason, reason) if r)
        )
        for line in lines
    ]


def _pid(person_id: int | None) -> str:
    return "none" if person_id is None else str(person_id)


# --- Deposits and the year-end settlement (奖惩 1, 2, 4) ---------------------------------------


def deposit_line(*, person_id: int, deposit_id: int, role: str, amount: Decimal, village_id=None):
    """奖惩 1: 镇班子成员每人缴纳责任金2000元, 点长、包村人员、书记、治保主任每人1000元."""
    return Line(
        key=f"deposit:{deposit_id}",
        rule=RULE_DEPOSIT,
        kind=DEPOSIT,
        amount=-Decimal(amount),
        cause=f"{ROLE_LABELS.get(role, role)}缴纳责任金{yuan(amount)}元",
        village_id=village_id,
        person_id=person_id,
        refs=(("deposit", deposit_id),),
    )


def mean_score(villages: Sequence[VillageYear]) -> Decimal | None:
    """同奖同罚: the exact mean of the annual scores of the person's villages (not rounded)."""
    scores = [v.score for v in villages if v.score is not None]
    if not scores:
        return None
    return sum(scores, ZERO) / len(scores)


def settlement_outcome(scheme: Scheme, score: Decimal, vetoed: bool) -> tuple[str, int]:
    """奖惩 1: 85分以上双倍返还, 80-85分返还本金, 80分以下扣除; a veto forfeits (奖惩 2, 4).

    Returns the kind and how many times the deposit comes back.
    """
    if vetoed:
        return FORFEIT, 0
    if score >= scheme.double_return_from:
        return DOUBLE_RETURN, 2
    if score >= scheme.return_from:
        return SETTLEMENT_RETURN, 1
    return FORFEIT, 0


def _scores_text(villages: Sequence[VillageYear]) -> str:
    parts = [
        f"{v.name}{score_text(v.score)}分" if v.score is not None else f"{v.name}无年度得分"
        for v in villages
    ]
    return "、".join(parts)


def settlement_lines(scheme: Scheme, depositors: Iterable[Depositor]) -> list[Line]:
    """The year-end settlement of each deposit by the person's (mean) annual score."""
    lines = []
    for person in depositors:
        score = mean_score(person.villages)
        if score is None:
            continue  # nothing scored yet: the deposit stays unsettled
        vetoed = [v for v in person.villages if v.vetoed]
        kind, times = settlement_outcome(scheme, score, bool(vetoed))
        amount = Decimal(person.amount)
        scored = _scores_text(person.villages)
        if len(person.villages) > 1:
            scored += f",平均{score_text(score.quantize(Decimal('0.001')).normalize())}分"
        if vetoed:
            reasons = ";".join(f"{v.name}:{r}" for v in vetoed for _c, r in v.vetoes)
            cause = f"一票否决({reasons}),同奖同罚,责任金{yuan(amount)}元不予返还"
        elif kind == DOUBLE_RETURN:
            cause = (
                f"年终综合考核{scored},{score_text(scheme.double_return_from)}分以上,"
                f"责任金{yuan(amount)}元双倍返还{yuan(amount * 2)}元"
            )
        elif kind == SETTLEMENT_RETURN:
            cause = (
                f"年终综合考核{scored},在{score_text(scheme.return_from)}-"
                f"{score_text(scheme.double_return_from)}分之间,返还责任金{yuan(amount)}元"
            )
        else:
            cause = (
                f"年终综合考核{scored},{score_text(scheme.return_from)}分以下,"
                f"扣除责任金{yuan(amount)}元,并对村(居)主要负责人约谈"
            )
        provisional = [f"{v.name}:{r}" for v in person.villages for r in v.provisional_reasons]
        provisional += [f"{v.name}无年度得分" for v in person.villages if v.score is None]
        lines.append(
            Line(
                key=f"settlement:deposit:{person.deposit_id}",
                rule=RULE_SETTLEMENT,
                kind=kind,
                amount=amount * times,
                cause=cause,
                village_id=person.villages[0].village_id if len(person.villages) == 1 else None,
                person_id=person.person_id,
                refs=(
                    ("deposit", person.deposit_id),
                    *(("village_year", v.village_id) for v in person.villages),
                ),
                provisional_reason=";".join(provisional),
            )
        )
    return lines


def beijing_forfeit_lines(petitions: Iterable[Petition]) -> list[Line]:
    """奖惩 2: 因新问题未及时化解导致进京上访的, 责任金全部扣除 (扣除后需补交责任金)."""
    lines = []
    for p in petitions:
        if p.level != LEVEL_BEIJING or not p.new_problem_unresolved:
            continue
        for d in p.deposits:
            base = f"{_day(p.date)}因新问题未及时化解导致进京上访"
            refs = (("petition", p.id), ("deposit", d.deposit_id))
            lines.append(
                Line(
                    key=f"beijing_forfeit:petition:{p.id}:deposit:{d.deposit_id}",
                    rule=RULE_BEIJING_FORFEIT,
                    kind=FORFEIT,
                    amount=ZERO,
                    cause=f"{base},责任金{yuan(d.amount)}元全部扣除(一票否决)",
                    village_id=p.village_id,
                    person_id=d.person_id,
                    refs=refs,
                )
            )
            lines.append(
                Line(
                    key=f"beijing_repay:petition:{p.id}:deposit:{d.deposit_id}",
                    rule=RULE_BEIJING_REPAY,
                    kind=DEPOSIT,
                    amount=-Decimal(d.amount),
                    cause=f"{base},责任金扣除后须补交{yuan(d.amount)}元",
                    village_id=p.village_id,
                    person_id=d.person_id,
                    refs=refs,
                )
            )
    return lines


# --- Fines (实施方案 二.1, 二.2; 三.3) ---------------------------------------------------------


def _petition_text(p: Petition) -> str:
    nature = "" if p.nature == NATURE_NORMAL else f"({NATURE_LABELS.get(p.nature, p.nature)})"
    return f"{_day(p.date)}到{LEVEL_LABELS.get(p.level, p.level)}上访{nature}"


def _fine(p: Petition, rule: str, slot: str, person_id, amount: Decimal, who: str, missing: str):
    return Line(
        key=f"{rule}:petition:{p.id}:{slot}:{_pid(person_id)}",
        rule=rule,
        kind=FINE,
        amount=-amount,
        cause=f"{_petition_text(p)},{who}罚款{yuan(amount)}元",
        village_id=p.village_id,
        person_id=person_id,
        refs=(("petition", p.id),),
        provisional_reason=missing if person_id is None else "",
    )


NO_RESPONSIBLE = "包保登记中没有该信访人当日的包保责任人,请补录后重新结算"


def petition_fine_lines(
    scheme: Scheme, petitions: Iterable[Petition], *, aggravated: frozenset[str]
) -> list[Line]:
    """二.1: 到京上访处罚相关责任人2000元, 片、点长、书记各1000元, 非正常、重复上访加倍;
    二.2: 到省上访处罚相关人员500元. The people are those of the petition's date.

    ``aggravated`` are the natures the year's rubric aggravates (评分表 二's
    ``aggravated_natures``, read by rewards.services.aggravated_natures): the fine doubles for
    the same petitions the score treats as 非正常、重复."""
    lines = []
    for p in petitions:
        if p.level == LEVEL_BEIJING:
            times = scheme.beijing_fine_multiplier if p.nature in aggravated else Decimal(1)
            amount = scheme.beijing_fine_responsible * times
            for person_id in p.responsible_ids or (None,):
                lines.append(
                    _fine(
                        p,
                        RULE_FINE_BEIJING,
                        "responsible",
                        person_id,
                        amount,
                        "相关责任人",
                        NO_RESPONSIBLE,
                    )
                )
            for role, each in scheme.beijing_fine_roles.items():
                label = ROLE_LABELS.get(role, role)
                missing = f"{_day(p.date)}该村(居)没有在任的{label},请核实责任分工"
                for person_id in p.holders.get(role, ()) or (None,):
                    lines.append(
                        _fine(p, RULE_FINE_BEIJING, role, person_id, each * times, label, missing)
                    )
        elif p.level == LEVEL_PROVINCE and scheme.province_fine_responsible:
            for person_id in p.responsible_ids or (None,):
                lines.append(
                    _fine(
                        p,
                        RULE_FINE_PROVINCE,
                        "responsible",
                        person_id,
                        scheme.province_fine_responsible,
                        "相关责任人",
                        NO_RESPONSIBLE,
                    )
                )
    return lines


NO_RESOLVER = "该积案没有登记化解人,请补录后重新结算"


def backlog_lines(
    scheme: Scheme,
    resolutions: Iterable[BacklogResolution],
    relapses: Iterable[BacklogRelapse],
) -> list[Line]:
    """三.3: 每成功化解一例信访积案奖励化解人员每人2000元, 化解后反流处罚化解人员每人3000元."""
    lines = []
    for r in resolutions:
        for person_id in r.resolver_ids or (None,):
            lines.append(
                Line(
                    key=f"backlog_resolved:case:{r.case_id}:{_pid(person_id)}",
                    rule=RULE_AWARD_BACKLOG_RESOLVED,
                    kind=AWARD,
                    amount=scheme.backlog_resolved_award,
                    cause=f"{_day(r.date)}化解信访积案,奖励化解人{yuan(scheme.backlog_resolved_award)}元",
                    village_id=r.village_id,
                    person_id=person_id,
                    refs=(("backlog", r.case_id),),
                    provisional_reason=NO_RESOLVER if person_id is None else "",
                )
            )
    for r in relapses:
        if not r.after_resolution:
            continue
        for person_id in r.resolver_ids or (None,):
            lines.append(
                Line(
                    key=f"backlog_relapse:relapse:{r.relapse_id}:{_pid(person_id)}",
                    rule=RULE_FINE_BACKLOG_RELAPSE,
                    kind=FINE,
                    amount=-scheme.backlog_relapse_fine,
                    cause=(
                        f"信访积案化解后于{_day(r.date)}反弹,"
                        f"处罚化解人{yuan(scheme.backlog_relapse_fine)}元"
                    ),
                    village_id=r.village_id,
                    person_id=person_id,
                    refs=(("backlog", r.case_id), ("relapse", r.relapse_id)),
                    provisional_reason=NO_RESOLVER if person_id is None else "",
                )
            )
    return lines


# --- Awards to villages -----------------------------------------------------------------------


def dossier_lines(scheme: Scheme, dossiers: Iterable[Dated]) -> list[Line]:
    """三.2: 化解卷宗经综治中心及司法所审理合格后, 按每卷200元奖励 (to the village)."""
    return [
        Line(
            key=f"dossier:{d.id}",
            rule=RULE_AWARD_DOSSIER,
            kind=AWARD,
            amount=scheme.dossier_award,
            cause=f"化解卷宗于{_day(d.date)}审理合格,奖励{yuan(scheme.dossier_award)}元",
            village_id=d.village_id,
            refs=(("dossier", d.id),),
        )
        for d in dossiers
        if scheme.dossier_award
    ]


def staff_commended_lines(
    scheme: Scheme, events: Iterable[Dated], start: date, end: date
) -> list[Line]:
    """奖惩 5: 信访工作获得区级以上表彰的, 对信访工作人员一次性奖励2000元.

    Once a year per village, on its first commendation; paid to the village for its petition
    staff (the record names no person). ``events`` are the year's, up to ``end``.
    """
    first: dict[int, Dated] = {}
    for e in sorted(events, key=lambda e: (e.date, e.id)):
        first.setdefault(e.village_id, e)
    return [
        Line(
            key=f"staff_commended:village:{e.village_id}",
            rule=RULE_AWARD_STAFF_COMMENDED,
            kind=AWARD,
            amount=scheme.staff_commended_award,
            cause=(
                f"{_day(e.date)}信访工作获区级以上表彰,"
                f"一次性奖励信访工作人员{yuan(scheme.staff_commended_award)}元"
            ),
            village_id=e.village_id,
            refs=(("adjustment", e.id),),
        )
        for e in first.values()
        if start <= e.date <= end and scheme.staff_commended_award
    ]


def split_award(
    village: Decimal, shares: Sequence[tuple[str, int, Decimal]], cap: Decimal
) -> Split:
    """奖惩 5: 所有奖励资金的60%可用于个人奖励. Shares over the ceiling are scaled down
    proportionally (to the fen, rounding down) and the rest goes to the village."""
    planned = sum((amount for _r, _p, amount in shares), ZERO)
    total = Decimal(village) + planned
    limit = (total * cap).quantize(CENT, rounding=ROUND_DOWN)
    if planned <= limit:
        paid = [(r, p, a, a) for r, p, a in shares]
    else:
        paid = [(r, p, a, (a * limit / planned).quantize(CENT, ROUND_DOWN)) for r, p, a in shares]
    individuals = sum((x[3] for x in paid), ZERO)
    return Split(total=total, village=total - individuals, shares=tuple(paid), limit=limit)


def award_lines(
    *,
    rule: str,
    key: str,
    label: str,
    village_id: int,
    award: Award,
    holders: Holders,
    cap: Decimal,
    refs: tuple = (),
    times: Decimal = Decimal(1),
    provisional_reason: str = "",
) -> list[Line]:
    """An award to a village and the holders of its roles, the split shown on every line."""
    shares = [
        (role, person_id, Decimal(amount) * times)
        for role, amount in award.shares.items()
        if amount
        for person_id in holders.get(role, ())
    ]
    split = split_award(Decimal(award.village) * times, shares, cap)
    note = ""
    if split.scaled:
        note = (
            f"(个人奖励合计{yuan(sum((s[2] for s in split.shares), ZERO))}元超过奖励总额"
            f"{yuan(split.total)}元的{score_text(cap * 100)}%即{yuan(split.limit)}元,"
            f"按比例折算为{yuan(split.individuals)}元,其余归村(居))"
        )
    planned_village = Decimal(award.village) * times
    village_cause = f"{label},奖励村(居){yuan(split.village)}元"
    if split.village != planned_village:
        village_cause += f"(原定{yuan(planned_village)}元){note}"
    lines = [
        Line(
            key=f"{key}:village",
            rule=rule,
            kind=AWARD,
            amount=split.village,
            cause=village_cause,
            village_id=village_id,
            refs=refs,
            provisional_reason=provisional_reason,
        )
    ]
    for role, person_id, planned, paid in split.shares:
        cause = f"{label},奖励{ROLE_LABELS.get(role, role)}{yuan(paid)}元"
        if paid != planned:
            cause += f"(原定{yuan(planned)}元){note}"
        lines.append(
            Line(
                key=f"{key}:{role}:{person_id}",
                rule=rule,
                kind=AWARD,
                amount=paid,
                cause=cause,
                village_id=village_id,
                person_id=person_id,
                refs=refs,
                provisional_reason=provisional_reason,
            )
        )
    return lines


def breaks_zero_petition(scheme: Scheme, p: Petition) -> bool:
    """奖惩 5: 无进京赴省、市、区上访, 无省、市、区长信箱、热线投诉问题及网上舆情."""
    return (
        p.level in scheme.zero_levels
        or p.channel in scheme.opinion_channels
        or (p.channel in scheme.complaint_channels and p.level in scheme.complaint_levels)
    )


def _breaking(scheme: Scheme, v: VillagePeriod, start: date, end: date) -> list[Petition]:
    return [p for p in v.petitions if start <= p.date <= end and breaks_zero_petition(scheme, p)]


NOT_ASSESSED = "该期间没有评分表,不能确认零上访"


def zero_quarter_lines(
    scheme: Scheme, villages: Iterable[VillagePeriod], start: date, end: date, label: str
) -> list[Line]:
    """奖惩 5: 季度"零上访"村奖励20000元 (the people holding the roles at the quarter's end)."""
    lines = []
    for v in villages:
        if _breaking(scheme, v, start, end) or not scheme.zero_quarter.village:
            continue
        lines += award_lines(
            rule=RULE_AWARD_ZERO_QUARTER,
            key=f"zero_quarter:village:{v.village_id}",
            label=f"{label}零上访",
            village_id=v.village_id,
            award=scheme.zero_quarter,
            holders=v.holders,
            cap=scheme.individual_share_cap,
            provisional_reason="" if v.assessed else NOT_ASSESSED,
        )
    return lines


def sensitive_period_lines(
    scheme: Scheme, period: SensitivePeriod, villages: Iterable[VillagePeriod]
) -> list[Line]:
    """奖惩 3: 重大节日和重要时间节点"零上访"的村(居)给予单项奖励 (its amount set per period)."""
    if not period.award_amount:
        return []
    award = Award(period.award_amount, scheme.sensitive_period_shares)
    lines = []
    for v in villages:
        if _breaking(scheme, v, period.start, period.end):
            continue
        lines += award_lines(
            rule=RULE_AWARD_SENSITIVE_PERIOD,
            key=f"sensitive:{period.id}:village:{v.village_id}",
            label=f"{period.name}({_day(period.start)}至{_day(period.end)})零上访",
            village_id=v.village_id,
            award=award,
            holders=v.holders,
            cap=scheme.individual_share_cap,
            refs=(("sensitive_period", period.id),),
            provisional_reason="" if v.assessed else NOT_ASSESSED,
        )
    return lines


def zero_year_lines(scheme: Scheme, villages: Iterable[VillagePeriod], year: int) -> list[Line]:
    """奖惩 3: 全年"零上访"的村(居)奖励10000元, 书记、主任、治保主任每人1000元;
    连续2年"零上访"的奖励加倍 (both this year and the one before; a third year too)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    lines = []
    for v in villages:
        if v.vetoes or _breaking(scheme, v, start, end) or not scheme.zero_year.village:
            continue
        if v.previous_zero:
            times, label = scheme.zero_year_consecutive_multiplier, f"{year}年连续两年零上访(加倍)"
            if v.previous_stated:
                label = f"{year}年连续两年零上访(加倍,上一年度据管理员声明)"
        elif v.previous_zero is None:
            times, label = Decimal(1), f"{year}年全年零上访(上一年度无考核记录,不计连续)"
        else:
            times, label = Decimal(1), f"{year}年全年零上访"
        lines += award_lines(
            rule=RULE_AWARD_ZERO_YEAR,
            key=f"zero_year:village:{v.village_id}",
            label=label,
            village_id=v.village_id,
            award=scheme.zero_year,
            holders=v.holders,
            cap=scheme.individual_share_cap,
            times=times,
            provisional_reason="" if v.assessed else NOT_ASSESSED,
        )
    return lines


def top_three_lines(
    scheme: Scheme, villages: Sequence[VillageYear], holders: Mapping[int, Holders]
) -> list[Line]:
    """奖惩 4: 年终综合考核98分以上的前三名 10000/8000/6000元, 片长、点长、包村人员、书记、
    治保主任每人3000/2000/1000元. Ties share a rank (1, 2, 2, 4) and each gets its award."""
    scored = {v.village_id: v.score for v in villages if v.score is not None}
    ranks = rank(scored)
    lines = []
    for v in villages:
        position = ranks.get(v.village_id)
        if position is None or position > len(scheme.top_awards) or v.vetoed:
            continue
        if v.score < scheme.top_min_score:
            continue
        lines += award_lines(
            rule=RULE_AWARD_TOP_THREE,
            key=f"top_three:village:{v.village_id}",
            label=f"年终综合考核第{position}名({score_text(v.score)}分)",
            village_id=v.village_id,
            award=scheme.top_awards[position - 1],
            holders=holders.get(v.village_id, {}),
            cap=scheme.individual_share_cap,
            refs=(("village_year", v.village_id),),
            provisional_reason=";".join(v.provisional_reasons),
        )
    return lines
