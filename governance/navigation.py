from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .access import SPECIAL_READ_PERM

CENTRE = pgettext_lazy("menu", "综治中心")  # short forms in English: one menu row
MEETINGS = pgettext_lazy("menu", "会议与考评")
READ = "kaohe.view_village"
TOWNSHIP = "kaohe.view_dashboard"
SPECIAL = SPECIAL_READ_PERM  # names: not for leaders, who read the counts

NAV = [
    (CENTRE, _("综治中心检查"), "governance:centreinspection_list", READ),
    (CENTRE, _("台账概览"), "governance:registers", READ),
    (CENTRE, _("重点人员"), "governance:specialperson_list", SPECIAL),
    (CENTRE, _("重点人员统计"), "governance:specialperson_counts", READ),
    (CENTRE, _("零报告"), "governance:zeroreport_list", READ),
    (CENTRE, _("领导小组"), "governance:leadershipgroup_list", READ),
    (CENTRE, _("固定电话户"), "governance:landlinehousehold_list", READ),
    (CENTRE, _("巡逻记录"), "governance:patrol_list", READ),
    (CENTRE, _("巡逻周统计"), "governance:patrol_weeks", READ),
    (CENTRE, _("巡逻周表录入"), "governance:patrol_week_grid", "kaohe.change_records"),
    (MEETINGS, _("村会议"), "governance:villagemeeting_list", READ),
    (MEETINGS, _("镇综治会议"), "governance:townshipmeeting_list", TOWNSHIP),
    (MEETINGS, _("会议出席"), "governance:meetingattendance_list", READ),
    (MEETINGS, _("满意度调查"), "governance:survey_list", READ),
    (MEETINGS, _("加减分事件"), "governance:adjustmentevent_list", READ),
    (MEETINGS, _("敏感时期"), "governance:sensitiveperiod_list", TOWNSHIP),
]
