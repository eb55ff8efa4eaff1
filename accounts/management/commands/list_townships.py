from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from villages.selectors import townships_with_counts


class Command(BaseCommand):
    help = "List the townships: code, name, number of villages, number of users."

    def handle(self, *args, **options):
        rows = list(townships_with_counts())
        if not rows:
            self.stdout.write(_("尚无镇。可先运行 manage.py load_demo,或在管理后台新增镇。"))
            return
        self.stdout.write(f"{_('代码'):<20}\t{_('名称')}\t{_('村(居)数')}\t{_('用户数')}")
        for t in rows:
            self.stdout.write(f"{t.code:<20}\t{t.name}\t{t.village_count}\t{t.user_count}")
