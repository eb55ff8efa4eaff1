"""Entering records through the pages: invalid input is shown at the field and saves nothing;
a petition and its petitioners are saved together or not at all."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Period
from assessment.models import PeriodState
from petitions.models import BaobaoEntry
from petitions.models import Dispute
from petitions.models import DisputeReport
from petitions.models import Dossier
from petitions.models import Petition
from petitions.models import Petitioner
from petitions.models import ReceptionLog
from tests.factories import PersonFactory
from tests.petitions.factories import ID_A
from tests.petitions.factories import ID_B
from tests.petitions.factories import PDF
from tests.petitions.factories import DisputeFactory
from tests.petitions.factories import DossierFactory
from tests.petitions.factories import PetitionerFactory
from tests.petitions.factories import PetitionFactory
from tests.petitions.factories import ResolvedDisputeFactory
from tests.petitions.factories import pdf
from tests.petitions.factories import png

pytestmark = pytest.mark.django_db


def petition_data(village, **extra):
    data = {
        "village": village.pk,
        "date": "2026-04-10",
        "level": "district",
        "channel": "visit",
        "nature": "abnormal",
        "person_count": "2",
        "matter": "反映征地补偿款未到位",
        "stabilised_in_time": "False",  # answered explicitly (issue 13.1)
        "carried_village_opinion": "unknown",
        "source": "township_reception",
        "source_ref": "",
        "petitioners-TOTAL_FORMS": "2",
        "petitioners-INITIAL_FORMS": "0",
        "petitioners-MIN_NUM_FORMS": "0",
        "petitioners-MAX_NUM_FORMS": "1000",
        "petitioners-0-name": "张三",
        "petitioners-0-id_number": ID_A,
        "petitioners-1-name": "李四",
        "petitioners-1-id_number": ID_B,
    }
    data.update(extra)
    return data


class TestPetitionForm:
    def test_a_petition_and_its_petitioners_are_saved_together(self, client_for, cast, village_a):
        response = client_for(cast["staff"]).post(
            reverse("petitions:petition_create"), petition_data(village_a)
        )
        assert response.status_code == 302
        petition = Petition.objects.get()
        assert sorted(petition.petitioners.values_list("name", flat=True)) == ["张三", "李四"]
        assert petition.history.get().history_user == cast["staff"]
        assert all(
            p.history.get().history_user == cast["staff"] for p in petition.petitioners.all()
        )

    def test_a_bad_id_number_saves_nothing_and_is_shown_at_the_field(
        self, client_for, cast, village_a
    ):
        data = petition_data(village_a, **{"petitioners-1-id_number": ID_B[:-1] + "0"})
        response = client_for(cast["staff"]).post(reverse("petitions:petition_create"), data)
        assert response.status_code == 200
        assert "身份证号校验位不正确" in response.content.decode()
        assert not Petition.objects.exists() and not Petitioner.objects.exists()

    def test_a_bad_petition_saves_no_petitioner(self, client_for, cast, village_a):
        data = petition_data(village_a, collective="on", person_count="3")
        response = client_for(cast["staff"]).post(reverse("petitions:petition_create"), data)
        assert "集体访为五人及以上" in response.content.decode()
        assert not Petition.objects.exists() and not Petitioner.objects.exists()

    def test_at_least_one_petitioner(self, client_for, cast, village_a):
        data = petition_data(
            village_a,
            **{"petitioners-0-name": "", "petitioners-0-id_number": ""},
            **{"petitioners-1-name": "", "petitioners-1-id_number": ""},
        )
        response = client_for(cast["staff"]).post(reverse("petitions:petition_create"), data)
        assert "请至少登记一名信访人" in response.content.decode()
        assert not Petition.objects.exists()

    def test_more_petitioners_than_person_times_is_refused(self, client_for, cast, village_a):
        data = petition_data(village_a, person_count="1")
        response = client_for(cast["staff"]).post(reverse("petitions:petition_create"), data)
        assert "人次不能少于登记人数" in response.content.decode()
        assert not Petition.objects.exists()

    def test_a_closed_month_is_refused_at_the_form(self, client_for, cast, village_a):
        Period.objects.create(
            township=village_a.township, year=2026, month=4, state=PeriodState.CLOSED
        )
        response = client_for(cast["staff"]).post(
            reverse("petitions:petition_create"), petition_data(village_a)
        )
        assert response.status_code == 200
        assert "2026年4月 的考核已关闭" in response.content.decode()
        assert not Petition.objects.exists() and not Petitioner.objects.exists()

    def test_a_failure_on_a_petitioner_rolls_back_the_petition(
        self, client_for, cast, village_a, monkeypatch
    ):
        """All or nothing even when the second save fails late (here: a refused write)."""
        from django.core.exceptions import ValidationError

        from petitions import forms

        real = forms.record_save

        def refuse_petitioners(*, instance, **kwargs):
            if isinstance(instance, Petitioner):
                raise ValidationError("refused")
            return real(instance=instance, **kwargs)

        monkeypatch.setattr(forms, "record_save", refuse_petitioners)
        response = client_for(cast["staff"]).post(
            reverse("petitions:petition_create"), petition_data(village_a)
        )
        assert response.status_code == 200
        assert not Petition.objects.exists()

    def test_editing_keeps_the_stored_id_number_and_asks_why(self, client_for, cast, village_a):
        petition = PetitionFactory(village=village_a, person_count=1)
        person = PetitionerFactory(petition=petition)
        data = petition_data(
            village_a,
            person_count="1",
            **{
                "petitioners-TOTAL_FORMS": "1",
                "petitioners-INITIAL_FORMS": "1",
                "petitioners-0-id": str(person.pk),
                "petitioners-0-name": "张三丰",
                "petitioners-0-id_number": "",
            },
        )
        data.pop("petitioners-1-name")
        data.pop("petitioners-1-id_number")
        client = client_for(cast["staff"])
        address = reverse("petitions:petition_update", args=[petition.pk])
        response = client.post(address, data)
        assert "修改原因" in response.content.decode() and response.status_code == 200
        response = client.post(address, {**data, "change_reason": "更正姓名"})
        assert response.status_code == 302
        person.refresh_from_db()
        assert (person.name, person.id_number) == ("张三丰", ID_A)
        assert person.history.first().history_change_reason == "更正姓名"

    def test_removing_a_petitioner(self, client_for, cast, village_a):
        petition = PetitionFactory(village=village_a, person_count=2)
        keep = PetitionerFactory(petition=petition)
        drop = PetitionerFactory(petition=petition, name="李四", id_number=ID_B)
        data = petition_data(
            village_a,
            change_reason="误录",
            **{
                "petitioners-INITIAL_FORMS": "2",
                "petitioners-0-id": str(keep.pk),
                "petitioners-0-id_number": "",
                "petitioners-1-id": str(drop.pk),
                "petitioners-1-name": "李四",
                "petitioners-1-id_number": "",
                "petitioners-1-DELETE": "on",
            },
        )
        response = client_for(cast["staff"]).post(
            reverse("petitions:petition_update", args=[petition.pk]), data
        )
        assert response.status_code == 302
        assert list(petition.petitioners.all()) == [keep]

    def test_the_carried_opinion_offers_only_visible_villages(self, client_for, cast, village_a):
        from tests.petitions.factories import ReceptionLogFactory

        mine = ReceptionLogFactory(village=village_a, visitor_name="本镇来访人")
        ReceptionLogFactory(
            village=cast["other_staff"].township.villages.get(), visitor_name="外镇人"
        )
        body = client_for(cast["staff"]).get(reverse("petitions:petition_create")).content.decode()
        assert mine.visitor_name in body
        assert "外镇人" not in body


class TestOtherForms:
    def test_reception_log_mediator_required_when_issued(self, client_for, cast, village_a):
        data = {
            "village": village_a.pk,
            "date": "2026-04-02",
            "visitor_name": "王五",
            "matter": "邻里排水",
            "reply": "已协调",
            "opinion_issued": "on",
            "mediator_name": "",
        }
        client = client_for(cast["staff"])
        response = client.post(reverse("petitions:reception_create"), data)
        assert "出具处理意见书时须有调解员签名" in response.content.decode()
        assert not ReceptionLog.objects.exists()
        response = client.post(
            reverse("petitions:reception_create"), {**data, "mediator_name": "调解员甲"}
        )
        assert response.status_code == 302
        assert ReceptionLog.objects.get().mediator_name == "调解员甲"

    def test_baobao_entry_offers_the_townships_people(self, client_for, cast, village_a):
        person = PersonFactory(township=village_a.township, name="包保干部甲")
        data = {
            "village": village_a.pk,
            "petitioner_name": "张三",
            "matter": "土地",
            "responsible_person": person.pk,
            "start": "2026-03-01",
        }
        client = client_for(cast["staff"])
        response = client.post(reverse("petitions:baobao_create"), {**data, "end": "2026-02-01"})
        assert "终止日期不能早于起始日期" in response.content.decode()
        assert not BaobaoEntry.objects.exists()
        assert client.post(reverse("petitions:baobao_create"), data).status_code == 302
        assert BaobaoEntry.objects.get().responsible == "包保干部甲"

    def test_staff_report_cannot_list_another_villages_dispute(
        self, client_for, cast, village_a, village_b
    ):
        foreign = DisputeFactory(village=village_b)
        data = {
            "village": village_a.pk,
            "year": "2026",
            "month": "4",
            "half": "1",
            "submitted_at": "2026-04-13T10:00",
            "signed_by": "李书记",
            "seal_scan": png(),
            "disputes": [foreign.pk],
        }
        client = client_for(cast["staff"])
        response = client.post(reverse("petitions:report_create"), data)
        assert "不属于甲村" in response.content.decode()
        assert not DisputeReport.objects.exists()
        own = DisputeFactory(village=village_a)
        response = client.post(
            reverse("petitions:report_create"), {**data, "disputes": [own.pk], "seal_scan": png()}
        )
        assert response.status_code == 302
        report = DisputeReport.objects.get()
        assert list(report.disputes.all()) == [own]
        assert report.is_complete

    def test_report_detail_shows_local_time_and_deadline(self, client_for, cast, village_a):
        from datetime import datetime

        from tests.petitions.factories import SHANGHAI
        from tests.petitions.factories import DisputeReportFactory

        report = DisputeReportFactory(
            village=village_a, submitted_at=datetime(2026, 4, 15, 8, 30, tzinfo=SHANGHAI)
        )
        body = (
            client_for(cast["staff"])
            .get(reverse("petitions:report_detail", args=[report.pk]))
            .content.decode()
        )
        assert "2026-04-15 08:30" in body and "2026-04-14" in body and "迟报" in body

    def test_a_seal_scan_that_is_not_an_image_or_pdf(self, client_for, cast, village_a):
        data = {
            "village": village_a.pk,
            "year": "2026",
            "month": "4",
            "half": "1",
            "submitted_at": "2026-04-13T10:00",
            "seal_scan": SimpleUploadedFile("seal.png", b"MZ\x90\x00 not a picture"),
        }
        response = client_for(cast["staff"]).post(reverse("petitions:report_create"), data)
        assert "只能上传 PDF、JPEG 或 PNG 文件" in response.content.decode()
        assert not DisputeReport.objects.exists()

    def test_dossier_with_its_three_attachments(self, client_for, cast, village_a):
        dispute = ResolvedDisputeFactory(village=village_a)
        data = {
            "dispute": dispute.pk,
            "mediation_agreement": pdf(),
            "id_copy": png("id.png"),
            "submitted_date": "2026-04-25",
            "centre_result": "pending",
            "judicial_result": "pending",
        }
        client = client_for(cast["staff"])
        response = client.post(reverse("petitions:dossier_create"), data)
        assert response.status_code == 200
        assert not Dossier.objects.exists()
        data.update(
            mediation_agreement=pdf(), id_copy=png("id.png"), village_certificate=pdf("c.pdf")
        )
        response = client.post(reverse("petitions:dossier_create"), data)
        assert response.status_code == 302
        dossier = Dossier.objects.get()
        assert dossier.village == village_a
        with dossier.village_certificate.open("rb") as handle:
            assert handle.read() == PDF

    def test_an_open_dispute_is_not_offered_for_a_dossier(self, client_for, cast, village_a):
        DisputeFactory(village=village_a, parties="未化解的双方")
        body = client_for(cast["staff"]).get(reverse("petitions:dossier_create")).content.decode()
        assert "未化解的双方" not in body

    def test_dossier_review_page(self, client_for, cast, village_a):
        dossier = DossierFactory(dispute=ResolvedDisputeFactory(village=village_a))
        client = client_for(cast["staff"])
        address = reverse("petitions:dossier_review", args=[dossier.pk])
        response = client.post(
            address, {"office": "centre", "result": "rejected", "day": "2026-04-26", "reason": ""}
        )
        assert "退回时须写明原因" in response.content.decode()
        dossier.refresh_from_db()
        assert dossier.centre_result == "pending"
        for office, day in (("centre", "2026-04-26"), ("judicial", "2026-04-29")):
            response = client.post(address, {"office": office, "result": "accepted", "day": day})
            assert response.status_code == 302
        dossier.refresh_from_db()
        assert dossier.accepted_date == date(2026, 4, 29)
        assert client_for(cast["leader"]).get(address).status_code == 403


class TestListsAndHistory:
    def test_filters_by_month_level_and_search(self, client_for, cast, village_a, village_b):
        PetitionFactory(village=village_a, matter="四月区级甲事项", date=date(2026, 4, 3))
        PetitionFactory(
            village=village_b, matter="三月市级乙事项", level="city", date=date(2026, 3, 3)
        )
        with_two = PetitionFactory(village=village_a, matter="有两名信访人", date=date(2026, 4, 5))
        PetitionerFactory(petition=with_two, name="同名")
        PetitionerFactory(petition=with_two, name="同名二", id_number=ID_B)
        client = client_for(cast["staff"])
        address = reverse("petitions:petition_list")
        body = client.get(address, {"month": "2026-04"}).content.decode()
        assert "四月区级甲事项" in body and "三月市级乙事项" not in body
        body = client.get(address, {"level": "city"}).content.decode()
        assert "三月市级乙事项" in body and "四月区级甲事项" not in body
        response = client.get(address, {"q": "同名"})
        assert response.context["paginator"].count == 1
        body = client.get(address, {"village": village_b.pk}).content.decode()
        assert "三月市级乙事项" in body and "四月区级甲事项" not in body

    def test_status_filter_and_report_month(self, client_for, cast, village_a):
        DisputeFactory(village=village_a, parties="未化解方")
        ResolvedDisputeFactory(village=village_a, parties="已化解方")
        body = (
            client_for(cast["staff"])
            .get(reverse("petitions:dispute_list"), {"status": "resolved"})
            .content.decode()
        )
        assert "已化解方" in body and "未化解方" not in body

    def test_delete_asks_a_reason_then_keeps_history(self, client_for, cast, village_a):
        dispute = DisputeFactory(village=village_a)
        client = client_for(cast["staff"])
        address = reverse("petitions:dispute_delete", args=[dispute.pk])
        client.post(address, {"reason": ""})
        assert Dispute.objects.filter(pk=dispute.pk).exists()
        assert client.post(address, {"reason": "重复登记"}).status_code == 302
        assert not Dispute.objects.filter(pk=dispute.pk).exists()
        assert (
            Dispute.history.filter(id=dispute.pk, history_type="-").get().history_change_reason
            == "重复登记"
        )

    def test_detail_shows_history_and_revert_restores(self, client_for, cast, village_a):
        client = client_for(cast["staff"])
        dispute = DisputeFactory(village=village_a, parties="原当事人")
        data = {
            "village": village_a.pk,
            "found_date": "2026-04-03",
            "parties": "改后当事人",
            "matter": dispute.matter,
            "category": "other",
            "status": "open",
            "change_reason": "更正",
        }
        assert (
            client.post(reverse("petitions:dispute_update", args=[dispute.pk]), data).status_code
            == 302
        )
        body = client.get(reverse("petitions:dispute_detail", args=[dispute.pk])).content.decode()
        assert "原当事人 → 改后当事人" in body and "更正" in body
        first = dispute.history.order_by("history_date").first()
        client.post(reverse("petitions:dispute_revert", args=[dispute.pk, first.history_id]))
        dispute.refresh_from_db()
        assert dispute.parties == "原当事人"
