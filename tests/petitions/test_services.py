"""Services and selectors: report submission, the portal's reading of deadlines, the 包保
register at a day, unreported-dispute candidates, dossier review."""

from datetime import date
from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Period
from assessment.models import StaleVillageMonth
from assessment.periods import PeriodClosedError
from petitions import selectors
from petitions import services
from petitions.choices import CandidateState
from petitions.choices import DisputeStatus
from petitions.models import Dispute
from petitions.models import DisputeReport
from petitions.models import Petition
from petitions.models import Petitioner
from petitions.models import UnreportedCandidate
from tests.petitions.factories import ID_A
from tests.petitions.factories import SHANGHAI
from tests.petitions.factories import BaobaoEntryFactory
from tests.petitions.factories import DisputeFactory
from tests.petitions.factories import DisputeReportFactory
from tests.petitions.factories import DossierFactory
from tests.petitions.factories import PetitionerFactory
from tests.petitions.factories import PetitionFactory
from tests.petitions.factories import ResolvedDisputeFactory
from tests.petitions.factories import png

pytestmark = pytest.mark.django_db


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=SHANGHAI), tick=False)


class TestReportSubmit:
    def test_submission_is_stamped_by_the_server_clock(self, village_a, secretary_a):
        listed = DisputeFactory(village=village_a)
        with at(2026, 4, 14, 21, 30):
            report = services.report_submit(
                village=village_a,
                year=2026,
                month=4,
                half=1,
                user=secretary_a,
                signed_by=" 李书记 ",
                seal_scan=png(),
                disputes=[listed],
                new_disputes=[
                    Dispute(found_date=date(2026, 4, 12), parties="新甲、新乙", matter="排水")
                ],
            )
        assert report.submitted_at == datetime(2026, 4, 14, 21, 30, tzinfo=SHANGHAI)
        assert report.is_complete and report.signed_by == "李书记"
        assert set(report.disputes.values_list("parties", flat=True)) == {
            listed.parties,
            "新甲、新乙",
        }
        new = Dispute.objects.get(parties="新甲、新乙")
        assert new.village == village_a and not new.found_at_town_or_above
        assert new.history.get().history_user == secretary_a

    def test_after_the_due_day_it_is_kept_but_late(self, village_a, secretary_a):
        with at(2026, 4, 15, 0, 5):
            report = services.report_submit(
                village=village_a, year=2026, month=4, half=1, user=secretary_a
            )
        assert report.is_late and DisputeReport.objects.count() == 1

    def test_a_draft_then_the_submission(self, village_a, secretary_a):
        with at(2026, 4, 10, 9):
            draft = services.report_submit(
                village=village_a, year=2026, month=4, half=1, user=secretary_a, submit=False
            )
            assert draft.submitted_at is None
            final = services.report_submit(
                village=village_a, year=2026, month=4, half=1, user=secretary_a, signed_by="李"
            )
        assert final.pk == draft.pk and final.is_submitted

    def test_a_submitted_report_is_final_for_the_village(self, village_a, secretary_a):
        DisputeReportFactory(village=village_a, signed_by="")
        with at(2026, 4, 14, 9), pytest.raises(ValidationError, match="已于"):
            services.report_submit(
                village=village_a, year=2026, month=4, half=1, user=secretary_a, signed_by="补签"
            )
        assert DisputeReport.objects.get().signed_by == ""

    def test_another_village_is_refused(self, village_b, secretary_a):
        with pytest.raises(PermissionDenied):
            services.report_submit(village=village_b, year=2026, month=4, half=1, user=secretary_a)

    def test_another_villages_dispute_cannot_be_listed(self, village_a, village_b, secretary_a):
        foreign = DisputeFactory(village=village_b)
        with at(2026, 4, 10, 9), pytest.raises(ValidationError):
            services.report_submit(
                village=village_a, year=2026, month=4, half=1, user=secretary_a, disputes=[foreign]
            )
        assert not DisputeReport.objects.exists()

    def test_an_invalid_new_dispute_saves_nothing(self, village_a, secretary_a):
        with at(2026, 4, 10, 9), pytest.raises(ValidationError):
            services.report_submit(
                village=village_a,
                year=2026,
                month=4,
                half=1,
                user=secretary_a,
                new_disputes=[
                    Dispute(found_date=date(2026, 4, 9), parties="甲", matter="好的"),
                    Dispute(found_date=date(2026, 4, 30), parties="乙", matter="未来"),
                ],
            )
        assert not Dispute.objects.exists() and not DisputeReport.objects.exists()


