from django.utils.translation import gettext_lazy as _

NAV = [
    (_("系统"), _("通知"), "jobs:notifications", None),
    # Everyone who can start a job (an export, a recompute) finds it again; secretaries start none.
    (_("系统"), _("后台任务"), "jobs:job_list", "kaohe.view_dashboard"),
]
