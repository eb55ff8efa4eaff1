"""A district's recompute, fanned out: one job per township, queued together as a Celery group.

A township's months are one task (one read per record kind for all of them, scoring/facts.py):
a year of a 1,000-village township takes about 3 s, far under the broker's visibility timeout,
and a district of many townships keeps every worker busy. Each township's job is its own on
/jobs/ (its progress, its failure, its 重新运行); a township that cannot be scored stores
nothing (score_months is one transaction) and the others go on. The district's run as a whole
is the parent job: the share of its townships finished, and which failed (jobs.services).

Only a superuser (or the system: the command, the nightly beat) starts one: district users
read and change nothing, and a township's admin recomputes only their own township.
"""

from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.models import Job
from jobs.tasks import start_job_group
from villages.models import District
from villages.models import Township

from .models import Period
from .models import PeriodState
from .services import months_to_score

# The runner of one township's share (assessment/jobs.py); the parent has none: its townships
# are run again one by one, from their own pages.
TOWNSHIP_KIND = "recompute_township"
DISTRICT_KIND = "recompute_district"
NIGHTLY_KIND = "recompute_nightly"


def may_start(user) -> bool:
    """The system (no user), or whoever holds kaohe.recompute_district (accounts.rules)."""
    return user is None or user.has_perm("kaohe.recompute_district")


def _span(year: int, months: list[int]) -> str:
    if len(months) == 1:
        return _("%(y)d年%(m)d月") % {"y": year, "m": months[0]}
    return _("%(y)d 年") % {"y": year}


def township_job(township: Township, year: int, months: list[int]) -> dict:
    """One township's share: its job's kind, title and params (jobs.tasks.start_job_group)."""
    return {
        "kind": TOWNSHIP_KIND,
        "title": _("重新计算 %(township)s %(span)s")
        % {"township": township.name, "span": _span(year, months)},
        "params": {"township_id": township.pk, "year": year, "months": months},
        "township": township,
    }


def recompute_district(
    *, district: District, year: int, month: int | None = None, by=None, today: date | None = None
) -> Job:
    """Recompute the year so far (or one month) of every township of the district, a job per
    township; the parent job is returned. With eager tasks (no broker) the townships run one
    after the other before this returns."""
    if not may_start(by):
        raise PermissionDenied
    months = [month] if month else months_to_score(year, today or timezone.localdate())
    if not months:
        raise ValidationError(_("%(y)d 年尚未开始,无需计算。") % {"y": year})
    townships = list(district.townships.order_by("code"))
    if not townships:
        raise ValidationError(_("该区(县)还没有镇。"))
    return start_job_group(
        kind=DISTRICT_KIND,
        title=_("重新计算 %(district)s %(span)s(%(n)d 个镇)")
        % {"district": district.name, "span": _span(year, months), "n": len(townships)},
        params={"district_id": district.pk, "year": year, "months": months},
        children=[township_job(t, year, months) for t in townships],
        by=by,
    )


def open_months(today: date) -> dict[Township, list[int]]:
    """Every township's open months of the year so far (a closed month keeps its sheets), in
    two queries however many townships."""
    closed = defaultdict(set)
    for township_id, month in Period.objects.filter(
        year=today.year, state=PeriodState.CLOSED
    ).values_list("township_id", "month"):
        closed[township_id].add(month)
    found = {}
    for township in Township.objects.select_related("district").order_by("code"):
        months = [m for m in range(1, today.month + 1) if m not in closed[township.pk]]
        if months:
            found[township] = months
    return found


def recompute_nightly(today: date) -> list[Job]:
    """The nightly recompute: every township's open months of the year so far, fanned out as
    a district recompute is, one run per district (the townships of no district make one run
    of their own). Returns the runs' parent jobs."""
    by_district: dict = defaultdict(list)
    for township, months in open_months(today).items():
        by_district[township.district].append(township_job(township, today.year, months))
    runs = []
    for district, children in sorted(
        by_district.items(), key=lambda kv: (kv[0] is None, kv[0].name if kv[0] else "")
    ):
        day = today.isoformat()
        title = (
            _("夜间重新计算 %(district)s %(date)s") % {"district": district.name, "date": day}
            if district is not None
            else _("夜间重新计算 %(date)s") % {"date": day}
        )
        params = {"district_id": district.pk if district else None, "date": day}
        runs.append(
            start_job_group(kind=NIGHTLY_KIND, title=title, params=params, children=children)
        )
    return runs
