from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .models import DISTRICT_ROLES
from .models import User
from .services import require_password_change


class ResetPasswordForm(AdminPasswordChangeForm):
    """A password an admin sets for a user is a reset: the user must replace it at next login."""

    def save(self, commit=True):
        require_password_change(self.user)
        return super().save(commit)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = ResetPasswordForm
    list_display = [
        "username",
        "last_name",
        "first_name",
        "role",
        "township",
        "village",
        "district",
        "is_active",
        "must_change_password",
    ]
    list_filter = [
        "role",
        "township",
        "district",
        "is_active",
        "is_superuser",
        "must_change_password",
    ]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("考核角色"), {"fields": ["role", "township", "village", "district"]}),
        (_("密码策略"), {"fields": ["must_change_password"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("考核角色"), {"fields": ["role", "township", "village", "district"]}),
    ]

    # Only a superuser grants the powers beyond a role: a township admin (who has the admin's
    # model permissions) must not make anyone, itself included, a superuser, nor a district user
    # (who reads every township of the district).
    SUPERUSER_ONLY = ("is_superuser", "groups", "user_permissions", "district")

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "role" and not request.user.is_superuser:
            field.choices = [c for c in field.choices if c[0] not in DISTRICT_ROLES]
        return field

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in self.SUPERUSER_ONLY]})
            for name, opts in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        if not change:
            # The password an admin gives a new user is an initial one.
            require_password_change(obj)
        super().save_model(request, obj, form, change)
