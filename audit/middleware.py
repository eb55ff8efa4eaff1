"""Every file the application hands to a logged-in user is an export or download in the audit
log, whichever door sent it (the exports pages, the API's exports and job downloads, the rewards
workbooks, the protected uploads): one place, so a new export cannot forget to be audited."""

from django.http import FileResponse

from .models import AuditAction
from .services import record


def is_download(response) -> bool:
    return isinstance(response, FileResponse) or response.has_header("Content-Disposition")


class AuditDownloadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            200 <= response.status_code < 300
            and user is not None
            and user.is_authenticated
            and is_download(response)
        ):
            record(
                AuditAction.EXPORT,
                request=request,
                object_repr=response.get("Content-Disposition", ""),
                detail=f"{request.method} {request.get_full_path()}",
            )
        return response
