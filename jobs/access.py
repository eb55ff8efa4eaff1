"""Who may read a job and its file: the jobs' part of the one access gate (accounts/access.py).

A job belongs to its township like every other record. A township admin reads every job of
their township (a failed recompute has no requester, and admins must see it); everyone else
reads the jobs they started themselves. Nothing else is ever shown, not even that it exists: the
pages, the downloads and the API answer 404 outside this scope.
"""

from django.db.models import Q
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role

from .models import Job


def visible_jobs(user, queryset: QuerySet | None = None) -> QuerySet:
    """The part of `queryset` (all jobs by default) this user may read."""
    jobs = Job.objects.all() if queryset is None else queryset
    # As accounts.access.scope: no one for the anonymous and inactive, everything for superusers.
    if not user.is_authenticated or not user.is_active:
        return jobs.none()
    if user.is_superuser:
        return jobs
    own = Q(requested_by_id=user.pk)
    # Secretaries, staff and leaders read their own jobs only: a job's file (every village's
    # 评分表, say) is the requester's, and a secretary must never see another village's.
    if user.role == Role.ADMIN and user.township_id:
        return jobs.filter(own | Q(township_id=user.township_id))
    return jobs.filter(own)


def job_for_user(user, pk) -> Job:
    """One job the user may read, or 404 (pages and API alike)."""
    job = visible_jobs(user).filter(pk=pk).select_related("requested_by").first()
    if job is None:
        raise Http404
    return job
