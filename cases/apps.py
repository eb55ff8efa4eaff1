from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import hooks


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("交办件与积案")

    def ready(self):
        """Fill the slots through which the work calendar (workdays) moves the due dates."""
        # cases.services imports cases' models, which Django allows only once the app registry
        # is ready: not at the top of this module.
        from . import services

        hooks.due_dates_touching.fill(services.recompute_due_dates_touching)
        hooks.provisional_due_dates.fill(services.recompute_provisional_due_dates)
        hooks.provisional_years.fill(services.provisional_years_for)
