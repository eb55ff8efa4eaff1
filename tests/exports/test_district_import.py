"""The district's 阳光信访 list: imported once, each row sent to the township of its village,
a village never guessed, all rows of every township or none, never twice; for the district's
staff only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from assessment.models import Period
from assessment.models import StaleVillageMonth
from exports.district_import import run_district_import
from exports.district_import import township_counts
from exports.models import ImportBatch
from petitions.models import Petition
from petitions.models import Petitioner
from tests.factories import AreaFactory
from tests.factories import DistrictFactory
from tests.factories import TownshipFactory
from tests.factories import UserFactory
from tests.factories import VillageFactory
from villages.models import District

from .helpers import PETITION_HEADERS
from .helpers import petition_row
from .helpers import xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [*PETITION_HEADERS, "镇"]
VILLAGE_COLUMN = "所属村(居)"


def _township(district, name, *villages):
    township = TownshipFactory(name=name, code=f"{district.code}-{name}", district=district)
    area = AreaFactory(township=township, name=f"{name}片")
    for village in villages:
        VillageFactory(area=area, name=village)
    return township


def row(ref, village, township="", **kw):
    return [*petition_row(ref, village=village, **kw), township]


@pytest.fixture
def district(db):
    """清河区: 东镇 (甲村, 同名村), 西镇 (乙村, 同名村), 南镇 (丙村)."""
    district = DistrictFactory(name="清河区", code="qinghe-qu")
    _township(district, "东镇", "甲村", "同名村")
    _township(district, "西镇", "乙村", "同名村")
    _township(district, "南镇", "丙村")
    return district


@pytest.fixture
def elsewhere(db):
    """Another district's township, whose villages are 外村 and (also) 甲村."""
    other = DistrictFactory(name="外区", code="wai-qu")
    return _township(other, "外镇", "外村", "甲村")


@pytest.fixture
def district_staff(district):
    return UserFactory(username="qu-staff", role=Role.DISTRICT_STAFF, district=district)


@pytest.fixture
def district_leader(district):
    return UserFactory(username="qu-leader", role=Role.DISTRICT_LEADER, district=district)


def _run(data, district, user, dry_run=False, filename="区阳光信访4月.xlsx"):
    return run_district_import(
        data, district=district, user=user, filename=filename, dry_run=dry_run
    )


def _townships_of_refs():
    return dict(Petition.objects.values_list("source_ref", "village__township__name"))


def test_rows_for_three_townships_go_each_to_its_township(district, district_staff, elsewhere):
    data = xlsx(
        HEADERS,
        row("QY-1", "甲村"),  # also a village of 外区: only the district's own is looked at
        row("QY-2", "乙村", people="张三、李四", count=2),
        row("QY-3", "丙村", "南镇"),
        row("QY-4", "同名村", "西镇"),
    )
    preview = _run(data, district, district_staff, dry_run=True)
    assert preview.ok, preview.error_rows
    assert [(r.excel_row, r.status, r.township) for r in preview.rows] == [
        (2, "new", "东镇"),
        (3, "new", "西镇"),
        (4, "new", "南镇"),
        (5, "new", "西镇"),
    ]
    assert not Petition.objects.exists()

    outcome = _run(data, district, district_staff)
    assert outcome.imported
    assert _townships_of_refs() == {"QY-1": "东镇", "QY-2": "西镇", "QY-3": "南镇", "QY-4": "西镇"}
    assert Petitioner.objects.filter(petition__source_ref="QY-2").count() == 2
    history = Petition.history.filter(history_user=district_staff)
    assert history.count() == 4
    assert set(history.values_list("history_change_reason", flat=True)) == {
        "导入 区阳光信访4月.xlsx"
    }
    assert Petitioner.history.filter(history_user=district_staff).count() == 5
    # Each township's month is marked for its recompute.
    marked = StaleVillageMonth.objects.filter(year=2026, month=4)
    assert set(marked.values_list("village__township__name", flat=True)) == {"东镇", "西镇", "南镇"}


def test_the_report_counts_the_rows_of_each_township():
    rows = [("东镇", "new"), ("东镇", "skip"), ("西镇", "new"), ("", "error")]
    found = township_counts(rows, ["东镇", "南镇", "西镇"])
    assert [(t["township"], t["rows"]) for t in found] == [
        ("东镇", 2),
        ("南镇", 0),
        ("西镇", 1),
        ("", 1),
    ]
    assert found[0]["counts"]["new"] == 1 and found[0]["counts"]["skip"] == 1
    assert found[3]["counts"]["error"] == 1


