"""Page-number pagination (settings.REST_FRAMEWORK PAGE_SIZE), its envelope described."""

from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        notes = {
            "count": _("符合条件的记录总数。"),
            "next": _("下一页的地址;已是最后一页时为 null。"),
            "previous": _("上一页的地址;已是第一页时为 null。"),
            "results": _("本页的记录。"),
        }
        for name, text in notes.items():
            response["properties"][name]["description"] = text
        return response
