"""Background jobs of the scoring service."""

from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.registry import runner

from . import services


@runner("recompute_year")
def recompute_year(job, progress):
    township_id, year = job.params["township_id"], job.params["year"]
    months = job.params.get("months") or services.months_to_score(year, timezone.localdate())
    rebuilt = 0
    if not months:
        return _("%(y)d 年尚未开始,无需计算。") % {"y": year}
    for done, month in enumerate(months, start=1):
        rebuilt += services.score_month(township_id=township_id, year=year, month=month)
        progress(int(done * 100 / len(months)), _("已计算 %(m)d 月") % {"m": month})
    return _("已重新计算 %(n)d 张月度评分表(已关闭月份保持不变)。") % {"n": rebuilt}
