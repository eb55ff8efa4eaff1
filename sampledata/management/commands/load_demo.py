from django.core.management.base import BaseCommand

from accounts.models import User
from sampledata.demo import load_demo_records
from sampledata.township import DEMO_SECOND_FILE
from sampledata.township import load_demo_district
from sampledata.township import load_demo_township


class Command(BaseCommand):
    help = (
        "Load the demo district: two townships (idempotent), their demo users and the "
        "district's; prints the logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-users", action="store_true")
        parser.add_argument("--no-records", action="store_true", help="structure and users only")

    def handle(self, *args, **options):
        with_users = not options["no_users"]
        results = [
            load_demo_township(with_users=with_users),
            load_demo_township(DEMO_SECOND_FILE, with_users=with_users),
        ]
        logins = []
        for result in results:
            township = result.township
            self.stdout.write(f"演示镇:{township.name}({township.villages.count()} 个村居)")
            admin = User.objects.filter(township=township, role="admin").order_by("pk").first()
            if not options["no_records"] and admin is not None:
                self.stdout.write(load_demo_records(township, admin))
            logins += result.logins
        first_admin = User.objects.filter(township=results[0].township, role="admin").first()
        logins += load_demo_district(
            [r.township for r in results], first_admin, with_users=with_users
        )
        for username, password, role in logins:
            self.stdout.write(f"  {role:<8} 用户名 {username:<14} 密码 {password}")
