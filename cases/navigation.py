from django.utils.translation import gettext_lazy as _

GROUP = _("交办件与积案")

NAV = [
    (GROUP, _("上级交办件"), "cases:assigned_list", "kaohe.view_village"),
    (GROUP, _("信访积案"), "cases:backlog_list", "kaohe.view_village"),
    (GROUP, _("工作日历"), "workdays:calendar", "kaohe.manage_assessment"),
]
