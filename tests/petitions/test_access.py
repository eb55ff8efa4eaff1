"""Who reaches which petition and dispute pages, side by side: a secretary sees only its own
village (404 for another's, never its data), cannot change records (403), and downloads only
its own village's files."""

import pytest
from django.urls import reverse

from petitions.models import Dispute
from petitions.models import Dossier
from petitions.models import Petition
from tests.petitions.factories import BaobaoEntryFactory
from tests.petitions.factories import DisputeFactory
from tests.petitions.factories import DisputeReportFactory
from tests.petitions.factories import DossierFactory
from tests.petitions.factories import PetitionerFactory
from tests.petitions.factories import PetitionFactory
from tests.petitions.factories import ReceptionLogFactory
from tests.petitions.factories import ResolvedDisputeFactory


def make_petition(village, marker):
    petition = PetitionFactory(village=village, matter=marker)
    PetitionerFactory(petition=petition, name=marker[:10])
    return petition


BUILDERS = {
    "petition": make_petition,
    "reception": lambda v, m: ReceptionLogFactory(village=v, matter=m),
    "baobao": lambda v, m: BaobaoEntryFactory(village=v, matter=m, petitioner_name=m[:10]),
    "dispute": lambda v, m: DisputeFactory(village=v, parties=m),
    "report": lambda v, m: DisputeReportFactory(village=v, signed_by=m[:10]),
    "dossier": lambda v, m: DossierFactory(dispute=ResolvedDisputeFactory(village=v, parties=m)),
}
KINDS = list(BUILDERS)


@pytest.fixture
def records(village_a, village_b):
    """One record of each kind in each village, each with a marker only it holds."""
    return {
        kind: {
            "a": (build(village_a, f"甲村{kind}标记"), f"甲村{kind}标记"[:10]),
            "b": (build(village_b, f"乙村{kind}标记"), f"乙村{kind}标记"[:10]),
        }
        for kind, build in BUILDERS.items()
    }


def url(kind, suffix, obj=None):
    args = [obj.pk] if obj is not None else []
    return reverse(f"petitions:{kind}_{suffix}", args=args)


