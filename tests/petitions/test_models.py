"""Model validation through core.records.record_save (the one write path)."""

from datetime import date
from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from assessment.models import Period
from assessment.models import PeriodState
from assessment.models import StaleVillageMonth
from core.records import record_dates
from core.records import record_delete
from core.records import record_save
from petitions.choices import Channel
from petitions.choices import DisputeStatus
from petitions.choices import Level
from petitions.choices import ReviewResult
from petitions.choices import Source
from petitions.models import BaobaoEntry
from petitions.models import Dispute
from petitions.models import DisputeReport
from petitions.models import Petition
from petitions.models import Petitioner
from tests.factories import PersonFactory
from tests.factories import TownshipFactory
from tests.petitions.factories import ID_A
from tests.petitions.factories import SHANGHAI
from tests.petitions.factories import BaobaoEntryFactory
from tests.petitions.factories import DisputeFactory
from tests.petitions.factories import DisputeReportFactory
from tests.petitions.factories import DossierFactory
from tests.petitions.factories import PetitionerFactory
from tests.petitions.factories import PetitionFactory
from tests.petitions.factories import ReceptionLogFactory
from tests.petitions.factories import ResolvedDisputeFactory

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as info:
        record_save(instance=instance, user=None, reason="test")
    return info.value.message_dict


class TestPetition:
    def test_a_collective_petition_needs_five_person_times(self, village_a):
        petition = PetitionFactory.build(village=village_a, collective=True, person_count=4)
        assert "person_count" in errors_of(petition)
        assert not Petition.objects.exists()
        petition.person_count = 5
        record_save(instance=petition, user=None)
        assert Petition.objects.count() == 1

    def test_person_count_is_at_least_one(self, village_a):
        petition = PetitionFactory.build(village=village_a, person_count=0)
        assert "person_count" in errors_of(petition)

    def test_a_township_visit_must_say_whether_it_carried_the_opinion(self, village_a):
        petition = PetitionFactory.build(
            village=village_a, level=Level.TOWNSHIP, channel=Channel.VISIT
        )
        assert errors_of(petition)["carried_village_opinion"] == [
            "到镇走访须填写是否持村处理意见书。"
        ]
        petition.carried_village_opinion = False
        record_save(instance=petition, user=None)

    def test_other_petitions_leave_the_opinion_flag_empty(self, village_a):
        petition = PetitionFactory.build(
            village=village_a, level=Level.CITY, carried_village_opinion=True
        )
        assert "carried_village_opinion" in errors_of(petition)

    def test_the_carried_opinion_must_be_the_villages_own_and_issued(self, village_a, village_b):
        other = ReceptionLogFactory(village=village_b)
        petition = PetitionFactory.build(
            village=village_a,
            level=Level.TOWNSHIP,
            channel=Channel.VISIT,
            carried_village_opinion=True,
            carried_opinion=other,
        )
        assert errors_of(petition)["carried_opinion"] == ["所选处理意见书不是本村(居)出具的。"]
        own = ReceptionLogFactory(village=village_a, opinion_issued=False, mediator_name="")
        petition.carried_opinion = own
        assert "carried_opinion" in errors_of(petition)
        own.opinion_issued, own.mediator_name = True, "王调解"
        record_save(instance=own, user=None)
        record_save(instance=petition, user=None)

    def test_a_date_in_the_future_is_refused(self, village_a):
        with time_machine.travel(datetime(2026, 4, 9, 12, tzinfo=SHANGHAI)):
            petition = PetitionFactory.build(village=village_a, date=date(2026, 4, 10))
            assert "date" in errors_of(petition)

    def test_a_source_reference_is_unique_within_its_source(self, village_a):
        PetitionFactory(village=village_a, source=Source.SUNSHINE, source_ref="YG-1")
        again = PetitionFactory.build(village=village_a, source=Source.SUNSHINE, source_ref="YG-1")
        assert "__all__" in errors_of(again)
        other_source = PetitionFactory.build(
            village=village_a, source=Source.DISTRICT_TRANSFER, source_ref="YG-1"
        )
        record_save(instance=other_source, user=None)
        # Hand-entered petitions without a reference never collide.
        PetitionFactory(village=village_a, source_ref="")
        record_save(instance=PetitionFactory.build(village=village_a, source_ref=""), user=None)
        assert Petition.objects.count() == 4

    def test_saving_marks_the_month_stale_with_history(self, village_a, staff_user):
        petition = record_save(
            instance=PetitionFactory.build(village=village_a), user=staff_user, reason="录入"
        )
        assert StaleVillageMonth.objects.filter(village=village_a, year=2026, month=4).exists()
        row = petition.history.get()
        assert (row.history_user, row.history_change_reason) == (staff_user, "录入")

    def test_a_closed_month_refuses_new_petitions(self, village_a):
        Period.objects.create(
            township=village_a.township, year=2026, month=4, state=PeriodState.CLOSED
        )
        petition = PetitionFactory.build(village=village_a)
        with pytest.raises(ValidationError, match="2026年4月"):
            record_save(instance=petition, user=None)


