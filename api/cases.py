"""Superior-assigned cases (with their state machine, one action per step of cases.services)
and backlog cases with their relapses."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from assessment.periods import PeriodClosedError
from cases import services
from cases.choices import ReviewDecision
from cases.forms import BACKLOG_FIELDS
from cases.forms import township_people
from cases.models import AssignedCase
from cases.models import BacklogCase
from cases.models import BacklogRelapse
from cases.models import CaseExtension
from cases.models import CaseHandlerReport
from cases.models import CaseReview
from core.records import record_delete
from core.records import record_save

from .base import VILLAGE_FIELDS
from .base import Described
from .base import DescribedSerializer
from .base import RecordViewSet
from .base import VillageRecordSerializer
from .exceptions import validation_error

# --- assigned cases --------------------------------------------------------------------------


class HandlerReportSerializer(Described, serializers.ModelSerializer):
    class Meta:
        model = CaseHandlerReport
        fields = ("id", "names", "reported_date")


class CaseReviewSerializer(Described, serializers.ModelSerializer):
    class Meta:
        model = CaseReview
        fields = (
            "id",
            "decision",
            "reason",
            "review_date",
            "result",
            "result_reported_date",
            "reviewed_by",
        )


class CaseExtensionSerializer(Described, serializers.ModelSerializer):
    class Meta:
        model = CaseExtension
        fields = (
            "id",
            "requested_days",
            "reason",
            "requested_at",
            "requested_by",
            "state",
            "decided_by",
            "decided_at",
            "decision_reason",
        )


ACTION_CHOICES = [(name, label) for name, label in services.ACTION_LABELS.items()]


@extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ACTION_CHOICES)))
class AllowedActionsField(serializers.SerializerMethodField):
    pass


class AssignedCaseSerializer(VillageRecordSerializer):
    """What the township enters when a case arrives; the due date is computed from the work
    calendar, and the state only moves through the case's actions."""

    handler_reports = HandlerReportSerializer(many=True, read_only=True, label=_("承办人上报"))
    reviews = CaseReviewSerializer(many=True, read_only=True, label=_("审核记录"))
    extensions = CaseExtensionSerializer(many=True, read_only=True, label=_("延期申请"))
    allowed_actions = AllowedActionsField(
        label=_("可执行的步骤"), help_text=_("当前用户现在可以对该交办件执行的步骤。")
    )

    class Meta(VillageRecordSerializer.Meta):
        model = AssignedCase
        fields = (
            *VILLAGE_FIELDS,
            "title",
            "matter",
            "reference",
            "assigned_by",
            "assigned_date",
            *AssignedCase.SERVICE_FIELDS,
            "handler_reports",
            "reviews",
            "extensions",
            "allowed_actions",
        )

    def get_allowed_actions(self, case) -> list[str]:
        user = self.user
        return services.allowed_actions(case, user) if user is not None else []

    def save_record(self, instance, *, reason, m2m):
        if instance.pk is None:
            return services.case_assign(
                village=instance.village,
                title=instance.title,
                matter=instance.matter,
                reference=instance.reference,
                assigned_by=instance.assigned_by,
                assigned_date=instance.assigned_date,
                by=self.user,
            )
        return services.case_edit(case=instance, by=self.user, reason=reason)


class HandlersSerializer(DescribedSerializer):
    names = serializers.CharField(
        max_length=200, label=_("承办人"), help_text=_("多人用顿号分隔。")
    )
    reported_date = serializers.DateField(label=_("上报日期"))


class ResultSerializer(DescribedSerializer):
    result = serializers.CharField(label=_("办理结果"))
    reported_date = serializers.DateField(label=_("结果上报日期"))


