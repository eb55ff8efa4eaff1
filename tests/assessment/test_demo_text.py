"""The demo's records read like a township's (issue 13: every petition said 反映土地承包问题 and
every dispute 邻里纠纷), chosen the same way on every load."""

from io import StringIO

from django.core.management import call_command

from cases.models import AssignedCase
from petitions.models import Dispute
from petitions.models import Petition
from sampledata.synthetic import make_county
from villages.models import Township


def test_demo_petitions_disputes_and_cases_vary(db):
    call_command("load_demo", stdout=StringIO())
    matters = set(Petition.objects.values_list("matter", flat=True))
    assert len(matters) >= 6 and "反映土地承包问题" not in matters
    disputes = Dispute.objects.values_list("category", "matter", "parties")
    assert len({c for c, _m, _p in disputes}) >= 5
    assert len({m for _c, m, _p in disputes}) >= 8 and "邻里纠纷" not in {
        m for _c, m, _p in disputes
    }
    assert "甲、乙" not in {p for _c, _m, p in disputes}
    titles = set(AssignedCase.objects.values_list("title", flat=True))
    assert len(titles) >= 3 and "上级交办件" not in titles


def test_the_same_seed_writes_the_same_text(db):
    def text(code):
        township = make_county(villages=3, year=2025, seed=5, code=code)
        Township.objects.filter(pk=township.pk).update(name=f"合成县{code}")  # names are unique
        petitions = Petition.objects.filter(village__township=township)
        disputes = Dispute.objects.filter(village__township=township)
        return (
            sorted(petitions.values_list("village__name", "date", "level", "matter")),
            sorted(disputes.values_list("village__name", "found_date", "category", "matter")),
        )

    first = text("one")
    assert first == text("two") and first[0] and first[1]
