"""Scores and the assessment's life: score sheets with their lines, rankings, rubric versions,
periods (publish, close, reopen and recompute for admins, through assessment.services)."""

from decimal import Decimal

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef
from django.db.models import Prefetch
from django.db.models import Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import scope
from assessment import selectors
from assessment import services
from assessment import visibility
from assessment.models import Period
from assessment.models import PeriodEvent
from assessment.models import PeriodState
from assessment.models import RubricEntry
from assessment.models import RubricSection
from assessment.models import RubricVersion
from assessment.models import ScoreLine
from assessment.models import ScoreSheet
from assessment.periods import PeriodTransitionError
from core.periods import quarter_of
from villages.models import Township

from .base import AUTHENTICATION
from .base import VILLAGE_MONTH_FIELDS
from .base import Described
from .base import DescribedSerializer
from .filters import IdFilter
from .filters import labelled
from .pagination import Pagination


def _points(value) -> Decimal:
    return Decimal(str(value))


def points_field(**kwargs):
    return serializers.DecimalField(max_digits=9, decimal_places=2, **kwargs)


# --- score sheets ----------------------------------------------------------------------------


class RecordRefSerializer(DescribedSerializer):
    kind = serializers.CharField(label=_("记录类型"), help_text=_("如 petition、patrol。"))
    id = serializers.IntegerField(label=_("记录编号"))


class ScoreLineSerializer(Described, serializers.ModelSerializer):
    refs = serializers.SerializerMethodField(label=_("依据记录"))

    class Meta:
        model = ScoreLine
        fields = ("id", "position", "item_code", "points", "raw_points", "reason", "refs", "waived")

    @extend_schema_field(RecordRefSerializer(many=True))
    def get_refs(self, line):
        return [{"kind": kind, "id": int(pk)} for kind, pk in line.refs]


class SheetSectionSerializer(DescribedSerializer):
    code = serializers.CharField(label=_("编号"))
    title = serializers.CharField(label=_("标题"))
    points = points_field(label=_("分值"))
    score = points_field(label=_("得分"))


class SheetItemSerializer(DescribedSerializer):
    code = serializers.CharField(label=_("条目"), help_text=_("如 1.1、2、4.6"))
    section = serializers.CharField(label=_("所属部分"))
    title = serializers.CharField(label=_("考核重点"))
    points = points_field(label=_("分值"))
    score = points_field(label=_("得分"))
    raw_deduction = points_field(label=_("扣分合计(封顶前)"))


class VetoSerializer(DescribedSerializer):
    cause = serializers.CharField(label=_("否决事由代码"))
    reason = serializers.CharField(label=_("否决事由"))
    refs = RecordRefSerializer(many=True, label=_("依据记录"))


def _refs(data):
    return [{"kind": kind, "id": int(pk)} for kind, pk in data]


class ScoreSheetSerializer(Described, serializers.ModelSerializer):
    village_name = serializers.CharField(
        source="village.name", read_only=True, label=_("村(居)名称")
    )
    version = serializers.SlugRelatedField(
        slug_field="code", read_only=True, label=_("细则版本代码")
    )
    sections = serializers.SerializerMethodField(label=_("各部分得分"))
    items = serializers.SerializerMethodField(label=_("各项得分"))
    vetoes = serializers.SerializerMethodField(label=_("否决事由"))
    provisional = serializers.BooleanField(
        read_only=True, label=_("暂定"), help_text=_("该月仍缺应有的记录,关闭前为暂定分。")
    )
    provisional_reasons = serializers.ListField(
        child=serializers.CharField(), read_only=True, label=_("暂定原因")
    )
    period_state = serializers.ChoiceField(
        choices=PeriodState.choices,
        read_only=True,
        allow_null=True,
        label=_("考核月份状态"),
        help_text=_("尚未建立考核月份时为 null(即进行中)。"),
    )
    lines = ScoreLineSerializer(many=True, read_only=True, label=_("评分明细"))

    class Meta:
        model = ScoreSheet
        fields = (
            *VILLAGE_MONTH_FIELDS,
            "version",
            "total",
            "sections",
            "items",
            "vetoes",
            "provisional",
            "provisional_reasons",
            "period_state",
            "computed_at",
            "lines",
        )

    @extend_schema_field(SheetSectionSerializer(many=True))
    def get_sections(self, sheet):
        return SheetSectionSerializer(
            [
                {"code": c, "title": t, "points": _points(p), "score": _points(s)}
                for c, t, p, s in sheet.sections
            ],
            many=True,
        ).data

    @extend_schema_field(SheetItemSerializer(many=True))
    def get_items(self, sheet):
        return SheetItemSerializer(
            [
                {
                    "code": code,
                    "section": section,
                    "title": title,
                    "points": _points(points),
                    "score": _points(score),
                    "raw_deduction": _points(raw),
                }
                for code, section, title, points, score, raw in sheet.items
            ],
            many=True,
        ).data

    @extend_schema_field(VetoSerializer(many=True))
    def get_vetoes(self, sheet):
        return [
            {"cause": cause, "reason": reason, "refs": _refs(refs)}
            for cause, reason, refs in sheet.vetoes
        ]


