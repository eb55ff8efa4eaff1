from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("公共")

    def ready(self):
        # django.contrib.admin comes first in INSTALLED_APPS, so every admin.py is registered.
        # Both imports read models (the admin site, the scoping of every ModelAdmin), which Django
        # allows only once the app registry is ready: not at the top of this module.
        from django.contrib import admin

        from .admin_scope import scope_site

        scope_site(admin.site)
