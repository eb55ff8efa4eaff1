"""Background exports: every village's 评分表 of a period as one workbook (the job's result file).

Registered when Django starts (jobs/apps.py autodiscovers every app's jobs.py). The runner
rebuilds the file from the stored sheets each time, so running a job twice changes nothing more.
"""

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from jobs.registry import runner
from jobs.tasks import start_job
from villages.models import Township

from .periods import MONTH
from .periods import QUARTER
from .periods import YEAR
from .periods import span_from
from .score_sheets import township_workbook
from .styles import workbook_bytes


def sheets_filename(township: Township, span) -> str:
    return f"{township.name}_{span.label}_考核评分表.xlsx"


@runner("export_sheets")
def export_sheets(job, progress):
    """params: township_id, year, and month, or quarter, or period="year"."""
    params = job.params
    township = Township.objects.get(pk=params["township_id"])
    span = span_from(
        params["year"], params.get("month"), params.get("quarter"), params.get("period")
    )
    progress(5, _("正在读取 %(p)s 的评分表") % {"p": span.label})
    workbook = township_workbook(township.pk, span, progress)
    count = len(workbook.sheetnames) if workbook.sheetnames != ["无评分"] else 0
    progress(95, _("正在保存文件"))
    content = ContentFile(workbook_bytes(workbook))
    message = _("已导出 %(n)d 个村(居)%(p)s的考核评分表。") % {"n": count, "p": span.label}
    return message, (sheets_filename(township, span), content)


def start_sheets_export(*, township: Township, span, by):
    """Queue every village's 评分表 of a period as a background job (pages and API alike)."""
    params = {"township_id": township.pk, "year": span.year}
    if span.kind == MONTH:
        params["month"] = span.month
    elif span.kind == QUARTER:
        params["quarter"] = span.quarter
    else:
        params["period"] = YEAR
    return start_job(
        kind="export_sheets",
        title=_("导出考核评分表:%(f)s") % {"f": sheets_filename(township, span)},
        params=params,
        by=by,
        township=township,
    )
