"""Admin of 奖惩兑现: schemes are edited here (every figure); deposits corrected here; ledger
lines are read here and change state only through the services (approve / pay actions)."""

from django import forms
from django.contrib import admin
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .choices import EntryStatus
from .models import Deposit
from .models import LedgerEntry
from .models import PriorYearStatus
from .models import RewardScheme


@admin.register(RewardScheme)
class RewardSchemeAdmin(SimpleHistoryAdmin):
    list_display = [
        "year",
        "township",
        "name",
        "double_return_from",
        "return_from",
        "zero_quarter_award",
        "zero_year_award",
        "individual_share_percent",
    ]
    list_filter = ["year", "township"]
    search_fields = ["name", "note", "township__name"]
    fieldsets = [
        (None, {"fields": ["township", "year", "name", "note"]}),
        (_("责任金与年终兑现"), {"fields": ["deposits", "double_return_from", "return_from"]}),
        (
            _("罚款"),
            {
                "fields": [
                    "beijing_fine_responsible",
                    "beijing_fine_roles",
                    "beijing_fine_multiplier",
                    "province_fine_responsible",
                    "backlog_relapse_fine",
                ]
            },
        ),
        (
            _("奖励"),
            {
                "fields": [
                    "backlog_resolved_award",
                    "dossier_award",
                    "staff_commended_award",
                    "zero_quarter_award",
                    "zero_quarter_shares",
                    "zero_year_award",
                    "zero_year_shares",
                    "zero_year_consecutive_multiplier",
                    "sensitive_period_shares",
                    "top_min_score",
                    "top_awards",
                    "individual_share_percent",
                ]
            },
        ),
        (
            _("零上访的认定"),
            {
                "fields": [
                    "zero_levels",
                    "complaint_channels",
                    "complaint_levels",
                    "opinion_channels",
                ]
            },
        ),
    ]
    actions = ["copy_to_next_year"]

    @admin.action(description=_("复制为下一年度方案(本镇)"))
    def copy_to_next_year(self, request, queryset):
        township = request.user.township
        if township is None:
            self.message_user(request, _("请用所属镇的管理员账号复制方案。"), messages.ERROR)
            return
        for scheme in queryset:
            try:
                copy = services.scheme_copy(
                    source=scheme, township=township, year=scheme.year + 1, by=request.user
                )
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, text, messages.ERROR)
            else:
                self.message_user(request, _("已生成 %(s)s。") % {"s": copy})


@admin.register(Deposit)
class DepositAdmin(SimpleHistoryAdmin):
    list_display = ["year", "person", "role", "village", "area", "amount", "township"]
    list_filter = ["year", "role", "township"]
    search_fields = ["person__name", "village__name", "area__name", "note"]
    autocomplete_fields = ["person", "village"]
    raw_id_fields = ["responsibility"]


class StatusFilter(admin.SimpleListFilter):
    title = _("差额调整")
    parameter_name = "adjustment"

    def lookups(self, request, model_admin):
        return [("yes", _("差额行")), ("no", _("原始行"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(adjusts__isnull=False)
        if self.value() == "no":
            return queryset.filter(adjusts__isnull=True)
        return queryset


@admin.register(LedgerEntry)
class LedgerEntryAdmin(SimpleHistoryAdmin):
    list_display = [
        "pk",
        "year",
        "quarter",
        "village",
        "person",
        "kind",
        "amount",
        "status",
        "cause",
    ]
    list_filter = ["status", "kind", "rule", "year", "quarter", "township", StatusFilter]
    search_fields = ["cause", "key", "village__name", "person__name"]
    readonly_fields = [f.name for f in LedgerEntry._meta.concrete_fields]
    actions = ["approve", "pay"]

    def has_add_permission(self, request):
        return False  # lines come from the settlement services

    def has_delete_permission(self, request, obj=None):
        return False  # a computed line leaves by recompute; an approved one never

    def _run(self, request, queryset, service, label):
        try:
            n = service(entries=list(queryset), by=request.user, reason=_("后台批量%s") % label)
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(getattr(exc, "messages", [str(exc)]))
            self.message_user(request, text, messages.ERROR)
        else:
            self.message_user(request, _("%(label)s %(n)d 行。") % {"label": label, "n": n})

    @admin.action(description=_("审批所选(已计算→已审批)"))
    def approve(self, request, queryset):
        self._run(
            request,
            queryset.filter(status=EntryStatus.COMPUTED),
            services.approve_entries,
            _("审批"),
        )

    @admin.action(description=_("标记所选已兑现(已审批→已兑现)"))
    def pay(self, request, queryset):
        self._run(
            request, queryset.filter(status=EntryStatus.APPROVED), services.pay_entries, _("兑现")
        )


class PriorYearStatusForm(forms.ModelForm):
    class Meta:
        model = PriorYearStatus
        fields = ["village", "year", "zero_petition", "reason"]

    def clean(self):
        cleaned = super().clean()
        village, year = cleaned.get("village"), cleaned.get("year")
        if village and year:
            try:
                services.check_prior_year(village=village, year=year)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


@admin.register(PriorYearStatus)
class PriorYearStatusAdmin(SimpleHistoryAdmin):
    """往年零上访情况: entered by an admin for a year kaohe did not keep, through the service
    (rewards.services.state_prior_year: admins only, a reason, refused for a year kept here)."""

    form = PriorYearStatusForm
    list_display = ["year", "village", "zero_petition", "reason", "stated_by", "stated_at"]
    list_filter = ["year", "zero_petition"]
    search_fields = ["village__name", "reason"]
    autocomplete_fields = ["village"]
    readonly_fields = ["stated_by", "stated_at"]

    def save_model(self, request, obj, form, change):
        services.state_prior_year(
            village=obj.village,
            year=obj.year,
            zero_petition=obj.zero_petition,
            reason=obj.reason,
            by=request.user,
            instance=obj,
        )
