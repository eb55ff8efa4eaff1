from django.utils.translation import gettext_lazy as _

GROUP = _("奖惩兑现")

NAV = [
    # Everyone reaches the statement: a secretary lands on their own village's.
    (GROUP, _("奖惩台账"), "rewards:index", "kaohe.view_village"),
    (GROUP, _("兑现明细与审批"), "rewards:lines", "kaohe.view_dashboard"),
]