def test_a_village_of_another_district_is_not_matched(district, district_staff, elsewhere):
    data = xlsx(
        HEADERS,
        row("QY-1", "甲村"),
        row("QY-2", "外村"),
        row("QY-3", "外村", "外镇"),
        row("QY-4", "乙村", "外镇"),
    )
    outcome = _run(data, district, district_staff)
    assert not outcome.imported
    bad = {r.excel_row: r for r in outcome.error_rows}
    assert sorted(bad) == [3, 4, 5]
    assert bad[3].errors == [(VILLAGE_COLUMN, "清河区没有名为“外村”的村(居)。")]
    assert ("镇", "清河区没有名为“外镇”的镇。") in bad[4].errors
    # A 镇 of another district sends the row nowhere, though 乙村 alone would be found.
    assert bad[5].errors == [("镇", "清河区没有名为“外镇”的镇。")]
    assert [bad[n].township for n in (3, 4, 5)] == ["", "", ""]
    assert not Petition.objects.exists()


def test_an_unknown_village_and_an_ambiguous_name_are_row_errors_at_their_column(
    district, district_staff
):
    data = xlsx(
        HEADERS,
        row("QY-1", "甲村"),
        row("QY-2", "无名村"),
        row("QY-3", "同名村"),
        row("QY-4", "甲村", "西镇"),
        row("QY-5", "同名村", "东镇"),
    )
    outcome = _run(data, district, district_staff, dry_run=True)
    bad = {r.excel_row: r.errors for r in outcome.error_rows}
    assert bad == {
        3: [(VILLAGE_COLUMN, "清河区没有名为“无名村”的村(居)。")],
        4: [(VILLAGE_COLUMN, "东镇、西镇都有名为“同名村”的村(居),请在“镇”列填写所属的镇。")],
        5: [(VILLAGE_COLUMN, "西镇没有名为“甲村”的村(居)。")],
    }
    assert [r.status for r in outcome.rows if r.excel_row in (2, 6)] == ["new", "new"]


def test_nothing_is_saved_when_any_row_fails(district, district_staff):
    data = xlsx(
        HEADERS,
        row("QY-1", "甲村"),
        row("QY-2", "乙村"),
        row("QY-3", "丙村", level="不知道"),
    )
    outcome = _run(data, district, district_staff)
    assert not outcome.ok and not outcome.imported
    (bad,) = outcome.error_rows
    assert bad.excel_row == 4 and bad.errors[0][0] == "信访层级"
    assert bad.township == "南镇"  # the report still says where the row would have gone
    assert not Petition.objects.exists() and not Petition.history.exists()
    assert not StaleVillageMonth.objects.exists()


def test_a_closed_month_refuses_the_rows_of_its_township_only(district, district_staff):
    east = district.townships.get(name="东镇")
    Period.objects.create(township=east, year=2026, month=3, state="closed")
    data = xlsx(
        HEADERS,
        row("QY-1", "甲村", day="2026-03-20"),
        row("QY-2", "乙村", day="2026-03-20"),
    )
    outcome = _run(data, district, district_staff)
    (bad,) = outcome.error_rows
    assert bad.excel_row == 2 and bad.township == "东镇"
    assert bad.errors[0][0] == "登记日期" and "2026年3月" in bad.errors[0][1]
    assert not Petition.objects.exists()
    ok = _run(xlsx(HEADERS, row("QY-2", "乙村", day="2026-03-20")), district, district_staff)
    assert ok.imported and _townships_of_refs() == {"QY-2": "西镇"}


def test_a_re_import_creates_nothing_new(district, district_staff):
    data = xlsx(HEADERS, row("QY-1", "甲村"), row("QY-2", "乙村"), row("QY-3", "丙村"))
    assert _run(data, district, district_staff).imported
    petitions, history = Petition.objects.count(), Petition.history.count()
    people = Petitioner.history.count()

    again = _run(data, district, district_staff)
    assert again.ok
    assert [r.status for r in again.rows] == ["skip", "skip", "skip"]
    assert [r.township for r in again.rows] == ["东镇", "西镇", "南镇"]
    assert Petition.objects.count() == petitions == 3
    assert Petition.history.count() == history and Petitioner.history.count() == people

    # A corrected list finds its petitions again: the changed row is an update, not a new one.
    corrected = xlsx(HEADERS, row("QY-1", "甲村"), row("QY-2", "乙村", matter="改正后的事项"))
    outcome = _run(corrected, district, district_staff)
    assert [r.status for r in outcome.rows] == ["skip", "update"]
    assert outcome.rows[1].changed == ["反映事项"]
    assert Petition.objects.count() == 3
    assert Petition.objects.get(source_ref="QY-2").history.first().history_user == district_staff


