"""Rubric versions between the database and the pure scoring core.

`rubric_of(version)` builds the pure `Rubric` the rules read; `version_from_rubric` stores one
(used to ship the township's two readings); `version_copy` is how an admin starts next year's.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import ReportDays

from .models import EntryCategory
from .models import Period
from .models import PeriodState
from .models import RubricAssignment
from .models import RubricEntry
from .models import RubricSection
from .models import RubricVersion
from .scoring.rubric_defaults import DEFAULT_RUBRIC
from .scoring.rubric_defaults import rubric_from_dict
from .scoring.rubric_defaults import rubric_to_dict
from .scoring.types import Rubric

DEFAULT_CODE = "xx-2024-table"

# The rubric item kind of the half-month screening reports: its params hold the due days (read
# here) and what a late or incomplete report costs (assessment.costs).
DISPUTE_REPORTS = "dispute_reports"

# The shipped documents name the township "xx镇"; people read their own township's name.
TOWNSHIP_PLACEHOLDER = "xx镇"


def version_title(name: str, township_name: str | None) -> str:
    """A version's name as the township reads it: the placeholder "xx镇" of the shipped
    documents becomes the township's own name. Codes (xx-2024-table) are never shown."""
    name = _(name)  # the shipped names are in the catalogue (rubric_defaults); others as is
    if not township_name:
        return name
    return name.replace(TOWNSHIP_PLACEHOLDER, township_name)


def rubric_dict_of(version: RubricVersion) -> dict:
    sections = list(version.sections.order_by("order", "code"))
    entries = list(version.entries.order_by("order", "pk"))

    def spec(entry):
        return {
            "code": entry.code,
            "title": entry.title,
            "kind": entry.kind,
            "params": entry.params,
        }

    return {
        "code": version.code,
        "name": version.name,
        "sections": [
            {"code": s.code, "title": s.title, "points": format(s.points, "f")} for s in sections
        ],
        "items": [
            {**spec(e), "section": e.section, "points": format(e.points, "f")}
            for e in entries
            if e.category == EntryCategory.ITEM
        ],
        "adjustments": [spec(e) for e in entries if e.category == EntryCategory.ADJUSTMENT],
        "vetoes": [spec(e) for e in entries if e.category == EntryCategory.VETO],
        "settings": version.rubric_settings,
    }


def rubric_of(version: RubricVersion) -> Rubric:
    try:
        return rubric_from_dict(rubric_dict_of(version))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError(
            _("考核细则版本 %(code)s 的数据有误:%(error)s") % {"code": version.code, "error": exc}
        ) from exc


@transaction.atomic
def version_from_dict(data: dict, *, by=None, based_on=None, description="") -> RubricVersion:
    rubric_from_dict(data)  # refuse a version the engine cannot score before storing it
    version = RubricVersion.objects.create(
        code=data["code"],
        name=data["name"],
        rubric_settings=data.get("settings", {}),
        created_by=by,
        based_on=based_on,
        description=description,
    )
    for order, s in enumerate(data["sections"]):
        RubricSection.objects.create(
            version=version, code=s["code"], title=s["title"], points=s["points"], order=order
        )
    order = 0
    for category, key in (
        (EntryCategory.ITEM, "items"),
        (EntryCategory.ADJUSTMENT, "adjustments"),
        (EntryCategory.VETO, "vetoes"),
    ):
        for e in data.get(key, ()):
            RubricEntry.objects.create(
                version=version,
                category=category,
                code=e["code"],
                section=e.get("section", ""),
                title=e["title"],
                points=e.get("points"),
                kind=e["kind"],
                params=e.get("params", {}),
                order=order,
            )
            order += 1
    return version


def version_from_rubric(rubric: Rubric, **kwargs) -> RubricVersion:
    return version_from_dict(rubric_to_dict(rubric), **kwargs)


@transaction.atomic
def version_copy(*, version: RubricVersion, code: str, name: str, by) -> RubricVersion:
    if RubricVersion.objects.filter(code=code).exists():
        raise ValidationError({"code": _("版本代码 %(code)s 已存在。") % {"code": code}})
    data = rubric_dict_of(version) | {"code": code, "name": name}
    return version_from_dict(data, by=by, based_on=version)


