from django.utils.translation import gettext_lazy as _

NAV = [
    (_("村(居)"), _("村(居)列表"), "villages:village_list", "kaohe.view_dashboard"),
]
