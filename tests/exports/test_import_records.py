"""Every import kind: round trip (export -> import -> the same records), a second import
creates nothing, bad rows name their row and column, the blank template imports nothing."""

from datetime import date
from datetime import time

import pytest

from exports.importing import run_import
from exports.record_files import records_workbook
from exports.record_files import template_workbook
from exports.resources import RESOURCES
from exports.styles import workbook_bytes
from governance.models import Patrol
from governance.models import SurveyAnswer
from governance.models import SurveySample
from governance.models import VillageMeeting
from petitions.models import Dispute
from petitions.models import Petition
from tests.factories import PersonFactory
from tests.factories import ResponsibilityFactory
from tests.governance.factories import LandlineHouseholdFactory
from tests.governance.factories import PatrolFactory
from tests.governance.factories import SurveyFactory
from tests.governance.factories import VillageMeetingFactory
from tests.petitions.factories import PetitionerFactory
from tests.petitions.factories import PetitionFactory
from villages.models import Person
from villages.models import Responsibility

from .helpers import xlsx


def _petitions():
    return sorted(
        (
            p.source, p.source_ref, p.village.name, p.date, p.level, p.channel, p.nature,
            p.collective, p.person_count, p.matter, p.stabilised_in_time,
            p.carried_village_opinion, p.new_problem_unresolved, p.large_impact,
            tuple(x.name for x in p.petitioners.order_by("pk")),
        )
        for p in Petition.objects.all()
    )  # fmt: skip


def _disputes():
    return sorted(
        (d.village.name, d.found_date, d.parties, d.matter, d.category, d.status, d.resolved_date,
         d.found_at_town_or_above)
        for d in Dispute.objects.all()
    )  # fmt: skip


def _patrols():
    return sorted(
        (p.village.name, p.date, p.start_time, p.end_time, p.participants, p.route, p.note)
        for p in Patrol.objects.all()
    )


def _meetings():
    return sorted(
        (m.village.name, m.date, m.topic, m.studied_petition_work, m.attendees, m.minutes)
        for m in VillageMeeting.objects.all()
    )


def _answers():
    return sorted(
        (a.sample.household.phone, a.reached, a.answer, a.note) for a in SurveyAnswer.objects.all()
    )


def _people():
    return sorted(
        (r.person.name, r.person.phone, r.person.title, r.role, str(r.area or ""),
         str(r.village or ""), r.start, r.end)
        for r in Responsibility.objects.all()
    )  # fmt: skip


SNAPSHOTS = {
    "petitions": (_petitions, lambda: Petition.objects.all().delete()),
    "disputes": (_disputes, lambda: Dispute.objects.all().delete()),
    "patrols": (_patrols, lambda: Patrol.objects.all().delete()),
    "meetings": (_meetings, lambda: VillageMeeting.objects.all().delete()),
    "survey_answers": (_answers, lambda: SurveyAnswer.objects.all().delete()),
    "people": (
        _people,
        lambda: (Responsibility.objects.all().delete(), Person.objects.all().delete()),
    ),
}


@pytest.fixture
def records(township, area, village_a, village_b):
    first = PetitionFactory(
        village=village_a, source="sunshine", source_ref="YG-1", matter="=1+1 看起来像公式",
        person_count=2, stabilised_in_time=True,
    )  # fmt: skip
    PetitionerFactory(petition=first, name="张三", id_number="")
    PetitionerFactory(petition=first, name="李四", id_number="")
    second = PetitionFactory(
        village=village_b, source="district_transfer", source_ref="QZB-7", level="township",
        channel="visit", carried_village_opinion=False, date=date(2026, 5, 3),
    )  # fmt: skip
    PetitionerFactory(petition=second, name="王五", id_number="")
    Dispute.objects.create(
        village=village_a, found_date=date(2026, 4, 2), parties="张三与李四", matter="宅基地界址",
        category="neighbour", status="resolved", resolved_date=date(2026, 4, 20),
    )  # fmt: skip
    Dispute.objects.create(
        village=village_b, found_date=date(2026, 4, 5), parties="王五", matter="工资拖欠",
        category="labour", found_at_town_or_above=True,
    )  # fmt: skip
    PatrolFactory(village=village_a, start_time=time(19, 30), end_time=time(21), route="村委—学校")
    PatrolFactory(village=village_b, date=date(2026, 4, 9), note="@提醒 值班")
    VillageMeetingFactory(village=village_a, attendees="两委成员", minutes="研究了信访工作")
    VillageMeetingFactory(village=village_b, topic="-其他事项", studied_petition_work=False)
    survey = SurveyFactory(village=village_a)
    for order in (1, 2):
        household = LandlineHouseholdFactory(village=village_a)
        sample = SurveySample.objects.create(survey=survey, household=household, order=order)
        SurveyAnswer.objects.create(
            sample=sample, reached=True,
            answer="satisfied" if order == 1 else "dissatisfied_organs", note=f"第{order}户",
        )  # fmt: skip
    leader = PersonFactory(township=township, name="刘片长", phone="13900000001", title="副镇长")
    ResponsibilityFactory(person=leader, role="area_leader", village=None, area=area)
    secretary = PersonFactory(township=township, name="陈书记", phone="13900000002")
    ResponsibilityFactory(
        person=secretary, role="secretary", village=village_a, start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )  # fmt: skip
    return township


