"""The district's 阳光信访 list, imported once and fanned out to its townships by village.

The 阳光信访 list is the district's own (petitions to 区 level and above reach the district), so
the district's staff bring it in once rather than every township cutting out its rows. The file
is the township's petitions layout (resources.PetitionResource) plus an optional 镇 column:

- each row's village is found by name among the villages of the district's townships
  (DistrictVillages.find); a filled 镇 narrows the search to that township;
- a name that two townships share, without a 镇, and a name found nowhere are row errors at
  所属村(居): a village is never guessed (no near names, no other district);
- everything else is the township's import, row for row: validated as hand entry, found again
  by (来源, 信访编号) on a re-import (unchanged rows skipped, so nothing is created twice), a
  new row in a closed month of its township refused, the new rows written by petitions_create
  with history attributed to the importing user, and the confirm one transaction over every
  township (importing.run_resource): all rows or none.

Who may: kaohe.import_district (accounts.rules): the district's 区综治办 staff and superusers.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field
from import_export.widgets import Widget

from assessment.periods import closed_months_of
from core import hooks
from petitions.models import Petition
from petitions.services import petitions_create
from villages.models import District
from villages.models import Township
from villages.models import Village

from .importing import STATUS_LABELS
from .importing import Outcome
from .importing import import_reason
from .importing import run_resource
from .resources import VILLAGE
from .resources import PetitionResource
from .resources import column
from .widgets import Text
from .widgets import _key
from .widgets import text_of

TOWNSHIP = "镇"
PERM = "kaohe.import_district"


def districts_for_import(user):
    """The districts whose list the user may import: a superuser's every one, a 区综治办 staff
    member's own (the perm decides; this only lists)."""
    if not user.is_authenticated or not user.is_active:
        return District.objects.none()
    if user.is_superuser:
        return District.objects.all()
    if not user.has_perm(PERM) or not getattr(user, "district_id", None):
        return District.objects.none()
    return District.objects.filter(pk=user.district_id)


# --- Which township a row goes to --------------------------------------------------------------


@dataclass
class DistrictVillages:
    """The district's townships and villages by name, read once per file (two queries)."""

    district: District
    townships: dict[str, Township]  # by _key(name)
    villages: dict[str, list[Village]]  # by _key(name); several when townships share a name

    @classmethod
    def of(cls, district: District) -> DistrictVillages:
        townships = {_key(t.name): t for t in Township.objects.filter(district=district)}
        villages: dict[str, list[Village]] = {}
        found = (
            Village.objects.filter(township__district=district)
            .select_related("township")  # the perm and the report read each village's township
            .order_by("township__name", "name")
        )
        for village in found:
            villages.setdefault(_key(village.name), []).append(village)
        return cls(district=district, townships=townships, villages=villages)

    def township_error(self, township_text: str) -> str:
        """Why a filled 镇 cell names no township of the district ("" when it does or is empty)."""
        if not township_text or _key(township_text) in self.townships:
            return ""
        return _("%(district)s没有名为“%(t)s”的镇。") % {
            "district": self.district,
            "t": township_text,
        }

    def find(self, village_text: str, township_text: str = "") -> Village:
        """The village a row names, or ValueError saying why none is taken (never a guess).

        A 镇 that is no township of the district does not narrow (its own cell says so)."""
        if not village_text:
            raise ValueError(_("此项必填。"))
        candidates = self.villages.get(_key(village_text), [])
        township = self.townships.get(_key(township_text)) if township_text else None
        if township is not None:
            candidates = [v for v in candidates if v.township_id == township.pk]
            if not candidates:
                raise ValueError(
                    _("%(township)s没有名为“%(v)s”的村(居)。")
                    % {"township": township, "v": village_text}
                )
        if not candidates:
            raise ValueError(
                _("%(district)s没有名为“%(v)s”的村(居)。")
                % {"district": self.district, "v": village_text}
            )
        if len(candidates) > 1:
            raise ValueError(
                _("%(townships)s都有名为“%(v)s”的村(居),请在“镇”列填写所属的镇。")
                % {"townships": "、".join(v.township.name for v in candidates), "v": village_text}
            )
        return candidates[0]


class DistrictVillageName(Widget):
    """A village of the importing district, by its name and the row's 镇 (DistrictVillages)."""

    def __init__(self):
        super().__init__(coerce_to_string=False)
        self.villages: DistrictVillages | None = None

    def clean(self, value, row=None, **kwargs):
        return self.villages.find(text_of(value), text_of((row or {}).get(TOWNSHIP)))

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


