"""Reasons of score lines in the reader's language (see assessment.scoring.reasons).

A line keeps its Chinese reason (the township's 评分表 prints it) and the parts it was made of;
in Chinese the stored text is shown as it is, in another language the parts are rendered with
gettext and the locale's date formats. A line without parts (stored before they existed) and a
part whose translation does not fit its parameters fall back to the Chinese.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext


def _value(value: Any) -> Any:
    if isinstance(value, dict):
        if "r" in value:
            return render(value["r"], "")
        if "md" in value:
            return date_format(date.fromisoformat(value["md"]), "MONTH_DAY_FORMAT")
        if "d" in value:
            return date_format(date.fromisoformat(value["d"]), "DATE_FORMAT")
        if "ym" in value:
            return date_format(date.fromisoformat(value["ym"] + "-01"), "YEAR_MONTH_FORMAT")
    return value


def _segment(template: str, params: dict) -> str:
    translated = gettext(template)
    if not params:
        return translated
    values = {key: _value(value) for key, value in params.items()}
    try:
        return translated % values
    except (KeyError, TypeError, ValueError):
        return template % values


def render(parts: list, fallback: str) -> str:
    """``parts`` ([[template, params], ...]) in the active language; ``fallback`` without parts
    or in Chinese."""
    if not parts or (get_language() or "").startswith("zh"):
        return fallback
    try:
        return "".join(_segment(template, params) for template, params in parts)
    except (KeyError, TypeError, ValueError):
        return fallback
