"""The services on real records: deposits, quarter and year settlements, approval, recompute."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from assessment.rubrics import assign_year
from assessment.rubrics import version_copy
from assessment.rubrics import version_for_year
from cases.models import BacklogCase
from governance.models import AdjustmentEvent
from petitions.models import BaobaoEntry
from petitions.models import Petition
from petitions.models import Petitioner
from rewards import services
from rewards.choices import EntryKind
from rewards.choices import EntryStatus
from rewards.choices import RuleCode
from rewards.models import Deposit
from rewards.models import LedgerEntry
from rewards.models import RewardScheme
from tests.cases.factories import BacklogCaseFactory
from tests.cases.factories import BacklogRelapseFactory
from tests.factories import PersonFactory
from tests.factories import ResponsibilityFactory
from tests.governance.factories import SensitivePeriodFactory
from tests.petitions.factories import DossierFactory

from .conftest import AFTER_2026

pytestmark = pytest.mark.django_db


def lines(**filters):
    return list(LedgerEntry.objects.filter(**filters).order_by("pk"))


def line_of(person, **filters):
    (entry,) = lines(person=person, **filters)
    return entry


def petition(village, day, level="beijing", channel="visit", **kw):
    return Petition.objects.create(
        village=village, date=day, level=level, channel=channel, matter="反映问题", **kw
    )


def own_scheme(township, year=2026, **changes) -> RewardScheme:
    default = RewardScheme.objects.get(township__isnull=True, year=2026)
    scheme = RewardScheme.objects.create(
        township=township,
        year=year,
        name="本镇方案",
        **{f: getattr(default, f) for f in services.SCHEME_FIELDS},
    )
    for name, value in changes.items():
        setattr(scheme, name, value)
    scheme.save()
    return scheme


# --- The shipped scheme and deposits ------------------------------------------------------------


def test_the_2026_default_scheme_ships_with_the_migrations(township):
    scheme = services.scheme_for(township=township, year=2026)
    assert scheme.township is None and scheme.deposits["area_leader"] == "2000"
    with pytest.raises(ValidationError, match="2031"):
        services.scheme_for(township=township, year=2031)


def test_scheme_copy_starts_next_year_from_this_one(township, admin_user):
    default = services.scheme_for(township=township, year=2026)
    copy = services.scheme_copy(source=default, township=township, year=2027, by=admin_user)
    assert services.scheme_for(township=township, year=2027) == copy
    assert copy.top_awards == default.top_awards and copy.history.count() == 1


def test_a_malformed_scheme_is_refused(township):
    scheme = RewardScheme(township=township, year=2026, name="x", deposits={"mayor": "1"})
    with pytest.raises(ValidationError, match="mayor"):
        scheme.full_clean()


def test_deposits_by_role_from_the_responsibilities_in_force(township, people, admin_user):
    result = services.create_deposits(
        township=township, year=2026, by=admin_user, today=date(2026, 3, 1)
    )
    amounts = {d.person.name: d.amount for d in Deposit.objects.select_related("person")}
    assert amounts["片长老王"] == D(2000)
    for tag in ("甲村", "乙村"):
        for role in ("point_leader", "centre_staff", "secretary", "security_director"):
            assert amounts[f"{tag}{role}"] == D(1000)
        assert f"{tag}director" not in amounts  # 村主任 pays no deposit
    assert result.created == 9 == LedgerEntry.objects.filter(kind=EntryKind.DEPOSIT).count()
    leader = line_of(people["area_leader"])
    assert (leader.amount, leader.village, leader.status) == (D(-2000), None, "computed")
    again = services.create_deposits(
        township=township, year=2026, by=admin_user, today=date(2026, 3, 1)
    )
    assert not again.changed and Deposit.objects.count() == 9


def test_a_person_with_two_roles_pays_the_larger_deposit_once(
    township, area, village_a, admin_user
):
    person = PersonFactory(township=township)
    ResponsibilityFactory(person=person, role="secretary", village=village_a)
    ResponsibilityFactory(person=person, role="area_leader", area=area, village=None)
    services.create_deposits(township=township, year=2026, by=admin_user, today=date(2026, 3, 1))
    (deposit,) = Deposit.objects.filter(person=person)
    assert (deposit.role, deposit.amount) == ("area_leader", D(2000))


def test_only_admins_settle(township, leader_user, staff_user):
    for user in (leader_user, staff_user):
        with pytest.raises(PermissionDenied):
            services.settle_year(township=township, year=2026, by=user)


# --- Year-end settlement ------------------------------------------------------------------------


@pytest.fixture
def settled(township, people, village_a, village_b, village_c, admin_user, score_year):
    """A 90, B 82, C 60 (last place: vetoed); deposits made; the year settled."""
    score_year(village_a, 2026, "90")
    score_year(village_b, 2026, "82")
    score_year(village_c, 2026, "60")
    services.create_deposits(township=township, year=2026, by=admin_user, today=AFTER_2026)
    services.settle_year(township=township, year=2026, by=admin_user, today=AFTER_2026)
    return people


def test_year_settlement_by_annual_score(settled):
    p = settled
    for role in ("point_leader", "centre_staff", "secretary", "security_director"):
        a = line_of(p[f"{role}_a"], rule=RuleCode.SETTLEMENT)
        b = line_of(p[f"{role}_b"], rule=RuleCode.SETTLEMENT)
        assert (a.kind, a.amount) == (EntryKind.DOUBLE_RETURN, D(2000))
        assert (b.kind, b.amount) == (EntryKind.SETTLEMENT_RETURN, D(1000))
    # the 片长 answers for A and B: mean 86 -> 85 and above, twice 2,000
    leader = line_of(p["area_leader"], rule=RuleCode.SETTLEMENT)
    assert (leader.kind, leader.amount, leader.village) == (EntryKind.DOUBLE_RETURN, D(4000), None)
    assert "平均86" in leader.cause


def test_person_over_two_villages_one_vetoed_forfeits(
    township, people, village_a, village_b, village_c, admin_user, score_year
):
    score_year(village_a, 2026, "99")
    score_year(village_b, 2026, "95", veto="collective_large_impact")
    score_year(village_c, 2026, "60")
    services.create_deposits(township=township, year=2026, by=admin_user, today=AFTER_2026)
    services.settle_year(township=township, year=2026, by=admin_user, today=AFTER_2026)
    leader = line_of(people["area_leader"], rule=RuleCode.SETTLEMENT)
    assert (leader.kind, leader.amount) == (EntryKind.FORFEIT, D(0))
    assert "一票否决" in leader.cause and "乙村" in leader.cause
    assert line_of(people["secretary_a"], rule=RuleCode.SETTLEMENT).amount == D(2000)


def test_settling_twice_with_the_same_scores_creates_nothing(settled, township, admin_user):
    before = [(e.pk, e.amount, e.cause, e.history.count()) for e in lines()]
    result = services.settle_year(township=township, year=2026, by=admin_user, today=AFTER_2026)
    assert not result.changed
    assert [(e.pk, e.amount, e.cause, e.history.count()) for e in lines()] == before


def test_an_approved_settlement_never_changes_the_recompute_shows_a_difference(
    settled, township, village_a, admin_user, score_year
):
    original = line_of(settled["secretary_a"], rule=RuleCode.SETTLEMENT)
    assert services.approve_entries(entries=[original], by=admin_user, reason="年终审定") == 1
    score_year(village_a, 2026, "82")  # the scores are recomputed: A falls to 82
    result = services.settle_year(township=township, year=2026, by=admin_user, today=AFTER_2026)
    assert result.adjustments >= 1
    original.refresh_from_db()
    assert (original.status, original.amount, original.kind) == (
        EntryStatus.APPROVED,
        D(2000),
        EntryKind.DOUBLE_RETURN,
    )
    diff = LedgerEntry.objects.get(adjusts=original)
    assert (diff.status, diff.amount, diff.kind) == (
        EntryStatus.COMPUTED,
        D(-1000),
        EntryKind.SETTLEMENT_RETURN,
    )
    assert diff.cause.startswith("差额待审批:已审批2000元,重算为1000元")
    # settling again with the same scores adds nothing more
    assert not services.settle_year(
        township=township, year=2026, by=admin_user, today=AFTER_2026
    ).changed
    # back to 90: the pending difference goes away, the approved line still untouched
    score_year(village_a, 2026, "90")
    services.settle_year(township=township, year=2026, by=admin_user, today=AFTER_2026)
    assert not LedgerEntry.objects.filter(adjusts=original).exists()
    original.refresh_from_db()
    assert original.amount == D(2000) and original.status == EntryStatus.APPROVED


def test_approval_and_payment_are_attributed_with_their_reason(settled, admin_user):
    entry = line_of(settled["secretary_b"], rule=RuleCode.SETTLEMENT)
    services.approve_entries(entries=[entry], by=admin_user, reason="党委会审定")
    with pytest.raises(ValidationError):
        services.pay_entries(entries=[entry], by=admin_user, reason="")
    services.pay_entries(entries=[entry], by=admin_user, reason="财政所转账")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PAID
    assert (entry.approved_by, entry.approval_reason) == (admin_user, "党委会审定")
    assert (entry.paid_by, entry.payment_reason) == (admin_user, "财政所转账")
    steps = [
        (h.status, h.history_user, h.history_change_reason)
        for h in entry.history.order_by("history_date", "history_id")
    ]
    assert steps[-2:] == [
        ("approved", admin_user, "审批:党委会审定"),
        ("paid", admin_user, "兑现:财政所转账"),
    ]


def test_payment_needs_approval_and_leaders_cannot_approve(settled, leader_user, admin_user):
    entry = line_of(settled["secretary_b"], rule=RuleCode.SETTLEMENT)
    with pytest.raises(ValidationError, match="未审批"):
        services.pay_entries(entries=[entry], by=admin_user, reason="x")
    with pytest.raises(PermissionDenied):
        services.approve_entries(entries=[entry], by=leader_user, reason="x")


def test_a_running_year_is_provisional_and_cannot_be_approved(settled, township, admin_user):
    services.settle_year(township=township, year=2026, by=admin_user, today=date(2026, 11, 26))
    entry = line_of(settled["secretary_b"], rule=RuleCode.SETTLEMENT)
    assert "本年度尚未结束" in entry.provisional_reason
    with pytest.raises(ValidationError, match="暂定"):
        services.approve_entries(entries=[entry], by=admin_user, reason="x")


# --- Awards of the year -------------------------------------------------------------------------


def test_top_three_ties_share_a_rank_and_its_award(
    township, people, village_a, village_b, village_c, admin_user, score_year
):
    score_year(village_a, 2026, "98.5")
    score_year(village_b, 2026, "98.5")
    score_year(village_c, 2026, "60")
    services.settle_year(township=township, year=2026, by=admin_user, today=AFTER_2026)
    top = lines(rule=RuleCode.AWARD_TOP_THREE)
    village_awards = {e.village.name: e.amount for e in top if e.person is None}
    assert village_awards == {"甲村": D(10000), "乙村": D(10000)}
    leader = [e.amount for e in top if e.person == people["area_leader"]]
    assert leader == [D(3000), D(3000)]  # one share for each village he answers for
    assert not [e for e in top if e.person == people["director_a"]]


def test_second_consecutive_zero_petition_year_doubles(
    township, people, village_a, village_b, village_c, admin_user, score_year
):
    for year in (2025, 2026):
        for village in (village_a, village_b):
            score_year(village, year, "95")
        score_year(village_c, year, "60")
    petition(village_b, date(2025, 6, 1), level="city")  # B had a city petition last year
    petition(village_a, date(2026, 6, 1), level="township")  # a township visit does not count
    services.settle_year(township=township, year=2026, by=admin_user, today=AFTER_2026)
    zero = lines(rule=RuleCode.AWARD_ZERO_YEAR)
    got = {(e.village.name, e.person.name if e.person else None): e.amount for e in zero}
    assert got == {
        ("甲村", None): D(20000),
        ("甲村", "甲村secretary"): D(2000),
        ("甲村", "甲村director"): D(2000),
        ("甲村", "甲村security_director"): D(2000),
        ("乙村", None): D(10000),
        ("乙村", "乙村secretary"): D(1000),
        ("乙村", "乙村director"): D(1000),
        ("乙村", "乙村security_director"): D(1000),
    }  # 丙村 is vetoed (last place): barred from awards


# --- Quarters -----------------------------------------------------------------------------------


def test_role_changed_hands_quarter_end_holder_gets_the_award_event_day_holder_pays_the_fine(
    township, area, village_a, village_b, village_c, admin_user, score_year
):
    own_scheme(township, zero_quarter_shares={"secretary": "1000"})
    before = PersonFactory(township=township, name="前任书记")
    after = PersonFactory(township=township, name="现任书记")
    ResponsibilityFactory(person=before, role="secretary", village=village_a, end=date(2026, 5, 15))
    ResponsibilityFactory(
        person=after, role="secretary", village=village_a, start=date(2026, 5, 16)
    )
    for village in (village_a, village_b, village_c):
        score_year(village, 2026, "90")
    petition(village_a, date(2026, 3, 10))  # Q1: a Beijing petition while 前任 held the role
    services.settle_quarter(
        township=township, year=2026, quarter=1, by=admin_user, today=AFTER_2026
    )
    services.settle_quarter(
        township=township, year=2026, quarter=2, by=admin_user, today=AFTER_2026
    )
    fine = line_of(before, rule=RuleCode.FINE_BEIJING)
    assert (fine.quarter, fine.amount) == (1, D(-1000))
    assert not lines(person=after, rule=RuleCode.FINE_BEIJING)
    award = line_of(after, rule=RuleCode.AWARD_ZERO_QUARTER)
    assert (award.quarter, award.amount) == (2, D(1000))
    assert not lines(person=before, rule=RuleCode.AWARD_ZERO_QUARTER)
    q2 = {e.village.name for e in lines(rule=RuleCode.AWARD_ZERO_QUARTER, person=None, quarter=2)}
    assert q2 == {"甲村", "乙村", "丙村"}
    q1 = {e.village.name for e in lines(rule=RuleCode.AWARD_ZERO_QUARTER, person=None, quarter=1)}
    assert q1 == {"乙村", "丙村"}  # 甲村's Beijing petition broke its first quarter


def test_beijing_petition_fines_and_new_problem_forfeiture(township, people, village_a, admin_user):
    responsible = PersonFactory(township=township, name="包保人")
    BaobaoEntry.objects.create(
        village=village_a,
        petitioner_name="张三",
        matter="土地",
        responsible_person=responsible,
        start=date(2026, 1, 5),
    )
    p = petition(village_a, date(2026, 4, 10), nature="abnormal", new_problem_unresolved=True)
    Petitioner.objects.create(petition=p, name="张三")
    services.create_deposits(township=township, year=2026, by=admin_user, today=date(2026, 4, 1))
    services.settle_quarter(
        township=township, year=2026, quarter=2, by=admin_user, today=AFTER_2026
    )
    fines = {e.person.name: e.amount for e in lines(rule=RuleCode.FINE_BEIJING)}
    assert fines == {
        "包保人": D(-4000),
        "片长老王": D(-2000),
        "甲村point_leader": D(-2000),
        "甲村secretary": D(-2000),
    }
    repay = {e.person.name: e.amount for e in lines(rule=RuleCode.BEIJING_REPAY)}
    assert repay == {
        "片长老王": D(-2000),
        "甲村point_leader": D(-1000),
        "甲村centre_staff": D(-1000),
        "甲村secretary": D(-1000),
        "甲村security_director": D(-1000),
    }
    assert {e.amount for e in lines(rule=RuleCode.BEIJING_FORFEIT)} == {D(0)}
    assert len(lines(rule=RuleCode.BEIJING_FORFEIT)) == 5


def test_the_beijing_fine_doubles_for_the_natures_the_years_rubric_aggravates(
    township, people, village_a, admin_user
):
    """Issue 15: the doubling is read from the year's rubric version (评分表 二's
    aggravated_natures), not a copy: edit the version and the fine follows."""
    petition(village_a, date(2026, 4, 10), nature="repeat")

    def secretarys_fine():
        services.settle_quarter(
            township=township, year=2026, quarter=2, by=admin_user, today=AFTER_2026
        )
        return line_of(people["secretary_a"], rule=RuleCode.FINE_BEIJING).amount

    assert secretarys_fine() == D(-2000)  # the shipped rubric aggravates 重复上访
    version = version_copy(
        version=version_for_year(township.pk, 2026), code="own-2026", name="本镇", by=admin_user
    )
    entry = version.entries.get(kind="petitions_by_level")
    entry.params = {**entry.params, "aggravated_natures": ["abnormal"]}
    entry.save()
    assign_year(township=township, year=2026, version=version, by=admin_user)
    assert services.aggravated_natures(township.pk, 2026) == {"abnormal"}
    assert secretarys_fine() == D(-1000)


def test_provincial_petition_without_a_registered_responsible_person_stays_provisional(
    township, people, village_a, admin_user
):
    petition(village_a, date(2026, 4, 10), level="province")
    services.settle_quarter(
        township=township, year=2026, quarter=2, by=admin_user, today=AFTER_2026
    )
    (fine,) = lines(rule=RuleCode.FINE_PROVINCE)
    assert (fine.person, fine.amount) == (None, D(-500)) and fine.provisional


def test_backlog_dossier_and_commendation_awards(township, people, village_a, admin_user):
    resolvers = [PersonFactory(township=township, name=n) for n in ("化解人甲", "化解人乙")]
    case = BacklogCaseFactory(village=village_a, resolved_date=date(2026, 5, 1))
    case.resolvers.set(resolvers)
    BacklogRelapseFactory(case=case, date=date(2026, 6, 1))
    DossierFactory(
        dispute__village=village_a,
        village=village_a,
        centre_result="accepted",
        centre_date=date(2026, 5, 2),
        judicial_result="accepted",
        judicial_date=date(2026, 5, 6),
    )
    for day in (date(2026, 5, 3), date(2026, 6, 3)):
        AdjustmentEvent.objects.create(village=village_a, date=day, kind="staff_commended")
    services.settle_quarter(
        township=township, year=2026, quarter=2, by=admin_user, today=AFTER_2026
    )
    got = sorted((e.rule, e.person.name if e.person else "", e.amount) for e in lines())
    assert [g for g in got if g[0] != RuleCode.AWARD_ZERO_QUARTER] == sorted(
        [
            (RuleCode.AWARD_BACKLOG_RESOLVED, "化解人甲", D(2000)),
            (RuleCode.AWARD_BACKLOG_RESOLVED, "化解人乙", D(2000)),
            (RuleCode.FINE_BACKLOG_RELAPSE, "化解人甲", D(-3000)),
            (RuleCode.FINE_BACKLOG_RELAPSE, "化解人乙", D(-3000)),
            (RuleCode.AWARD_DOSSIER, "", D(200)),
            (RuleCode.AWARD_STAFF_COMMENDED, "", D(2000)),
        ]
    )
    assert BacklogCase.objects.count() == 1


def test_sensitive_period_award_as_set_for_the_period(
    township, village_a, village_b, admin_user, score_year
):
    SensitivePeriodFactory(
        township=township,
        name="五一",
        start=date(2026, 4, 28),
        end=date(2026, 5, 5),
        award_amount="3000.00",
    )
    petition(village_b, date(2026, 5, 1), level="city")
    for village in (village_a, village_b):
        score_year(village, 2026, "90")
    services.settle_quarter(
        township=township, year=2026, quarter=2, by=admin_user, today=AFTER_2026
    )
    (award,) = lines(rule=RuleCode.AWARD_SENSITIVE_PERIOD)
    assert (award.village, award.amount, award.provisional) == (village_a, D(3000), False)


def test_zero_quarter_without_score_sheets_is_provisional(township, village_a, admin_user):
    services.settle_quarter(
        township=township, year=2026, quarter=2, by=admin_user, today=AFTER_2026
    )
    (award,) = lines(rule=RuleCode.AWARD_ZERO_QUARTER)
    assert award.provisional and "没有评分表" in award.provisional_reason