def _import(kind, data, township, user, dry_run=False):
    return run_import(
        kind, data, township=township, user=user, filename="回归.xlsx", dry_run=dry_run
    )


@pytest.mark.parametrize("kind", list(RESOURCES))
def test_round_trip_export_then_import_gives_the_same_records(records, admin_user, kind):
    snapshot, delete = SNAPSHOTS[kind]
    before = snapshot()
    assert len(before) == 2
    exported = workbook_bytes(records_workbook(kind, records))
    again = _import(kind, exported, records, admin_user)
    assert again.ok and {r.status for r in again.rows} == {"skip"}, again.rows
    delete()
    outcome = _import(kind, exported, records, admin_user)
    assert outcome.ok, [r.errors for r in outcome.error_rows]
    assert [r.status for r in outcome.rows] == ["new", "new"]
    assert snapshot() == before


@pytest.mark.parametrize("kind", list(RESOURCES))
def test_a_second_import_creates_nothing(records, admin_user, kind):
    delete = SNAPSHOTS[kind][1]
    exported = workbook_bytes(records_workbook(kind, records))
    delete()
    assert _import(kind, exported, records, admin_user).ok
    model = RESOURCES[kind]._meta.model
    count, history = model.objects.count(), model.history.count()
    second = _import(kind, exported, records, admin_user)
    assert second.ok and [r.status for r in second.rows] == ["skip", "skip"]
    assert (model.objects.count(), model.history.count()) == (count, history)


@pytest.mark.parametrize("kind", list(RESOURCES))
def test_the_blank_template_has_headers_and_an_example_and_imports_nothing(
    records, admin_user, kind
):
    workbook = template_workbook(kind, records)
    ws = workbook["导入数据"]
    assert [c.value for c in ws[1]] == RESOURCES[kind].columns()
    assert ws["A2"].value not in (None, "") and ws["A2"].font.italic
    assert "填写说明" in workbook.sheetnames
    model = RESOURCES[kind]._meta.model
    before = model.objects.count()
    outcome = _import(kind, workbook_bytes(workbook), records, admin_user)
    assert outcome.ok and [r.status for r in outcome.rows] == ["example"]
    assert model.objects.count() == before


def test_exported_formula_like_text_stays_text(records):
    from .conftest import load

    ws = load(workbook_bytes(records_workbook("petitions", records))).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == "=1+1 看起来像公式"]
    assert cells and cells[0].data_type == "s"


def test_exported_id_numbers_are_masked_and_match_on_reimport(records, admin_user, village_a):
    from tests.petitions.factories import ID_A

    petition = Petition.objects.get(source_ref="YG-1")
    petition.petitioners.filter(name="张三").update(id_number=ID_A)
    exported = workbook_bytes(records_workbook("petitions", records))
    from .conftest import load

    ws = load(exported).active
    column = [c.value for c in ws[1]].index("身份证号") + 1
    masked = [ws.cell(row=r, column=column).value for r in (2, 3)]
    assert ID_A not in "".join(str(v) for v in masked)
    assert "110101********1233、-" in masked
    outcome = _import("petitions", exported, records, admin_user)
    assert {r.status for r in outcome.rows} == {"skip"}
    assert petition.petitioners.get(name="张三").id_number == ID_A


DISPUTE = ["所属村(居)", "发现日期", "当事人", "纠纷事项", "状态", "化解日期"]
PATROL = ["所属村(居)", "巡逻日期", "开始时间", "结束时间", "巡逻人员"]
MEETING = ["所属村(居)", "会议日期", "会议主题", "研究信访工作"]
ANSWER = ["所属村(居)", "年度", "季度", "固定电话", "已联系上", "回答"]
PEOPLE = ["姓名", "角色", "片", "所属村(居)", "起始日期"]


