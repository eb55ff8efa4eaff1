from datetime import date

from core.templatetags.kaohe import field_value
from tests.factories import PersonFactory


def test_to_many_fields_show_their_names(village_a):
    from cases.models import BacklogCase

    leader = PersonFactory(township=village_a.township, name="王包案")
    case = BacklogCase.objects.create(
        village=village_a,
        title="积案",
        listed_date=date(2026, 1, 5),
        leader=leader,
        working_group="专班",
        resolution_plan="方案",
        stabilisation_measures="措施",
        time_limit=date(2026, 6, 30),
    )
    case.resolvers.set([PersonFactory(name="甲"), PersonFactory(name="乙")])
    assert field_value(case, "resolvers") == "甲、乙"
    assert field_value(case, "leader") == leader
    assert field_value(village_a, "along_railway") == "否"
