"""A record's simple-history rows as the API shows them: who, when, what kind of change, why,
and which fields changed from what to what (the detail page's history table, as data)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.history import versions

HISTORY_TYPES = [("+", _("新增")), ("~", _("修改")), ("-", _("删除"))]


def _plain(value):
    """A history value as JSON (dates as ISO strings, decimals as strings, m2m rows as lists)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def history_rows(obj, *, hidden: frozenset = frozenset()) -> list[dict]:
    """Newest first; `hidden` fields are left out of the changes (never shown)."""
    rows = []
    for version in versions(obj, hidden=hidden):
        record, user = version.record, version.record.history_user
        rows.append(
            {
                "history_id": record.history_id,
                "history_date": record.history_date,
                "history_type": record.history_type,
                "user": None if user is None else {"id": user.pk, "username": user.username},
                "change_reason": record.history_change_reason or "",
                "changes": [
                    {"field": c.field, "label": c.label, "old": _plain(c.old), "new": _plain(c.new)}
                    for c in version.changes
                ],
            }
        )
    return rows


class HistoryUserSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("用户编号"))
    username = serializers.CharField(help_text=_("用户名"))


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("字段名"))
    label = serializers.CharField(help_text=_("字段的中文名称"))
    old = serializers.JSONField(help_text=_("修改前的值"), allow_null=True)
    new = serializers.JSONField(help_text=_("修改后的值"), allow_null=True)


class HistoryRowSerializer(serializers.Serializer):
    history_id = serializers.IntegerField(help_text=_("历史记录编号"))
    history_date = serializers.DateTimeField(help_text=_("修改时间"))
    history_type = serializers.ChoiceField(
        choices=HISTORY_TYPES, help_text=_("修改类型:+ 新增,~ 修改,- 删除")
    )
    user = HistoryUserSerializer(allow_null=True, help_text=_("修改人;系统生成的记录为空"))
    change_reason = serializers.CharField(help_text=_("修改原因"), allow_blank=True)
    changes = HistoryChangeSerializer(many=True, help_text=_("与上一版本相比改动的字段"))
