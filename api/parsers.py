"""The API's JSON parser: a body nested too deep is a 400, never a RecursionError (a 500).

Python's json module recurses once per nesting level and raises RecursionError (not
ValueError, which DRF's JSONParser turns into a 400) near the interpreter's recursion limit:
`"[" * 5000` answered 500. No body of ours nests more than a few levels (a record with its
nested rows), so anything deeper than MAX_DEPTH is refused before any serializer walks it.
Used for every endpoint: settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] and the explicit
`parser_classes` of api.base / api.auth / api.petitions.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def depth_of(value) -> int:
    """How deep lists and objects nest in a parsed value (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def too_deep() -> ParseError:
    return ParseError(_("JSON 嵌套层数过多(最多 %(max)s 层)。") % {"max": MAX_DEPTH})


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise too_deep() from exc
        if depth_of(data) > MAX_DEPTH:
            raise too_deep()
        return data
