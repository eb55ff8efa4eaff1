"""The 综治中心 work: inspections, registers, patrols, meetings (village and township, with
attendance), satisfaction surveys (draw and answers), 加减分 events, sensitive periods."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import visible_villages
from assessment.periods import PeriodClosedError
from audit import services as audit
from governance import selectors
from governance import services
from governance.access import SPECIAL_READ_PERM
from governance.access import TOWNSHIP_READ_PERM
from governance.access import scope_township
from governance.choices import AttendanceStatus
from governance.choices import SurveyAnswerChoice
from governance.forms import AdjustmentEventForm
from governance.forms import CentreInspectionForm
from governance.forms import LandlineHouseholdForm
from governance.forms import LeadershipGroupForm
from governance.forms import PatrolForm
from governance.forms import SpecialPersonForm
from governance.forms import VillageMeetingForm
from governance.forms import ZeroReportForm
from governance.models import LandlineHousehold
from governance.models import MeetingAttendance
from governance.models import SensitivePeriod
from governance.models import SpecialPerson
from governance.models import Survey
from governance.models import SurveyAnswer
from governance.models import TownshipMeeting
from villages.models import Township
from villages.models import Village

from .base import MSG_REASON_REQUIRED
from .base import VILLAGE_FIELDS
from .base import Described
from .base import DescribedSerializer
from .base import RecordSerializer
from .base import RecordViewSet
from .base import VillageRecordSerializer
from .exceptions import validation_error


def _simple(form_class):
    """A serializer of a village record with the fields its form enters: one list of what staff
    enter for the kind, on the page and in the API."""
    model = form_class._meta.model
    names = [name for name in form_class._meta.fields if name != "village"]
    meta = type(
        "Meta",
        (VillageRecordSerializer.Meta,),
        {"model": model, "fields": (*VILLAGE_FIELDS, *names)},
    )
    return type(f"{model.__name__}Serializer", (VillageRecordSerializer,), {"Meta": meta})


CentreInspectionSerializer = _simple(CentreInspectionForm)
SpecialPersonSerializer = _simple(SpecialPersonForm)
ZeroReportSerializer = _simple(ZeroReportForm)
LeadershipGroupSerializer = _simple(LeadershipGroupForm)
LandlineHouseholdSerializer = _simple(LandlineHouseholdForm)
PatrolSerializer = _simple(PatrolForm)
VillageMeetingSerializer = _simple(VillageMeetingForm)
AdjustmentEventSerializer = _simple(AdjustmentEventForm)


class CentreInspectionViewSet(RecordViewSet):
    """综治中心检查 (评分表 四.1, 四.3, 五.7)."""

    serializer_class = CentreInspectionSerializer
    date_field = "date"
    search_fields = ("inspector", "note")


class SpecialCountSerializer(DescribedSerializer):
    village = serializers.IntegerField(label=_("村(居)编号"))
    village_name = serializers.CharField(label=_("村(居)名称"))
    by_category = serializers.DictField(
        child=serializers.IntegerField(), label=_("各类别在册人数(类别代码 → 人数)")
    )
    total = serializers.IntegerField(label=_("在册人数合计"))


class SpecialPersonViewSet(RecordViewSet):
    """重点人员台账 (评分表 四.2). Names are sensitive personal information (PIPL): read by who
    keeps the register (kaohe.view_special_persons), every read audited with the ids it returned;
    a leader reads `counts/` (numbers by village and category) and is answered 403 for rows."""

    serializer_class = SpecialPersonSerializer
    date_field = "registered"
    filter_fields = ("category",)
    search_fields = ("name", "responsible", "note")
    read_perm = SPECIAL_READ_PERM

    def may_read_kind(self, user) -> bool:
        return self.action == "counts" or user.has_perm(SPECIAL_READ_PERM)

    @extend_schema(
        summary=str(_("重点人员统计")),
        description=str(_("各村(居)在某日在册的重点人员人数,按类别统计,不含姓名。")),
        parameters=[
            OpenApiParameter("day", OpenApiTypes.DATE, description=str(_("统计日期,默认今天")))
        ],
        responses=SpecialCountSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def counts(self, request):
        day = timezone.localdate()
        if request.query_params.get("day"):
            try:
                day = serializers.DateField().to_internal_value(request.query_params["day"])
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"day": exc.detail}) from exc
        rows = selectors.special_person_counts_of(villages=visible_villages(request.user), day=day)
        data = [
            {
                "village": row.village_id,
                "village_name": row.village_name,
                "by_category": row.by_category,
                "total": row.total,
            }
            for row in rows
        ]
        return Response(SpecialCountSerializer(data, many=True).data)

    def finalize_response(self, request, response, *args, **kwargs):
        # The API's one audit call for the register: every successful read of its rows (list,
        # detail, history), naming the ids it returned.
        if (
            request.method in ("GET", "HEAD")
            and self.action != "counts"
            and 200 <= response.status_code < 300
        ):
            audit.record_read(
                request, model=SpecialPerson, ids=self._ids_read(response), door="api"
            )
        return super().finalize_response(request, response, *args, **kwargs)

    def _ids_read(self, response) -> list:
        if self.kwargs.get("pk") is not None:
            return [int(self.kwargs["pk"])]
        data = response.data
        rows = data.get("results", []) if isinstance(data, dict) else data
        return [row["id"] for row in rows if isinstance(row, dict) and "id" in row]


class ZeroReportViewSet(RecordViewSet):
    """零报告 (评分表 四.2)."""

    serializer_class = ZeroReportSerializer
    date_field = "date"
    filter_fields = ("category",)
    search_fields = ("note",)


class LeadershipGroupViewSet(RecordViewSet):
    """领导小组 (评分表 四.5)."""

    serializer_class = LeadershipGroupSerializer
    date_field = "established"
    filter_fields = ("kind",)
    search_fields = ("leader", "members", "document_ref")


class LandlineHouseholdViewSet(RecordViewSet):
    """固定电话户 (评分表 四.6 的抽样范围)."""

    serializer_class = LandlineHouseholdSerializer
    filter_fields = ("active",)
    search_fields = ("head", "phone", "address")


class PatrolViewSet(RecordViewSet):
    """巡逻记录 (评分表 四.4)."""

    serializer_class = PatrolSerializer
    date_field = "date"
    search_fields = ("participants", "route", "note")


class VillageMeetingViewSet(RecordViewSet):
    """村会议 (评分表 一.1)."""

    serializer_class = VillageMeetingSerializer
    date_field = "date"
    filter_fields = ("studied_petition_work",)
    search_fields = ("topic", "attendees", "minutes")


class AdjustmentEventViewSet(RecordViewSet):
    """加减分事件 (评分表 五)."""

    serializer_class = AdjustmentEventSerializer
    date_field = "date"
    filter_fields = ("kind", "level")
    search_fields = ("description", "document_ref")


# --- township records ------------------------------------------------------------------------


def own_townships(user):
    if user.is_superuser:
        return Township.objects.all()
    return Township.objects.filter(pk=user.township_id)


class TownshipRecordSerializer(RecordSerializer):
    """A township-level record: the township is the user's own (filled in when omitted); saved
    by governance.services.township_record_save (the same guarantees as a village record)."""

    related_scopes = {"township": own_townships}

    def get_fields(self):
        fields = super().get_fields()
        if "township" in fields:
            fields["township"].required = False
            fields["township"].help_text = _("不填则为当前用户所属的镇。")
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and "township" not in attrs:
            user = self.user
            if not user.township_id:
                raise serializers.ValidationError({"township": [_("请指定所属镇。")]})
            attrs["township"] = user.township
        return attrs

    def save_record(self, instance, *, reason, m2m):
        return services.township_record_save(instance=instance, user=self.user, reason=reason)


class TownshipRecordViewSet(RecordViewSet):
    """Township records are read by the township's admins, staff and leaders, changed by its
    admins and staff (governance/access.py); a secretary has no access to them."""

    village_path = ""
    read_perm = TOWNSHIP_READ_PERM
    select_related = ("township",)

    def may_read_kind(self, user) -> bool:
        return user.has_perm(TOWNSHIP_READ_PERM)

    def scope(self, queryset):
        return scope_township(queryset, self.request.user)

    def delete_record(self, instance, *, reason):
        services.township_record_delete(instance=instance, user=self.request.user, reason=reason)


class AttendanceSerializer(Described, serializers.ModelSerializer):
    village_name = serializers.CharField(
        source="village.name", read_only=True, label=_("村(居)名称")
    )

    class Meta:
        model = MeetingAttendance
        fields = ("id", "village", "village_name", "status", "note")


class TownshipMeetingSerializer(TownshipRecordSerializer):
    attendances = AttendanceSerializer(many=True, read_only=True, label=_("各村(居)出席情况"))

    class Meta(TownshipRecordSerializer.Meta):
        model = TownshipMeeting
        fields = ("id", "township", "date", "topic", "location", "note", "attendances")


class AttendanceRowSerializer(DescribedSerializer):
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.none(), label=_("村(居)"))
    status = serializers.ChoiceField(choices=AttendanceStatus.choices, label=_("出席情况"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("备注"))

    def get_fields(self):
        fields = super().get_fields()
        user = self.context.get("user")
        fields["village"].queryset = (
            visible_villages(user) if user is not None else Village.objects.none()
        )
        return fields


class AttendanceSheetSerializer(DescribedSerializer):
    rows = AttendanceRowSerializer(many=True, label=_("出席情况"), help_text=_("每村(居)一行。"))
    change_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        label=_("修改原因"),
        help_text=_("修改已登记的出席情况时必填。"),
    )


class TownshipMeetingViewSet(TownshipRecordViewSet):
    """镇综治会议 (评分表 五.6), with every village's attendance."""

    serializer_class = TownshipMeetingSerializer
    prefetch_related = ("attendances__village",)
    date_field = "date"
    search_fields = ("topic", "location", "note")

    @extend_schema(
        summary=str(_("登记各村(居)出席情况")),
        description=str(_("全部保存或全部不保存。")),
        request=AttendanceSheetSerializer,
        responses={200: TownshipMeetingSerializer},
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        user = request.user
        form = AttendanceSheetSerializer(data=request.data, context={"user": user})
        form.is_valid(raise_exception=True)
        stored = {row.village_id: row for row in meeting.attendances.all()}
        rows = []
        for data in form.validated_data["rows"]:
            row = stored.get(data["village"].pk) or MeetingAttendance(
                meeting=meeting, village=data["village"]
            )
            row.status, row.note = data["status"], data.get("note", "")
            rows.append(row)
        reason = form.validated_data.get("change_reason", "").strip()
        if any(row.pk for row in rows) and not reason:
            raise serializers.ValidationError({"change_reason": [MSG_REASON_REQUIRED]})
        services.meeting_attendance_save(
            meeting=meeting, rows=rows, user=user, reason=reason or _("登记出席情况")
        )
        return Response(self.get_serializer(self.get_object()).data)


class MeetingAttendanceSerializer(VillageRecordSerializer):
    related_scopes = {
        **VillageRecordSerializer.related_scopes,
        "meeting": lambda user: scope_township(TownshipMeeting.objects.all(), user),
    }

    class Meta(VillageRecordSerializer.Meta):
        model = MeetingAttendance
        fields = (*VILLAGE_FIELDS, "meeting", "status", "note")


class MeetingAttendanceViewSet(RecordViewSet):
    """One village's attendance at a township meeting (评分表 五.6)."""

    serializer_class = MeetingAttendanceSerializer
    select_related = ("village", "meeting")
    date_field = "meeting__date"
    filter_fields = ("status", "meeting")
    search_fields = ("meeting__topic", "note")


class SensitivePeriodSerializer(TownshipRecordSerializer):
    class Meta(TownshipRecordSerializer.Meta):
        model = SensitivePeriod
        fields = ("id", "township", "name", "start", "end", "bonus_points", "award_amount", "note")


class SensitivePeriodViewSet(TownshipRecordViewSet):
    """敏感时期/重大节日 (奖惩办法: 零上访加分并奖励)."""

    serializer_class = SensitivePeriodSerializer
    date_field = "start"
    search_fields = ("name", "note")


# --- surveys ---------------------------------------------------------------------------------


class SurveySerializer(VillageRecordSerializer):
    class Meta(VillageRecordSerializer.Meta):
        model = Survey
        fields = (
            *VILLAGE_FIELDS,
            "year",
            "quarter",
            "date",
            "note",
            "seed",
            "sample_size",
            "drawn_at",
            "drawn_by",
        )


class SurveyDrawSerializer(DescribedSerializer):
    size = serializers.IntegerField(label=_("抽样户数"), help_text=_("10 至 20 户。"))
    seed = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        label=_("随机种子"),
        help_text=_("不填由系统生成;填写已用过的种子可复现抽样。"),
    )


