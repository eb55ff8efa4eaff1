"""奖惩兑现, read only: the ledger's lines (deposits paid, settlements, fines, awards, with their
approval trail) and the deposits. Computing, approving and paying stay in the browser's admin
pages (rewards.services); the API reads what rewards.selectors lets each user read: the
township's ledger for admins, staff and leaders, a secretary only its own village's approved
or paid lines."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.access import scope
from rewards import selectors
from rewards.models import Deposit
from rewards.models import LedgerEntry

from .assessment import RecordRefSerializer
from .base import AUTHENTICATION
from .base import Described
from .filters import IdFilter
from .filters import labelled
from .history import HistoryRowSerializer
from .history import history_rows
from .pagination import Pagination


class LedgerEntrySerializer(Described, serializers.ModelSerializer):
    village_name = serializers.CharField(
        source="village.name", read_only=True, allow_null=True, label=_("村(居)名称")
    )
    person_name = serializers.CharField(
        source="person.name", read_only=True, allow_null=True, label=_("人员姓名")
    )
    provisional = serializers.BooleanField(
        read_only=True, label=_("暂定"), help_text=_("暂定的行不能审批。")
    )
    period_label = serializers.CharField(read_only=True, label=_("期间"))
    refs = serializers.SerializerMethodField(label=_("依据记录"))

    class Meta:
        model = LedgerEntry
        fields = (
            "id",
            "township",
            "year",
            "quarter",
            "period_label",
            "village",
            "village_name",
            "person",
            "person_name",
            "kind",
            "rule",
            "amount",
            "cause",
            "refs",
            "provisional",
            "provisional_reason",
            "status",
            "adjusts",
            "scheme",
            "computed_at",
            "approved_at",
            "approval_reason",
            "paid_at",
            "payment_reason",
        )

    @extend_schema_field(RecordRefSerializer(many=True))
    def get_refs(self, entry):
        return [{"kind": kind, "id": int(pk)} for kind, pk in entry.refs]


def _by_quarter(queryset, name, value):
    if value == selectors.YEAR_END:
        return queryset.filter(quarter__isnull=True)
    return queryset.filter(quarter=int(value)) if value else queryset


@labelled
class LedgerFilter(django_filters.FilterSet):
    quarter = django_filters.ChoiceFilter(
        choices=[("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), (selectors.YEAR_END, _("年终"))],
        method=_by_quarter,
        label=_("季度(1-4),year 为年终兑现"),
    )
    village = IdFilter(field_name="village_id", label=_("村(居)编号"))
    person = IdFilter(field_name="person_id", label=_("人员编号"))

    class Meta:
        model = LedgerEntry
        fields = ("year", "status", "kind", "rule")


class SettlementViewSet(viewsets.ReadOnlyModelViewSet):
    """奖惩台账 (实施方案 二、考核奖惩): every amount with its cause, rule and approval trail."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = LedgerEntrySerializer
    filterset_class = LedgerFilter

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            return LedgerEntry.objects.none()
        return selectors.entries_for(user)

    @extend_schema(
        summary=str(_("审批与兑现记录")),
        description=str(_("该行的全部版本,最新在前:计算、审批、兑现各一步,谁、何时、为何。")),
        responses=HistoryRowSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        rows = history_rows(self.get_object())
        return Response(HistoryRowSerializer(rows, many=True).data)


class DepositSerializer(Described, serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True, label=_("姓名"))

    class Meta:
        model = Deposit
        fields = (
            "id",
            "township",
            "year",
            "person",
            "person_name",
            "role",
            "village",
            "area",
            "amount",
            "note",
        )


@labelled
class DepositFilter(django_filters.FilterSet):
    village = IdFilter(field_name="village_id", label=_("村(居)编号"))
    person = IdFilter(field_name="person_id", label=_("人员编号"))

    class Meta:
        model = Deposit
        fields = ("year", "role")


class DepositViewSet(viewsets.ReadOnlyModelViewSet):
    """责任金 (奖惩 1): the township's for its admins, staff and leaders; a secretary's village's
    own (not its 片长's, who pays for the area)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = DepositSerializer
    filterset_class = DepositFilter

    def get_queryset(self):
        user = self.request.user
        queryset = Deposit.objects.select_related("person")
        if not user.is_authenticated:
            return queryset.none()
        if user.is_secretary:
            queryset = scope(queryset, user)
        elif not user.is_superuser:
            if not user.has_perm("kaohe.view_dashboard"):
                return queryset.none()
            queryset = queryset.filter(Q(township_id=user.township_id))
        return queryset.order_by("-year", "role", "person__name", "pk")
