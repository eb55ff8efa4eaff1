"""The jobs pages: a job's progress panel, its file, the list, the rerun of a stalled or failed
job. Which jobs a user may read is decided in jobs/access.py; everything else answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import job_for_user
from .access import visible_jobs
from .files import result_download
from .models import Notification
from .services import mark_read
from .tasks import job_rerun


def _panel(request, job):
    template = "jobs/_job_panel.html" if request.headers.get("HX-Request") else "jobs/job.html"
    return render(request, template, {"job": job})


@login_required
def job_status(request, pk: int):
    """The job's progress panel; htmx polls it while the job is queued or running."""
    return _panel(request, job_for_user(request.user, pk))


@login_required
def job_download(request, pk: int):
    return result_download(job_for_user(request.user, pk))


@login_required
@require_POST
def rerun(request, pk: int):
    """重新运行: the requester or the township's admins queue a stalled or failed job again."""
    job = job_for_user(request.user, pk)
    queued = job_rerun(job=job, by=request.user)
    if request.headers.get("HX-Request"):  # the panel swaps itself: its state says it all
        job.refresh_from_db()
        return render(request, "jobs/_job_panel.html", {"job": job})
    if queued:
        messages.info(request, _("已重新排队运行。"))
    else:
        messages.error(request, _("该任务正在运行或已完成,无需重新运行。"))
    return redirect("jobs:job_status", pk=job.pk)


@login_required
def job_list(request):
    """The user's jobs; a township admin's page lists every job of the township, failures
    (with their reason) included."""
    jobs = visible_jobs(request.user).select_related("requested_by")[:200]
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
