"""A job's result file as a download: one answer for the jobs page and the API."""

from django.http import FileResponse
from django.http import Http404


def result_download(job, *, content_type: str | None = None) -> FileResponse:
    """The job's file as an attachment under its own name (404 while it has none); without a
    `content_type`, the one its name implies."""
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
