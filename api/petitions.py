"""Petitions and disputes: petitions with their petitioners, reception log, 包保 register,
dispute ledger, twice-monthly screening reports, dossiers (files as download URLs)."""

from django.core.exceptions import ValidationError as DjangoValidationError
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
from core import periods
from core.records import record_delete
from core.records import record_save
from core.uploads import serve_protected
from petitions import deadlines
from petitions import rules
from petitions import services
from petitions import unsigned
from petitions.choices import DisputeStatus
from petitions.choices import ReviewOffice
from petitions.choices import ReviewResult
from petitions.models import BaobaoEntry
from petitions.models import Dispute
from petitions.models import DisputeReport
from petitions.models import Dossier
from petitions.models import Petition
from petitions.models import Petitioner
from petitions.models import ReceptionLog
from villages.models import Person

from .base import FILE_PARSERS
from .base import Described
from .base import DescribedSerializer
from .base import ProtectedFileField
from .base import RecordViewSet
from .base import VillageRecordSerializer
from .exceptions import validation_error
from .parsers import JSONParser

VILLAGE = ("id", "village", "village_name")
DOWNLOAD_TYPES = ("application/pdf", "image/jpeg", "image/png", "application/octet-stream")
DOWNLOAD = {(200, content_type): OpenApiTypes.BINARY for content_type in DOWNLOAD_TYPES}


def opinion_logs(user):
    return ReceptionLog.objects.filter(village__in=visible_villages(user), opinion_issued=True)


def township_people(user):
    return Person.objects.filter(township__in=visible_villages(user).values("township"))


def visible_disputes(user):
    return Dispute.objects.filter(village__in=visible_villages(user))


def resolved_disputes(user):
    return visible_disputes(user).filter(status=DisputeStatus.RESOLVED)


def file_parameter(names):
    return OpenApiParameter(
        "field",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        enum=list(names),
        description=str(_("文件字段名")),
    )


# --- petitions -------------------------------------------------------------------------------


class PetitionerSerializer(Described, serializers.ModelSerializer):
    id = serializers.IntegerField(
        required=False,
        label=_("信访人编号"),
        help_text=_("修改已登记的信访人时填写;新增的信访人不填。"),
    )
    id_number = serializers.CharField(
        max_length=18,
        required=False,
        allow_blank=True,
        label=_("身份证号"),
        help_text=_(
            "写入完整号码;修改时留空或原样回传掩码表示不变。读取时只有可修改记录的用户看到完整"
            "号码,其他用户看到掩码。"
        ),
    )
    masked_id = serializers.CharField(read_only=True, label=_("身份证号(掩码)"))

    class Meta:
        model = Petitioner
        fields = ("id", "name", "id_number", "masked_id")
        validators = []

    def validate_id_number(self, value):
        return rules.normalise_id_number(value)


class PetitionSerializer(VillageRecordSerializer):
    """A petition with its petitioners, saved together or not at all (the browser's form)."""

    petitioners = PetitionerSerializer(
        many=True,
        required=False,
        label=_("信访人"),
        help_text=_(
            "至少一名。修改时给出的列表即为全部信访人:带编号的修改,不带编号的新增,未列出的删除;"
            "不给出则不变。"
        ),
    )
    related_scopes = {
        **VillageRecordSerializer.related_scopes,
        "carried_opinion": opinion_logs,
    }
    nested = ("petitioners",)

    class Meta(VillageRecordSerializer.Meta):
        model = Petition
        fields = (
            *VILLAGE,
            "date",
            "level",
            "channel",
            "nature",
            "collective",
            "person_count",
            "matter",
            "stabilised_in_time",
            "carried_village_opinion",
            "carried_opinion",
            "new_problem_unresolved",
            "large_impact",
            "source",
            "source_ref",
            "petitioners",
        )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        rows = attrs.get("petitioners")
        if rows is not None:
            named = len(rows)
        else:  # not given: a new petition has none, an edited one keeps its own
            named = self.instance.petitioners.count() if self.instance is not None else 0
        people = attrs.get("person_count", getattr(self.instance, "person_count", None))
        try:
            rules.check_petitioner_count(named, people)
        except DjangoValidationError as exc:
            raise validation_error(exc) from exc
        return attrs

    def save_nested(self, instance, nested, *, reason):
        rows = nested.get("petitioners")
        if rows is None:
            return
        existing = {p.pk: p for p in instance.petitioners.all()}
        listed = {row["id"] for row in rows if row.get("id") is not None}
        for pk, person in existing.items():
            if pk not in listed:
                record_delete(instance=person, user=self.user, reason=reason)
        errors, failed = [{} for _row in rows], False
        for index, row in enumerate(rows):
            pk = row.get("id")
            if pk is not None and pk not in existing:
                errors[index], failed = {"id": [_("该信访人不属于本信访事件。")]}, True
                continue
            person = existing[pk] if pk is not None else Petitioner(petition=instance)
            person.name = row["name"]
            number = row.get("id_number", "")
            if not (person.pk and number in ("", rules.mask_id_number(person.id_number))):
                person.id_number = number
            try:
                record_save(instance=person, user=self.user, reason=reason)
            except PeriodClosedError:
                raise
            except DjangoValidationError as exc:
                errors[index], failed = validation_error(exc).detail, True
        if failed:
            raise serializers.ValidationError({"petitioners": errors})

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.user
        if user is None or not user.has_perm("kaohe.change_records", instance):
            for row in data.get("petitioners", ()):
                row["id_number"] = row["masked_id"]
        return data