class ReviewSerializer(DescribedSerializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices, label=_("审核结论"))
    reason = serializers.CharField(
        required=False, allow_blank=True, label=_("审核意见"), help_text=_("退回重办时必填。")
    )
    review_date = serializers.DateField(label=_("审核日期"))

    def validate(self, attrs):
        if (
            attrs["decision"] == ReviewDecision.REJECTED_IMPROPER
            and not attrs.get("reason", "").strip()
        ):
            raise serializers.ValidationError({"reason": [_("退回重办须写明办理不当的原因。")]})
        return attrs


class ConcludeSerializer(DescribedSerializer):
    concluded_date = serializers.DateField(label=_("办结日期"))


class ExtensionRequestSerializer(DescribedSerializer):
    requested_days = serializers.IntegerField(
        min_value=1, max_value=60, label=_("申请延期工作日数")
    )
    reason = serializers.CharField(label=_("延期理由"))


class ExtensionDecisionSerializer(DescribedSerializer):
    approve = serializers.BooleanField(label=_("批准"), help_text=_("true 批准,false 不予批准。"))
    decision_reason = serializers.CharField(
        required=False, allow_blank=True, label=_("审批意见"), help_text=_("不予批准时必填。")
    )

    def validate(self, attrs):
        if not attrs["approve"] and not attrs.get("decision_reason", "").strip():
            raise serializers.ValidationError({"decision_reason": [_("不予批准须写明理由。")]})
        return attrs


# action method name -> (service step, request serializer, service call)
STEPS = {
    "report_handlers": (
        services.REPORT_HANDLERS,
        HandlersSerializer,
        lambda case, by, data: services.case_report_handlers(case=case, by=by, **data),
    ),
    "report_result": (
        services.REPORT_RESULT,
        ResultSerializer,
        lambda case, by, data: services.case_report_result(case=case, by=by, **data),
    ),
    "review": (
        services.REVIEW,
        ReviewSerializer,
        lambda case, by, data: services.case_review(case=case, by=by, **data),
    ),
    "conclude": (
        services.CONCLUDE,
        ConcludeSerializer,
        lambda case, by, data: services.case_conclude(case=case, by=by, **data),
    ),
    "request_extension": (
        services.REQUEST_EXTENSION,
        ExtensionRequestSerializer,
        lambda case, by, data: services.case_request_extension(case=case, by=by, **data),
    ),
    "decide_extension": (
        services.DECIDE_EXTENSION,
        ExtensionDecisionSerializer,
        lambda case, by, data: services.case_decide_extension(
            case=case, by=by, approve=data["approve"], reason=data.get("decision_reason", "")
        ),
    ),
}


def _step(name: str):
    step, request_serializer, _call = STEPS[name]
    return extend_schema(
        summary=str(services.ACTION_LABELS[step]),
        request=request_serializer,
        responses={200: AssignedCaseSerializer},
    )


class AssignedCaseViewSet(RecordViewSet):
    """上级交办件 (评分表 一.3, 三.1). Each step of its handling is an action."""

    serializer_class = AssignedCaseSerializer
    prefetch_related = (
        "handler_reports",
        "extensions",
        Prefetch("reviews", queryset=CaseReview.objects.order_by("review_date", "pk")),
    )
    date_field = "assigned_date"
    filter_fields = ("state", "due_provisional")
    search_fields = ("title", "matter", "assigned_by", "reference")
    action_perms = {name: services.ACTION_PERMS[step] for name, (step, *_r) in STEPS.items()}

    def run_step(self, request, name: str):
        case = self.get_object()
        step, request_serializer, call = STEPS[name]
        if not request.user.has_perm(services.ACTION_PERMS[step], case):
            raise PermissionDenied
        form = request_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        call(case, request.user, dict(form.validated_data))
        return Response(self.get_serializer(self.get_object()).data)

    @_step("report_handlers")
    @action(detail=True, methods=["post"], url_path="report-handlers")
    def report_handlers(self, request, pk=None):
        return self.run_step(request, "report_handlers")

    @_step("report_result")
    @action(detail=True, methods=["post"], url_path="report-result")
    def report_result(self, request, pk=None):
        return self.run_step(request, "report_result")

    @_step("review")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self.run_step(request, "review")

    @_step("conclude")
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        return self.run_step(request, "conclude")

    @_step("request_extension")
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request, pk=None):
        return self.run_step(request, "request_extension")

    @_step("decide_extension")
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request, pk=None):
        return self.run_step(request, "decide_extension")


