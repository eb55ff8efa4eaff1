"""The at-risk line is the reward scheme's 返还本金分数线, not a copy of it (issue 15): a
township that sets its own line sees its at-risk list, watch band and chart line move."""

from decimal import Decimal

import pytest

from dashboard import selectors
from rewards.models import RewardScheme
from rewards.services import risk_line

pytestmark = pytest.mark.django_db


def _own_scheme(township, year, return_from):
    scheme = RewardScheme.objects.get(township__isnull=True, year=2026)
    scheme.pk, scheme.township, scheme.year = None, township, year
    scheme.return_from = Decimal(return_from)
    scheme.save()
    return scheme


def _sheets(village, total):
    return {village.pk: {m: Decimal(total) for m in (1, 2, 3)}}


def test_the_line_is_the_schemes(township):
    assert risk_line(township.pk, 2026) == Decimal(80)  # the shipped default of 2026
    assert risk_line(township.pk, 2027) == Decimal(80)  # no 2027 scheme yet: last year's line
    _own_scheme(township, 2026, 75)
    assert risk_line(township.pk, 2026) == Decimal(75)
    assert risk_line(township.pk, 2027) == Decimal(75)


def test_the_at_risk_list_follows_the_township_line(township, village_a):
    villages = {village_a.pk: village_a}
    listed = selectors.at_risk(township.pk, 2026, 3, _sheets(village_a, 78), villages)
    assert [r.village for r in listed] == [village_a] and listed[0].below_line
    _own_scheme(township, 2026, 75)
    assert selectors.at_risk(township.pk, 2026, 3, _sheets(village_a, 78), villages) == []
    # 76 is within the watch margin above 75, but not falling: not listed either.
    assert selectors.at_risk(township.pk, 2026, 3, _sheets(village_a, 76), villages) == []
    below = selectors.at_risk(township.pk, 2026, 3, _sheets(village_a, 74), villages)
    assert [r.village for r in below] == [village_a]


def test_the_dashboard_says_the_line(client_for, cast, township):
    _own_scheme(township, 2026, 75)
    page = client_for(cast["leader"]).get("/dashboard/?kind=month&year=2026&month=4")
    text = page.content.decode()
    assert "低于75分,或低于77分" in text
    assert '"threshold": 75.0' in text  # the trend chart's dashed line