class TestPortalStatus:
    def test_current_half_next_due_day_and_overdue_halves(self, village_a):
        DisputeReportFactory(
            village=village_a,
            year=2026,
            month=1,
            half=1,
            submitted_at=datetime(2026, 1, 14, 8, tzinfo=SHANGHAI),
        )  # on time
        DisputeReportFactory(
            village=village_a,
            year=2026,
            month=1,
            half=2,
            submitted_at=datetime(2026, 1, 29, 8, tzinfo=SHANGHAI),
        )  # late
        DisputeReportFactory(village=village_a, year=2026, month=2, half=1, submitted_at=None)
        status = selectors.portal_status(village_a, date(2026, 2, 20))
        assert status.current.key == (2026, 2, 2)
        assert status.current.due == date(2026, 2, 28)
        assert status.days_left == 8
        assert [(h.key, h.state) for h in status.overdue] == [
            ((2026, 1, 2), "late"),
            ((2026, 2, 1), "draft"),
        ]

    def test_a_half_with_nothing_is_missing(self, village_a):
        status = selectors.portal_status(village_a, date(2026, 1, 15))
        assert [(h.key, h.state) for h in status.overdue] == [((2026, 1, 1), "missing")]

    def test_the_due_day_itself_is_not_overdue(self, village_a):
        status = selectors.portal_status(village_a, date(2026, 1, 14))
        assert status.overdue == [] and status.days_left == 0

    def test_after_the_28th_the_next_months_first_half(self, village_a):
        status = selectors.portal_status(village_a, date(2026, 1, 30))
        assert status.current.key == (2026, 2, 1)
        assert [h.key for h in status.overdue] == [(2026, 1, 1), (2026, 1, 2)]

    def test_unsigned_reports_are_incomplete_not_overdue(self, village_a):
        DisputeReportFactory(
            village=village_a,
            year=2026,
            month=1,
            half=1,
            signed_by="",
            submitted_at=datetime(2026, 1, 13, 8, tzinfo=SHANGHAI),
        )
        status = selectors.portal_status(village_a, date(2026, 1, 20))
        assert status.overdue == []
        assert status.reports[0].is_signed is False


class TestBaobaoRegister:
    def test_villages_with_an_active_entry_at_a_day(self, village_a, village_b):
        BaobaoEntryFactory(village=village_a, start=date(2026, 3, 1))
        BaobaoEntryFactory(village=village_b, start=date(2026, 1, 1), end=date(2026, 2, 10))
        ids = [village_a.pk, village_b.pk]
        assert selectors.villages_with_baobao_register(ids, date(2026, 1, 31)) == {village_b.pk}
        assert selectors.villages_with_baobao_register(ids, date(2026, 2, 28)) == set()
        assert selectors.villages_with_baobao_register(ids, date(2026, 3, 31)) == {village_a.pk}


