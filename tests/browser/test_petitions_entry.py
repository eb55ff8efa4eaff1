"""A staff member enters one record of each petitions kind through the pages, and for each form
one invalid entry shows its error at the field with nothing saved."""

import pytest

from petitions.models import BaobaoEntry
from petitions.models import Dispute
from petitions.models import DisputeReport
from petitions.models import Dossier
from petitions.models import Petition
from petitions.models import Petitioner
from petitions.models import ReceptionLog
from petitions.models import UnreportedCandidate
from tests.factories import PersonFactory
from tests.petitions.factories import ID_A
from tests.petitions.factories import ID_B
from tests.petitions.factories import PDF
from tests.petitions.factories import PNG
from tests.petitions.factories import ResolvedDisputeFactory

pytestmark = pytest.mark.django_db(transaction=True)

PNG_FILE = {"name": "seal.png", "mimeType": "image/png", "buffer": PNG}


def pdf_file(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def staff_page(page, live_server, login, staff_user, village_a, village_b, media):
    login(staff_user)

    def open_form(kind):
        page.goto(f"{live_server.url}/petitions/{kind}/new/")
        assert page.locator("h1").inner_text().startswith("新增")

    def save():
        page.click("form.recordform button.primary")
        page.wait_for_load_state("networkidle")

    page.open_form = open_form
    page.save = save
    return page


def field_error(page, name):
    return page.locator(f".field:has([name='{name}']) .error").inner_text()


def test_petition_with_two_petitioners(staff_page, village_a, console_errors, screenshot):
    page = staff_page
    page.open_form("petition")
    page.select_option("select[name=village]", label=village_a.name)
    page.fill("input[name=date]", "2026-04-10")
    page.select_option("select[name=level]", "district")
    page.select_option("select[name=channel]", "visit")
    page.select_option("select[name=nature]", "abnormal")
    page.fill("input[name=person_count]", "2")
    page.fill("textarea[name=matter]", "反映征地补偿款未到位")
    page.check("input[name=stabilised_in_time][value=False]")
    page.fill("input[name='petitioners-0-name']", "张三")
    page.fill("input[name='petitioners-0-id_number']", ID_A)
    page.click("button[data-add-row]")
    page.fill("input[name='petitioners-1-name']", "李四")
    # Invalid first: a wrong check digit on the second petitioner.
    page.fill("input[name='petitioners-1-id_number']", ID_B[:-1] + "0")
    page.save()
    assert "身份证号校验位不正确" in field_error(page, "petitioners-1-id_number")
    assert Petition.objects.count() == 0 and Petitioner.objects.count() == 0
    screenshot("petition-form-invalid")
    page.fill("input[name='petitioners-1-id_number']", ID_B)
    page.save()
    assert "/petitions/petition/" in page.url and page.locator(".msg-success").is_visible()
    petition = Petition.objects.get()
    assert sorted(petition.petitioners.values_list("id_number", flat=True)) == sorted([ID_A, ID_B])
    body = page.content()
    assert "110101********1233" in body and ID_A not in body
    screenshot("petition-detail")


def test_reception_log(staff_page, village_a, console_errors):
    page = staff_page
    page.open_form("reception")
    page.select_option("select[name=village]", label=village_a.name)
    page.fill("input[name=date]", "2026-04-02")
    page.fill("input[name=visitor_name]", "王五")
    page.fill("textarea[name=matter]", "邻里排水沟纠纷")
    page.fill("textarea[name=reply]", "已约双方到村调解")
    page.check("input[name=opinion_issued]")
    page.save()
    assert "须有调解员签名" in field_error(page, "mediator_name")
    assert ReceptionLog.objects.count() == 0
    page.fill("input[name=mediator_name]", "调解员甲")
    page.fill("input[name=opinion_number]", "YJ-2026-001")
    page.save()
    log = ReceptionLog.objects.get()
    assert (log.opinion_issued, log.mediator_name) == (True, "调解员甲")


def test_baobao_entry(staff_page, village_a, console_errors):
    person = PersonFactory(township=village_a.township, name="包保干部甲")
    page = staff_page
    page.open_form("baobao")
    page.select_option("select[name=village]", label=village_a.name)
    page.fill("input[name=petitioner_name]", "张三")
    page.fill("textarea[name=matter]", "土地承包")
    page.select_option("select[name=responsible_person]", label=person.name)
    page.fill("input[name=start]", "2026-03-01")
    page.fill("input[name=end]", "2026-02-01")
    page.save()
    assert "终止日期不能早于起始日期" in field_error(page, "end")
    assert BaobaoEntry.objects.count() == 0
    page.fill("input[name=end]", "")
    page.save()
    assert BaobaoEntry.objects.get().responsible_person == person


def test_dispute(staff_page, village_a, console_errors):
    page = staff_page
    page.open_form("dispute")
    page.select_option("select[name=village]", label=village_a.name)
    page.fill("input[name=found_date]", "2026-04-03")
    page.fill("input[name=parties]", "赵六、钱七")
    page.fill("textarea[name=matter]", "相邻通行权纠纷")
    page.select_option("select[name=category]", "neighbour")
    page.select_option("select[name=status]", "resolved")
    page.save()
    assert "须填写化解日期" in field_error(page, "resolved_date")
    assert Dispute.objects.count() == 0
    page.fill("input[name=resolved_date]", "2026-04-09")
    page.save()
    assert Dispute.objects.get().resolved_date.isoformat() == "2026-04-09"


def test_dispute_report_with_seal(staff_page, live_server, village_a, console_errors, screenshot):
    from tests.petitions.factories import DisputeFactory

    dispute = DisputeFactory(village=village_a, parties="赵六、钱七")
    page = staff_page
    page.open_form("report")
    page.select_option("select[name=village]", label=village_a.name)
    page.fill("input[name=year]", "2026")
    page.fill("input[name=month]", "4")
    page.select_option("select[name=half]", "1")
    page.fill("input[name=submitted_at]", "2026-04-13T10:00")
    page.fill("input[name=signed_by]", "李书记")
    page.set_input_files(
        "input[name=seal_scan]",
        files=[{"name": "seal.png", "mimeType": "image/png", "buffer": b"not really a png"}],
    )
    page.check(f"input[name=disputes][value='{dispute.pk}']")
    page.save()
    assert "只能上传 PDF、JPEG 或 PNG 文件" in field_error(page, "seal_scan")
    assert DisputeReport.objects.count() == 0
    page.set_input_files("input[name=seal_scan]", files=[PNG_FILE])
    page.save()
    report = DisputeReport.objects.get()
    assert report.is_complete and list(report.disputes.all()) == [dispute]
    link = page.get_by_role("link", name="查看盖章扫描件")
    assert link.is_visible()
    screenshot("report-detail")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"\x89PNG")


