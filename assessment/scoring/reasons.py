"""Reasons of score lines: the Chinese text the township's sheet prints, and how to say it again.

A ``Reason`` is a ``str`` (its Chinese text, exactly what the 评分表 shows and the tests compare)
that also carries its ``parts``: the message templates it was made of, with their parameters.
The Django side (``assessment.reasons.render``) renders the parts in the active language
(``gettext(template) % params``, dates by the locale's formats), so a line stored in Chinese reads
in English too. Nothing here knows Django; ``gettext_noop`` below only marks the templates for
``makemessages`` (the name is the keyword xgettext looks for).

Parameters are plain JSON values, ``MonthDay`` / ``YearMonth`` / ``FullDate`` (dates the
locale formats) or a nested ``Reason`` (a label, itself translated).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks a message template for the catalogue; the scoring core keeps the Chinese."""
    return message


@dataclass(frozen=True)
class MonthDay:
    """A date shown as month and day (4月3日; MONTH_DAY_FORMAT in other languages)."""

    day: date

    def __str__(self) -> str:
        return f"{self.day.month}月{self.day.day}日"


@dataclass(frozen=True)
class YearMonth:
    """A month shown with its year (2026年4月; YEAR_MONTH_FORMAT in other languages)."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"


@dataclass(frozen=True)
class FullDate:
    """A date shown whole (2026年4月14日; DATE_FORMAT in other languages)."""

    day: date

    def __str__(self) -> str:
        return f"{self.day.year}年{self.day.month}月{self.day.day}日"


def _encode(value: Any) -> Any:
    if isinstance(value, Reason):
        return {"r": value.to_json()}
    if isinstance(value, MonthDay):
        return {"md": value.day.isoformat()}
    if isinstance(value, FullDate):
        return {"d": value.day.isoformat()}
    if isinstance(value, YearMonth):
        return {"ym": f"{value.year:04d}-{value.month:02d}"}
    if isinstance(value, (int, float, str)) or value is None:
        return value
    return str(value)


class Reason(str):
    """Chinese text with the parts it was made of: ``((template, params), ...)``."""

    parts: tuple[tuple[str, dict[str, Any]], ...]

    # A year's recompute makes some 300,000 reasons: the constructor and the concatenations set
    # `parts` directly (no classmethod call, no copy of a tuple already built).
    def __new__(cls, template: str, **params: Any) -> Reason:
        text = template % {key: str(value) for key, value in params.items()} if params else template
        made = str.__new__(cls, text)
        made.parts = ((template, params),)
        return made

    @classmethod
    def _made(cls, text: str, parts) -> Reason:
        made = str.__new__(cls, text)
        made.parts = tuple(parts)
        return made

    def __add__(self, other: str) -> Reason:
        tail = other.parts if isinstance(other, Reason) else ((str(other), {}),)
        made = str.__new__(
            Reason, str.__add__(self, other if isinstance(other, str) else str(other))
        )
        made.parts = self.parts + tail
        return made

    def __radd__(self, other: str) -> Reason:
        head = other.parts if isinstance(other, Reason) else ((str(other), {}),)
        made = str.__new__(Reason, str.__add__(str(other), self))
        made.parts = head + self.parts
        return made

    def __reduce__(self):
        return (Reason._made, (str(self), self.parts))

    def to_json(self) -> list:
        """The parts as JSON (``ScoreLine.reason_parts``): [[template, {name: value}], ...]."""
        return [
            [template, {key: _encode(value) for key, value in params.items()}]
            for template, params in self.parts
        ]


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "r" in value:
            return from_json(value["r"])
        if "md" in value:
            return MonthDay(date.fromisoformat(value["md"]))
        if "d" in value:
            return FullDate(date.fromisoformat(value["d"]))
        if "ym" in value:
            year, month = value["ym"].split("-")
            return YearMonth(int(year), int(month))
    return value


class _StoredReason(Reason):
    """A stored reason (its Chinese text known) whose parts are decoded when first read: a
    year's ranking of 1,000 villages holds some 7,700 provisional reasons and shows a page of
    them, and decoding them all took most of its read."""

    def __getattr__(self, name: str) -> Any:
        if name != "parts":
            raise AttributeError(name)
        parts = tuple(
            (template, {key: _decode(value) for key, value in params.items()})
            for template, params in self.__dict__["_json"]
        )
        self.parts = parts
        return parts


def from_json(parts: list, text: str | None = None) -> Reason:
    """The Reason back from its JSON parts; ``text`` (the stored Chinese) wins when given, and
    then the parts are decoded only when read."""
    if text is not None:
        made = str.__new__(_StoredReason, text)
        made._json = parts
        return made
    segments = tuple(
        (template, {key: _decode(value) for key, value in params.items()})
        for template, params in parts
    )
    chinese = "".join(
        template % {key: str(value) for key, value in params.items()} if params else template
        for template, params in segments
    )
    return Reason._made(chinese, segments)


def with_parts(text: str, parts: list) -> str:
    """A stored reason with its parts when it has any (else the plain text, shown as it is)."""
    return from_json(parts, text) if parts else text


def parts_of(reason: str) -> list:
    """The JSON parts of a reason; [] for a plain string (shown as it is)."""
    return reason.to_json() if isinstance(reason, Reason) else []
