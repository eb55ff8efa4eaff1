from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# A short form in English: one menu row at 1366 px.
GROUP = pgettext_lazy("menu", "考核评分")

NAV = [
    (GROUP, _("本村考核得分"), "assessment:own_scores", "kaohe.view_own_scores"),
    (GROUP, _("排名"), "assessment:ranking", "kaohe.view_dashboard"),
    (GROUP, _("评分申诉"), "assessment:contests", "kaohe.view_dashboard"),
    (GROUP, _("细则版本对比"), "assessment:compare", "kaohe.view_dashboard"),
    (GROUP, _("考核月份管理"), "assessment:periods", "kaohe.manage_assessment"),
    (GROUP, _("考核细则版本"), "assessment:versions", "kaohe.manage_assessment"),
    # No rule grants it: superusers only, who have every permission (assessment/fanout.py).
    (GROUP, _("区县重新计算"), "assessment:district_recompute", "kaohe.recompute_district"),
]
