from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NAV = [
    (
        pgettext_lazy("menu", "村(居)"),
        _("村(居)列表"),
        "villages:village_list",
        "kaohe.view_dashboard",
    ),
]
