"""Where a line's record lives: RecordRef kind -> the URL of the record's page."""

from django.urls import NoReverseMatch, reverse

# kind (as the collectors name it) -> URL name of the record's detail page
RECORD_PAGES = {
    "petition": "petitions:petition_detail",
    "reception": "petitions:reception_detail",
    "baobao": "petitions:baobao_detail",
    "dispute": "petitions:dispute_detail",
    "report": "petitions:report_detail",
    "dossier": "petitions:dossier_detail",
    "case": "cases:assigned_detail",
    "backlog": "cases:backlog_detail",
    "inspection": "governance:centreinspection_detail",
    "special_person": "governance:specialperson_detail",
    "zero_report": "governance:zeroreport_detail",
    "group": "governance:leadershipgroup_detail",
    "patrol": "governance:patrol_detail",
    "meeting": "governance:villagemeeting_detail",
    "attendance": "governance:meetingattendance_detail",
    "survey": "governance:survey_detail",
    "adjustment": "governance:adjustmentevent_detail",
}


# kind -> how a reader names the record
RECORD_LABELS = {
    "petition": "信访事件",
    "reception": "来访登记",
    "baobao": "包保登记",
    "dispute": "矛盾纠纷",
    "report": "排查报告",
    "dossier": "化解卷宗",
    "case": "交办件",
    "backlog": "信访积案",
    "inspection": "中心检查",
    "special_person": "重点人员",
    "zero_report": "零报告",
    "group": "领导小组",
    "patrol": "巡逻记录",
    "meeting": "村会议",
    "attendance": "镇会议出勤",
    "survey": "满意度调查",
    "adjustment": "加减分事件",
}


def record_label(kind: str) -> str:
    return RECORD_LABELS.get(kind, kind)


def record_url(kind: str, pk: int) -> str | None:
    name = RECORD_PAGES.get(kind)
    if name is None:
        return None
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None
