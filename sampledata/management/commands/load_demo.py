from django.core.management.base import BaseCommand

from accounts.models import User
from sampledata.demo import load_demo_records
from sampledata.township import load_demo_township


class Command(BaseCommand):
    help = "Load the demo township (idempotent) and its demo users; prints the logins."

    def add_arguments(self, parser):
        parser.add_argument("--no-users", action="store_true")
        parser.add_argument("--no-records", action="store_true", help="structure and users only")

    def handle(self, *args, **options):
        result = load_demo_township(with_users=not options["no_users"])
        self.stdout.write(
            f"演示镇:{result.township.name}({result.township.villages.count()} 个村居)"
        )
        if not options["no_records"]:
            admin = User.objects.filter(township=result.township, role="admin").first()
            if admin is not None:
                self.stdout.write(load_demo_records(result.township, admin))
        for username, password, role in result.logins:
            self.stdout.write(f"  {role:<8} 用户名 {username:<12} 密码 {password}")
