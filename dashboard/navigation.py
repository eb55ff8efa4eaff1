from django.utils.translation import gettext_lazy as _

NAV = [
    (_("看板"), _("领导看板"), "dashboard:index", "kaohe.view_dashboard"),
    (_("看板"), _("区综治看板"), "dashboard:district", "kaohe.view_district"),
]
