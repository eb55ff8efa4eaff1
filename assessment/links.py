"""Where a line's record lives: RecordRef kind -> the URL of the record's page."""

from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
    "petition": _("信访事件"),
    "reception": _("来访登记"),
    "baobao": _("包保登记"),
    "dispute": _("矛盾纠纷"),
    "report": _("排查报告"),
    "dossier": _("化解卷宗"),
    "case": _("交办件"),
    "backlog": _("信访积案"),
    "inspection": _("中心检查"),
    "special_person": _("重点人员"),
    "zero_report": _("零报告"),
    "group": _("领导小组"),
    "patrol": _("巡逻记录"),
    "meeting": _("村会议"),
    "attendance": _("镇会议出勤"),
    "survey": _("满意度调查"),
    "adjustment": _("加减分事件"),
}


def record_label(kind: str) -> str:
    return str(RECORD_LABELS.get(kind, kind))


def record_url(kind: str, pk: int) -> str | None:
    name = RECORD_PAGES.get(kind)
    if name is None:
        return None
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None
