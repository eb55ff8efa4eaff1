from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .models import Job, Notification
from .services import mark_read


def _job_for(user, pk):
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        raise Http404
    if job.requested_by_id != user.pk and not user.is_township_admin:
        raise Http404
    return job


@login_required
def job_status(request, pk: int):
    """The job's progress panel; htmx polls it until the job has finished."""
    job = _job_for(request.user, pk)
    template = "jobs/_job_panel.html" if request.headers.get("HX-Request") else "jobs/job.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request, pk: int):
    job = _job_for(request.user, pk)
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file.name.rsplit("/", 1)[-1],
    )


@login_required
def job_list(request):
    if not request.user.is_township_admin:
        raise PermissionDenied
    jobs = Job.objects.select_related("requested_by")[:200]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@login_required
def notifications(request):
    rows = Notification.objects.filter(user=request.user)[:200]
    return render(request, "jobs/notifications.html", {"notifications": rows})


@login_required
@require_POST
def notifications_read(request):
    pk = request.POST.get("pk")
    mark_read(user=request.user, pks=[pk] if pk else None)
    return redirect("jobs:notifications")
