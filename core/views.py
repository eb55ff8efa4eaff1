"""Generic record pages (list, create, detail with history, edit, delete, revert).

Each record kind declares a `RecordPages` (model, form, columns, filters) and gets the same
behaviour: querysets narrowed by accounts.access.scope, writes through core.records, a closed
period answered with a clear message at the form, history visible on the detail page.
"""

from contextlib import suppress
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.forms import modelform_factory
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView
from django.views.generic import TemplateView
from django.views.generic.edit import FormView
from django_filters import FilterSet
from django_filters.views import FilterView

from accounts.access import get_for_user
from accounts.access import scope
from accounts.access import visible_villages

from . import hooks
from . import submissions
from .filters import SearchFilter
from .forms import RecordForm
from .history import versions
from .records import RecordConflict
from .records import check_version
from .records import closed_periods
from .records import edit_frozen
from .records import record_delete
from .records import record_revert
from .records import record_save

MSG_FROZEN = gettext_lazy(
    "%(period)s 的考核已关闭,记录已冻结,没有保存;如需修改请先由管理员重新开启该月。"
)
ADD_ANOTHER = "_addanother"  # the name of the 保存并继续新增 button


def kept_for_next(model, form) -> dict[str, str]:
    """What 保存并继续新增 keeps on the fresh create form: the village and the date of the
    record just saved (as query parameters), when the form has them."""
    names = ["village", getattr(model, "PERIOD_DATE_FIELD", "date")]
    kept = {}
    for name in dict.fromkeys(names):
        value = form.cleaned_data.get(name) if name in form.fields else None
        if value is None or value == "":
            continue
        kept[name] = value.isoformat() if isinstance(value, date) else str(value.pk)
    return kept


def frozen_notice(periods) -> str:
    return "、".join(str(p) for p in periods)


@dataclass
class RecordPages:
    """Everything the generic pages need to know about one record kind."""

    name: str
    model: type
    form_class: type | None = None
    columns: tuple[str, ...] = ()
    filter_fields: tuple[str, ...] = ("village",)
    search_fields: tuple[str, ...] = ()
    village_path: str = "village"
    select_related: tuple[str, ...] = ("village",)
    detail_fields: tuple[str, ...] | None = None
    change_perm: str = "kaohe.change_records"
    extra_actions: list = field(default_factory=list)
    # A kind's own view classes in place of the generic ones, by page (the keys of RECORD_VIEWS).
    views: dict = field(default_factory=dict)

    def view_class(self, page: str) -> type:
        return self.views.get(page) or RECORD_VIEWS[page]

    def urls(self, app_name: str):
        kw = {"pages": self, "app_name": app_name}
        n = self.name

        def view(page):
            return self.view_class(page).as_view(**kw)

        return [
            path(f"{n}/", view("list"), name=f"{n}_list"),
            path(f"{n}/new/", view("create"), name=f"{n}_create"),
            path(f"{n}/<int:pk>/", view("detail"), name=f"{n}_detail"),
            path(f"{n}/<int:pk>/edit/", view("update"), name=f"{n}_update"),
            path(f"{n}/<int:pk>/delete/", view("delete"), name=f"{n}_delete"),
            path(f"{n}/<int:pk>/revert/<int:history_id>/", view("revert"), name=f"{n}_revert"),
        ]

    def get_form_class(self):
        if self.form_class is not None:
            return self.form_class
        return modelform_factory(self.model, form=RecordForm, exclude=())

    def filterset_class(self):
        search = self.search_fields

        class Meta:
            model = self.model
            fields = list(self.filter_fields)

        attrs = {"Meta": Meta}
        if search:
            attrs["q"] = SearchFilter(search)  # the API's search, word for word
        return type(f"{self.model.__name__}FilterSet", (FilterSet,), attrs)


class PagesMixin(LoginRequiredMixin):
    pages: RecordPages = None
    app_name: str = ""

    def url(self, suffix, *args):
        return reverse(f"{self.app_name}:{self.pages.name}_{suffix}", args=args)

    def base_queryset(self):
        qs = self.pages.model._default_manager.all()
        if self.pages.select_related:
            qs = qs.select_related(*self.pages.select_related)
        return scope(qs, self.request.user, self.pages.village_path)

    def get_object(self, queryset=None):
        return get_for_user(
            self.base_queryset(), self.request.user, self.pages.village_path, pk=self.kwargs["pk"]
        )

    def can_change(self, obj=None):
        return self.request.user.has_perm(self.pages.change_perm, obj)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meta = self.pages.model._meta
        ctx.update(
            pages=self.pages,
            verbose_name=meta.verbose_name,
            verbose_name_plural=meta.verbose_name_plural,
            list_url=self.url("list"),
            create_url=self.url("create"),
            can_change=self.can_change(),
        )
        return ctx