def ensure_editable(version: RubricVersion) -> None:
    if version.is_locked:
        raise ValidationError(
            _("考核细则版本 %(code)s 已用于已关闭的月份,不能修改,只能复制后修改。")
            % {"code": version.code}
        )


def lock(version: RubricVersion) -> None:
    if not version.is_locked:
        version.locked_at = timezone.now()
        version.save(update_fields=["locked_at"])


def version_for_year(township_id: int, year: int) -> RubricVersion:
    """The version assigned to the year, or the shipped default when none is assigned."""
    return versions_for_year([township_id], year)[township_id]


def versions_for_year(township_ids, year: int) -> dict[int, RubricVersion]:
    """version_for_year of each township: one query, and one more for the shipped default when
    a township has no version assigned to the year (the district's dashboard)."""
    township_ids = list(township_ids)
    found = {
        a.township_id: a.version
        for a in RubricAssignment.objects.select_related("version").filter(
            township_id__in=township_ids, year=year
        )
    }
    if len(found) < len(set(township_ids)):
        default = RubricVersion.objects.get(code=DEFAULT_CODE)
        found = {pk: found.get(pk, default) for pk in township_ids}
    return found


def first_assigned_year(township_id: int) -> int | None:
    """The earliest year an admin assigned a rubric version to (core.dates: a year kept in kaohe
    moves the township's start back to it), or None."""
    found = RubricAssignment.objects.filter(township_id=township_id).aggregate(y=Min("year"))
    return found["y"]


def report_days(township_id: int, year: int) -> ReportDays:
    """The year's screening-report deadlines (评分表 一.4): the due days and grace days of the
    `dispute_reports` item of the version assigned to the year (`version_for_year`), the very
    params scoring reads (scoring.rules.report_due_date). The portal, DisputeReport.due_date
    (through petitions.deadlines), the dashboard and the reminders all ask here."""
    return report_days_of([(township_id, year)])[(township_id, year)]


def report_days_of(keys) -> dict[tuple[int, int], ReportDays]:
    """`report_days` for many (township id, year) pairs in two queries. A version without a
    `dispute_reports` item scores no report; its halves still fall on the shipped default's."""
    keys = set(keys)
    assignments = RubricAssignment.objects.filter(
        township_id__in={t for t, _y in keys}, year__in={y for _t, y in keys}
    ).values_list("township_id", "year", "version_id")
    assigned = {(township, year): version for township, year, version in assignments}
    params_of, default = {}, None
    for version, code, params in RubricEntry.objects.filter(
        Q(version_id__in=set(assigned.values())) | Q(version__code=DEFAULT_CODE),
        category=EntryCategory.ITEM,
        kind=DISPUTE_REPORTS,
    ).values_list("version_id", "version__code", "params"):
        params_of[version] = params
        if code == DEFAULT_CODE:
            default = version
    shipped = next(i.params for i in DEFAULT_RUBRIC.items if i.kind == DISPUTE_REPORTS)
    return {
        key: ReportDays.from_params(params_of.get(assigned.get(key, default)) or shipped)
        for key in keys
    }


@transaction.atomic
def assign_year(*, township, year: int, version: RubricVersion, by) -> RubricAssignment:
    """Score a year with a version; refused once a month of that year is closed."""

    if Period.objects.filter(township=township, year=year, state=PeriodState.CLOSED).exists():
        raise ValidationError(
            _("%(year)d 年已有关闭的月份,不能更换考核细则版本。") % {"year": year}
        )
    assignment, _created = RubricAssignment.objects.update_or_create(
        township=township, year=year, defaults={"version": version}
    )
    return assignment


SHIPPED_DIR = "fixtures/rubrics"
SHIPPED_CODES = ("xx-2024-table", "xx-2024-plan")


def install_shipped() -> list[RubricVersion]:
    """The two readings the product ships (also installed by migration 0003); idempotent."""

    installed = []
    for code in SHIPPED_CODES:
        version = RubricVersion.objects.filter(code=code).first()
        if version is None:
            path = Path(settings.BASE_DIR) / SHIPPED_DIR / f"{code}.json"
            version = version_from_dict(json.loads(path.read_text(encoding="utf-8")))
        installed.append(version)
    return installed
