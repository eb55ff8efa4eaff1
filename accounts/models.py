"""Users and their role in the township: who may do what is decided in accounts/rules.py."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .services import revoke_api_tokens


class Role(models.TextChoices):
    ADMIN = "admin", _("镇管理员")
    STAFF = "staff", _("镇工作人员")
    LEADER = "leader", _("领导")
    SECRETARY = "secretary", _("村(居)书记")
    DISTRICT_STAFF = "district_staff", _("区综治办工作人员")
    DISTRICT_LEADER = "district_leader", _("区领导")


# The district's roles: they read every township of their district, one at a time or side by
# side, and change no township record; 区综治办 staff import the district's 阳光信访 list
# (accounts.rules).
DISTRICT_ROLES = (Role.DISTRICT_STAFF, Role.DISTRICT_LEADER)


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.STAFF)
    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属镇"),
    )
    district = models.ForeignKey(
        "villages.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属区(县)"),
        help_text=_("仅区(县)角色填写。"),
    )
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属村(居)"),
        help_text=_("仅村(居)书记填写。"),
    )
    must_change_password = models.BooleanField(
        _("须修改密码"),
        default=False,
        help_text=_("初始密码或管理员重置的密码:下次登录时必须先修改密码。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # A district user's township is only ever the one being read, set per request by
            # accounts.district and never stored.
            models.CheckConstraint(
                condition=~models.Q(role__in=["district_staff", "district_leader"])
                | (models.Q(township__isnull=True) & models.Q(district__isnull=False)),
                name="user_district_role_has_district_only",
            ),
        ]

    def clean(self):
        super().clean()
        if self.role == Role.SECRETARY and not self.village_id:
            raise ValidationError({"village": _("村(居)书记必须指定所属村(居)。")})
        if self.role != Role.SECRETARY and self.village_id:
            raise ValidationError({"village": _("只有村(居)书记才关联村(居)。")})
        if self.role in DISTRICT_ROLES:
            if not self.district_id:
                raise ValidationError({"district": _("区(县)角色必须指定所属区(县)。")})
            if self.township_id:
                raise ValidationError({"township": _("区(县)角色不属于某个镇,请留空。")})
            return
        if self.district_id:
            raise ValidationError({"district": _("只有区(县)角色才关联区(县)。")})
        if self.village_id:
            self.township_id = self.village.township_id
        if not self.is_superuser and not self.township_id:
            raise ValidationError({"township": _("请指定所属镇。")})

    def save(self, *args, **kwargs):
        # set_password() keeps the new raw password in _password until the save; every path that
        # changes a password (own change, admin reset, changepassword) comes through here.
        # A new user has no token yet, so only an existing one needs its tokens revoked.
        revoke = not self._state.adding and (self._password is not None or not self.is_active)
        # The township being read (accounts.district.read_as) is the request's, not the user's:
        # store the one the user had.
        viewed = self.township_id
        if hasattr(self, "stored_township_id"):
            self.township_id = self.stored_township_id
        try:
            super().save(*args, **kwargs)
        finally:
            self.township_id = viewed
        if revoke:
            revoke_api_tokens(self)

    @property
    def is_secretary(self) -> bool:
        return self.role == Role.SECRETARY and not self.is_superuser

    @property
    def is_district_user(self) -> bool:
        return self.role in DISTRICT_ROLES and not self.is_superuser

    @property
    def is_township_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def can_enter_records(self) -> bool:
        return self.is_superuser or self.role in (Role.ADMIN, Role.STAFF)
