"""The Django admin reads only the user's township, like every other door (issue 12: 0 reads
across townships). A township admin is given the admin's model permissions (sampledata/township.py),
so without this every changelist and change page showed every township's rows, and the user
admin let a township admin make anyone a superuser.

Each registered ModelAdmin is narrowed once, at start-up (`scope_site`), by the path from its
model to a township, found by walking foreign keys. A model with no such path is either
township-free reference data (`SHARED`: the national work calendar) or superuser-only.
"""

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.db import models
from django.http import Http404

# Reference data that belongs to no township: any admin may read it.
SHARED = {"workdays.calendarday", "workdays.calendaryear"}
MAX_DEPTH = 4


def township_path(model, depth: int = 0) -> str | None:
    """The lookup from `model` to its township's id ("pk", "township_id",
    "village__township_id", "petition__village__township_id" ...), or None."""
    Township = apps.get_model("villages", "Township")
    if model is Township:
        return "pk"
    if depth >= MAX_DEPTH:
        return None
    fields = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    # Prefer the direct township, then the village, then other chains; a user (the owner of a
    # notification, or whoever wrote a row) only when nothing else leads to a township.
    is_user = lambda f: f.related_model._meta.label_lower == "accounts.user"  # noqa: E731
    fields.sort(key=lambda f: (is_user(f), f.name != "township", f.name != "village", f.name))
    for field in fields:
        target = field.related_model
        if target is Township:
            return f"{field.name}_id"
        if target is model or target._meta.app_label in ("auth", "contenttypes", "admin"):
            continue
        rest = township_path(target, depth + 1)
        if rest is not None:
            return f"{field.name}__{'township_id' if rest == 'pk' else rest}"
    return None


def scoped(queryset, user):
    """The rows of `queryset` the (non-superuser) admin user may read."""
    if user.is_superuser:
        return queryset
    model = queryset.model
    if model._meta.label_lower in SHARED:
        return queryset
    path = township_path(model)
    township_id = getattr(user, "township_id", None)
    if path is None or township_id is None:
        return queryset.none()
    return queryset.filter(**{path: township_id})


class TownshipScopedAdmin:
    """Mixed into every registered ModelAdmin by `scope_site`: querysets, foreign-key choices."""

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def _require_visible(self, request, object_id):
        # simple-history's history pages read the model's manager, not get_queryset().
        pk = unquote(object_id)
        try:
            visible = self.get_queryset(request).filter(pk=pk).exists()
        except (ValueError, TypeError):
            visible = False
        if not visible and not request.user.is_superuser:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped(field.queryset, request.user)
        return field


def scope_site(site) -> None:
    """Give every ModelAdmin (and its inlines) of `site` the township scope, once."""
    for model_admin in site._registry.values():
        model_admin.__class__ = _scoped_class(type(model_admin))
        model_admin.inlines = [_scoped_class(i) for i in model_admin.inlines]


def _scoped_class(cls):
    if issubclass(cls, TownshipScopedAdmin):
        return cls
    return type(f"Scoped{cls.__name__}", (TownshipScopedAdmin, cls), {})
