"""The secretary's portal: its own village only, the half being worked on, drafts and
submission with disputes added in place, overdue halves, and the way back for staff."""

from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.urls import reverse_lazy

from petitions.models import Dispute
from petitions.models import DisputeReport
from tests.petitions.factories import SHANGHAI
from tests.petitions.factories import DisputeFactory
from tests.petitions.factories import DisputeReportFactory
from tests.petitions.factories import png

pytestmark = pytest.mark.django_db

PORTAL = reverse_lazy("petitions:portal")


@pytest.fixture
def april_20():
    with time_machine.travel(datetime(2026, 4, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


def post_data(**extra):
    data = {
        "signed_by": "李书记",
        "new-TOTAL_FORMS": "1",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "1000",
        "new-0-found_date": "2026-04-20",
        "new-0-parties": "",
        "new-0-matter": "",
        "new-0-category": "other",
        "action": "submit",
    }
    data.update(extra)
    return data


def test_a_secretary_lands_on_the_portal(client_for, cast, april_20):
    response = client_for(cast["secretary_a"]).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == str(PORTAL)


def test_the_portal_shows_the_current_half_and_due_day(client_for, cast, village_a, april_20):
    body = client_for(cast["secretary_a"]).get(PORTAL).content.decode()
    assert "甲村" in body
    assert "2026年4月28日" in body and "还有 8 天" in body
    assert "2026年4月上半月" in body  # overdue: nothing was sent for the first half


def test_submitting_with_a_new_dispute_and_the_seal(client_for, cast, village_a, april_20):
    listed = DisputeFactory(village=village_a, parties="旧纠纷双方")
    data = post_data(
        seal_scan=png(),
        disputes=[listed.pk],
        **{
            "new-0-parties": "新甲、新乙",
            "new-0-matter": "排水沟堵塞",
            "new-0-found_date": "2026-04-18",
        },
    )
    response = client_for(cast["secretary_a"]).post(PORTAL, data)
    assert response.status_code == 302
    report = DisputeReport.objects.get()
    assert (report.year, report.month, report.half) == (2026, 4, 2)
    assert report.submitted_at == datetime(2026, 4, 20, 10, 0, tzinfo=SHANGHAI)
    assert report.is_complete
    assert set(report.disputes.values_list("parties", flat=True)) == {"旧纠纷双方", "新甲、新乙"}


def test_a_zero_report(client_for, cast, village_a, april_20):
    response = client_for(cast["secretary_a"]).post(PORTAL, post_data(seal_scan=png()))
    assert response.status_code == 302
    report = DisputeReport.objects.get()
    assert report.disputes.count() == 0 and report.is_complete


def test_a_draft_is_not_submitted(client_for, cast, village_a, april_20):
    client_for(cast["secretary_a"]).post(PORTAL, post_data(action="draft"))
    assert DisputeReport.objects.get().submitted_at is None


def test_an_invalid_new_dispute_saves_nothing(client_for, cast, village_a, april_20):
    data = post_data(
        **{"new-0-parties": "甲", "new-0-matter": "", "new-0-found_date": "2026-04-18"}
    )
    response = client_for(cast["secretary_a"]).post(PORTAL, data)
    assert response.status_code == 200
    assert "该字段是必填项" in response.content.decode()
    assert not DisputeReport.objects.exists() and not Dispute.objects.exists()


def test_a_bad_seal_file_saves_nothing(client_for, cast, village_a, april_20):
    fake = SimpleUploadedFile("seal.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = client_for(cast["secretary_a"]).post(PORTAL, post_data(seal_scan=fake))
    assert "只能上传 PDF、JPEG 或 PNG 文件" in response.content.decode()
    assert not DisputeReport.objects.exists()


def test_another_villages_dispute_cannot_be_ticked(client_for, cast, village_b, april_20):
    foreign = DisputeFactory(village=village_b)
    response = client_for(cast["secretary_a"]).post(PORTAL, post_data(disputes=[foreign.pk]))
    assert response.status_code == 200
    assert not DisputeReport.objects.exists()


def test_a_submitted_report_is_shown_not_editable(client_for, cast, village_a, april_20):
    DisputeReportFactory(
        village=village_a, half=2, submitted_at=datetime(2026, 4, 19, 9, tzinfo=SHANGHAI)
    )
    client = client_for(cast["secretary_a"])
    body = client.get(PORTAL).content.decode()
    assert 'name="action"' not in body and "已报送" in body
    client.post(PORTAL, post_data(signed_by="改签"))
    assert DisputeReport.objects.get().signed_by == "李书记"


def test_a_past_half_can_be_sent_late(client_for, cast, village_a, april_20):
    address = reverse("petitions:portal_half", args=[2026, 4, 1])
    client = client_for(cast["secretary_a"])
    assert "补报的报告计为迟报" in client.get(address).content.decode()
    client.post(address, post_data(seal_scan=png()))
    report = DisputeReport.objects.get()
    assert (report.month, report.half, report.is_late) == (4, 1, True)


def test_a_future_half_is_404(client_for, cast, april_20):
    client = client_for(cast["secretary_a"])
    assert client.get(reverse("petitions:portal_half", args=[2026, 5, 1])).status_code == 404
    assert client.get(reverse("petitions:portal_half", args=[2026, 4, 3])).status_code == 404


def test_secretary_b_sees_only_its_own_village(client_for, cast, village_a, april_20):
    DisputeReportFactory(village=village_a, signed_by="甲村签名人")
    DisputeFactory(village=village_a, parties="甲村纠纷当事人")
    body = client_for(cast["secretary_b"]).get(PORTAL).content.decode()
    assert "乙村" in body
    assert "甲村签名人" not in body and "甲村纠纷当事人" not in body


def test_staff_are_sent_to_the_report_form_and_leaders_refused(client_for, cast, april_20):
    response = client_for(cast["staff"]).get(PORTAL)
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:report_create")
    assert client_for(cast["leader"]).get(PORTAL).status_code == 403


def test_after_an_error_the_page_asks_for_the_scan_again(client_for, cast, village_a, april_20):
    data = post_data(seal_scan=png(), **{"new-0-parties": "甲", "new-0-found_date": "2026-04-18"})
    body = client_for(cast["secretary_a"]).post(PORTAL, data).content.decode()
    assert "请重新选择盖章扫描件后再报送" in body
    assert not DisputeReport.objects.exists()


# --- a village that does not owe the half (Village.owes_report) ---------------------------------


def test_a_merged_village_is_not_shown_its_current_half_as_due(
    client_for, cast, village_a, village_b, april_20
):
    from datetime import date

    village_a.active_until = date(2026, 3, 31)
    village_a.merged_into = village_b
    village_a.save()
    client = client_for(cast["secretary_a"])
    body = client.get(PORTAL).content.decode()
    assert "本村(居)自 2026年4月1日 起不再参加考核(已并入乙村),无需报送排查报告。" in body
    assert "还有 8 天" not in body and "下一个截止日" not in body
    assert 'name="signed_by"' not in body and "本期报告" not in body

    response = client.post(PORTAL, post_data())
    assert response.status_code == 200
    assert not DisputeReport.objects.filter(village=village_a).exists()


def test_a_village_not_active_yet_is_told_when_it_starts(client_for, cast, village_a, april_20):
    from datetime import date

    village_a.active_from = date(2026, 5, 1)
    village_a.save()
    body = client_for(cast["secretary_a"]).get(PORTAL).content.decode()
    assert "本村(居)自 2026年5月1日 起参加考核,此前各期无需报送排查报告。" in body
    assert "还有 8 天" not in body and 'name="signed_by"' not in body
    # and an earlier half, asked for by its address, has no form either
    body = (
        client_for(cast["secretary_a"])
        .get(reverse("petitions:portal_half", args=[2026, 4, 1]))
        .content.decode()
    )
    assert "此前各期无需报送排查报告" in body and 'name="signed_by"' not in body


def test_a_village_active_from_mid_half_owes_the_next_half_only(
    client_for, cast, village_a, april_20
):
    from datetime import date

    village_a.active_from = date(2026, 4, 18)  # after the 15th: the second half is not owed
    village_a.save()
    body = client_for(cast["secretary_a"]).get(PORTAL).content.decode()
    assert "本村(居)自 2026年4月18日 起参加考核" in body