# --- backlog cases ---------------------------------------------------------------------------


class RelapseSerializer(Described, serializers.ModelSerializer):
    id = serializers.IntegerField(
        required=False,
        label=_("反弹记录编号"),
        help_text=_("修改已有的反弹记录时填写;新增不填。"),
    )

    class Meta:
        model = BacklogRelapse
        fields = ("id", "date", "note")
        validators = []


class BacklogCaseSerializer(VillageRecordSerializer):
    """A backlog case with its 五个一 and its relapses, saved all or nothing (as its form)."""

    relapses = RelapseSerializer(
        many=True,
        required=False,
        label=_("反弹记录(重复访、反复访)"),
        help_text=_("给出的列表即为全部反弹记录:带编号的修改,不带编号的新增,未列出的删除。"),
    )
    related_scopes = {
        **VillageRecordSerializer.related_scopes,
        "leader": township_people,
        "resolvers": township_people,
    }
    nested = ("relapses",)

    class Meta(VillageRecordSerializer.Meta):
        model = BacklogCase
        fields = (
            *VILLAGE_FIELDS,
            *BACKLOG_FIELDS,
            "resolvers",
            "relapses",
        )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        current = self.instance
        resolved = attrs.get("resolved_date", getattr(current, "resolved_date", None))
        if "resolvers" in attrs:
            resolvers = attrs["resolvers"]
        else:
            resolvers = list(current.resolvers.all()) if current is not None else []
        if resolved and not resolvers:
            raise serializers.ValidationError({"resolvers": [_("填写化解日期时须指定化解人。")]})
        if resolvers and not resolved:
            raise serializers.ValidationError(
                {"resolved_date": [_("指定化解人时须填写化解日期。")]}
            )
        return attrs

    def save_nested(self, instance, nested, *, reason):
        rows = nested.get("relapses")
        if rows is None:
            return
        existing = {r.pk: r for r in instance.relapses.all()}
        listed = {row["id"] for row in rows if row.get("id") is not None}
        for pk, relapse in existing.items():
            if pk not in listed:
                record_delete(instance=relapse, user=self.user, reason=reason or _("删除反弹记录"))
        errors, failed = [{} for _row in rows], False
        for index, row in enumerate(rows):
            pk = row.get("id")
            if pk is not None and pk not in existing:
                errors[index], failed = {"id": [_("该反弹记录不属于本积案。")]}, True
                continue
            relapse = existing[pk] if pk is not None else BacklogRelapse(case=instance)
            relapse.date = row["date"]
            relapse.note = row.get("note", "")
            try:
                record_save(instance=relapse, user=self.user, reason=reason)
            except PeriodClosedError:
                raise
            except DjangoValidationError as exc:
                errors[index], failed = validation_error(exc).detail, True
        if failed:
            raise serializers.ValidationError({"relapses": errors})


def _by_state(queryset, name, value):
    if value == "open":
        return queryset.filter(resolved_date__isnull=True)
    if value == "resolved":
        return queryset.filter(resolved_date__isnull=False)
    return queryset


class BacklogCaseViewSet(RecordViewSet):
    """信访积案 (评分表 三.3, 五 加减分)."""

    serializer_class = BacklogCaseSerializer
    select_related = ("village", "leader")
    prefetch_related = ("resolvers", "relapses")
    date_field = "listed_date"
    filter_fields = ("leader",)
    search_fields = ("title", "matter", "working_group", "leader__name")
    extra_filters = {
        "state": django_filters.ChoiceFilter(
            label=_("化解情况"),
            choices=[("open", _("未化解")), ("resolved", _("已化解"))],
            method=_by_state,
        )
    }