@pytest.mark.parametrize("kind", KINDS)
def test_secretary_lists_only_its_own_village(client_for, cast, records, kind):
    body = client_for(cast["secretary_a"]).get(url(kind, "list")).content.decode()
    assert records[kind]["a"][1] in body
    assert records[kind]["b"][1] not in body


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("suffix", ["detail", "update", "delete"])
def test_another_villages_record_is_404_with_no_data(client_for, cast, records, kind, suffix):
    obj, marker = records[kind]["b"]
    client = client_for(cast["secretary_a"])
    response = client.get(url(kind, suffix, obj))
    assert response.status_code == 404
    assert marker not in response.content.decode()
    if suffix == "delete":
        response = client.post(url(kind, suffix, obj), {"reason": "试图删除"})
        assert response.status_code == 404
        assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_secretary_reads_but_cannot_change_its_own_records(client_for, cast, records, kind):
    obj, marker = records[kind]["a"]
    client = client_for(cast["secretary_a"])
    response = client.get(url(kind, "detail", obj))
    assert response.status_code == 200
    assert marker in response.content.decode()
    assert client.get(url(kind, "update", obj)).status_code == 403
    assert client.get(url(kind, "create")).status_code == 403
    assert client.post(url(kind, "delete", obj), {"reason": "删"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("role", "detail", "edit"),
    [
        ("admin", 200, 200),
        ("staff", 200, 200),
        ("leader", 200, 403),
        ("secretary_b", 200, 403),
        ("other_staff", 404, 404),
    ],
)
def test_reach_of_each_role_on_village_b(client_for, cast, records, kind, role, detail, edit):
    obj, marker = records[kind]["b"]
    client = client_for(cast[role])
    assert client.get(url(kind, "detail", obj)).status_code == detail
    assert client.get(url(kind, "update", obj)).status_code == edit
    listing = client.get(url(kind, "list")).content.decode()
    assert (marker in listing) == (detail == 200)


def test_anonymous_is_sent_to_login(client, records):
    petition, _ = records["petition"]["a"]
    response = client.get(url("petition", "detail", petition))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    report, _ = records["report"]["a"]
    response = client.get(reverse("petitions:report_seal", args=[report.pk]))
    assert response.status_code == 302


class TestDownloads:
    def test_own_villages_seal_scan_downloads(self, client_for, cast, records):
        report, _ = records["report"]["a"]
        response = client_for(cast["secretary_a"]).get(
            reverse("petitions:report_seal", args=[report.pk])
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")

    @pytest.mark.parametrize("role", ["secretary_a", "other_staff"])
    def test_another_villages_seal_scan_is_404(self, client_for, cast, records, role):
        report, _ = records["report"]["b"]
        response = client_for(cast[role]).get(reverse("petitions:report_seal", args=[report.pk]))
        assert response.status_code == 404
        assert not hasattr(response, "streaming_content")

    @pytest.mark.parametrize("field", Dossier.FILE_FIELDS)
    def test_dossier_attachments(self, client_for, cast, records, field):
        own, _ = records["dossier"]["a"]
        other, _ = records["dossier"]["b"]
        client = client_for(cast["secretary_a"])
        response = client.get(reverse("petitions:dossier_file", args=[own.pk, field]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert (
            client.get(reverse("petitions:dossier_file", args=[other.pk, field])).status_code == 404
        )

    def test_only_the_attachment_fields_are_served(self, client_for, cast, records):
        own, _ = records["dossier"]["a"]
        response = client_for(cast["staff"]).get(
            reverse("petitions:dossier_file", args=[own.pk, "centre_reason"])
        )
        assert response.status_code == 404

    def test_a_missing_scan_is_404(self, client_for, cast, village_a):
        report = DisputeReportFactory(village=village_a, seal_scan="")
        response = client_for(cast["staff"]).get(reverse("petitions:report_seal", args=[report.pk]))
        assert response.status_code == 404

    def test_the_page_never_links_to_the_stored_file(self, client_for, cast, records):
        report, _ = records["report"]["a"]
        body = client_for(cast["staff"]).get(url("report", "update", report)).content.decode()
        assert report.seal_scan.name not in body
        body = client_for(cast["staff"]).get(url("report", "detail", report)).content.decode()
        assert reverse("petitions:report_seal", args=[report.pk]) in body


class TestMaskedIdNumbers:
    def test_pages_show_only_the_masked_number(self, client_for, cast, village_a):
        petition = PetitionFactory(village=village_a)
        person = PetitionerFactory(petition=petition)
        client = client_for(cast["staff"])
        for page in ("detail", "update"):
            body = client.get(url("petition", page, petition)).content.decode()
            assert person.id_number not in body
            assert "110101********1233" in body

    def test_the_admin_shows_only_the_masked_number(self, client_for, cast, village_a):
        from django.contrib.auth import get_user_model

        person = PetitionerFactory(petition=PetitionFactory(village=village_a))
        root = get_user_model().objects.create_superuser("root", password="pw")
        client = client_for(root)
        for address in (
            reverse("admin:petitions_petitioner_changelist"),
            reverse("admin:petitions_petitioner_change", args=[person.pk]),
            reverse("admin:petitions_petition_change", args=[person.petition.pk]),
        ):
            response = client.get(address)
            assert response.status_code == 200
            assert person.id_number not in response.content.decode()


def test_candidate_pages_are_for_township_staff(client_for, cast, village_a):
    assert (
        client_for(cast["secretary_a"]).get(reverse("petitions:candidate_list")).status_code == 403
    )
    assert client_for(cast["leader"]).get(reverse("petitions:candidate_list")).status_code == 403
    assert client_for(cast["staff"]).get(reverse("petitions:candidate_list")).status_code == 200


def test_a_secretary_cannot_refresh_or_decide_candidates(client_for, cast, village_a):
    petition = PetitionFactory(village=village_a)
    client = client_for(cast["secretary_a"])
    assert client.post(reverse("petitions:candidate_refresh")).status_code == 403
    from petitions.models import UnreportedCandidate

    candidate = UnreportedCandidate.objects.create(village=village_a, petition=petition)
    response = client.post(
        reverse("petitions:candidate_decide", args=[candidate.pk, "confirm"]), {"category": "other"}
    )
    assert response.status_code == 403
    assert not Dispute.objects.exists()
    assert Petition.objects.count() == 1
