from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

GROUP = pgettext_lazy("menu", "交办件与积案")  # a short form in English: one menu row

NAV = [
    (GROUP, _("上级交办件"), "cases:assigned_list", "kaohe.view_village"),
    (GROUP, _("信访积案"), "cases:backlog_list", "kaohe.view_village"),
    (GROUP, _("工作日历"), "workdays:calendar", "kaohe.manage_assessment"),
]
