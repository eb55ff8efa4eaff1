from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("安全审计")

    def ready(self):
        # Django requires receivers that name models to be imported once the registry is ready.
        from . import signals  # noqa: F401  (connects the login, logout and account receivers)
