"""The admin's door to sensitive records: a ModelAdmin mixin that audits every page showing rows
of its model (the change list with the ids on the page; the change, delete, history and
history-version pages with their object), as the pages and the API do."""

from django.contrib.admin.utils import unquote

from .services import record_read


def _pk(object_id):
    value = unquote(str(object_id))
    return int(value) if value.isdigit() else value


class AuditedReadsAdmin:
    def _audit(self, request, response, ids):
        if request.method == "GET" and response.status_code == 200:
            record_read(request, model=self.model, ids=ids, door="admin")
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is None:  # a redirect (bad filter) or an action's answer
            return response
        return self._audit(request, response, [row.pk for row in changelist.result_list])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._audit(request, response, [_pk(object_id)])

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        return self._audit(request, response, [_pk(object_id)])

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._audit(request, response, [_pk(object_id)])

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        return self._audit(request, response, [_pk(object_id)])
