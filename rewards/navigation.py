from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

GROUP = pgettext_lazy("menu", "奖惩兑现")  # a short form in English: one menu row

NAV = [
    # Everyone reaches the statement: a secretary lands on their own village's.
    (GROUP, _("奖惩台账"), "rewards:index", "kaohe.view_village"),
    (GROUP, _("兑现明细与审批"), "rewards:lines", "kaohe.view_dashboard"),
    (GROUP, _("往年零上访情况"), "rewards:prior_years", "kaohe.manage_assessment"),
]
