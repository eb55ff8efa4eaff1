"""Create a user with a role and a township, without the Django shell (issue 13).

    manage.py createuser --username zhang --role admin --township qinghe
    manage.py createuser --username li --role secretary --township qinghe --village 青石村
    manage.py createuser --username qu --role district_staff --district qingjiang

`createsuperuser` gives no role and no township. The password is asked twice unless
--password is given (or --noinput with DJANGO_USER_PASSWORD); the project's password
validators apply, and the user must change it at the first login (an initial password).
"""

import getpass
import os

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import DISTRICT_ROLES
from accounts.models import Role
from accounts.models import User
from accounts.services import require_password_change
from villages.models import District
from villages.models import Township
from villages.models import Village

PASSWORD_ENV = "DJANGO_USER_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a user with a role (admin, staff, leader, secretary) in a township, or with a "
        "district role (district_staff, district_leader) in a district."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--township", help="the township's code (township roles)")
        parser.add_argument("--district", help="the district's code (district roles)")
        parser.add_argument("--village", help="the village's name or id (secretary only)")
        parser.add_argument("--password", help="else asked twice, or read from $" + PASSWORD_ENV)
        parser.add_argument("--name", default="", help="the person's name (first_name)")
        parser.add_argument("--email", default="")
        parser.add_argument("--noinput", "--no-input", action="store_true")

    def handle(self, *args, **options):
        username = options["username"].strip()
        if not username:
            raise CommandError(_("用户名不能为空。"))
        if User.objects.filter(username=username).exists():
            raise CommandError(_("用户名 %(u)s 已存在。") % {"u": username})
        role = options["role"]
        district = township = village = None
        if role in DISTRICT_ROLES:
            if options["township"] or options["village"]:
                raise CommandError(_("区(县)角色不属于某个镇,请去掉 --township 和 --village。"))
            district = self._district(options["district"])
        else:
            if options["district"]:
                raise CommandError(_("只有区(县)角色才关联区(县),请去掉 --district。"))
            if not options["township"]:
                raise CommandError(_("请用 --township 指定所属镇。"))
            township = self._township(options["township"])
            village = self._village(township, role, options["village"])
        user = User(
            username=username,
            role=role,
            township=township,
            district=district,
            village=village,
            first_name=options["name"],
            email=options["email"],
            is_staff=role == Role.ADMIN,
        )
        password = self._password(options, user)
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        with transaction.atomic():
            user.set_password(password)
            require_password_change(user)
            user.save()
            if role == Role.ADMIN:
                # The township admin works in the Django admin too (as in sampledata/township.py).
                user.user_permissions.set(Permission.objects.all())
        self.stdout.write(
            _("已创建用户 %(u)s(%(role)s,%(t)s%(v)s),首次登录须修改密码。")
            % {
                "u": username,
                "role": user.get_role_display(),
                "t": (township or district).name,
                "v": f" · {village.name}" if village else "",
            }
        )

    def _district(self, code: str | None) -> District:
        district = District.objects.filter(code=(code or "").strip()).first()
        if district is None:
            codes = ", ".join(District.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(
                _("区(县)角色须用 --district 指定区(县)代码。已有:%(codes)s")
                % {"codes": codes or "-"}
            )
        return district

    def _township(self, code: str) -> Township:
        township = Township.objects.filter(code=code.strip()).first()
        if township is None:
            codes = ", ".join(Township.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(
                _("没有代码为 %(c)s 的镇。已有:%(codes)s(manage.py list_townships)")
                % {"c": code, "codes": codes or "-"}
            )
        return township

    def _village(self, township: Township, role: str, wanted: str | None) -> Village | None:
        if role != Role.SECRETARY:
            if wanted:
                raise CommandError(_("只有村(居)书记才关联村(居),请去掉 --village。"))
            return None
        if not wanted:
            raise CommandError(_("村(居)书记必须用 --village 指定所属村(居)。"))
        villages = Village.objects.filter(township=township)
        found = villages.filter(name=wanted.strip()).first()
        if found is None and wanted.strip().isdigit():
            found = villages.filter(pk=int(wanted)).first()
        if found is None:
            names = "、".join(villages.order_by("name").values_list("name", flat=True))
            raise CommandError(
                _("%(t)s没有村(居) %(v)s。该镇的村(居):%(names)s")
                % {"t": township.name, "v": wanted, "names": names or "-"}
            )
        return found

    def _password(self, options, user: User) -> str:
        password = options["password"]
        if password is None and options["noinput"]:
            password = os.environ.get(PASSWORD_ENV)
            if not password:
                message = _("--noinput 时须用 --password 或环境变量 %(e)s 给出密码。")
                raise CommandError(message % {"e": PASSWORD_ENV})
        if password is None:
            password = getpass.getpass(_("密码:"))
            if password != getpass.getpass(_("再次输入密码:")):
                raise CommandError(_("两次输入的密码不一致。"))
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(_("密码不符合要求:") + " ".join(exc.messages)) from exc
        return password
