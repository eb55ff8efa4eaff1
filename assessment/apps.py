from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("考核评分")

    def ready(self):
        # Django requires app modules to be imported once the registry is ready, not above.
        from petitions import deadlines

        from . import rubrics

        deadlines.register(rubrics.report_days_of)