class TestCandidates:
    def make(self, village, matter, names, day=date(2026, 4, 10), level="district"):
        petition = PetitionFactory(village=village, matter=matter, date=day, level=level)
        for i, name in enumerate(names):
            PetitionerFactory(petition=petition, name=name, id_number="")
            assert i < 5
        return petition

    def test_petitions_no_ledger_dispute_covers(self, village_a, village_b, staff_user):
        DisputeFactory(village=village_a, parties="赵六、钱七", matter="宅基地界址")
        by_party = self.make(village_a, "别的事项", ["钱七"])
        by_matter = self.make(village_a, "反映宅基地界址不清", ["孙八"])
        uncovered = self.make(village_a, "拖欠工程款", ["周九"])
        other_village = self.make(village_b, "宅基地界址", ["吴十"])  # A's ledger does not count
        created = services.candidates_refresh(villages=[village_a, village_b], user=staff_user)
        assert {c.petition for c in created} == {uncovered, other_village}
        assert by_party.pk and by_matter.pk
        # A second run creates nothing twice.
        assert services.candidates_refresh(villages=[village_a, village_b], user=staff_user) == []
        assert UnreportedCandidate.objects.count() == 2

    def test_a_dispute_registered_after_the_petition_does_not_cover_it(self, village_a, staff_user):
        DisputeFactory(village=village_a, matter="拖欠工程款", found_date=date(2026, 4, 11))
        petition = self.make(village_a, "拖欠工程款", ["周九"])
        created = services.candidates_refresh(villages=[village_a], user=staff_user)
        assert [c.petition for c in created] == [petition]

    def test_a_pending_candidate_is_withdrawn_once_covered(self, village_a, staff_user):
        petition = self.make(village_a, "拖欠工程款", ["周九"])
        services.candidates_refresh(villages=[village_a], user=staff_user)
        DisputeFactory(village=village_a, parties="周九", found_date=date(2026, 4, 1))
        services.candidates_refresh(villages=[village_a], user=staff_user)
        assert not UnreportedCandidate.objects.filter(petition=petition).exists()

    def test_confirm_registers_an_unreported_dispute(self, village_a, staff_user):
        petition = self.make(village_a, "拖欠工程款", ["周九", "郑十"], level="city")
        (candidate,) = services.candidates_refresh(villages=[village_a], user=staff_user)
        dispute = services.candidate_confirm(
            candidate=candidate, user=staff_user, reason="村未排查上报", category="labour"
        )
        assert (dispute.village, dispute.found_date, dispute.parties) == (
            village_a,
            petition.date,
            "周九、郑十",
        )
        assert dispute.found_at_town_or_above and dispute.status == DisputeStatus.OPEN
        assert dispute.category == "labour" and not dispute.reports.exists()
        assert list(Dispute.objects.unreported()) == [dispute]
        candidate.refresh_from_db()
        assert (candidate.state, candidate.decided_by, candidate.dispute) == (
            CandidateState.CONFIRMED,
            staff_user,
            dispute,
        )
        with pytest.raises(ValidationError, match="不能重复处理"):
            services.candidate_confirm(candidate=candidate, user=staff_user)
        assert Dispute.objects.count() == 1

    def test_dismiss_keeps_who_and_why(self, village_a, staff_user):
        self.make(village_a, "拖欠工程款", ["周九"])
        (candidate,) = services.candidates_refresh(villages=[village_a], user=staff_user)
        with pytest.raises(ValidationError):
            services.candidate_dismiss(candidate=candidate, user=staff_user, reason=" ")
        services.candidate_dismiss(candidate=candidate, user=staff_user, reason="非纠纷,咨询政策")
        candidate.refresh_from_db()
        assert candidate.state == CandidateState.DISMISSED
        assert (candidate.decided_by, candidate.reason) == (staff_user, "非纠纷,咨询政策")
        assert not Dispute.objects.exists()
        # Decided candidates stay as they are on later runs.
        services.candidates_refresh(villages=[village_a], user=staff_user)
        candidate.refresh_from_db()
        assert candidate.state == CandidateState.DISMISSED

    def test_secretaries_and_outsiders_are_refused(self, village_a, secretary_a, other_staff):
        for user in (secretary_a, other_staff):
            with pytest.raises(PermissionDenied):
                services.candidates_refresh(villages=[village_a], user=user)

    def test_the_pages_confirm_and_dismiss(self, client_for, cast, village_a):
        from django.urls import reverse

        self.make(village_a, "拖欠工程款", ["周九"])
        self.make(village_a, "噪音扰民", ["吴十"])
        client = client_for(cast["staff"])
        client.post(reverse("petitions:candidate_refresh"))
        first, second = UnreportedCandidate.objects.order_by("pk")
        body = client.get(reverse("petitions:candidate_list")).content.decode()
        assert "拖欠工程款" in body and "噪音扰民" in body
        client.post(
            reverse("petitions:candidate_decide", args=[first.pk, "confirm"]),
            {"category": "labour"},
        )
        client.post(
            reverse("petitions:candidate_decide", args=[second.pk, "dismiss"]), {"reason": ""}
        )
        second.refresh_from_db()
        assert second.state == CandidateState.PENDING  # a dismissal without a reason is refused
        client.post(
            reverse("petitions:candidate_decide", args=[second.pk, "dismiss"]), {"reason": "已息访"}
        )
        states = dict(UnreportedCandidate.objects.values_list("pk", "state"))
        assert states == {first.pk: "confirmed", second.pk: "dismissed"}
        assert Dispute.objects.get().found_at_town_or_above