class PetitionViewSet(RecordViewSet):
    """信访事件 (评分表 二, 一.2)."""

    serializer_class = PetitionSerializer
    prefetch_related = ("petitioners",)
    date_field = "date"
    filter_fields = ("level", "channel", "nature", "source", "collective")
    search_fields = ("matter", "petitioners__name", "source_ref")


# --- registers and the ledger ----------------------------------------------------------------


class ReceptionLogSerializer(VillageRecordSerializer):
    class Meta(VillageRecordSerializer.Meta):
        model = ReceptionLog
        fields = (
            *VILLAGE,
            "date",
            "visitor_name",
            "matter",
            "reply",
            "opinion_issued",
            "mediator_name",
            "opinion_number",
        )


class ReceptionLogViewSet(RecordViewSet):
    """来访接待登记 (评分表 一.2)."""

    serializer_class = ReceptionLogSerializer
    date_field = "date"
    filter_fields = ("opinion_issued",)
    search_fields = ("visitor_name", "matter", "opinion_number", "mediator_name")


class BaobaoEntrySerializer(VillageRecordSerializer):
    responsible = serializers.CharField(read_only=True, label=_("包保责任人(显示)"))
    related_scopes = {
        **VillageRecordSerializer.related_scopes,
        "responsible_person": township_people,
    }

    class Meta(VillageRecordSerializer.Meta):
        model = BaobaoEntry
        fields = (
            *VILLAGE,
            "petitioner_name",
            "matter",
            "responsible_person",
            "responsible_name",
            "responsible",
            "start",
            "end",
        )


class BaobaoEntryViewSet(RecordViewSet):
    """信访人包保登记 (评分表 一.2)."""

    serializer_class = BaobaoEntrySerializer
    select_related = ("village", "responsible_person")
    date_field = "start"
    search_fields = ("petitioner_name", "matter", "responsible_name", "responsible_person__name")


class DisputeSerializer(VillageRecordSerializer):
    class Meta(VillageRecordSerializer.Meta):
        model = Dispute
        fields = (
            *VILLAGE,
            "found_date",
            "parties",
            "matter",
            "category",
            "status",
            "resolved_date",
            "found_at_town_or_above",
        )


class DisputeViewSet(RecordViewSet):
    """矛盾纠纷台账 (评分表 三.2, 实施方案 一.4)."""

    serializer_class = DisputeSerializer
    date_field = "found_date"
    filter_fields = ("status", "category", "found_at_town_or_above")
    search_fields = ("parties", "matter")


# --- twice-monthly reports -------------------------------------------------------------------