@pytest.mark.parametrize(
    ("kind", "headers", "row", "column", "words"),
    [
        ("disputes", DISPUTE, ["甲村", "2026-04-01", "张三", "地界", "已化解", ""], "化解日期",
         "须填写化解日期"),
        ("disputes", DISPUTE, ["甲村", "2026-04-01", "张三", "地界", "搁置", ""], "状态",
         "不是可选的值"),
        ("patrols", PATROL, ["甲村", "2026-04-01", "21:00", "19:00", "张三"], "结束时间",
         "须晚于开始时间"),
        ("patrols", PATROL, ["甲村", "2026-04-01", "晚上", "", "张三"], "开始时间",
         "时间格式不正确"),
        ("meetings", MEETING, ["甲村", "2026-04-01", "例会", "也许"], "研究信访工作",
         "应填“是”或“否”"),
        ("meetings", MEETING, ["外村", "2026-04-01", "例会", "是"], "所属村(居)", "没有名为“外村”"),
        ("survey_answers", ANSWER, ["甲村", 2026, 2, "05719999999", "是", "满意"], "固定电话",
         "不在该季度的抽样名单中"),
        ("survey_answers", ANSWER, ["甲村", 2026, 3, "05718000000", "是", "满意"], "季度",
         "还没有抽样"),
        ("people", PEOPLE, ["赵六", "片长", "", "甲村", "2026-01-01"], "片",
         "片长须指定所负责的片"),
        ("people", PEOPLE, ["赵六", "会计", "", "甲村", "2026-01-01"], "角色", "不是可选的值"),
    ],
    ids=["resolved-no-date", "bad-status", "end-before-start", "bad-time", "bad-yes-no",
         "other-township-village", "not-sampled", "no-survey", "leader-needs-area", "bad-role"],
)  # fmt: skip
def test_bad_rows_of_each_kind_name_row_and_column(
    records, admin_user, kind, headers, row, column, words
):
    model = RESOURCES[kind]._meta.model
    before = model.objects.count()
    outcome = _import(kind, xlsx(headers, row), records, admin_user)
    assert not outcome.ok and model.objects.count() == before
    (bad,) = outcome.error_rows
    assert bad.excel_row == 2
    assert any(col == column and words in message for col, message in bad.errors), bad.errors


def test_survey_answers_update_the_drawn_sample(records, staff_user):
    phone = SurveyAnswer.objects.order_by("pk").first().sample.household.phone
    row = ["甲村", 2026, 2, phone, "否", "未作答"]
    outcome = _import("survey_answers", xlsx(ANSWER, row), records, staff_user)
    assert [r.status for r in outcome.rows] == ["update"]
    answer = SurveyAnswer.objects.get(sample__household__phone=phone)
    assert (answer.reached, answer.answer) == (False, "no_answer")
    assert answer.history.latest().history_user == staff_user


def test_people_are_created_once_with_history_and_updated_by_phone_and_title(
    township, area, village_a, admin_user
):
    headers = ["姓名", "电话", "职务", "角色", "片", "所属村(居)", "起始日期"]
    rows = [
        ["刘片长", "13900000001", "副镇长", "片长", "东片", "", "2026-01-01"],
        ["刘片长", "13900000001", "副镇长", "驻村点长", "", "甲村", "2026-01-01"],
    ]
    outcome = _import("people", xlsx(headers, *rows), township, admin_user)
    assert outcome.ok, [r.errors for r in outcome.error_rows]
    person = Person.objects.get()
    assert person.responsibilities.count() == 2
    assert person.history.get().history_change_reason == "导入 回归.xlsx"
    rows[0][2] = rows[1][2] = "党委副书记"
    again = _import("people", xlsx(headers, *rows), township, admin_user)
    # The first row changes the person; the second then finds nothing left to change.
    assert [r.status for r in again.rows] == ["update", "skip"]
    person.refresh_from_db()
    assert person.title == "党委副书记" and Person.objects.count() == 1


def test_an_update_is_attributed_with_the_file_name(records, staff_user):
    exported = workbook_bytes(records_workbook("disputes", records))
    from .conftest import load

    workbook = load(exported)
    ws = workbook.active
    column = [c.value for c in ws[1]].index("镇级以上发现") + 1
    ws.cell(row=2, column=column).value = "是"
    outcome = run_import(
        "disputes",
        workbook_bytes(workbook),
        township=records,
        user=staff_user,
        filename="纠纷台账更正.xlsx",
        dry_run=False,
    )
    assert [r.status for r in outcome.rows] == ["update", "skip"]
    assert outcome.rows[0].changed == ["镇级以上发现"]
    latest = Dispute.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        staff_user,
        "导入 纠纷台账更正.xlsx",
    )
    assert latest.history_type == "~"


def test_the_batches_admin_lists_uploads(client, township):
    from django.urls import reverse

    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:exports_importbatch_changelist") + "?q=x&state=imported")
    assert response.status_code == 200