def test_dossier_with_attachments_and_review(staff_page, village_a, console_errors, screenshot):
    dispute = ResolvedDisputeFactory(village=village_a, parties="赵六、钱七")
    page = staff_page
    page.open_form("dossier")
    page.select_option("select[name=dispute]", value=str(dispute.pk))
    page.set_input_files("input[name=mediation_agreement]", files=[pdf_file("协议.pdf")])
    page.set_input_files("input[name=id_copy]", files=[PNG_FILE])
    page.fill("input[name=submitted_date]", "2026-04-25")
    page.save()
    assert "必填" in field_error(page, "village_certificate")
    assert Dossier.objects.count() == 0
    screenshot("dossier-form-invalid")
    for name, file in (
        ("mediation_agreement", pdf_file("协议.pdf")),
        ("id_copy", PNG_FILE),
        ("village_certificate", pdf_file("证明.pdf")),
    ):
        page.set_input_files(f"input[name={name}]", files=[file])
    page.save()
    dossier = Dossier.objects.get()
    assert dossier.village == village_a
    page.click("text=录入审核结果")
    page.select_option("select[name=office]", "centre")
    page.select_option("select[name=result]", "rejected")
    page.fill("input[name=day]", "2026-04-26")
    page.click("button.primary")
    assert "退回时须写明原因" in field_error(page, "reason")
    page.select_option("select[name=result]", "accepted")
    page.click("button.primary")
    page.click("text=录入审核结果")
    page.select_option("select[name=office]", "judicial")
    page.select_option("select[name=result]", "accepted")
    page.fill("input[name=day]", "2026-04-28")
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    dossier.refresh_from_db()
    assert dossier.accepted_date.isoformat() == "2026-04-28"
    assert "2026-04-28" in page.locator("dl.fields").first.inner_text()
    screenshot("dossier-detail")


def test_unreported_candidate_confirmed(
    staff_page, live_server, village_a, console_errors, screenshot
):
    from tests.petitions.factories import PetitionerFactory
    from tests.petitions.factories import PetitionFactory

    petition = PetitionFactory(village=village_a, matter="拖欠工程款", level="city")
    PetitionerFactory(petition=petition, name="周九")
    page = staff_page
    page.goto(f"{live_server.url}/petitions/candidates/")
    page.click("text=比对信访事件与纠纷台账")
    page.wait_for_load_state("networkidle")
    row = page.locator("tr", has_text="拖欠工程款")
    assert row.is_visible()
    screenshot("candidates")
    # Dismissing without a reason is stopped by the browser (required), so nothing changes.
    row.locator("form.decide").nth(1).locator("button").click()
    assert UnreportedCandidate.objects.get().state == "pending"
    row.locator("select[name=category]").select_option("labour")
    row.locator("form.decide").first.locator("button").click()
    page.wait_for_load_state("networkidle")
    assert UnreportedCandidate.objects.get().state == "confirmed"
    dispute = Dispute.objects.get()
    assert dispute.found_at_town_or_above and dispute.parties == "周九"