class HouseholdSerializer(Described, serializers.ModelSerializer):
    class Meta:
        model = LandlineHousehold
        fields = ("id", "head", "phone", "address")


class SurveyAnswerValueSerializer(Described, serializers.ModelSerializer):
    class Meta:
        model = SurveyAnswer
        fields = ("reached", "answer", "note")


class SampleSerializer(DescribedSerializer):
    sample = serializers.IntegerField(source="pk", label=_("抽样户编号"))
    order = serializers.IntegerField(label=_("抽取顺序"))
    household = HouseholdSerializer(label=_("固定电话户"))
    answer = SurveyAnswerValueSerializer(
        allow_null=True, label=_("回访结果"), help_text=_("尚未录入为 null。")
    )


class AnswerRowSerializer(DescribedSerializer):
    sample = serializers.IntegerField(label=_("抽样户编号"))
    reached = serializers.BooleanField(label=_("已联系上"))
    answer = serializers.ChoiceField(choices=SurveyAnswerChoice.choices, label=_("回答"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("备注"))


class AnswersSerializer(DescribedSerializer):
    answers = AnswerRowSerializer(many=True, label=_("回访结果"), help_text=_("每个抽样户一行。"))
    change_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        label=_("修改原因"),
        help_text=_("修改已录入的回访结果时必填。"),
    )


