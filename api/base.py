"""The generic record endpoint: every record kind is a RecordViewSet with a RecordSerializer.

Reads: the queryset is narrowed by accounts.access.scope (what lies outside a user's reach is
404), filtered (api.filters) and paginated. Writes: the serializer checks types and builds the
model instance, then hands it to core.records.record_save (full_clean, closed-month guard,
attributed history, stale marks): the path the browser's forms take. A Django ValidationError
comes back as 400 with the field at fault, a closed month as 409 (api.exceptions).

Concurrency: a record's detail, create and update responses carry an `ETag` naming its version;
an update or delete with `If-Match` (or an update with the `version` it read in the body) is
refused when the record changed since (412 / 409, naming what changed), so nothing is
overwritten. A create with an `Idempotency-Key` is done once: the same key again replays the
first response (core.submissions).
"""

import json
import re
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.relations import ManyRelatedField
from rest_framework.response import Response
from rest_framework.utils import model_meta

from accounts.access import scope
from accounts.access import visible_villages
from accounts.api_auth import SessionAuthentication
from accounts.api_auth import TokenAuthentication
from assessment.periods import PeriodClosedError
from core import submissions
from core.records import RecordConflict
from core.records import check_version
from core.records import record_delete
from core.records import record_revert
from core.records import record_save

from .exceptions import StaleWrite
from .exceptions import etag_for
from .exceptions import validation_error
from .filters import filterset_for
from .history import HistoryRowSerializer
from .history import history_rows
from .pagination import Pagination
from .parsers import JSONParser
from .permissions import RecordPermission

MSG_REASON_REQUIRED = _("修改已有记录时须填写修改原因。")
MSG_DELETE_REASON = _("请填写删除原因。")
MSG_IF_MATCH = _("If-Match 与该记录的任何版本都不符,请重新读取该记录。")
MSG_KEY_TOO_LONG = _("Idempotency-Key 不能超过 %(n)s 个字符。")
MSG_KEY_REUSED = _("该 Idempotency-Key 已用于另一个不同的请求。")
MSG_REVERT_REASON = _("请填写恢复原因。")
MSG_REVERT_VERSION = _("请带回读取时的版本(version 或 If-Match),以免覆盖他人在此期间的修改。")
MSG_NO_SUCH_VERSION = _("该记录没有这个历史版本。")
IF_MATCH_TAG = re.compile(r'^(?:W/)?"(?P<label>[\w.]+)\.(?P<pk>\d+)\.v(?P<version>\d+)"$')
ETAG_ACTIONS = ("retrieve", "create", "update", "partial_update", "revert")
AUTHENTICATION = [TokenAuthentication, SessionAuthentication]
FILE_PARSERS = [MultiPartParser, JSONParser]


@contextmanager
def record_write(stale_status: int):
    """One transaction around a write through core.records, its refusals as API answers: a
    stale version as `stale_status` (412 or 409), a closed month as it is (409), any other
    refusal as 400 at its fields."""
    try:
        with transaction.atomic():
            yield
    except RecordConflict as exc:
        raise StaleWrite(exc, stale_status) from exc
    except PeriodClosedError:
        raise
    except DjangoValidationError as exc:
        raise validation_error(exc) from exc


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = MSG_IF_MATCH
    default_code = "precondition_failed"


def if_match_version(request, instance) -> int | None:
    """The version of `instance` the request's `If-Match` names; None without the header, with
    `*`, or for a kind without versions. A tag of no version of this record fails at once."""
    header = request.headers.get("If-Match", "") if request is not None else ""
    if not header.strip() or instance.pk is None or not hasattr(instance, "version"):
        return None
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if "*" in tags:
        return None
    for tag in tags:
        found = IF_MATCH_TAG.match(tag)
        if (
            found
            and found["label"] == instance._meta.label_lower
            and int(found["pk"]) == instance.pk
        ):
            return int(found["version"])
    raise PreconditionFailed


def as_json(data):
    """Response data as stored JSON (dates and decimals as the renderer writes them)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def user_of(context):
    request = context.get("request")
    return getattr(request, "user", None)


class Described:
    """Every field carries a description in the schema: its help text, else its label."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if not field.help_text and field.label:
                field.help_text = field.label
        return fields


