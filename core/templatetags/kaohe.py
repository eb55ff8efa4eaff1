from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from core.labels import half_month as half_month_label
from core.labels import year_month as year_month_label

register = template.Library()


@register.simple_tag
def field_value(obj, name):
    """A field shown as a reader expects: choice labels, 是/否, names of related objects."""
    display = getattr(obj, f"get_{name}_display", None)
    if callable(display):
        return display()
    value = getattr(obj, name, "")
    if hasattr(value, "all") and callable(value.all):  # a to-many manager (itself callable)
        return "、".join(str(v) for v in value.all())
    if callable(value):
        value = value()
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if value is None:
        return "—"
    if hasattr(value, "url") and hasattr(value, "name"):
        return value.name.rsplit("/", 1)[-1] if value else "—"
    if isinstance(value, datetime):
        # A simple_tag's result is turned into text before the template could localise it.
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m-%d %H:%M}"
    return value


@register.simple_tag
def year_month(year, month):
    """2026年12月 / December 2026 (core.labels)."""
    return year_month_label(int(year), int(month))


@register.simple_tag
def half_month(year, month, half):
    """2026年12月上半月 / First half of December 2026 (core.labels)."""
    return half_month_label(int(year), int(month), int(half))
