"""The list search is one rule (core.filters.SearchFilter): the same query gives the same rows
on a kind's list page and in its API, once each, for petitions, cases and governance."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.cases.factories import AssignedCaseFactory
from tests.governance.factories import PatrolFactory
from tests.petitions.factories import PetitionerFactory
from tests.petitions.factories import PetitionFactory


def _petitions(village):
    both = PetitionFactory(village=village, matter="土地承包")
    PetitionerFactory(petition=both, name="王五", id_number="")
    PetitionerFactory(petition=both, name="王五", id_number="")  # two rows match: listed once
    PetitionFactory(village=village, matter="王五反映噪音")
    PetitionFactory(village=village, matter="劳资纠纷")
    return "王五"


def _cases(village):
    AssignedCaseFactory(village=village, title="王五反映征地")
    AssignedCaseFactory(village=village, title="其他", matter="王五的补偿")
    AssignedCaseFactory(village=village, title="无关")
    return "王五"


def _patrols(village):
    PatrolFactory(village=village, participants="王五、赵六")
    PatrolFactory(village=village, participants="钱七", route="王五家门口")
    PatrolFactory(village=village, participants="孙八")
    return "王五"


@pytest.mark.parametrize(
    ("seed", "page", "endpoint"),
    [
        (_petitions, "petitions:petition_list", "/api/petitions/"),
        (_cases, "cases:assigned_list", "/api/assigned-cases/"),
        (_patrols, "governance:patrol_list", "/api/patrols/"),
    ],
    ids=["petitions", "cases", "governance"],
)
def test_the_page_and_the_api_find_the_same_rows(
    client_for, staff_user, village_a, seed, page, endpoint
):
    query = seed(village_a)
    response = client_for(staff_user).get(reverse(page), {"q": query})
    on_page = [row.pk for row in response.context["object_list"]]
    api = APIClient()
    api.force_authenticate(staff_user)
    in_api = [row["id"] for row in api.get(endpoint, {"q": query}).json()["results"]]
    assert len(on_page) == 2 and len(set(on_page)) == 2
    assert sorted(on_page) == sorted(in_api)