def test_a_number_taken_in_another_district_is_refused(
    district, district_staff, elsewhere, staff_user
):
    outside = run_district_import(
        xlsx(HEADERS, row("QY-9", "外村")),
        district=elsewhere.district,
        user=UserFactory(role=Role.DISTRICT_STAFF, district=elsewhere.district),
        filename="外区.xlsx",
        dry_run=False,
    )
    assert outside.imported
    outcome = _run(xlsx(HEADERS, row("QY-9", "甲村")), district, district_staff)
    (bad,) = outcome.error_rows
    assert bad.errors == [("信访编号", "该编号已登记在本区以外的信访事件中,不能导入到本区。")]
    assert Petition.objects.get().village.township == elsewhere


def test_a_file_without_the_township_column_imports(district, district_staff):
    outcome = _run(
        xlsx(PETITION_HEADERS, petition_row("QY-1", village="丙村")), district, district_staff
    )
    assert outcome.imported and _townships_of_refs() == {"QY-1": "南镇"}


# --- The pages ----------------------------------------------------------------------------------


def _upload(client, data, name="区阳光信访.xlsx"):
    return client.post(
        reverse("exports:district_import"),
        {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
    )


def test_upload_previews_each_township_then_confirm_imports_all(
    district, district_staff, client_for
):
    client = client_for(district_staff)
    page = client.get(reverse("exports:district_import")).content.decode()
    assert "清河区阳光信访导入" in page and "<td>镇</td>" in page
    data = xlsx(HEADERS, row("QY-1", "甲村"), row("QY-2", "乙村"), row("QY-3", "同名村", "东镇"))
    response = _upload(client, data)
    batch = ImportBatch.objects.get()
    assert batch.district == district and batch.township is None
    assert response["Location"] == reverse("exports:district_batch", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'id="townships"' in page and 'id="confirm"' in page
    assert reverse("exports:district_confirm", args=[batch.pk]) in page
    assert not Petition.objects.exists()
    stored = {t["township"]: t["rows"] for t in township_counts(
        ((r[5], r[1]) for r in batch.report["rows"]), ["东镇", "南镇", "西镇"]
    )}  # fmt: skip
    assert stored == {"东镇": 2, "南镇": 0, "西镇": 1}

    client.post(reverse("exports:district_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == "imported"
    assert _townships_of_refs() == {"QY-1": "东镇", "QY-2": "西镇", "QY-3": "东镇"}
    client.post(reverse("exports:district_confirm", args=[batch.pk]))  # a reload
    assert Petition.objects.count() == 3


def test_a_row_error_is_shown_at_its_row_and_column_and_blocks_the_confirm(
    district, district_staff, client_for
):
    client = client_for(district_staff)
    response = _upload(client, xlsx(HEADERS, row("QY-1", "甲村"), row("QY-2", "同名村")))
    page = client.get(response["Location"]).content.decode()
    assert "有 1 行错误,整个文件都不会导入" in page
    assert "<strong>所属村(居)</strong>:东镇、西镇都有名为“同名村”的村(居)" in page
    assert "未能确定所属镇" in page and 'id="confirm"' not in page
    batch = ImportBatch.objects.get()
    client.post(reverse("exports:district_confirm", args=[batch.pk]))
    assert not Petition.objects.exists()


def test_a_township_user_and_the_district_leader_are_refused(
    district, district_staff, district_leader, township, staff_user, admin_user, client_for
):
    data = xlsx(HEADERS, row("QY-1", "甲村"))
    for user in (staff_user, admin_user, district_leader):
        client = client_for(user)
        assert client.get(reverse("exports:district_import")).status_code == 403
        assert _upload(client, data).status_code == 403
    assert not ImportBatch.objects.exists()

    _upload(client_for(district_staff), data)
    batch = ImportBatch.objects.get()
    for user in (staff_user, district_leader):
        client = client_for(user)
        assert client.get(reverse("exports:district_batch", args=[batch.pk])).status_code == 404
        assert client.post(reverse("exports:district_confirm", args=[batch.pk])).status_code == 404
        # Nor through the township's batch pages.
        assert client.get(reverse("exports:import_batch", args=[batch.pk])).status_code == 404
    assert not Petition.objects.exists()


def test_the_staff_of_another_district_neither_import_here_nor_see_the_batch(
    district, district_staff, elsewhere, client_for
):
    outsider = UserFactory(role=Role.DISTRICT_STAFF, district=elsewhere.district)
    client = client_for(outsider)
    # Their own district only: asking for this one falls back to theirs.
    page = client.get(reverse("exports:district_import") + f"?district={district.pk}")
    assert "外区阳光信访导入" in page.content.decode()
    _upload(client_for(district_staff), xlsx(HEADERS, row("QY-1", "甲村")))
    batch = ImportBatch.objects.get()
    client = client_for(outsider)
    assert client.get(reverse("exports:district_batch", args=[batch.pk])).status_code == 404


def test_a_superuser_chooses_the_district(district, elsewhere, client_for):
    root = UserFactory(username="root", is_superuser=True, role=Role.ADMIN)
    client = client_for(root)
    page = client.get(reverse("exports:district_import")).content.decode()
    assert 'name="district"' in page and "外区" in page  # a choice between the two
    response = client.post(
        reverse("exports:district_import"),
        {
            "district": elsewhere.district.pk,
            "file": SimpleUploadedFile("x.xlsx", xlsx(HEADERS, row("QY-1", "外村")), XLSX),
        },
    )
    batch = ImportBatch.objects.get()
    assert batch.district == elsewhere.district and batch.counts["new"] == 1
    client.post(reverse("exports:district_confirm", args=[batch.pk]))
    assert Petition.objects.get().village.township == elsewhere
    assert response.status_code == 302


def test_the_right_is_the_district_staffs_in_their_own_district(
    district, district_staff, district_leader, elsewhere, admin_user
):
    east = district.townships.get(name="东镇")
    village = east.villages.get(name="甲村")
    perm = "kaohe.import_district"
    assert all(district_staff.has_perm(perm, obj) for obj in (district, east, village))
    outside = (elsewhere.district, elsewhere, elsewhere.villages.first())
    assert not any(district_staff.has_perm(perm, obj) for obj in outside)
    assert not district_leader.has_perm(perm, district)
    assert not district_leader.has_perm(perm, village)
    assert not admin_user.has_perm(perm, admin_user.township)
    assert not admin_user.has_perm(perm)


def test_the_menu_offers_the_import_to_district_staff_only(
    district, district_staff, district_leader, client_for
):
    url = reverse("exports:district_import")
    assert url in client_for(district_staff).get(reverse("exports:index")).content.decode()
    assert url not in client_for(district_leader).get(reverse("exports:index")).content.decode()


# --- The queries ---------------------------------------------------------------------------------


def _district_of(townships: int, code: str) -> District:
    district = DistrictFactory(name=f"{code}区", code=code)
    for t in range(townships):
        _township(district, f"{code}{t}镇", f"{code}{t}甲村", f"{code}{t}乙村")
    return district


def _twelve_rows(district, prefix) -> bytes:
    """Twelve rows over the district's villages in turn (with petitioners and a 镇 column)."""
    names = list(
        district.townships.values_list("villages__name", "name").order_by("name", "villages__name")
    )
    rows = [
        row(
            f"{prefix}-{i}",
            names[i % len(names)][0],
            names[i % len(names)][1],
            people="张三、李四",
            count=2,
        )
        for i in range(12)
    ]
    return xlsx(HEADERS, *rows)


def _count(data, district, user):
    with CaptureQueriesContext(connection) as queries:
        outcome = _run(data, district, user)
    assert outcome.ok, outcome.error_rows[:3]
    return len(queries.captured_queries), outcome


def test_the_queries_do_not_grow_from_2_to_6_townships(db):
    small, large = _district_of(2, "xiao"), _district_of(6, "da")
    for district in (small, large):
        east = district.townships.order_by("name").first()
        Period.objects.create(township=east, year=2026, month=1, state="closed")
    small_user = UserFactory(role=Role.DISTRICT_STAFF, district=small)
    large_user = UserFactory(role=Role.DISTRICT_STAFF, district=large)
    small_file, large_file = _twelve_rows(small, "S"), _twelve_rows(large, "L")

    new_small, outcome = _count(small_file, small, small_user)
    assert {r.township for r in outcome.rows} == set(small.townships.values_list("name", flat=True))
    new_large, outcome = _count(large_file, large, large_user)
    assert len({r.township for r in outcome.rows}) == 6 and outcome.counts["new"] == 12
    assert new_large == new_small

    again_small, outcome = _count(small_file, small, small_user)
    again_large, outcome = _count(large_file, large, large_user)
    assert outcome.counts["skip"] == 12
    assert again_large == again_small
    assert Petition.objects.count() == 24


def test_the_township_column_under_another_title_narrows_too(district, district_staff):
    headers = [*PETITION_HEADERS, "所属乡镇"]
    outcome = _run(xlsx(headers, row("QY-1", "同名村", "西镇")), district, district_staff)
    assert outcome.imported and _townships_of_refs() == {"QY-1": "西镇"}
