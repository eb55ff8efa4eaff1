"""Factories of petitions and disputes (valid by default; tests change one thing at a time)."""

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from petitions.choices import Channel
from petitions.choices import DisputeStatus
from petitions.choices import Level
from petitions.models import BaobaoEntry
from petitions.models import Dispute
from petitions.models import DisputeReport
from petitions.models import Dossier
from petitions.models import Petition
from petitions.models import Petitioner
from petitions.models import ReceptionLog
from tests.factories import VillageFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Valid 18-character ID numbers (checksum per GB 11643).
ID_A = "110101199003071233"
ID_B = "440304198511204567"
ID_C = "320102197001010011"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="seal.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


class ReceptionLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionLog

    village = factory.SubFactory(VillageFactory)
    date = date(2026, 4, 2)
    visitor_name = "张三"
    matter = "宅基地界址纠纷"
    reply = "已约双方调解"
    opinion_issued = True
    mediator_name = "调解员王五"
    opinion_number = factory.Sequence(lambda n: f"YJ-{n:03d}")


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Petition

    village = factory.SubFactory(VillageFactory)
    date = date(2026, 4, 10)
    level = Level.DISTRICT
    channel = Channel.VISIT
    matter = "反映土地承包经营权纠纷"


class PetitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Petitioner

    petition = factory.SubFactory(PetitionFactory)
    name = "张三"
    id_number = ID_A


class BaobaoEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BaobaoEntry

    village = factory.SubFactory(VillageFactory)
    petitioner_name = "张三"
    matter = "土地承包"
    responsible_name = "李书记"
    start = date(2026, 1, 5)


class DisputeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispute

    village = factory.SubFactory(VillageFactory)
    found_date = date(2026, 4, 3)
    parties = "赵六、钱七"
    matter = "相邻通行权纠纷"


class ResolvedDisputeFactory(DisputeFactory):
    status = DisputeStatus.RESOLVED
    resolved_date = date(2026, 4, 20)


class DisputeReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisputeReport

    village = factory.SubFactory(VillageFactory)
    year = 2026
    month = 4
    half = 1
    submitted_at = datetime(2026, 4, 13, 16, 0, tzinfo=SHANGHAI)
    signed_by = "李书记"
    seal_scan = factory.LazyFunction(png)


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    dispute = factory.SubFactory(ResolvedDisputeFactory)
    village = factory.SelfAttribute("dispute.village")
    mediation_agreement = factory.LazyFunction(lambda: pdf("agreement.pdf"))
    id_copy = factory.LazyFunction(lambda: pdf("id.pdf"))
    village_certificate = factory.LazyFunction(lambda: pdf("cert.pdf"))
    submitted_date = date(2026, 4, 25)
