"""评分申诉 through the API, with the pages' rules (assessment.services): a contest is filed on
one line of a published month's sheet by the village's own secretary or a township admin on its
behalf (kaohe.file_contest, recorded as filed_on_behalf), within five working days of 公示;
only a township admin decides it (kaohe.manage_assessment), with a reason; both outcomes are
read back with that reason. A secretary reads its own village's contests of months it may see
(assessment.visibility)."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import serializers
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.access import scope
from assessment import services
from assessment import visibility
from assessment.models import Contest
from assessment.models import ScoreLine

from .base import AUTHENTICATION
from .base import VILLAGE_MONTH_FIELDS
from .base import Described
from .base import DescribedSerializer
from .filters import IdFilter
from .filters import labelled
from .pagination import Pagination


class ContestSerializer(Described, serializers.ModelSerializer):
    village_name = serializers.CharField(
        source="village.name", read_only=True, label=_("村(居)名称")
    )
    filed_by_username = serializers.CharField(
        source="filed_by.username", read_only=True, label=_("申诉人")
    )
    filed_on_behalf = serializers.BooleanField(
        read_only=True,
        label=_("代村申诉"),
        help_text=_("由镇管理员代村(居)提出,而非本村书记。"),
    )
    decided_by_username = serializers.CharField(
        source="decided_by.username",
        read_only=True,
        allow_null=True,
        default=None,
        label=_("处理人"),
    )
    refs = serializers.JSONField(read_only=True, label=_("依据记录"))

    class Meta:
        model = Contest
        fields = (
            *VILLAGE_MONTH_FIELDS,
            "item_code",
            "line_reason",
            "refs",
            "reason",
            "filed_by",
            "filed_by_username",
            "filed_on_behalf",
            "filed_at",
            "state",
            "decided_by",
            "decided_by_username",
            "decided_at",
            "decision_reason",
        )
        read_only_fields = fields


class ContestFileSerializer(DescribedSerializer):
    line = serializers.IntegerField(
        min_value=1, label=_("评分明细编号"), help_text=_("被申诉的扣分:评分表 lines 的 id。")
    )
    reason = serializers.CharField(allow_blank=True, label=_("申诉理由"))


class ContestDecideSerializer(DescribedSerializer):
    accept = serializers.BooleanField(
        label=_("是否采纳"), help_text=_("true 为采纳(核减该条扣分),false 为驳回。")
    )
    reason = serializers.CharField(allow_blank=True, label=_("处理意见"))


@labelled
class ContestFilter(django_filters.FilterSet):
    village = IdFilter(field_name="village_id", label=_("村(居)编号"))

    class Meta:
        model = Contest
        fields = ("year", "month", "state")


class ContestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """评分申诉: list and read (with the decision and its reason), file, decide."""

    model = Contest
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = ContestSerializer
    filterset_class = ContestFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        queryset = Contest.objects.select_related("village", "filed_by", "decided_by")
        if user.is_authenticated and user.township_id:
            queryset = visibility.only_shown(queryset, user, user.township_id)
        return scope(queryset, user).order_by("-filed_at", "-pk")

    def _lines(self):
        """The lines the user may read: its villages' sheets, of months it may see."""
        user = self.request.user
        lines = ScoreLine.objects.select_related("sheet__village")
        if user.township_id:
            lines = visibility.only_shown(
                lines, user, user.township_id, year_field="sheet__year", month_field="sheet__month"
            )
        return scope(lines, user, "sheet__village")

    def _read(self, contest, status_code=status.HTTP_200_OK):
        contest = self.get_queryset().get(pk=contest.pk)
        return Response(self.get_serializer(contest).data, status=status_code)

    @extend_schema(
        summary=str(_("提出申诉")),
        description=str(
            _(
                "对已公示、未关闭月份评分表中的一条扣分提出申诉(公示后5个工作日内):本村书记,"
                "或镇管理员代村提出(filed_on_behalf 为 true)。"
            )
        ),
        request=ContestFileSerializer,
        responses={201: ContestSerializer},
    )
    def create(self, request, *args, **kwargs):
        form = ContestFileSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        line = get_object_or_404(self._lines(), pk=form.validated_data["line"])
        if not request.user.has_perm("kaohe.file_contest", line.sheet.village):
            raise PermissionDenied
        with transaction.atomic():
            contest = services.contest_file(
                line=line, reason=form.validated_data["reason"], by=request.user
            )
        return self._read(contest, status.HTTP_201_CREATED)

    @extend_schema(
        summary=str(_("处理申诉")),
        description=str(
            _(
                "镇管理员采纳或驳回一条待处理的申诉,须填写处理意见;采纳后该条扣分在每次重算时"
                "都核减。村(居)书记会收到处理结果的通知。"
            )
        ),
        request=ContestDecideSerializer,
        responses={200: ContestSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        contest = self.get_object()
        if not request.user.has_perm("kaohe.manage_assessment", contest.village.township):
            raise PermissionDenied
        form = ContestDecideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.contest_decide(
            contest=contest,
            accept=form.validated_data["accept"],
            reason=form.validated_data["reason"],
            by=request.user,
        )
        return self._read(contest)
