from django.utils.translation import gettext_lazy as _

NAV = [
    (_("数据"), _("Excel 导入导出"), "exports:index", "kaohe.view_dashboard"),
    (_("数据"), _("区级阳光信访导入"), "exports:district_import", "kaohe.import_district"),
]