class TestPetitioner:
    def test_the_id_number_is_checked(self, village_a):
        person = PetitionerFactory.build(
            petition=PetitionFactory(village=village_a), id_number=ID_A[:-1] + "9"
        )
        assert errors_of(person)["id_number"] == ["身份证号校验位不正确,请核对号码。"]
        assert not Petitioner.objects.exists()

    def test_stored_whole_shown_masked(self, village_a):
        person = PetitionerFactory(petition=PetitionFactory(village=village_a))
        assert person.id_number == ID_A
        assert person.masked_id == "110101********1233"
        assert ID_A not in str(person)

    def test_lower_case_x_is_stored_upper_case(self, village_a):
        from petitions.rules import id_check_char

        number = "11010519491231002" + id_check_char("11010519491231002")
        person = PetitionerFactory.build(
            petition=PetitionFactory(village=village_a), id_number=number.lower()
        )
        record_save(instance=person, user=None)
        person.refresh_from_db()
        assert person.id_number == number

    def test_petitioner_key_reads_people_and_matter(self, village_a):
        petition = PetitionFactory(village=village_a, matter="土地承包")
        PetitionerFactory(petition=petition)
        assert petition.petitioner_key() == f"{ID_A}|土地承包"


class TestReceptionLog:
    def test_an_issued_opinion_needs_the_mediators_signature(self, village_a):
        log = ReceptionLogFactory.build(village=village_a, mediator_name=" ")
        assert errors_of(log)["mediator_name"] == ["出具处理意见书时须有调解员签名。"]

    def test_no_opinion_no_number(self, village_a):
        log = ReceptionLogFactory.build(
            village=village_a, opinion_issued=False, mediator_name="", opinion_number="YJ-1"
        )
        assert "opinion_number" in errors_of(log)


class TestBaobaoRegister:
    def test_needs_a_responsible_person_or_name(self, village_a):
        entry = BaobaoEntryFactory.build(village=village_a, responsible_name="")
        assert "responsible_name" in errors_of(entry)

    def test_the_responsible_person_must_be_of_the_township(self, village_a):
        stranger = PersonFactory(township=TownshipFactory(code="elsewhere"))
        entry = BaobaoEntryFactory.build(village=village_a, responsible_person=stranger)
        assert "responsible_person" in errors_of(entry)
        entry.responsible_person = PersonFactory(township=village_a.township)
        record_save(instance=entry, user=None)

    def test_end_not_before_start(self, village_a):
        entry = BaobaoEntryFactory.build(village=village_a, end=date(2026, 1, 1))
        assert "end" in errors_of(entry)

    def test_active_on_a_day(self, village_a):
        entry = BaobaoEntryFactory(village=village_a, end=date(2026, 3, 10))
        assert list(BaobaoEntry.objects.active_on(date(2026, 2, 28))) == [entry]
        assert not BaobaoEntry.objects.active_on(date(2026, 3, 31)).exists()
        assert not BaobaoEntry.objects.active_on(date(2026, 1, 4)).exists()

    def test_counts_at_the_month_ends_it_covers_up_to_now(self, village_a):
        with time_machine.travel(datetime(2026, 4, 20, tzinfo=SHANGHAI)):
            entry = BaobaoEntryFactory.build(village=village_a)
            assert record_dates(entry) == [
                date(2026, 1, 31),
                date(2026, 2, 28),
                date(2026, 3, 31),
                date(2026, 4, 30),
            ]
            entry.end = date(2026, 3, 10)
            assert record_dates(entry) == [date(2026, 1, 31), date(2026, 2, 28)]

    def test_ending_an_entry_begun_in_a_closed_month_needs_no_reopening(self, village_a):
        with time_machine.travel(datetime(2026, 4, 20, tzinfo=SHANGHAI)):
            entry = BaobaoEntryFactory(village=village_a)
            Period.objects.create(
                township=village_a.township, year=2026, month=1, state=PeriodState.CLOSED
            )
            entry.end = date(2026, 3, 15)
            record_save(instance=entry, user=None, reason="息访")
            entry.refresh_from_db()
            assert entry.end == date(2026, 3, 15)
            # ... but ending it inside the closed month changes January's register: refused.
            entry.end = date(2026, 1, 20)
            with pytest.raises(ValidationError, match="2026年1月"):
                record_save(instance=entry, user=None, reason="改")
            # Deleting it would change January too.
            entry.refresh_from_db()
            with pytest.raises(ValidationError, match="2026年1月"):
                record_delete(instance=entry, user=None, reason="删")