class DisputeReportSerializer(VillageRecordSerializer):
    """Staff enter a report as it arrived (any time, any field); a village secretary writes
    its own village's report through the portal's service: the submission time is the server's
    clock and a submitted report is final for the village."""

    seal_scan = ProtectedFileField(
        url_name="api:dispute-report-file",
        required=False,
        allow_null=True,
        label=_("盖章扫描件"),
        help_text=_(
            "上传:加盖村(居)公章的报告扫描件(PDF、JPEG 或 PNG),null 清除;读取:下载地址,"
            "未盖章为 null。"
        ),
    )
    submit = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        label=_("报送"),
        help_text=_(
            "仅村(居)书记使用:true 立即报送(以服务器时间为报送时间),false 保存草稿。"
            "镇工作人员直接填写 submitted_at。"
        ),
    )
    confirm_unsigned = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        label=_("确认报送不完整的报告"),
        help_text=_(
            "村(居)书记按时报送没有签名或没有盖章扫描件的报告时须为 true:否则不保存,"
            "400 的 confirm_unsigned 写明缺什么、按考核细则将扣多少分。"
        ),
    )
    due_date = serializers.DateField(read_only=True, label=_("报送截止日期"))
    is_submitted = serializers.BooleanField(read_only=True, label=_("已报送"))
    is_late = serializers.BooleanField(read_only=True, label=_("逾期报送"))
    is_signed = serializers.BooleanField(read_only=True, label=_("已签名"))
    is_sealed = serializers.BooleanField(read_only=True, label=_("已盖章"))
    is_complete = serializers.BooleanField(
        read_only=True, label=_("按时、签名、盖章齐全"), help_text=_("只有这样的报告才不扣分。")
    )
    related_scopes = {**VillageRecordSerializer.related_scopes, "disputes": visible_disputes}

    class Meta(VillageRecordSerializer.Meta):
        model = DisputeReport
        fields = (
            *VILLAGE,
            "year",
            "month",
            "half",
            "submitted_at",
            "signed_by",
            "seal_scan",
            "disputes",
            "submit",
            "confirm_unsigned",
            "due_date",
            "is_submitted",
            "is_late",
            "is_signed",
            "is_sealed",
            "is_complete",
        )

    def _staff(self, village) -> bool:
        return self.user.has_perm("kaohe.change_records", village)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        confirmed = attrs.pop("confirm_unsigned", False)
        current = self.instance
        village = attrs.get("village", getattr(current, "village", None))
        disputes = attrs.get("disputes")
        if village is not None and disputes:
            strangers = [d for d in disputes if d.village_id != village.pk]
            if strangers:
                raise serializers.ValidationError(
                    {
                        "disputes": [
                            _("以下纠纷不属于%(village)s:%(names)s")
                            % {"village": village, "names": "、".join(str(d) for d in strangers)}
                        ]
                    }
                )
        if village is None or self._staff(village):
            return attrs
        # The village's own report (the portal's rules).
        if attrs.get("submitted_at") is not None:
            raise serializers.ValidationError(
                {"submitted_at": [_("报送时间由系统记录,请用 submit 报送。")]}
            )
        keys = ("village", "year", "month", "half")
        if current is not None and any(
            k in attrs and attrs[k] != getattr(current, k) for k in keys
        ):
            raise serializers.ValidationError(
                {"half": [_("不能更改已有报告的村(居)、年、月或半月。")]}
            )
        wanted = tuple(attrs.get(k, getattr(current, k, None)) for k in keys[1:])
        today = timezone.localdate()
        days = deadlines.report_days(village.township_id, today.year)
        if None not in wanted and wanted > periods.half_of(today, days):
            raise serializers.ValidationError({"half": [_("还未到该期排查报告的报送时间。")]})
        if (
            current is None
            and DisputeReport.objects.filter(village=village)
            .filter(year=wanted[0], month=wanted[1], half=wanted[2])
            .exists()
        ):
            raise serializers.ValidationError(
                {"non_field_errors": [_("该村(居)这半月的排查报告已存在。")]}
            )
        if attrs.get("submit") and not confirmed and None not in wanted:
            self._ask_unsigned(village, wanted, attrs, current)
        return attrs

    def _ask_unsigned(self, village, wanted, attrs, current) -> None:
        """An incomplete report on time is submitted only once confirmed (as on the portal)."""
        signed_by = attrs.get("signed_by", getattr(current, "signed_by", ""))
        seal = attrs["seal_scan"] if "seal_scan" in attrs else getattr(current, "seal_scan", None)
        found = unsigned.warning(
            village, *wanted, signed_by=signed_by, has_seal=bool(seal), today=timezone.localdate()
        )
        if found is not None:
            raise serializers.ValidationError({"confirm_unsigned": [found["text"]]})

    def create(self, validated_data):
        self._submit = validated_data.pop("submit", False)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        self._submit = validated_data.pop("submit", False)
        return super().update(instance, validated_data)

    def write(self, instance, *, reason, m2m, nested):
        if self._staff(instance):
            return super().write(instance, reason=reason, m2m=m2m, nested=nested)
        self.check_write(instance)
        new_scan = (
            instance.seal_scan if not getattr(instance.seal_scan, "_committed", True) else None
        )
        if "disputes" in m2m:
            disputes = m2m["disputes"]
        else:
            disputes = list(instance.disputes.all()) if instance.pk else []
        try:
            return services.report_submit(
                village=instance.village,
                year=instance.year,
                month=instance.month,
                half=instance.half,
                user=self.user,
                signed_by=instance.signed_by,
                seal_scan=new_scan,
                disputes=disputes,
                submit=self._submit,
            )
        except PeriodClosedError:
            raise
        except DjangoValidationError as exc:
            raise validation_error(exc) from exc


