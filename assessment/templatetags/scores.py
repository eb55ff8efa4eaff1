"""Template filters for score lines and reasons, in the reader's language. They live with the
scores they read, so the bottom layer's tag library (core/templatetags/kaohe.py) never reaches up
into assessment (docs/layers.md)."""

from django import template

from assessment.models import ScoreLine
from assessment.reasons import render
from assessment.scoring.reasons import parts_of

register = template.Library()


@register.filter
def reason_text(value):
    """A score reason (a line's, a veto's, a provisional one) in the reader's language; plain
    text as is."""
    parts = parts_of(value)
    return render(parts, str(value)) if parts else value


@register.filter
def item_label(code):
    """An item code as a reader names it: 1.4 as is, an adjustment by its title (never
    adj.dossier)."""
    return ScoreLine(item_code=code).item_label
