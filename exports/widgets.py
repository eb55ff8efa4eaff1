"""Cell readers of the imports (django-import-export widgets) in the township's words.

Each widget turns what a person typed into Excel into a model value, or raises ValueError with
a Chinese message naming what was wrong; the import reports it with the row and the column.
`render` gives the value back as the same words, so an exported file imports again unchanged.
"""

from __future__ import annotations

import re
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal
from decimal import InvalidOperation

from django.utils.translation import gettext as _
from import_export.widgets import Widget

from villages.models import Area
from villages.models import Village

EMPTY = (None, "")


def text_of(value) -> str:
    """A cell as text: a whole number typed as a number (a phone, a reference) loses its ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}" if value.time() != time(0) else f"{value:%Y-%m-%d}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()


class Text(Widget):
    """Free text, kept exactly as typed (a leading "=" included: it is only ever text)."""

    def __init__(self, *, required: bool = False, max_length: int | None = None):
        super().__init__(coerce_to_string=False)
        self.required = required
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = text_of(value)
        if self.required and not text:
            raise ValueError(_("此项必填。"))
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                _("内容过长:%(n)d 个字,最多 %(max)d 个字。")
                % {"n": len(text), "max": self.max_length}
            )
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class Integer(Widget):
    def __init__(self, *, default: int | None = None):
        super().__init__(coerce_to_string=False)
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = text_of(value)
        if not text:
            return self.default
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value():
            raise ValueError(_("应填整数,不是“%(v)s”。") % {"v": text})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return value


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


class Day(Widget):
    """A date: an Excel date cell, or text such as 2026-04-10, 2026/4/10, 2026年4月10日."""

    def __init__(self, *, required: bool = False):
        super().__init__(coerce_to_string=False)
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = text_of(value)
        if not text:
            if self.required:
                raise ValueError(_("此项必填。"))
            return None
        text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)  # a time after the day
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("日期格式不正确:“%(v)s”,请填写如 2026-04-10 的日期。") % {"v": text})

    def render(self, value, obj=None, **kwargs):
        return value


class TimeOfDay(Widget):
    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.time().replace(second=0, microsecond=0)
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0)
        text = text_of(value).replace(":", ":")
        if not text:
            return None
        for fmt in ("%H:%M", "%H:%M:%S", "%H点%M分", "%H点"):
            try:
                return datetime.strptime(text, fmt).time()
            except ValueError:
                continue
        raise ValueError(_("时间格式不正确:“%(v)s”,请填写如 19:30 的时间。") % {"v": text})

    def render(self, value, obj=None, **kwargs):
        return f"{value:%H:%M}" if value else ""


YES = {"是", "有", "y", "yes", "true", "1", "√", "✓", "对"}
NO = {"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "不是"}


class YesNo(Widget):
    """是 / 否 (also Y/N, 1/0, √/×). Blank is `blank` (False for a plain flag, None where the
    form has a "not applicable" choice)."""

    def __init__(self, *, blank=False):
        super().__init__(coerce_to_string=False)
        self.blank = blank

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = text_of(value).lower()
        if not text:
            return self.blank
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(_("应填“是”或“否”,不是“%(v)s”。") % {"v": text_of(value)})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _("是") if value else _("否")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "(").replace(")", ")").lower()


class Choice(Widget):
    """One of a TextChoices by its Chinese label (or its stored value, or a listed synonym)."""

    def __init__(self, choices, *, default=None, synonyms: dict[str, str] | None = None):
        super().__init__(coerce_to_string=False)
        self.choices = choices
        self.default = default
        self.lookup = {}
        for value, label in choices.choices:
            self.lookup[_key(str(label))] = value
            self.lookup[_key(str(value))] = value
        for word, value in (synonyms or {}).items():
            self.lookup[_key(word)] = value

    @property
    def labels(self) -> list[str]:
        return [str(label) for _value, label in self.choices.choices]

    def clean(self, value, row=None, **kwargs):
        text = text_of(value)
        if not text:
            return self.default
        found = self.lookup.get(_key(text))
        if found is None:
            raise ValueError(
                _("“%(v)s”不是可选的值,可填:%(allowed)s。")
                % {"v": text, "allowed": "、".join(self.labels)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value in EMPTY:
            return ""
        return str(self.choices(value).label)


class VillageName(Widget):
    """A village of the importing township, by its name."""

    def __init__(self):
        super().__init__(coerce_to_string=False)
        self.by_name: dict[str, object] | None = None
        self.township = None

    def bind(self, township) -> None:

        self.township = township
        self.by_name = {_key(v.name): v for v in Village.objects.filter(township=township)}

    def clean(self, value, row=None, **kwargs):
        text = text_of(value)
        if not text:
            raise ValueError(_("此项必填。"))
        village = (self.by_name or {}).get(_key(text))
        if village is None:
            raise ValueError(
                _("%(township)s没有名为“%(v)s”的村(居)。") % {"township": self.township, "v": text}
            )
        return village

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class AreaName(VillageName):
    def bind(self, township) -> None:

        self.township = township
        self.by_name = {_key(a.name): a for a in Area.objects.filter(township=township)}

    def clean(self, value, row=None, **kwargs):
        if not text_of(value):
            return None
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("%(township)s没有名为“%(v)s”的片。")
                % {"township": self.township, "v": text_of(value)}
            ) from None


class OptionalVillageName(VillageName):
    def clean(self, value, row=None, **kwargs):
        if not text_of(value):
            return None
        return super().clean(value, row, **kwargs)


def split_names(text: str) -> list[str]:
    """Several people in one cell: separated by 、 , , ; ; or line ends."""
    return [part.strip() for part in re.split(r"[、,,;;\n]+", text or "") if part.strip()]
