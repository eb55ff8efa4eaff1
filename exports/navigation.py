from django.utils.translation import gettext_lazy as _

NAV = [
    (_("数据"), _("Excel 导入导出"), "exports:index", "kaohe.view_dashboard"),
]