class DisputeReportViewSet(RecordViewSet):
    """矛盾纠纷排查报告 (评分表 一.4). Secretaries create and update their own village's."""

    serializer_class = DisputeReportSerializer
    parser_classes = FILE_PARSERS
    change_perm = "kaohe.submit_report"
    delete_perm = "kaohe.change_records"
    prefetch_related = ("disputes",)
    month_fields = ("year", "month")
    filter_fields = ("year", "month", "half")
    search_fields = ("village__name", "signed_by")

    @extend_schema(
        summary=str(_("下载盖章扫描件")),
        parameters=[file_parameter(["seal_scan"])],
        responses=DOWNLOAD,
    )
    @action(detail=True, methods=["get"], url_path=r"files/(?P<field>seal_scan)", url_name="file")
    def file(self, request, pk=None, field=None):
        return serve_protected(request, self.get_object(), field)


# --- dossiers --------------------------------------------------------------------------------


class DossierSerializer(VillageRecordSerializer):
    """The village follows from the dispute; only a resolved dispute may have a dossier."""

    mediation_agreement = ProtectedFileField(
        url_name="api:dossier-file",
        required=False,
        label=_("调解协议"),
        help_text=_("上传:PDF、JPEG 或 PNG;读取:下载地址。"),
    )
    id_copy = ProtectedFileField(
        url_name="api:dossier-file",
        required=False,
        label=_("身份证复印件"),
        help_text=_("上传:PDF、JPEG 或 PNG;读取:下载地址。"),
    )
    village_certificate = ProtectedFileField(
        url_name="api:dossier-file",
        required=False,
        label=_("村证明"),
        help_text=_("上传:PDF、JPEG 或 PNG;读取:下载地址。"),
    )
    accepted_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        label=_("审核通过日期"),
        help_text=_("综治中心与司法所都审核通过时,较晚的审核日期(五 加减分按此日计)。"),
    )
    related_scopes = {"dispute": resolved_disputes}

    class Meta(VillageRecordSerializer.Meta):
        model = Dossier
        fields = (
            *VILLAGE,
            "dispute",
            "mediation_agreement",
            "id_copy",
            "village_certificate",
            "submitted_date",
            "centre_result",
            "centre_reason",
            "centre_date",
            "judicial_result",
            "judicial_reason",
            "judicial_date",
            "accepted_date",
        )
        read_only_fields = ("village",)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("dispute") is not None:
            attrs["village"] = attrs["dispute"].village
        return attrs


class DossierReviewSerializer(DescribedSerializer):
    office = serializers.ChoiceField(choices=ReviewOffice.choices, label=_("审核单位"))
    result = serializers.ChoiceField(
        choices=[
            (ReviewResult.ACCEPTED, ReviewResult.ACCEPTED.label),
            (ReviewResult.REJECTED, ReviewResult.REJECTED.label),
        ],
        label=_("审核结论"),
    )
    day = serializers.DateField(label=_("审核日期"))
    reason = serializers.CharField(
        required=False, allow_blank=True, label=_("审核意见"), help_text=_("退回时必填。")
    )


class DossierViewSet(RecordViewSet):
    """矛盾纠纷化解卷宗 (评分表 三.2, 五 加减分)."""

    serializer_class = DossierSerializer
    parser_classes = FILE_PARSERS
    select_related = ("village", "dispute")
    date_field = "submitted_date"
    filter_fields = ("centre_result", "judicial_result")
    search_fields = ("dispute__parties", "dispute__matter")

    @extend_schema(
        summary=str(_("下载卷宗文件")),
        parameters=[file_parameter(Dossier.FILE_FIELDS)],
        responses=DOWNLOAD,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"files/(?P<field>mediation_agreement|id_copy|village_certificate)",
        url_name="file",
    )
    def file(self, request, pk=None, field=None):
        return serve_protected(request, self.get_object(), field)

    @extend_schema(
        summary=str(_("综治中心或司法所审核")),
        request=DossierReviewSerializer,
        responses={200: DossierSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def review(self, request, pk=None):
        dossier = self.get_object()
        form = DossierReviewSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        dossier = services.dossier_review(dossier=dossier, user=request.user, **form.validated_data)
        return Response(self.get_serializer(dossier).data)