@labelled
class ScoreSheetFilter(django_filters.FilterSet):
    village = IdFilter(field_name="village_id", label=_("村(居)编号"))

    class Meta:
        model = ScoreSheet
        fields = ("year", "month")


class ScoreSheetViewSet(viewsets.ReadOnlyModelViewSet):
    """月度评分表 with every line and the item code it belongs to. A secretary sees its own
    village's sheets of published or closed months only (as on the score page)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = ScoreSheetSerializer
    filterset_class = ScoreSheetFilter

    def get_queryset(self):
        user = self.request.user
        periods = Period.objects.filter(
            township_id=OuterRef("village__township_id"),
            year=OuterRef("year"),
            month=OuterRef("month"),
        )
        queryset = (
            ScoreSheet.objects.select_related("village", "version")
            .prefetch_related(Prefetch("lines", queryset=ScoreLine.objects.order_by("position")))
            .annotate(period_state=Subquery(periods.values("state")[:1]))
        )
        if user.is_authenticated and user.township_id:
            queryset = visibility.only_shown(queryset, user, user.township_id)
        return scope(queryset, user).order_by("-year", "-month", "village__name", "pk")


# --- rankings --------------------------------------------------------------------------------

KINDS = [("month", _("月度")), ("quarter", _("季度")), ("year", _("年度"))]
# A ranking comes in pages (issue 14: a county's 1,000 rows were 630 KB in one answer); a
# township of up to RANKING_PAGE villages still gets its whole ranking in one.
RANKING_PAGE = 100
RANKING_MAX_PAGE = 1000


class RankingPagination(Pagination):
    page_size = RANKING_PAGE
    page_size_query_param = "page_size"
    max_page_size = RANKING_MAX_PAGE


def township_for(user, township_id=None) -> Township:
    """The user's township; a superuser (who has none) names one, else the first."""
    if user.township_id and not user.is_superuser:
        return user.township
    if township_id:
        return get_object_or_404(Township, pk=township_id)
    if user.township_id:
        return user.township
    township = Township.objects.order_by("pk").first()
    if township is None:
        raise PermissionDenied
    return township


class RankingQuerySerializer(DescribedSerializer):
    kind = serializers.ChoiceField(choices=KINDS, default="month", label=_("排名类型"))
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, label=_("年度"), help_text=_("默认今年。")
    )
    month = serializers.IntegerField(
        min_value=1,
        max_value=12,
        required=False,
        label=_("月份"),
        help_text=_("月度排名用,默认本月。"),
    )
    quarter = serializers.IntegerField(
        min_value=1,
        max_value=4,
        required=False,
        label=_("季度"),
        help_text=_("季度排名用,默认 month 所在季度。"),
    )
    township = serializers.IntegerField(
        required=False, min_value=1, label=_("镇编号"), help_text=_("仅超级管理员使用。")
    )
    page = serializers.IntegerField(
        min_value=1, required=False, label=_("页码"), help_text=_("默认第 1 页。")
    )
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=RANKING_MAX_PAGE,
        required=False,
        label=_("每页名次数"),
        help_text=_("默认 100,最多 1000。"),
    )


class VetoBriefSerializer(DescribedSerializer):
    cause = serializers.CharField(label=_("否决事由代码"))
    reason = serializers.CharField(label=_("否决事由"))


class RankRowSerializer(DescribedSerializer):
    rank = serializers.IntegerField(label=_("名次"), help_text=_("并列同名次(1, 2, 2, 4)。"))
    village = serializers.IntegerField(source="village.pk", label=_("村(居)编号"))
    village_name = serializers.CharField(source="village.name", label=_("村(居)名称"))
    area_name = serializers.CharField(source="village.area.name", label=_("片名称"))
    score = points_field(label=_("得分"))
    previous_rank = serializers.IntegerField(
        allow_null=True, label=_("上月名次"), help_text=_("仅月度排名;上月无评分为 null。")
    )
    change = serializers.IntegerField(
        allow_null=True, label=_("名次变化"), help_text=_("正数为上升。")
    )
    vetoes = VetoBriefSerializer(many=True, label=_("否决事由"))
    provisional_reasons = serializers.ListField(child=serializers.CharField(), label=_("暂定原因"))