class RecordList(PagesMixin, FilterView):
    template_name = "core/record_list.html"
    paginate_by = 25

    def get_filterset_class(self):
        return self.pages.filterset_class()

    def get_queryset(self):
        return self.base_queryset().order_by("-pk")

    def get_filterset(self, filterset_class):
        fs = super().get_filterset(filterset_class)
        if "village" in fs.filters:
            fs.filters["village"].queryset = visible_villages(self.request.user)
        return fs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meta = self.pages.model._meta
        ctx["headers"] = [meta.get_field(c).verbose_name for c in self.pages.columns]
        ctx["columns"] = self.pages.columns
        ctx["detail_url_name"] = f"{self.app_name}:{self.pages.name}_detail"
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["query_string"] = query.urlencode()
        return ctx


class RecordFormView(PagesMixin, FormView):
    template_name = "core/record_form.html"
    instance = None
    frozen: list = []  # the closed months that freeze the record (RecordUpdate)

    def get_form_class(self):
        return self.pages.get_form_class()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.instance
        return kwargs

    def form_valid(self, form):
        instance = form.save(commit=False)
        if not self.can_change(instance):
            raise PermissionDenied
        user = self.request.user
        token = getattr(form, "submission_key", "")
        try:
            with transaction.atomic():
                if token:
                    fingerprint = submissions.entry_digest(self.pages.model, form.entry_values())
                    earlier = submissions.claim(
                        user, submissions.FORM + token, request_digest=fingerprint
                    )
                    if earlier is not None:
                        return self.resubmitted(earlier)
                    if not form.duplicate_confirmed and (
                        same := submissions.find_duplicate(user, fingerprint)
                    ):
                        transaction.set_rollback(True)  # the claim too: the form comes back
                        return self.duplicated(form, same)
                # The version the user read, checked (and the row locked) before any save,
                # also before a form's own save_record.
                check_version(instance, getattr(form, "expected_version", None))
                saver = getattr(form, "save_record", None)
                reason = form.cleaned_data.get("change_reason", "")
                if saver is not None:
                    instance = saver(user=user, reason=reason)
                else:
                    instance = record_save(instance=instance, user=user, reason=reason)
                    form.save_m2m()
                if token:
                    submissions.remember(user, submissions.FORM + token, instance)
        except RecordConflict as exc:
            return self.conflicted(form, exc)
        except ValidationError as exc:
            add_validation_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存:%(obj)s") % {"obj": instance})
        if notice := hooks.pending_notice():  # saved, but its recompute could not be queued yet
            messages.info(self.request, notice)
        if self.add_another():
            kept = kept_for_next(self.pages.model, form)
            return redirect(self.url("create") + (f"?{urlencode(kept)}" if kept else ""))
        return redirect(self.url("detail", instance.pk))

    def add_another(self) -> bool:
        """保存并继续新增 pressed on a create form."""
        return self.instance is None and ADD_ANOTHER in self.request.POST

    def resubmitted(self, earlier):
        """The same create form sent again (Back, then 保存): show the record it saved."""
        record = earlier.record
        if record is None:
            messages.warning(self.request, _("该记录已保存过,之后已被删除;这次提交没有再保存。"))
            return redirect(self.url("list"))
        messages.info(
            self.request, _("该记录已保存:%(obj)s。这次重复的提交没有再保存。") % {"obj": record}
        )
        return redirect(self.url("detail", record.pk))

    def duplicated(self, form, same):
        """A new token, but the identical entry this user saved a moment ago (Back, then 保存,
        in a browser that fetched the form again): nothing is saved; the form comes back with
        a link to the saved record and a box to confirm a second identical one."""
        form.ask_confirm_duplicate()
        form.add_error(None, _("这条记录刚才已保存过,这次没有再保存。"))
        return self.render_to_response(
            self.get_context_data(
                form=form, duplicate_of=same, duplicate_url=self.url("detail", same.pk)
            )
        )

    def conflicted(self, form, conflict):
        """Someone saved the record since this user read it: nothing is saved; the form comes
        back on top of the stored version with this user's input kept (core.forms.take_theirs)
        and the other person's changes listed at the top."""
        if conflict.current is not None:
            self.instance = self.get_object()
            form = self.get_form_class()(
                data=form.take_theirs(conflict),
                files=self.request.FILES or None,
                user=self.request.user,
                instance=self.instance,
            )
            form.is_valid()
        return self.render_to_response(self.get_context_data(form=form, conflict=conflict))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.instance
        ctx["frozen"] = frozen_notice(self.frozen)
        ctx["add_another"] = ADD_ANOTHER
        if self.instance is not None and self.instance.pk:
            ctx["detail_url"] = self.url("detail", self.instance.pk)
        form = ctx.get("form")
        formsets = ctx.get("formsets") or getattr(form, "formsets", ())
        ctx["formsets_with_errors"] = [
            fs for fs in formsets if fs.is_bound and fs.total_error_count()
        ]
        return ctx