def _samples(survey):
    samples = list(survey.samples.select_related("household").order_by("order"))
    answers = {a.sample_id: a for a in SurveyAnswer.objects.filter(sample__survey=survey)}
    for sample in samples:
        sample.found_answer = answers.get(sample.pk)
    return samples


def _sample_rows(survey):
    return [
        {
            "pk": s.pk,
            "order": s.order,
            "household": s.household,
            "answer": s.found_answer,
        }
        for s in _samples(survey)
    ]


class SurveyViewSet(RecordViewSet):
    """满意度调查 (评分表 四.6): draw the sample, then record the answers."""

    serializer_class = SurveySerializer
    date_field = "date"
    filter_fields = ("year", "quarter")
    search_fields = ("note",)

    @extend_schema(
        summary=str(_("随机抽样")),
        description=str(_("从该村(居)在册固定电话户中随机抽取;已录入回访结果后不能重新抽样。")),
        request=SurveyDrawSerializer,
        responses={200: SampleSerializer(many=True)},
    )
    @action(detail=True, methods=["post"])
    def draw(self, request, pk=None):
        survey = self.get_object()
        form = SurveyDrawSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.survey_draw(
            survey=survey,
            size=form.validated_data["size"],
            seed=form.validated_data.get("seed"),
            by=request.user,
        )
        return Response(SampleSerializer(_sample_rows(survey), many=True).data)

    @extend_schema(
        methods=["GET"],
        summary=str(_("抽样户与回访结果")),
        responses={200: SampleSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary=str(_("录入回访结果")),
        description=str(_("全部保存或全部不保存。")),
        request=AnswersSerializer,
        responses={200: SampleSerializer(many=True)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def answers(self, request, pk=None):
        survey = self.get_object()
        if request.method == "GET":
            return Response(SampleSerializer(_sample_rows(survey), many=True).data)
        form = AnswersSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        samples = {s.pk: s for s in _samples(survey)}
        answers, errors = [], []
        for row in form.validated_data["answers"]:
            sample = samples.get(row["sample"])
            if sample is None:
                errors.append({"sample": [_("该抽样户不属于本调查。")]})
                continue
            errors.append({})
            answer = sample.found_answer or SurveyAnswer(sample=sample)
            answer.reached, answer.answer = row["reached"], row["answer"]
            answer.note = row.get("note", "")
            answers.append(answer)
        if any(errors):
            raise serializers.ValidationError({"answers": errors})
        reason = form.validated_data.get("change_reason", "").strip()
        if any(a.pk for a in answers) and not reason:
            raise serializers.ValidationError({"change_reason": [MSG_REASON_REQUIRED]})
        try:
            with transaction.atomic():
                services.survey_answers_save(
                    survey=survey,
                    answers=answers,
                    user=request.user,
                    reason=reason or _("录入回访结果"),
                )
        except PeriodClosedError:
            raise
        except DjangoValidationError as exc:
            raise validation_error(exc) from exc
        return Response(SampleSerializer(_sample_rows(survey), many=True).data)
