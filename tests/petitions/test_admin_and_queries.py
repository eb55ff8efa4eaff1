"""The admin of every petitions model opens with its search and filters; list pages cost the
same number of queries whatever the number of rows."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from petitions.models import Petition
from tests.petitions.factories import BaobaoEntryFactory
from tests.petitions.factories import DisputeFactory
from tests.petitions.factories import DisputeReportFactory
from tests.petitions.factories import DossierFactory
from tests.petitions.factories import PetitionerFactory
from tests.petitions.factories import PetitionFactory
from tests.petitions.factories import ReceptionLogFactory
from tests.petitions.factories import ResolvedDisputeFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "petition",
    "petitioner",
    "receptionlog",
    "baobaoentry",
    "dispute",
    "disputereport",
    "dossier",
    "unreportedcandidate",
]


@pytest.fixture
def root_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="pw"))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_admin_pages_open_with_search_and_filters(root_client, village_a, model):
    PetitionerFactory(petition=PetitionFactory(village=village_a))
    DossierFactory(dispute=ResolvedDisputeFactory(village=village_a))
    changelist = reverse(f"admin:petitions_{model}_changelist")
    response = root_client.get(changelist, {"q": "甲"})
    assert response.status_code == 200
    assert response.context["cl"].has_filters
    assert root_client.get(reverse(f"admin:petitions_{model}_add")).status_code == 200


def test_an_admin_save_goes_through_the_write_path(root_client, village_a):
    petition = PetitionFactory(village=village_a)
    PetitionerFactory(petition=petition)
    data = {
        "village": village_a.pk,
        "date": "2026-04-10",
        "level": "city",
        "channel": "visit",
        "nature": "normal",
        "person_count": "1",
        "matter": "改为市级",
        "carried_village_opinion": "unknown",
        "source": "township_reception",
        "source_ref": "",
        "petitioners-TOTAL_FORMS": "1",
        "petitioners-INITIAL_FORMS": "1",
        "petitioners-MIN_NUM_FORMS": "0",
        "petitioners-MAX_NUM_FORMS": "1000",
        "petitioners-0-id": str(petition.petitioners.get().pk),
        "petitioners-0-petition": str(petition.pk),
        "petitioners-0-name": "张三",
        "petitioners-0-id_number": "",
        "change_reason": "级别录错",
    }
    response = root_client.post(
        reverse("admin:petitions_petition_change", args=[petition.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    petition.refresh_from_db()
    assert petition.level == "city"
    assert petition.history.first().history_change_reason == "管理后台:级别录错"
    assert petition.petitioners.get().id_number  # kept, though the form showed it masked


BUILD = {
    "petition": lambda v: PetitionerFactory(petition=PetitionFactory(village=v)),
    "reception": lambda v: ReceptionLogFactory(village=v),
    "baobao": lambda v: BaobaoEntryFactory(village=v),
    "dispute": lambda v: DisputeFactory(village=v),
    "report": lambda v: DisputeReportFactory(
        village=v, year=2020 + DisputeReportFactory._meta.model.objects.count()
    ),
    "dossier": lambda v: DossierFactory(dispute=ResolvedDisputeFactory(village=v)),
}


def _queries(client, address):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("kind", list(BUILD))
def test_list_pages_cost_the_same_at_2_and_12_rows(client_for, cast, village_a, kind):
    client = client_for(cast["staff"])
    address = reverse(f"petitions:{kind}_list")
    for _ in range(2):
        BUILD[kind](village_a)
    few = _queries(client, address)
    for _ in range(10):
        BUILD[kind](village_a)
    assert _queries(client, address) == few


def test_portal_costs_the_same_with_more_reports(client_for, cast, village_a):
    client = client_for(cast["secretary_a"])
    address = reverse("petitions:portal")
    DisputeReportFactory(village=village_a, year=2026, month=1, half=1)
    few = _queries(client, address)
    for month in range(2, 8):
        report = DisputeReportFactory(village=village_a, year=2026, month=month, half=1)
        report.disputes.add(DisputeFactory(village=village_a))
    assert _queries(client, address) == few
    assert Petition.objects.count() == 0