class TestDossierReview:
    def test_both_offices_accept(self, village_a, staff_user):
        dossier = DossierFactory(dispute=ResolvedDisputeFactory(village=village_a))
        services.dossier_review(
            dossier=dossier,
            office="judicial",
            result="accepted",
            day=date(2026, 5, 2),
            user=staff_user,
        )
        dossier = services.dossier_review(
            dossier=dossier,
            office="centre",
            result="accepted",
            day=date(2026, 4, 30),
            user=staff_user,
        )
        assert dossier.accepted_date == date(2026, 5, 2)
        assert dossier.history.first().history_change_reason == "综治中心审核通过"

    def test_a_review_before_the_submission_is_refused(self, village_a, staff_user):
        dossier = DossierFactory(dispute=ResolvedDisputeFactory(village=village_a))
        with pytest.raises(ValidationError) as info:
            services.dossier_review(
                dossier=dossier,
                office="centre",
                result="accepted",
                day=date(2026, 4, 1),
                user=staff_user,
            )
        assert "day" in info.value.message_dict

    def test_a_leader_cannot_review(self, village_a, leader_user):
        dossier = DossierFactory(dispute=ResolvedDisputeFactory(village=village_a))
        with pytest.raises(PermissionDenied):
            services.dossier_review(
                dossier=dossier,
                office="centre",
                result="accepted",
                day=date(2026, 4, 26),
                user=leader_user,
            )


class TestPetitionsCreate:
    """The import's bulk write: what record_save does for one record, done once for many."""

    @staticmethod
    def rows(village, n, ref="YG"):
        return [
            (
                PetitionFactory.build(village=village, source_ref=f"{ref}-{i}", source="sunshine"),
                [("张三", ID_A), ("李四", "")][: 1 + i % 2],
            )
            for i in range(n)
        ]

    def test_each_petition_and_petitioner_has_one_attributed_history_row(
        self, village_a, staff_user
    ):
        created = services.petitions_create(
            rows=self.rows(village_a, 3), user=staff_user, reason="导入 4月.xlsx"
        )
        assert Petition.objects.count() == 3 and Petitioner.objects.count() == 4
        assert {p.pk for p in created} == set(Petition.objects.values_list("pk", flat=True))
        for model in (Petition, Petitioner):
            rows = list(model.history.all())
            assert len(rows) == model.objects.count()
            assert {(r.history_user, r.history_change_reason, r.history_type) for r in rows} == {
                (staff_user, "导入 4月.xlsx", "+")
            }
            assert {r.version for r in rows} == {1}

    def test_the_touched_village_months_are_marked_once(self, village_a, village_b, staff_user):
        rows = self.rows(village_a, 4) + self.rows(village_b, 2, ref="B")
        rows[0][0].date = date(2026, 3, 31)
        services.petitions_create(rows=rows, user=staff_user, reason="导入")
        marks = set(StaleVillageMonth.objects.values_list("village_id", "year", "month"))
        assert marks == {
            (village_a.pk, 2026, 3),
            (village_a.pk, 2026, 4),
            (village_b.pk, 2026, 4),
        }

    def test_the_queries_grow_by_batches_not_by_rows(self, village_a, staff_user):
        services.petitions_create(rows=self.rows(village_a, 1, ref="W"), user=staff_user, reason="")
        counts = []  # after a first import has marked the month stale (the marks then update)
        for n, ref in ((5, "S"), (300, "L")):
            with CaptureQueriesContext(connection) as queries:
                services.petitions_create(
                    rows=self.rows(village_a, n, ref=ref), user=staff_user, reason="导入"
                )
            counts.append(len(queries))
        # SQLite caps the parameters of one INSERT, so large writes take a few more batches:
        # far fewer than one query per row (record_save took several per row).
        assert counts[1] - counts[0] < 295 / 10

    def test_a_closed_month_saves_nothing(self, township, village_a, staff_user):
        Period.objects.create(township=township, year=2026, month=4, state="closed")
        with pytest.raises(PeriodClosedError):
            services.petitions_create(rows=self.rows(village_a, 2), user=staff_user, reason="x")
        assert not Petition.objects.exists() and not Petition.history.exists()

    def test_another_townships_village_is_refused(self, other_village, staff_user):
        with pytest.raises(PermissionDenied):
            services.petitions_create(rows=self.rows(other_village, 1), user=staff_user, reason="x")
        assert not Petition.objects.exists()