class DescribedSerializer(Described, serializers.Serializer):
    pass


class ProtectedFileField(serializers.FileField):
    """In: an upload (the model's validator checks its content); out: the URL of the API's
    permission-checked download (`url_name` with the record's pk and this field's name)."""

    def __init__(self, *, url_name: str, **kwargs):
        self.url_name = url_name
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        # null clears an optional file; the column itself stores an empty name, never NULL.
        is_empty, value = super().validate_empty_values(data)
        if is_empty and data is None and self.allow_null:
            return True, ""
        return is_empty, value

    def to_representation(self, value):
        if not value:
            return None
        url = reverse(self.url_name, kwargs={"pk": value.instance.pk, "field": self.field_name})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class RecordSerializer(Described, serializers.ModelSerializer):
    """A record's fields; `change_reason` is asked on every change, as the browser's edit form.

    `related_scopes` limits what a related field may point at (name -> function of the user
    returning a queryset), as the forms limit their choices: by default the user's villages.
    `nested` names writable nested lists saved by `save_nested` in the same transaction.
    """

    change_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        label=_("修改原因"),
        help_text=_("修改已有记录时必填,记入修改历史。"),
    )

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        label=_("版本"),
        help_text=_(
            "读取时的版本;修改时原样带回(或用 If-Match 头),记录在此期间被他人修改则不保存。"
        ),
    )

    related_scopes: dict = {"village": visible_villages}
    nested: tuple[str, ...] = ()
    ALWAYS_FIELDS = ("change_reason", "village_name", "version")

    class Meta:
        # The model's full_clean checks its constraints, with the township's wording.
        validators = []

    @property
    def user(self):
        return user_of(self.context)

    def get_field_names(self, declared_fields, info):
        names = list(super().get_field_names(declared_fields, info))
        names += [n for n in self.ALWAYS_FIELDS if n in declared_fields and n not in names]
        if not hasattr(self.Meta.model, "version"):
            names = [n for n in names if n != "version"]
        return names

    def get_fields(self):
        fields = super().get_fields()
        user = self.user
        for name, scope_of in self.related_scopes.items():
            field = fields.get(name)
            if field is None or field.read_only:
                continue
            target = field.child_relation if isinstance(field, ManyRelatedField) else field
            if user is not None and user.is_authenticated:
                target.queryset = scope_of(user)
            else:
                target.queryset = target.queryset.none()
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # The version read is a precondition of the write, never a value written.
        self._body_version = attrs.pop("version", None)
        if self.instance is not None and not attrs.get("change_reason", "").strip():
            raise serializers.ValidationError({"change_reason": [MSG_REASON_REQUIRED]})
        return attrs

    # --- writing ---------------------------------------------------------------------------
    def _split(self, validated_data):
        nested = {name: validated_data.pop(name) for name in self.nested if name in validated_data}
        info = model_meta.get_field_info(self.Meta.model)
        m2m = {
            name: validated_data.pop(name)
            for name, relation in info.forward_relations.items()
            if relation.to_many and name in validated_data
        }
        return m2m, nested

    def create(self, validated_data):
        reason = validated_data.pop("change_reason", "")
        m2m, nested = self._split(validated_data)
        instance = self.Meta.model(**validated_data)
        return self.write(instance, reason=reason, m2m=m2m, nested=nested)

    def update(self, instance, validated_data):
        reason = validated_data.pop("change_reason", "")
        m2m, nested = self._split(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.write(instance, reason=reason, m2m=m2m, nested=nested)

    def expected_version(self, instance) -> tuple[int | None, int]:
        """The version the client read, and the status a stale one answers: If-Match first
        (412), else the body's `version` (409)."""
        if instance.pk is None:
            return None, status.HTTP_412_PRECONDITION_FAILED
        header = if_match_version(self.context.get("request"), instance)
        if header is not None:
            return header, status.HTTP_412_PRECONDITION_FAILED
        return getattr(self, "_body_version", None), status.HTTP_409_CONFLICT

    def write(self, instance, *, reason: str, m2m: dict, nested: dict):
        self.check_write(instance)
        expected, stale_status = self.expected_version(instance)
        with record_write(stale_status):
            # Before any override of save_record runs: the row stays locked to the end.
            check_version(instance, expected)
            instance = self.save_record(instance, reason=reason, m2m=m2m)
            self.save_nested(instance, nested, reason=reason)
        return instance

    def check_write(self, instance) -> None:
        """The new state must be the user's to write too (a record moved to another village)."""
        perm = self.context["view"].perm_for_action()
        if not self.user.has_perm(perm, instance):
            raise PermissionDenied

    def save_record(self, instance, *, reason: str, m2m: dict):
        instance = record_save(instance=instance, user=self.user, reason=reason)
        for name, values in m2m.items():
            getattr(instance, name).set(values)
        return instance

    def save_nested(self, instance, nested: dict, *, reason: str) -> None:
        """Save nested rows; a kind with `nested` overrides this."""


# The fields every village record starts with in the API, and those of a village's month.
VILLAGE_FIELDS = ("id", "village", "village_name")
VILLAGE_MONTH_FIELDS = (*VILLAGE_FIELDS, "year", "month")


class VillageRecordSerializer(RecordSerializer):
    village_name = serializers.CharField(
        source="village.name", read_only=True, label=_("村(居)名称")
    )


class RevertSerializer(DescribedSerializer):
    history_id = serializers.IntegerField(
        min_value=1,
        label=_("历史版本编号"),
        help_text=_("要恢复到的版本:history 列出的 history_id。"),
    )
    reason = serializers.CharField(
        allow_blank=True, max_length=200, label=_("恢复原因"), help_text=_("必填,记入修改历史。")
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        label=_("版本"),
        help_text=_("读取时的当前版本(或用 If-Match 头,二者必居其一);记录在此期间被修改则不恢复。"),
    )


DELETE_REASON = OpenApiParameter(
    "reason",
    OpenApiTypes.STR,
    required=True,
    description=str(_("删除原因,记入修改历史。")),
)


@extend_schema_view(destroy=extend_schema(parameters=[DELETE_REASON]))
class RecordViewSet(viewsets.ModelViewSet):
    """List (filters, pagination), create, read, update, delete and history of one kind."""

    authentication_classes = AUTHENTICATION
    permission_classes = [RecordPermission]
    pagination_class = Pagination
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    village_path = "village"
    read_perm = "kaohe.view_village"
    change_perm = "kaohe.change_records"
    delete_perm: str | None = None
    # Restoring an earlier version is township staff's, as on the pages (core.views.RecordRevert).
    revert_perm = "kaohe.change_records"
    # Actions that check their own permission (a service's rule): action name -> perm or None.
    action_perms: dict = {}
    select_related: tuple[str, ...] = ("village",)
    prefetch_related: tuple = ()
    ordering: tuple[str, ...] | None = None
    # filters
    date_field: str | None = None
    month_fields: tuple[str, ...] = ()
    filter_fields: tuple[str, ...] = ()
    search_fields: tuple[str, ...] = ()
    extra_filters: dict | None = None
    history_hidden: frozenset = frozenset()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        serializer = getattr(cls, "serializer_class", None)
        if serializer is None:
            return
        cls.model = serializer.Meta.model
        if "filterset_class" not in cls.__dict__:
            cls.filterset_class = filterset_for(
                cls.model,
                village_path=cls.village_path or None,
                date_field=cls.date_field,
                month_fields=cls.month_fields,
                fields=cls.filter_fields,
                search=cls.search_fields,
                extra=cls.extra_filters,
            )

    # --- access ----------------------------------------------------------------------------
    def may_read_kind(self, user) -> bool:
        return True

    def perm_for_action(self) -> str | None:
        if self.action in self.action_perms:
            return self.action_perms[self.action]
        if self.action == "destroy":
            return self.delete_perm or self.change_perm
        if self.action == "revert":
            return self.revert_perm
        if self.request.method in SAFE_METHODS:
            return self.read_perm
        return self.change_perm

    def scope(self, queryset):
        return scope(queryset, self.request.user, self.village_path)

    def get_queryset(self):
        queryset = self.model._default_manager.all()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        ordering = self.ordering or tuple(self.model._meta.ordering)
        return self.scope(queryset).order_by(*ordering, "-pk")

    def get_object(self):
        obj = super().get_object()
        self._etag_object = obj
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = getattr(self, "_etag_object", None)
        if (
            obj is not None
            and getattr(self, "action", None) in ETAG_ACTIONS
            and 200 <= response.status_code < 300
            and getattr(obj, "version", None) is not None
        ):
            response["ETag"] = etag_for(obj)
        return response

    # --- writes ----------------------------------------------------------------------------
    def create(self, request, *args, **kwargs):
        """With an `Idempotency-Key`: done once per key and user; the same request again gets
        the first response back, a different one with the same key 422."""
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return super().create(request, *args, **kwargs)
        if len(key) > submissions.MAX_KEY_LENGTH:
            message = MSG_KEY_TOO_LONG % {"n": submissions.MAX_KEY_LENGTH}
            raise serializers.ValidationError({"Idempotency-Key": [message]})
        token = submissions.API + key
        data = request.data.lists() if hasattr(request.data, "lists") else request.data
        fingerprint = submissions.digest(request.method, request.path, data)
        with transaction.atomic():
            earlier = submissions.claim(request.user, token, request_digest=fingerprint)
            if earlier is None:
                response = super().create(request, *args, **kwargs)
                submissions.remember(
                    request.user,
                    token,
                    self._etag_object,
                    status=response.status_code,
                    body=as_json(response.data),
                )
                return response
        if earlier.request_digest != fingerprint:
            return Response(
                {"detail": MSG_KEY_REUSED, "code": "idempotency_key_reused"},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        response = Response(earlier.response_body, status=earlier.response_status)
        response["Idempotent-Replayed"] = "true"
        return response

    def perform_create(self, serializer):
        super().perform_create(serializer)
        self._etag_object = serializer.instance

    def perform_update(self, serializer):
        super().perform_update(serializer)
        self._etag_object = serializer.instance

    def perform_destroy(self, instance):
        reason = self.request.query_params.get("reason", "").strip()
        if not reason:
            raise serializers.ValidationError({"reason": [MSG_DELETE_REASON]})
        with transaction.atomic():
            check_version(instance, if_match_version(self.request, instance))
            self.delete_record(instance, reason=reason)

    def delete_record(self, instance, *, reason: str) -> None:
        record_delete(instance=instance, user=self.request.user, reason=reason)

    # --- history ---------------------------------------------------------------------------
    @extend_schema(
        summary=str(_("恢复到历史版本")),
        description=str(
            _(
                "把记录恢复到 history 中的某个版本,与页面上的“恢复到此版本”同一规则:须有修改权限、"
                "填写原因、带回读取时的版本;该记录所在月份(原月份或恢复后的月份)已关闭时拒绝(409)。"
                "恢复本身是一次新的、留痕的修改。"
            )
        ),
        request=RevertSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def revert(self, request, pk=None):
        obj = self.get_object()
        form = RevertSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if not data["reason"].strip():
            raise serializers.ValidationError({"reason": [MSG_REVERT_REASON]})
        header = if_match_version(request, obj)
        expected = header if header is not None else data.get("version")
        if expected is None:
            raise serializers.ValidationError({"version": [MSG_REVERT_VERSION]})
        historical = obj.history.filter(history_id=data["history_id"]).first()
        if historical is None:
            raise serializers.ValidationError({"history_id": [MSG_NO_SUCH_VERSION]})
        if not request.user.has_perm(self.revert_perm, historical.instance):
            raise PermissionDenied  # the version restored lies outside the user's villages
        stale_status = (
            status.HTTP_412_PRECONDITION_FAILED if header is not None else status.HTTP_409_CONFLICT
        )
        with record_write(stale_status):
            check_version(obj, expected)
            instance = record_revert(
                historical=historical, user=request.user, reason=data["reason"].strip()
            )
        instance = self.get_queryset().get(pk=instance.pk)
        self._etag_object = instance
        return Response(self.get_serializer(instance).data)

    @extend_schema(
        summary=str(_("修改历史")),
        description=str(_("该记录的全部版本,最新在前:修改人、时间、类型、原因与改动的字段。")),
        responses=HistoryRowSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        obj = self.get_object()
        rows = history_rows(obj, hidden=self.history_hidden)
        return Response(HistoryRowSerializer(rows, many=True).data)
