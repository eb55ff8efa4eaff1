from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("后台任务与通知")

    def ready(self):
        # Each app registers its job kinds with `@runner` in its own `<app>/jobs.py`
        # (assessment, exports); importing every installed app's, as the admin does for
        # admin.py, fills jobs.registry without jobs naming, or importing, any app above it.
        autodiscover_modules("jobs")