class RankingSerializer(DescribedSerializer):
    kind = serializers.ChoiceField(choices=KINDS, label=_("排名类型"))
    year = serializers.IntegerField(label=_("年度"))
    month = serializers.IntegerField(allow_null=True, label=_("月份"))
    quarter = serializers.IntegerField(allow_null=True, label=_("季度"))
    count = serializers.IntegerField(label=_("参与排名的村(居)数"))
    next = serializers.URLField(
        allow_null=True, label=_("下一页"), help_text=_("下一页的地址;已是最后一页时为 null。")
    )
    previous = serializers.URLField(
        allow_null=True, label=_("上一页"), help_text=_("上一页的地址;已是第一页时为 null。")
    )
    rows = RankRowSerializer(many=True, label=_("名次"), help_text=_("本页的名次,名次顺序。"))


class RankingView(APIView):
    """综合排名 of a month, a quarter or the year (kaohe.view_dashboard)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[RankingQuerySerializer], responses=RankingSerializer)
    def get(self, request):
        query = RankingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        township = township_for(request.user, params.get("township"))
        if not request.user.has_perm("kaohe.view_dashboard", township):
            raise PermissionDenied
        today = timezone.localdate()
        kind, year = params["kind"], params.get("year", today.year)
        month = params.get("month", today.month)
        quarter = params.get("quarter", quarter_of(month))
        if kind == "year":
            rows, month, quarter = selectors.year_ranking(township.pk, year), None, None
        elif kind == "quarter":
            rows, month = selectors.quarter_ranking(township.pk, year, quarter), None
        else:
            rows, quarter = selectors.month_ranking(township.pk, year, month), None
        paginator = RankingPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        data = {
            "kind": kind,
            "year": year,
            "month": month,
            "quarter": quarter,
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "rows": [
                {
                    "rank": r.rank,
                    "village": r.village,
                    "score": r.score,
                    "previous_rank": r.previous_rank,
                    "change": r.change,
                    "vetoes": [{"cause": c, "reason": why} for c, why in r.vetoes],
                    "provisional_reasons": list(r.provisional_reasons),
                }
                for r in page
            ],
        }
        return Response(RankingSerializer(data).data)


# --- rubric versions -------------------------------------------------------------------------


class RubricSectionSerializer(Described, serializers.ModelSerializer):
    class Meta:
        model = RubricSection
        fields = ("code", "title", "points", "order")


class RubricEntrySerializer(Described, serializers.ModelSerializer):
    class Meta:
        model = RubricEntry
        fields = ("category", "code", "section", "title", "points", "kind", "params", "order")


class RubricVersionSerializer(Described, serializers.ModelSerializer):
    sections = RubricSectionSerializer(many=True, read_only=True, label=_("考核部分"))
    entries = RubricEntrySerializer(many=True, read_only=True, label=_("考核条目"))

    class Meta:
        model = RubricVersion
        fields = (
            "id",
            "code",
            "name",
            "description",
            "based_on",
            "rubric_settings",
            "locked_at",
            "created_at",
            "sections",
            "entries",
        )


@labelled
class RubricVersionFilter(django_filters.FilterSet):
    class Meta:
        model = RubricVersion
        fields = ("code",)


class RubricVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """考核细则版本 with their sections and entries (the rubric is the township's published
    document, so every signed-in user may read it)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = RubricVersionSerializer
    filterset_class = RubricVersionFilter

    def get_queryset(self):
        return RubricVersion.objects.prefetch_related(
            Prefetch("sections", queryset=RubricSection.objects.order_by("order", "code")),
            Prefetch("entries", queryset=RubricEntry.objects.order_by("order", "pk")),
        ).order_by("code", "pk")


# --- periods ---------------------------------------------------------------------------------


class PeriodEventSerializer(Described, serializers.ModelSerializer):
    by_username = serializers.CharField(source="by.username", read_only=True, label=_("操作人"))
    action_label = serializers.CharField(
        read_only=True, label=_("操作名称"), help_text=_("公示、关闭或重新开启。")
    )

    class Meta:
        model = PeriodEvent
        fields = (
            "action",
            "action_label",
            "from_state",
            "to_state",
            "reason",
            "by",
            "by_username",
            "at",
        )


class PeriodSerializer(Described, serializers.ModelSerializer):
    events = PeriodEventSerializer(many=True, read_only=True, label=_("操作记录"))

    class Meta:
        model = Period
        fields = ("id", "township", "year", "month", "state", "published_at", "closed_at", "events")


