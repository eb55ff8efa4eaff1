"""Thin endpoints over the exports app: the 考核评分表 of one village and the ranking as Excel
files, every village's 评分表 as a background job (answered with the job), and the job itself."""

from io import BytesIO

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.access import visible_villages
from core.periods import quarter_of
from exports.access import secretary_may_see
from exports.jobs import start_sheets_export
from exports.periods import MONTH
from exports.periods import QUARTER
from exports.periods import YEAR
from exports.periods import Span
from exports.periods import span_from
from exports.score_sheets import village_workbook
from exports.styles import workbook_bytes
from exports.tables import ranking_workbook
from jobs.access import job_for_user
from jobs.files import result_download
from jobs.models import JobState

from .assessment import KINDS
from .assessment import township_for
from .base import AUTHENTICATION
from .base import DescribedSerializer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(data: bytes, filename: str) -> FileResponse:
    response = FileResponse(BytesIO(data), as_attachment=True, filename=filename)
    response["Content-Type"] = XLSX
    return response


class SpanSerializer(DescribedSerializer):
    kind = serializers.ChoiceField(choices=KINDS, default=MONTH, label=gettext_lazy("期间类型"))
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        required=False,
        label=gettext_lazy("年度"),
        help_text=gettext_lazy("默认今年。"),
    )
    month = serializers.IntegerField(
        min_value=1,
        max_value=12,
        required=False,
        label=gettext_lazy("月份"),
        help_text=gettext_lazy("月度用,默认本月。"),
    )
    quarter = serializers.IntegerField(
        min_value=1,
        max_value=4,
        required=False,
        label=gettext_lazy("季度"),
        help_text=gettext_lazy("季度用,默认 month 所在季度。"),
    )

    def span(self) -> Span:
        data = self.validated_data
        today = timezone.localdate()
        year = data.get("year", today.year)
        month = data.get("month", today.month)
        if data["kind"] == YEAR:
            return span_from(year, period=YEAR)
        if data["kind"] == QUARTER:
            return span_from(year, quarter=data.get("quarter", quarter_of(month)))
        return span_from(year, month=month)


def _span(data) -> Span:
    form = SpanSerializer(data=data)
    form.is_valid(raise_exception=True)
    return form.span()


class ExportView(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]


class VillageSheetExport(ExportView):
    @extend_schema(
        summary=gettext_lazy("下载一个村(居)的考核评分表"),
        parameters=[
            OpenApiParameter("village_id", int, OpenApiParameter.PATH, description="村(居)编号"),
            SpanSerializer,
        ],
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request, village_id: int):
        village = visible_villages(request.user).filter(pk=village_id).select_related("area")
        village = village.first()
        if village is None or not request.user.has_perm("kaohe.view_village", village):
            raise Http404
        span = _span(request.query_params)
        if not secretary_may_see(request.user, village, span):
            raise PermissionDenied(_("该期间的评分尚未公示。"))
        data = workbook_bytes(village_workbook(village, span))
        return xlsx(data, f"{village.name}_{span.label}_考核评分表.xlsx")


class RankingExport(ExportView):
    @extend_schema(
        summary=gettext_lazy("下载综合排名表"),
        parameters=[SpanSerializer],
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request):
        township = township_for(request.user)
        if not request.user.has_perm("kaohe.view_dashboard", township):
            raise PermissionDenied
        span = _span(request.query_params)
        data = workbook_bytes(ranking_workbook(township, span))
        return xlsx(data, f"{township.name}_{span.label}_考核排名.xlsx")


class JobSerializer(DescribedSerializer):
    id = serializers.IntegerField(label=gettext_lazy("任务编号"))
    kind = serializers.CharField(label=gettext_lazy("任务类型"))
    title = serializers.CharField(label=gettext_lazy("任务"))
    # What the pages show too: a job whose worker is gone reads as stalled (jobs/rules.py).
    state = serializers.ChoiceField(
        source="current_state", choices=JobState.choices, label=gettext_lazy("状态")
    )
    progress = serializers.IntegerField(label=gettext_lazy("进度(0-100)"))
    message = serializers.CharField(allow_blank=True, label=gettext_lazy("说明"))
    error = serializers.CharField(allow_blank=True, label=gettext_lazy("失败原因"))
    created_at = serializers.DateTimeField(label=gettext_lazy("创建时间"))
    finished_at = serializers.DateTimeField(allow_null=True, label=gettext_lazy("结束时间"))
    download_url = serializers.SerializerMethodField(
        label=gettext_lazy("结果文件下载地址"), help_text=gettext_lazy("尚无结果文件时为 null。")
    )

    def get_download_url(self, job) -> str | None:
        if not job.result_file:
            return None
        return reverse("api:job-download", args=[job.pk], request=self.context.get("request"))


class SheetsJobExport(ExportView):
    @extend_schema(
        summary=gettext_lazy("后台导出全部村(居)的考核评分表"),
        description=gettext_lazy("返回后台任务;完成后从任务的 download_url 下载。"),
        request=SpanSerializer,
        responses={202: JobSerializer},
    )
    def post(self, request):
        township = township_for(request.user)
        if not request.user.has_perm("kaohe.view_dashboard", township):
            raise PermissionDenied
        span = _span(request.data)
        job = start_sheets_export(township=township, span=span, by=request.user)
        return Response(
            JobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )


JOB_ID = OpenApiParameter("job_id", int, OpenApiParameter.PATH, description="任务编号")


class JobView(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=gettext_lazy("后台任务进度"), parameters=[JOB_ID], responses=JobSerializer
    )
    def get(self, request, job_id: int):
        return Response(
            JobSerializer(job_for_user(request.user, job_id), context={"request": request}).data
        )


class JobDownload(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=gettext_lazy("下载后台任务的结果文件"),
        parameters=[JOB_ID],
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request, job_id: int):
        return result_download(job_for_user(request.user, job_id), content_type=XLSX)