def add_validation_errors(form, exc: ValidationError):
    """A service's refusal shown on the form: at its fields where the form has them, else at
    the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class RecordCreate(RecordFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.can_change():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        """The village and date kept by 保存并继续新增 (?village=&date=); the village list
        still limits what can be chosen."""
        initial = super().get_initial()
        for name in ("village", getattr(self.pages.model, "PERIOD_DATE_FIELD", "date")):
            value = self.request.GET.get(name, "")
            if name == "village" and value.isdigit():
                initial[name] = int(value)
            elif name != "village" and value:
                with suppress(ValueError):
                    initial[name] = date.fromisoformat(value)
        return initial


class RecordUpdate(RecordFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.instance = self.get_object()
            if not self.can_change(self.instance):
                raise PermissionDenied
            self.frozen = edit_frozen(self.instance)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.frozen:  # a closed month: shown, not editable (record_save would refuse it)
            form.fields.pop("change_reason", None)  # nothing is saved, so no reason is asked
            for one in [form, *(f for fs in getattr(form, "formsets", ()) for f in fs.forms)]:
                for item in one.fields.values():
                    item.disabled = True
        return form

    def post(self, request, *args, **kwargs):
        if self.frozen:
            form = self.get_form()
            form.add_error(None, MSG_FROZEN % {"period": frozen_notice(self.frozen)})
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)


class RecordDetail(PagesMixin, DetailView):
    template_name = "core/record_detail.html"

    def get_queryset(self):
        return self.base_queryset()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        names = self.pages.detail_fields or [
            f.name
            for f in obj._meta.concrete_fields
            if f.name not in ("id",) and not f.name.endswith("_ptr")
        ]
        ctx["fields"] = [(obj._meta.get_field(n).verbose_name, n) for n in names]
        ctx["history"] = _history_rows(obj)
        ctx["can_change"] = self.can_change(obj)
        # A closed month: no 修改 / 删除 (nor 恢复), the lock shown instead.
        ctx["frozen"] = frozen_notice(closed_periods(obj))
        ctx["can_edit"] = ctx["can_change"] and not edit_frozen(obj)
        ctx["can_delete"] = ctx["can_change"] and not ctx["frozen"]
        ctx["update_url"] = self.url("update", obj.pk)
        ctx["delete_url"] = self.url("delete", obj.pk)
        ctx["revert_url_name"] = f"{self.app_name}:{self.pages.name}_revert"
        return ctx


def _history_rows(obj):
    return [
        {"record": v.record, "changes": [(c.label, c.old, c.new) for c in v.changes]}
        for v in versions(obj)
    ]


class RecordDelete(PagesMixin, TemplateView):
    template_name = "core/record_confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
            if not self.can_change(self.object):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object
        return ctx

    def post(self, request, *args, **kwargs):
        reason = request.POST.get("reason", "").strip()
        if not reason:
            messages.error(request, _("请填写删除原因。"))
            return self.get(request, *args, **kwargs)
        # The version shown on the confirm page: a record changed since is not deleted unseen.
        version = request.POST.get("version", "")
        try:
            self.delete_record(reason, int(version) if version.isdigit() else None)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.url("detail", self.object.pk))
        except ProtectedError:
            messages.error(request, _("该记录被其他记录引用,不能删除。"))
            return redirect(self.url("detail", self.object.pk))
        messages.success(request, _("已删除:%(obj)s") % {"obj": self.object})
        return redirect(self.url("list"))

    def delete_record(self, reason: str, expected_version: int | None) -> None:
        record_delete(
            instance=self.object,
            user=self.request.user,
            reason=reason,
            expected_version=expected_version,
        )


class RecordRevert(PagesMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        if not self.can_change(obj):
            raise PermissionDenied
        historical = obj.history.filter(history_id=self.kwargs["history_id"]).first()
        if historical is None:
            raise Http404
        try:
            self.revert_record(obj, historical)
        except ValidationError as exc:  # RecordConflict included
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已恢复到所选版本。"))
        return redirect(self.url("detail", obj.pk))

    def revert_record(self, obj, historical) -> None:
        with transaction.atomic():
            # The version the page showed: a restore over someone's later change is refused.
            check_version(obj, _posted_version(self.request))
            record_revert(historical=historical, user=self.request.user)


# The generic pages of a record kind, by page; RecordPages.views replaces some for one kind.
RECORD_VIEWS = {
    "list": RecordList,
    "create": RecordCreate,
    "detail": RecordDetail,
    "update": RecordUpdate,
    "delete": RecordDelete,
    "revert": RecordRevert,
}


def _posted_version(request) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None
