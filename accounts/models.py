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

    def clean(self):
        super().clean()
        if self.role == Role.SECRETARY and not self.village_id:
            raise ValidationError({"village": _("村(居)书记必须指定所属村(居)。")})
        if self.role != Role.SECRETARY and self.village_id:
            raise ValidationError({"village": _("只有村(居)书记才关联村(居)。")})
        if self.village_id:
            self.township_id = self.village.township_id
        if not self.is_superuser and not self.township_id:
            raise ValidationError({"township": _("请指定所属镇。")})

    def save(self, *args, **kwargs):
        # set_password() keeps the new raw password in _password until the save; every path that
        # changes a password (own change, admin reset, changepassword) comes through here.
        # A new user has no token yet, so only an existing one needs its tokens revoked.
        revoke = not self._state.adding and (self._password is not None or not self.is_active)
        super().save(*args, **kwargs)
        if revoke:
            revoke_api_tokens(self)

    @property
    def is_secretary(self) -> bool:
        return self.role == Role.SECRETARY and not self.is_superuser

    @property
    def is_township_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def can_enter_records(self) -> bool:
        return self.is_superuser or self.role in (Role.ADMIN, Role.STAFF)