class PeriodActionSerializer(DescribedSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, label=_("年"))
    month = serializers.IntegerField(min_value=1, max_value=12, label=_("月"))
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        label=_("原因"),
        help_text=_("关闭时可填,重新开启时必填;记入操作记录。"),
    )
    township = serializers.IntegerField(
        required=False, min_value=1, label=_("镇编号"), help_text=_("仅超级管理员使用。")
    )


class RecomputeResultSerializer(DescribedSerializer):
    period = PeriodSerializer(label=_("考核月份"))
    sheets = serializers.IntegerField(
        label=_("重新计算的评分表数"), help_text=_("已关闭的月份不重算,为 0。")
    )


@labelled
class PeriodFilter(django_filters.FilterSet):
    class Meta:
        model = Period
        fields = ("year", "month", "state")


def _period_action(summary: str, description: str, response=None, *, can_fail=False):
    responses = {200: response or PeriodSerializer, 409: None}
    if can_fail:  # a record the rules cannot score: nothing stored, the reason in `detail`
        responses[422] = None
    return extend_schema(
        summary=summary,
        description=description,
        request=PeriodActionSerializer,
        responses=responses,
    )


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """考核月份 of the user's township: open -> published -> closed (-> reopened), the moves of
    assessment/periods.py's table, which the pages obey too; a move it refuses answers 409 with
    `code` "period_transition". Every user of the township may read them (a client must know
    which months are closed); publishing, closing, reopening and recomputing are for the
    township's admins (kaohe.manage_assessment). A month that has never been acted on has no
    row yet and counts as open."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter

    def get_queryset(self):
        user = self.request.user
        queryset = Period.objects.prefetch_related("events__by")
        if not user.is_authenticated:
            return queryset.none()
        if not user.is_superuser:
            queryset = queryset.filter(township_id=user.township_id)
        return queryset.order_by("-year", "-month", "pk")

    def _period(self, request):
        form = PeriodActionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        township = township_for(request.user, data.get("township"))
        if not request.user.has_perm("kaohe.manage_assessment", township):
            raise PermissionDenied
        period = services.period_for(township.pk, data["year"], data["month"])
        return period, data.get("reason", "")

    def _done(self, period):
        period = Period.objects.prefetch_related("events__by").get(pk=period.pk)
        return Response(PeriodSerializer(period, context=self.get_serializer_context()).data)

    def _move(self, step, **kwargs):
        """One move of the table (assessment/periods.py); a refused one answers 409, its
        message naming the month and why, `{"detail", "code": "period_transition"}`."""
        try:
            return self._done(step(**kwargs))
        except PeriodTransitionError as exc:
            return Response(
                {"detail": " ".join(exc.messages), "code": "period_transition"},
                status=status.HTTP_409_CONFLICT,
            )

    @_period_action(
        str(_("公示")), str(_("月份结束后才能公示:计算并公示该月评分,村(居)可在5个工作日内申诉。"))
    )
    @action(detail=False, methods=["post"])
    def publish(self, request):
        period, _reason = self._period(request)
        return self._move(services.period_publish, period=period, by=request.user)

    @_period_action(
        str(_("关闭")),
        str(
            _("已公示、申诉期已过且申诉处理完毕才能关闭:评分定稿并冻结该月,此后该月记录不能修改。")
        ),
    )
    @action(detail=False, methods=["post"])
    def close(self, request):
        period, reason = self._period(request)
        return self._move(services.period_close, period=period, by=request.user, reason=reason)

    @_period_action(
        str(_("重新开启")),
        str(_("只能重新开启已关闭的月份,须填写原因;该月回到已公示(公示时间保留),记录可以再修改。")),
    )
    @action(detail=False, methods=["post"])
    def reopen(self, request):
        period, reason = self._period(request)
        return self._move(services.period_reopen, period=period, by=request.user, reason=reason)

    @_period_action(
        str(_("重新计算")),
        str(_("立即按当前记录重算该月全部村(居)的评分表(已关闭的月份不变)。")),
        RecomputeResultSerializer,
        can_fail=True,
    )
    @action(detail=False, methods=["post"])
    def recompute(self, request):
        period, _reason = self._period(request)
        try:
            count = services.score_month_now(
                township_id=period.township_id, year=period.year, month=period.month
            )
        except services.RecomputeFailed as exc:
            return Response(
                {"detail": str(exc), "code": "recompute_failed"},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        period = Period.objects.prefetch_related("events__by").get(pk=period.pk)
        data = {"period": period, "sheets": count}
        return Response(RecomputeResultSerializer(data, context=self.get_serializer_context()).data)
