"""Background jobs of the scoring service."""

from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.registry import DEFERRED
from jobs.registry import runner

from . import services
from .fanout import TOWNSHIP_KIND
from .tasks import recompute_job_month


@runner("recompute_year")
def recompute_year(job, progress):
    """A year is one task per month (assessment.tasks.recompute_job_month), each far shorter
    than the broker's visibility timeout: a step lost with its worker is redelivered within
    minutes and repeats one month, not the year. The last step finishes the job."""
    year = job.params["year"]
    months = job.params.get("months") or services.months_to_score(year, timezone.localdate())
    if not months:
        return _("%(y)d 年尚未开始,无需计算。") % {"y": year}
    recompute_job_month.apply_async(args=[job.pk, list(months), 0], ignore_result=True)
    return DEFERRED


@runner(TOWNSHIP_KIND)
def recompute_township(job, progress):
    """One township's share of a district recompute (assessment/fanout.py): its months in one
    task and one transaction, so a township that fails stores nothing and fails alone."""
    rebuilt = services.score_year(
        township_id=job.params["township_id"],
        year=job.params["year"],
        months=job.params["months"],
    )
    return _("已重新计算 %(n)d 张月度评分表(已关闭月份保持不变)。") % {"n": rebuilt}
