"""Petitions from a 阳光信访 list: validated like hand entry, all or nothing, never twice."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Period
from exports.importing import check_upload
from exports.importing import run_import
from petitions.models import Petition
from petitions.models import Petitioner
from tests.petitions.factories import ID_A
from tests.petitions.factories import ID_B

from .helpers import PETITION_HEADERS
from .helpers import petition_row
from .helpers import xlsx


def _run(data, township, user, dry_run=False, filename="阳光信访4月.xlsx"):
    return run_import(
        "petitions", data, township=township, user=user, filename=filename, dry_run=dry_run
    )


def test_a_clean_file_imports_with_history_attributed(township, village_a, staff_user):
    data = xlsx(
        PETITION_HEADERS,
        petition_row("YG-1", people="张三、李四", ids=f"{ID_A}、{ID_B}", count=2),
        petition_row("YG-2", day=date(2026, 4, 12), level="镇", opinion="否"),
    )
    outcome = _run(data, township, staff_user)
    assert outcome.ok, outcome.rows
    assert [r.status for r in outcome.rows] == ["new", "new"]
    petition = Petition.objects.get(source_ref="YG-1")
    assert (petition.source, petition.level, petition.channel) == ("sunshine", "district", "visit")
    assert [(p.name, p.id_number) for p in petition.petitioners.order_by("pk")] == [
        ("张三", ID_A),
        ("李四", ID_B),
    ]
    second = Petition.objects.get(source_ref="YG-2")
    assert second.carried_village_opinion is False and second.date == date(2026, 4, 12)
    history = petition.history.get()
    assert history.history_user == staff_user
    assert history.history_change_reason == "导入 阳光信访4月.xlsx"
    assert Petitioner.history.filter(history_user=staff_user).count() == 3


def test_a_dry_run_changes_nothing(township, village_a, staff_user):
    outcome = _run(xlsx(PETITION_HEADERS, petition_row()), township, staff_user, dry_run=True)
    assert [r.status for r in outcome.rows] == ["new"]
    assert not outcome.imported
    assert not Petition.objects.exists() and not Petition.history.exists()


def test_importing_the_same_file_twice_creates_nothing_twice(township, village_a, staff_user):
    data = xlsx(PETITION_HEADERS, petition_row("YG-1"), petition_row("YG-2"))
    assert _run(data, township, staff_user).ok
    again = _run(data, township, staff_user)
    assert again.ok and [r.status for r in again.rows] == ["skip", "skip"]
    assert Petition.objects.count() == 2 and Petitioner.objects.count() == 2
    assert Petition.history.count() == 2


def test_a_changed_row_updates_its_record_and_names_the_columns(township, village_a, staff_user):
    _run(xlsx(PETITION_HEADERS, petition_row("YG-1")), township, staff_user)
    changed = _run(
        xlsx(PETITION_HEADERS, petition_row("YG-1", stabilised="是", people="张三、王五", count=2)),
        township,
        staff_user,
    )
    assert [r.status for r in changed.rows] == ["update"]
    assert set(changed.rows[0].changed) == {"是否及时稳控", "人数"}
    petition = Petition.objects.get()
    assert petition.stabilised_in_time
    assert [p.name for p in petition.petitioners.order_by("pk")] == ["张三", "王五"]


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (petition_row(village="无名村"), "所属村(居)", "没有名为“无名村”的村(居)"),
        (petition_row(day="2026-13-45"), "登记日期", "日期格式不正确"),
        (petition_row(level="国外"), "信访层级", "不是可选的值"),
        (petition_row(ids="123"), "身份证号", "身份证号应为18位"),
        (petition_row(collective="是", count=2), "人数", "集体访为五人及以上"),
        (petition_row(day="2099-01-01"), "登记日期", "不能晚于今天"),
        (petition_row(level="镇", opinion=""), "是否持村处理意见书", "须填写是否持村处理意见书"),
        (petition_row(people=""), "信访人", "请至少登记一名信访人"),
    ],
    ids=[
        "unknown-village",
        "bad-date",
        "bad-level",
        "bad-id",
        "collective",
        "future",
        "opinion",
        "no-petitioner",
    ],
)
def test_a_bad_row_imports_nothing_and_names_row_and_column(
    township, village_a, staff_user, row, column, words
):
    data = xlsx(PETITION_HEADERS, petition_row("YG-OK"), row)
    outcome = _run(data, township, staff_user)
    assert not outcome.ok and not outcome.imported
    assert not Petition.objects.exists() and not Petition.history.exists()
    (bad,) = outcome.error_rows
    assert bad.excel_row == 3
    assert any(col == column and words in message for col, message in bad.errors), bad.errors


def test_a_row_in_a_closed_month_is_refused_naming_the_month(township, village_a, staff_user):
    Period.objects.create(township=township, year=2026, month=3, state="closed")
    outcome = _run(
        xlsx(PETITION_HEADERS, petition_row("YG-1"), petition_row("YG-2", day="2026-03-20")),
        township,
        staff_user,
    )
    (bad,) = outcome.error_rows
    assert bad.excel_row == 3
    assert bad.errors[0][0] == "登记日期" and "2026年3月" in bad.errors[0][1]
    assert not Petition.objects.exists()


def test_a_missing_column_stops_the_file(township, village_a, staff_user):
    headers = [h for h in PETITION_HEADERS if h != "登记日期"]
    row = petition_row()
    del row[1]
    outcome = _run(xlsx(headers, row), township, staff_user)
    assert outcome.file_errors and "登记日期" in outcome.file_errors[0]
    assert not outcome.rows and not Petition.objects.exists()


def test_formula_like_text_stays_text(township, village_a, staff_user):
    matter = '=HYPERLINK("http://evil.example","点我")'
    assert _run(xlsx(PETITION_HEADERS, petition_row(matter=matter)), township, staff_user).ok
    assert Petition.objects.get().matter == matter


def test_the_columns_of_other_lists_are_recognised(township, village_a, staff_user):
    headers = [
        "信访件编号",
        "登记时间",
        "信访人",
        "问题属地",
        "信访层级",
        "信访方式",
        "概况",
        "备注",
    ]
    row = ["YG-9", "2026/4/3", "张三", "甲村", "进京", "网上信访", "反映拆迁补偿", "无"]
    outcome = _run(xlsx(headers, row), township, staff_user)
    assert outcome.ok, outcome.rows
    assert outcome.ignored == ["备注"]
    petition = Petition.objects.get()
    assert (petition.level, petition.channel, petition.date) == (
        "beijing",
        "online",
        date(2026, 4, 3),
    )


def test_a_ref_of_another_township_is_refused(township, village_a, other_village, staff_user):
    Petition.objects.create(
        village=other_village, date=date(2026, 4, 1), level="district", channel="visit",
        matter="x", source="sunshine", source_ref="YG-1",
    )  # fmt: skip
    outcome = _run(xlsx(PETITION_HEADERS, petition_row("YG-1")), township, staff_user)
    assert outcome.error_rows[0].errors[0][0] == "信访编号"


class Upload(SimpleUploadedFile):
    pass


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"%PDF-1.4 not a workbook", "只能导入 Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Excel"),
        (b"PK\x03\x04 broken zip", "只能导入 Excel"),
    ],
)
def test_a_file_that_is_not_an_xlsx_is_refused(content, words):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        check_upload(Upload("x.xlsx", content))
    assert words in exc.value.messages[0]


def test_a_file_over_the_size_limit_is_refused(settings):
    from django.core.exceptions import ValidationError

    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        check_upload(Upload("big.xlsx", b"PK\x03\x04" + b"0" * 2000))
    assert "文件过大" in exc.value.messages[0]


def test_too_many_rows_are_refused(settings, township, village_a, staff_user):
    settings.IMPORT_MAX_ROWS = 3
    rows = [petition_row(f"YG-{n}") for n in range(4)]
    outcome = _run(xlsx(PETITION_HEADERS, *rows), township, staff_user)
    assert "超过单次导入上限" in outcome.file_errors[0]
    assert not Petition.objects.exists()


def test_the_same_reference_twice_in_one_file_is_refused(township, village_a, staff_user):
    data = xlsx(PETITION_HEADERS, petition_row("YG-1"), petition_row("YG-1", people="李四"))
    outcome = _run(data, township, staff_user)
    assert not outcome.imported and not Petition.objects.exists()
    (bad,) = outcome.error_rows
    assert bad.excel_row == 3
    assert any(column == "信访编号" for column, _message in bad.errors), bad.errors


def test_the_queries_of_an_import_grow_by_batches_not_by_rows(township, village_a, staff_user):
    counts = []
    for n, ref in ((5, "S"), (200, "L")):
        rows = [petition_row(f"{ref}-{i}", people="张三、李四", count=2) for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            assert _run(xlsx(PETITION_HEADERS, *rows), township, staff_user).ok
        # Reads and writes; import-export's savepoint around each row is not one.
        counts.append(sum("SAVEPOINT" not in q["sql"] for q in queries.captured_queries))
    # Each row was several queries (its checks, its save, its history, its guard, its mark).
    assert counts[1] - counts[0] < 195 / 10
