from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("公共")

    def ready(self):
        # django.contrib.admin comes first in INSTALLED_APPS, so every admin.py is registered.
        from django.contrib import admin

        from .admin_scope import scope_site

        scope_site(admin.site)
