from django.utils.translation import gettext_lazy as _

NAV = [
    (_("系统"), _("通知"), "jobs:notifications", None),
    (_("系统"), _("后台任务"), "jobs:job_list", "kaohe.manage_assessment"),
]
