from django.utils.translation import gettext_lazy as _

NAV = [
    (_("考核评分"), _("本村考核得分"), "assessment:own_scores", "kaohe.view_own_scores"),
    (_("考核评分"), _("排名"), "assessment:ranking", "kaohe.view_dashboard"),
    (_("考核评分"), _("评分申诉"), "assessment:contests", "kaohe.view_dashboard"),
    (_("考核评分"), _("细则版本对比"), "assessment:compare", "kaohe.view_dashboard"),
    (_("考核评分"), _("考核月份管理"), "assessment:periods", "kaohe.manage_assessment"),
    (_("考核评分"), _("考核细则版本"), "assessment:versions", "kaohe.manage_assessment"),
]
