from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

JOB_MODULES = ["assessment.jobs", "exports.jobs"]


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("后台任务与通知")

    def ready(self):
        for name in JOB_MODULES:
            try:
                import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name.split(".")[0] and exc.name != name:
                    raise