class TestDispute:
    def test_resolved_needs_a_resolution_date_not_before_finding(self, village_a):
        dispute = DisputeFactory.build(village=village_a, status=DisputeStatus.RESOLVED)
        assert "resolved_date" in errors_of(dispute)
        dispute.resolved_date = date(2026, 4, 1)
        assert errors_of(dispute)["resolved_date"] == ["化解日期不能早于发现日期。"]
        dispute.resolved_date = date(2026, 4, 9)
        record_save(instance=dispute, user=None)

    def test_open_has_no_resolution_date(self, village_a):
        dispute = DisputeFactory.build(village=village_a, resolved_date=date(2026, 4, 9))
        assert "resolved_date" in errors_of(dispute)

    def test_counts_when_found_and_when_resolved(self, village_a):
        dispute = ResolvedDisputeFactory(village=village_a, resolved_date=date(2026, 5, 2))
        assert record_dates(dispute) == [date(2026, 4, 3), date(2026, 5, 2)]

    def test_unreported_means_found_above_and_not_listed_in_time(self, village_a):
        above = DisputeFactory(village=village_a, found_at_town_or_above=True)
        DisputeFactory(village=village_a)  # the village's own screening
        assert list(Dispute.objects.unreported()) == [above]
        late = DisputeReportFactory(
            village=village_a, submitted_at=datetime(2026, 4, 13, 9, tzinfo=SHANGHAI)
        )
        late.disputes.add(above)  # listed on the 13th, found on the 3rd: still unreported
        assert list(Dispute.objects.unreported()) == [above]
        early = DisputeReportFactory(
            village=village_a,
            year=2026,
            month=3,
            half=2,
            submitted_at=datetime(2026, 3, 27, 9, tzinfo=SHANGHAI),
        )
        early.disputes.add(above)
        assert not Dispute.objects.unreported().exists()


class TestDisputeReport:
    def test_due_date_and_lateness_are_computed(self, village_a):
        report = DisputeReportFactory(
            village=village_a, half=2, submitted_at=datetime(2026, 4, 28, 23, 0, tzinfo=SHANGHAI)
        )
        assert report.due_date == date(2026, 4, 28)
        assert not report.is_late
        assert report.is_complete
        report.submitted_at = datetime(2026, 4, 29, 0, 30, tzinfo=SHANGHAI)
        assert report.is_late
        assert not report.is_complete

    def test_counts_in_its_own_month(self, village_a):
        report = DisputeReportFactory(
            village=village_a, month=4, half=2, submitted_at=datetime(2026, 5, 3, tzinfo=SHANGHAI)
        )
        assert record_dates(report) == [date(2026, 4, 28)]

    def test_unsigned_or_unsealed_is_not_complete(self, village_a):
        report = DisputeReportFactory(village=village_a, signed_by="", seal_scan="")
        assert not report.is_signed and not report.is_sealed and not report.is_complete

    def test_one_report_per_half(self, village_a):
        DisputeReportFactory(village=village_a)
        again = DisputeReportFactory.build(village=village_a)
        assert errors_of(again)["__all__"] == ["该村(居)这半月的排查报告已存在。"]
        assert DisputeReport.objects.count() == 1

    def test_month_and_half_are_checked(self, village_a):
        report = DisputeReportFactory.build(village=village_a, month=13, half=3)
        errors = errors_of(report)
        assert "month" in errors and "half" in errors

    def test_a_bad_seal_scan_is_refused(self, village_a):
        from django.core.files.uploadedfile import SimpleUploadedFile

        report = DisputeReportFactory.build(
            village=village_a, seal_scan=SimpleUploadedFile("seal.png", b"GIF89a....")
        )
        assert "seal_scan" in errors_of(report)


class TestDossier:
    def test_only_for_a_resolved_dispute(self, village_a):
        dossier = DossierFactory.build(dispute=DisputeFactory(village=village_a), village=None)
        assert errors_of(dossier)["dispute"] == ["只有已化解的纠纷才能报送化解卷宗。"]

    def test_takes_its_village_from_the_dispute(self, village_a):
        dossier = DossierFactory.build(
            dispute=ResolvedDisputeFactory(village=village_a), village=None
        )
        record_save(instance=dossier, user=None)
        assert dossier.village == village_a

    def test_not_submitted_before_the_resolution(self, village_a):
        dossier = DossierFactory.build(
            dispute=ResolvedDisputeFactory(village=village_a), submitted_date=date(2026, 4, 19)
        )
        assert "submitted_date" in errors_of(dossier)

    def test_a_rejection_needs_a_reason_and_a_date(self, village_a):
        dossier = DossierFactory(dispute=ResolvedDisputeFactory(village=village_a))
        dossier.centre_result = ReviewResult.REJECTED
        errors = errors_of(dossier)
        assert errors["centre_reason"] == ["退回时须写明原因。"]
        assert errors["centre_date"] == ["请填写审核日期。"]

    def test_accepted_on_the_later_review_and_counted_then(self, village_a):
        dossier = DossierFactory(dispute=ResolvedDisputeFactory(village=village_a))
        dossier.centre_result, dossier.centre_date = ReviewResult.ACCEPTED, date(2026, 4, 28)
        assert dossier.accepted_date is None
        dossier.judicial_result, dossier.judicial_date = ReviewResult.ACCEPTED, date(2026, 5, 6)
        record_save(instance=dossier, user=None)
        assert dossier.accepted_date == date(2026, 5, 6)
        assert record_dates(dossier) == [date(2026, 4, 25), date(2026, 5, 6)]

    def test_one_dossier_per_dispute(self, village_a):
        dossier = DossierFactory(dispute=ResolvedDisputeFactory(village=village_a))
        again = DossierFactory.build(dispute=dossier.dispute)
        assert "dispute" in errors_of(again) or "__all__" in errors_of(again)
