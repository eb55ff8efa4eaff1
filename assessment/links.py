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


def record_url(kind: str, pk: int) -> str | None:
    name = RECORD_PAGES.get(kind)
    if name is None:
        return None
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None
