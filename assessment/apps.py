from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import hooks


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("考核评分")

    def ready(self):
        """Fill the slots through which the layers below reach assessment (core.hooks)."""
        # These modules import assessment's models, which Django allows only once the app
        # registry is ready: not at the top of this module.
        from . import costs
        from . import periods
        from . import recompute
        from . import rubrics
        from . import visibility

        hooks.closed_months.fill(periods.closed_months)
        hooks.ensure_open.fill(periods.ensure_open)
        hooks.mark_stale.fill(recompute.mark_stale)
        hooks.mark_stale_many.fill(recompute.mark_stale_many)
        hooks.pending_notice.fill(recompute.pending_notice)
        hooks.first_rubric_year.fill(rubrics.first_assigned_year)
        hooks.report_days_of.fill(rubrics.report_days_of)
        hooks.unsigned_report_cost.fill(costs.unsigned_report_cost_for)
        hooks.latest_sheet_shown.fill(visibility.latest_sheet_shown)
        hooks.contests_shown.fill(visibility.contests_shown)