# --- Closed months, for every township of the file at once -------------------------------------


def ensure_open_all(by_township: Mapping[int, Iterable[date]]) -> None:
    """petitions_create's closed-month guard for a district's file: one query for all its
    townships; a township found closed is refused by assessment's own guard, in its words."""
    closed = closed_months_of(by_township)
    for township_id in sorted({t for t, _y, _m in closed}):
        hooks.ensure_open(township_id, *by_township[township_id])


# --- The resource -------------------------------------------------------------------------------


class DistrictPetitionResource(PetitionResource):
    """PetitionResource for a district: the village found among its townships' (the 镇 column
    narrows), the stored petitions those of the district, closed months per township."""

    optional = PetitionResource.optional | {TOWNSHIP}

    township = Field(column_name=TOWNSHIP, widget=Text(max_length=50))
    village = column("village", VILLAGE, DistrictVillageName())

    notes = {
        **PetitionResource.notes,
        TOWNSHIP: gettext_lazy(
            "村(居)所属的镇,可不填;填写时只在该镇查找村(居)。不同镇有同名村(居)时必须填写。"
        ),
        VILLAGE: gettext_lazy(
            "本区各镇村(居)的名称,须与系统中一致;找不到或无法确定的行报错,不会猜测。"
        ),
    }

    class Meta(PetitionResource.Meta):
        fields = (
            "source_ref", "source", "date", "petitioners", "id_numbers", "township", "village",
            "level", "channel", "nature", "collective", "person_count", "matter",
            "stabilised_in_time", "carried_village_opinion", "new_problem_unresolved",
            "large_impact",
        )  # fmt: skip
        export_order = fields
        import_order = fields

    def __init__(self, *, district: District, user=None, reason: str = ""):
        super().__init__(township=None, user=user, reason=reason)
        self.district = district
        self.villages = DistrictVillages.of(district)
        self.fields["village"].widget.villages = self.villages

    def get_queryset(self):
        return Petition.objects.filter(village__township__district=self.district).select_related(
            "village__township"
        )

    def stored_petitions(self):
        return Petition.objects.select_related("village__township")

    def foreign(self, stored: Petition) -> str:
        if stored.village.township.district_id != self.district.pk:
            return _("该编号已登记在本区以外的信访事件中,不能导入到本区。")
        return ""

    def township_id_of(self, instance) -> int | None:
        return instance.village.township_id if instance.village_id else None

    def read_closed_months(self, days) -> set[tuple[int, int, int]]:
        days = list(days)
        return closed_months_of({t.pk: days for t in self.villages.townships.values()})

    def check_row(self, instance, row):
        errors = super().check_row(instance, row)
        refused = self.villages.township_error(text_of(row.get(TOWNSHIP)))
        if refused:
            errors.setdefault("township", []).append(refused)
        return errors

    def township_of_row(self, headers, values) -> str:
        row = dict(zip(headers, values, strict=True))
        township = text_of(row.get(TOWNSHIP))
        if self.villages.township_error(township):
            return ""  # a 镇 of no township: the row is sent nowhere, whatever its village
        try:
            village = self.villages.find(text_of(row.get(VILLAGE)), township)
        except ValueError:
            return ""
        return village.township.name

    def write_new(self, rows) -> None:
        petitions_create(
            rows=rows, user=self.user, reason=self.reason, perm=PERM, ensure_open=ensure_open_all
        )


def run_district_import(
    data: bytes, *, district: District, user, filename: str, dry_run: bool
) -> Outcome:
    """importing.run_import for the district's list: dry run or import, all rows of every
    township or none."""
    return run_resource(
        DistrictPetitionResource,
        lambda: DistrictPetitionResource(
            district=district, user=user, reason=import_reason(filename)
        ),
        data,
        example_township=None,
        dry_run=dry_run,
    )


def township_counts(rows: Iterable[tuple[str, str]], townships: Iterable[str]) -> list[dict]:
    """Where the rows go: per township of the district (each listed, in order, rows or none),
    the count of each status; then the rows no township could be found for ("").

    `rows` are (township name, status) of the report's rows."""
    counts = {name: dict.fromkeys(STATUS_LABELS, 0) for name in townships}
    unplaced = dict.fromkeys(STATUS_LABELS, 0)
    for township, status in rows:
        counts.get(township, unplaced)[status] += 1
    found = [{"township": name, "counts": c, "rows": sum(c.values())} for name, c in counts.items()]
    if any(unplaced.values()):
        found.append({"township": "", "counts": unplaced, "rows": sum(unplaced.values())})
    return found
