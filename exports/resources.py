"""django-import-export resources of the record kinds a township brings in from Excel.

Every row goes through the same validation as hand entry (`clean_model_instances`: the model's
full_clean, plus the form-level rules of the kind written here) and is saved through the project's
write path (`core.records.record_save`: closed months refused, history attributed to the importing
user with the reason "导入 <filename>", months marked for recompute). Rows are saved one by one,
except the petitions of a 阳光信访 list, thousands at a time: each row is validated as its own,
then the new ones are written together once every row has passed (petitions_create, of
petitions.services: the same guard, history rows and stale marks in a few statements, COPY on
PostgreSQL); import-export's own
bulk path is never used (docs/stack.md: it leaves no history). Each kind names a natural key, so
a file imported twice finds its records the second time and changes nothing (unchanged rows are
skipped).

The column layouts are documented in docs/imports.md; the petitions layout is the one of a
阳光信访 list export.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.fields import Field
from import_export.results import RowResult

from assessment.periods import PeriodClosedError
from core import hooks
from core.records import attribute
from core.records import record_delete
from core.records import record_save
from governance.choices import SurveyAnswerChoice
from governance.models import Patrol
from governance.models import SurveyAnswer
from governance.models import SurveySample
from governance.models import VillageMeeting
from governance.rules import normalise_phone
from petitions import rules as petition_rules
from petitions.choices import Channel
from petitions.choices import DisputeCategory
from petitions.choices import DisputeStatus
from petitions.choices import Level
from petitions.choices import Nature
from petitions.choices import Source
from petitions.models import Dispute
from petitions.models import Petition
from petitions.models import Petitioner
from petitions.services import petitions_create
from petitions.validators import validate_id_number
from villages.choices import ResponsibilityRole
from villages.models import Person
from villages.models import Responsibility
from villages.models import Village

from .widgets import AreaName
from .widgets import Choice
from .widgets import Day
from .widgets import Integer
from .widgets import OptionalVillageName
from .widgets import Text
from .widgets import TimeOfDay
from .widgets import VillageName
from .widgets import YesNo
from .widgets import split_names
from .widgets import text_of

VILLAGE = "所属村(居)"


class NoDiff:
    """The report names changed columns itself (importing._changed); import-export's own
    diff would only read every field twice per row."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass


class Row(RowResult):
    """A row's result without its object's text (`object_repr`): only django-import-export's
    admin shows it, and a petition's text translates its level and channel labels, a
    noticeable share of a 10,000-row import."""

    def add_instance_info(self, instance):
        if instance is not None:
            self.object_id = getattr(instance, "pk", None)


def column(attribute, name, widget, **kwargs) -> Field:
    return Field(attribute=attribute, column_name=name, widget=widget, **kwargs)


class RecordResource(resources.ModelResource):
    """What every import kind shares: the township it imports into, the user and reason it
    attributes history to, natural keys, and saving through record_save."""

    kind = ""
    title = ""
    perm = "kaohe.change_records"
    natural_key: tuple[str, ...] = ()  # resource field names that find an existing record
    date_field = "date"  # the field a closed month is reported on
    optional: frozenset[str] = frozenset()  # columns a file may leave out
    extra_errors: dict[str, str] = {}  # error keys that are not fields -> their column
    notes: dict[str, str] = {}  # column -> how to fill it (the template's 填写说明)
    village_path = "village"
    year_lookup: str | None = "date__year"  # narrows a records export to one year

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        use_bulk = False
        import_id_fields = ()
        store_instance = True  # the report names the columns an update changes

    def get_diff_class(self):
        return NoDiff

    @classmethod
    def get_row_result_class(cls):
        return Row

    def __init__(self, *, township, user=None, reason: str = ""):
        super().__init__()
        self.township = township
        self.user = user
        self.reason = reason
        for field in self.fields.values():
            if hasattr(field.widget, "bind"):
                field.widget.bind(township)

    # --- columns -------------------------------------------------------------------------

    @classmethod
    def ordered_fields(cls) -> list[Field]:
        """The fields in the file's column order (Meta.fields; `cls.fields` is not ordered so)."""
        return [cls.fields[name] for name in cls._meta.fields]

    @classmethod
    def columns(cls) -> list[str]:
        return [f.column_name for f in cls.ordered_fields()]

    @classmethod
    def required_columns(cls) -> list[str]:
        return [c for c in cls.columns() if c not in cls.optional]

    def column_of(self, key: str) -> str:
        """The column an error key (a field, a model field, or an extra key) belongs to."""
        if key == NON_FIELD_ERRORS:
            return ""
        if key in self.extra_errors:
            return self.extra_errors[key]
        for name, field in self.fields.items():
            if key in (name, field.attribute, field.column_name):
                return field.column_name
        try:
            return str(self._meta.model._meta.get_field(key).verbose_name)
        except Exception:
            return key

    def township_of_row(self, headers: list[str], values: tuple) -> str:
        """The township a row goes to, for the report: only the district's import, which sends
        each row to the township of its village, says (exports.district_import)."""
        return ""

    def example(self) -> dict:
        """One valid-looking row for the blank template (skipped if imported unchanged)."""
        return {}

    # --- finding and saving ----------------------------------------------------------------

    def get_queryset(self):
        rows = self._meta.model.objects.filter(**{f"{self.village_path}__township": self.township})
        return rows.select_related("village") if self.village_path == "village" else rows

    def export_queryset(self, year: int | None = None):
        """The township's records of this kind (of one year), in a stable order."""
        rows = self.get_queryset()
        if year and self.year_lookup:
            rows = rows.filter(**{self.year_lookup: year})
        return rows.order_by("pk")

    def natural_values(self, row) -> dict | None:
        values = {}
        for name in self.natural_key:
            field = self.fields[name]
            if field.column_name not in row:
                if field.default is not None and not callable(field.default):
                    values[field.attribute] = field.default
                    continue
                return None
            try:
                values[field.attribute] = field.clean(row)
            except ValueError:
                return None  # the row's own validation names the bad cell
        return values

    def get_instance(self, instance_loader, row):
        values = self.natural_values(row)
        if not values:
            return None
        return self.get_queryset().filter(**values).order_by("pk").first()

    def do_instance_save(self, instance, is_create):
        self.save_record(instance)

    def save_record(self, instance):
        """record_save, with a closed month reported on the row's date column."""
        try:
            return record_save(
                instance=instance, user=self.user, reason=self.reason, validate=False
            )
        except PeriodClosedError as exc:
            raise ValidationError({self.date_field: exc.messages}) from exc

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for key, messages in self.check_row(instance, row).items():
            errors.setdefault(key, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance, row) -> dict[str, list[str]]:
        """Rules a hand-entry form checks beyond the model (none by default)."""
        return {}


# --- 信访事件 (the 阳光信访 list layout) --------------------

LEVEL_SYNONYMS = {
    "北京": "beijing", "进京": "beijing", "到京": "beijing", "赴京": "beijing", "国家": "beijing",
    "省级": "province", "到省": "province", "赴省": "province",
    "市级": "city", "到市": "city",
    "区级": "district", "到区": "district", "县": "district", "县级": "district",
    "镇级": "township", "到镇": "township", "乡镇": "township", "乡": "township",
}  # fmt: skip
CHANNEL_SYNONYMS = {
    "来访": "visit", "上访": "visit",
    "网上信访": "online", "网信": "online", "网上投诉": "online", "阳光信访": "online",
    "网上": "online",
    "信件": "letter", "书信": "letter", "来信": "letter",
    "信箱": "mailbox", "领导信箱": "mailbox", "区长信箱": "mailbox", "市长信箱": "mailbox",
    "省长信箱": "mailbox",
    "热线": "hotline", "12345": "hotline", "电话": "hotline", "市民热线": "hotline",
    "舆情": "opinion",
}  # fmt: skip
NATURE_SYNONYMS = {
    "正常上访": "normal", "非正常上访": "abnormal", "重复上访": "repeat", "重复访": "repeat",
}  # fmt: skip


class PetitionResource(RecordResource):
    """信访事件, one row per 信访件 of a 阳光信访 list (or a 区转办 / 镇接访 list with 来源 set)."""

    kind = "petitions"
    title = gettext_lazy("信访事件")
    natural_key = ("source", "source_ref")
    optional = frozenset(
        {
            "来源", "身份证号", "上访性质", "是否集体访", "人数", "是否及时稳控",
            "是否持村处理意见书", "是否因新问题调处不及时", "是否造成较大影响",
        }
    )  # fmt: skip
    extra_errors = {"petitioners": "信访人", "id_numbers": "身份证号"}

    source_ref = column("source_ref", "信访编号", Text(required=True, max_length=100))
    source = column(
        "source",
        "来源",
        Choice(Source, default=Source.SUNSHINE, synonyms={"阳光信访系统": "sunshine"}),
        default=Source.SUNSHINE,
    )
    date = column("date", "登记日期", Day(required=True))
    petitioners = Field(column_name="信访人", widget=Text(required=True))
    id_numbers = Field(column_name="身份证号", widget=Text())
    village = column("village", VILLAGE, VillageName())
    level = column("level", "信访层级", Choice(Level, synonyms=LEVEL_SYNONYMS))
    channel = column("channel", "信访形式", Choice(Channel, synonyms=CHANNEL_SYNONYMS))
    nature = column(
        "nature", "上访性质", Choice(Nature, default=Nature.NORMAL, synonyms=NATURE_SYNONYMS)
    )
    collective = column("collective", "是否集体访", YesNo())
    person_count = column("person_count", "人数", Integer(default=1))
    matter = column("matter", "反映事项", Text(required=True))
    stabilised_in_time = column("stabilised_in_time", "是否及时稳控", YesNo())
    carried_village_opinion = column(
        "carried_village_opinion", "是否持村处理意见书", YesNo(blank=None)
    )
    new_problem_unresolved = column("new_problem_unresolved", "是否因新问题调处不及时", YesNo())
    large_impact = column("large_impact", "是否造成较大影响", YesNo())

    notes = {
        "信访编号": gettext_lazy(
            "阳光信访件号(或区转办编号、镇接访登记号),同一来源内唯一;再次导入同一编号只会更新,不会重复。"
        ),
        "来源": gettext_lazy("阳光信访 / 区转办 / 镇接访登记;不填为阳光信访。"),
        "登记日期": gettext_lazy("信访日期,如 2026-04-10;所在月份已关闭的不能导入。"),
        "信访人": gettext_lazy("多人用顿号分隔,如 张三、李四;至少一人。"),
        "身份证号": gettext_lazy(
            "与信访人顺序对应,用顿号分隔;可不填。导出文件中的号码是遮挡的,只能用于更新已登记的人。"
        ),
        VILLAGE: gettext_lazy("本镇村(居)的名称,须与系统中一致。"),
        "信访层级": gettext_lazy("京、省、市、区、镇。"),
        "信访形式": gettext_lazy("走访、网上/阳光信访、来信、省市区长信箱、12345热线、网上舆情。"),
        "上访性质": gettext_lazy("正常、非正常、重复;不填为正常。"),
        "是否集体访": gettext_lazy("是/否;集体访为五人及以上。"),
        "人数": gettext_lazy("人次,不填为1;不少于信访人人数。"),
        "反映事项": gettext_lazy("信访反映的问题。"),
        "是否及时稳控": gettext_lazy("是/否;到区、到镇上访未及时稳控调处的才扣分。"),
        "是否持村处理意见书": gettext_lazy("仅到镇走访填写 是/否,其他情况留空。"),
        "是否因新问题调处不及时": gettext_lazy("是/否;进京上访因此发生的,一票否决。"),
        "是否造成较大影响": gettext_lazy("是/否;集体上访造成较大社会影响或舆情的,一票否决。"),
    }

    class Meta(RecordResource.Meta):
        model = Petition
        fields = (
            "source_ref", "source", "date", "petitioners", "id_numbers", "village", "level",
            "channel", "nature", "collective", "person_count", "matter", "stabilised_in_time",
            "carried_village_opinion", "new_problem_unresolved", "large_impact",
        )  # fmt: skip
        export_order = fields
        import_order = fields
        # No savepoint around each row (django-import-export opens one per row unless
        # use_bulk): a new row writes nothing until after_import, an update writes only through
        # record_save and record_delete, each its own atomic block, and the whole file is one
        # transaction (run_import). save_instance below saves as before, so import-export's own
        # bulk_create/bulk_update, which would write no history, never receive a row.
        use_bulk = True
        # No copy of each row's instance before the file's values (import-export's diff): a new
        # row has nothing to compare, and an update's stored state is already at hand, read in
        # before_import (get_instance, skip_row, after_import_row).
        skip_diff = True

    def get_queryset(self):
        return Petition.objects.filter(village__township=self.township).select_related("village")

    def export_queryset(self, year=None):
        return super().export_queryset(year).prefetch_related("petitioners")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.known: dict[tuple[str, str], Petition] = {}
        # The stored petitioners of the known petitions, by petition key, in the order entered:
        # read with them (a row's copy of its petition, deepcopied, loses a prefetch).
        self.people_of: dict[int, list[Petitioner]] = {}
        # New rows wait here, validated, and are written together once every row has passed
        # (petitions_create); updates are saved row by row (record_save).
        self.new_rows: dict[tuple[str, str], tuple[Petition, list[tuple[str, str]]]] = {}
        self.closed_months: set[tuple[int, int, int]] = set()  # (township id, year, month)

    def before_import(self, dataset, **kwargs):
        """Find the file's existing petitions and closed months in a few queries rather than
        one per row."""
        super().before_import(dataset, **kwargs)
        self.known.clear()
        self.people_of.clear()
        self.new_rows.clear()
        if "登记日期" in dataset.headers:
            days = set()
            for value in dataset["登记日期"]:
                try:
                    days.add(self.fields["date"].widget.clean(value))
                except ValueError:
                    continue  # the row's own validation names the bad cell
            self.closed_months = self.read_closed_months(days)
        if "信访编号" not in dataset.headers:
            return
        refs = sorted({text_of(ref) for ref in dataset["信访编号"] if text_of(ref)})
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            found = list(self.stored_petitions().filter(source_ref__in=chunk))
            for petition in found:
                self.known[(petition.source, petition.source_ref)] = petition
                self.people_of[petition.pk] = []
            people = Petitioner.objects.filter(petition__in=found).order_by("petition", "pk")
            for person in people:
                self.people_of[person.petition_id].append(person)

    def read_closed_months(self, days) -> set[tuple[int, int, int]]:
        """(township id, year, month) of the closed months among the file's days."""
        closed = hooks.closed_months(self.township.pk, days)
        return {(self.township.pk, p.year, p.month) for p in closed}

    def stored_petitions(self):
        """Where a file's refs are looked up: every township's petitions (see get_instance)."""
        return Petition.objects.select_related("village")

    def foreign(self, stored: Petition) -> str:
        """Why a stored petition cannot be updated by this import ("" when it can)."""
        if stored.village.township_id != self.township.pk:
            return _("该编号已登记在其他镇的信访事件中,不能导入到本镇。")
        return ""

    def township_id_of(self, instance) -> int | None:
        return self.township.pk

    def get_instance(self, instance_loader, row):
        # The source ref is unique per source across townships: find it wherever it is, so a
        # ref taken by another township is reported rather than silently duplicated.
        values = self.natural_values(row)
        if not values or not values.get("source_ref"):
            return None
        key = (values["source"], values["source_ref"])
        if key in self.new_rows:
            raise ValidationError({"source_ref": _("文件中已有相同来源和编号的信访事件。")})
        stored = self.known.get(key)
        if stored is None:
            return None
        refused = self.foreign(stored)
        if refused:
            raise ValidationError({"source_ref": refused})
        found = deepcopy(stored)  # the row changes its copy, never the cached state
        found._import_original = stored  # what skip_row and the report compare with (Meta)
        return found

    def init_instance(self, row=None):
        return Petition(source=Source.SUNSHINE)

    def dehydrate_petitioners(self, petition):
        return "、".join(p.name for p in petition.petitioners.all())

    def dehydrate_id_numbers(self, petition):
        # Never a whole ID number in a spreadsheet: masked, as everywhere in the product.
        people = list(petition.petitioners.all())
        if not any(p.id_number for p in people):
            return ""
        return "、".join(p.masked_id or "-" for p in people)

    def _people(self, instance, row) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
        """(name, id number) of the row's petitioners and the errors found reading them.

        A masked number (as exported) stands for the number already stored for that person of
        this petition; elsewhere it is incomplete. "-" or an empty part means no number.
        """
        names = split_names(text_of(row.get("信访人")))
        numbers = split_names(text_of(row.get("身份证号"))) if "身份证号" in row else []
        errors: dict[str, list[str]] = {}
        if numbers and len(numbers) != len(names):
            errors["id_numbers"] = [
                _("身份证号有 %(n)d 个,信访人有 %(m)d 人,请按信访人顺序一一对应(无号码的填“-”)。")
                % {"n": len(numbers), "m": len(names)}
            ]
            return [], errors
        stored = {}
        if instance.pk:
            stored = {
                (p.name, p.masked_id): p.id_number for p in self._current(instance) if p.id_number
            }
        people = []
        for index, name in enumerate(names):
            number = numbers[index] if numbers else ""
            number = "" if number == "-" else petition_rules.normalise_id_number(number)
            if "*" in number:
                if (name, number) not in stored:
                    errors.setdefault("id_numbers", []).append(
                        _(
                            "%(name)s 的身份证号“%(n)s”是遮挡的号码,只能用于已登记的信访人;"
                            "请填写完整号码。"
                        )
                        % {"name": name, "n": number}
                    )
                    continue
                number = stored[(name, number)]
            elif number:
                try:
                    validate_id_number(number)
                except ValidationError as exc:
                    errors.setdefault("id_numbers", []).extend(
                        f"{name}:{message}" for message in exc.messages
                    )
                    continue
            people.append((name, number))
        return people, errors

    def check_row(self, instance, row):
        people, errors = self._people(instance, row)
        instance._import_people = people
        named = len(split_names(text_of(row.get("信访人"))))
        try:
            petition_rules.check_petitioner_count(named, instance.person_count)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
        for name, number in people:
            try:
                Petitioner(name=name, id_number=number).full_clean(exclude=["petition"])
            except ValidationError as exc:
                errors.setdefault("petitioners", []).extend(
                    f"{name}:{message}" for message in exc.messages
                )
        if instance.pk is None and instance.date:
            errors.update(self._closed_month(instance))
        return errors

    def _closed_month(self, instance) -> dict[str, list[str]]:
        """A new row in a closed month, refused with the write path's own words (the closed
        months of the file were read once, in before_import)."""
        day, township_id = instance.date, self.township_id_of(instance)
        if (township_id, day.year, day.month) not in self.closed_months:
            return {}
        try:
            hooks.ensure_open(township_id, day)
        except PeriodClosedError as exc:
            return {self.date_field: exc.messages}
        return {}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's full_clean, as hand entry, without the two checks that would cost a query
        per new row and are already made for the whole file: its (source, ref) against the
        stored petitions (read together in before_import) and the file's other rows
        (get_instance), and its village, one of the township's (read once by the widget)."""
        if instance.pk is not None:
            return super().validate_instance(instance, import_validation_errors, validate_unique)
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, "village"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        return None

    def _current(self, petition) -> list[Petitioner]:
        """The stored petitioners, in the order they were entered (read with the petition in
        before_import, not once per row)."""
        if not petition.pk:
            return []
        if petition.pk in self.people_of:
            return self.people_of[petition.pk]
        return list(petition.petitioners.order_by("pk"))

    def _stored_people(self, petition) -> list[tuple[str, str]]:
        return [(p.name, p.id_number) for p in self._current(petition)]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged: every column equal to the stored petition's, and the same petitioners."""
        original = getattr(instance, "_import_original", None)
        if original is None or import_validation_errors:
            return False
        for field in self.get_import_fields():
            if field.get_value(instance) != field.get_value(original):
                return False
        return getattr(instance, "_import_people", []) == self._stored_people(original)

    def after_import_row(self, row, row_result, **kwargs):
        # The report names the columns an update changes (importing._changed).
        if row_result.instance is not None:
            row_result.original = getattr(row_result.instance, "_import_original", None)

    def save_instance(self, instance, is_create, row, **kwargs):
        # As import-export saves a row without use_bulk (see Meta.use_bulk).
        self.before_save_instance(instance, row, **kwargs)
        self.do_instance_save(instance, is_create)
        self.after_save_instance(instance, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        instance._import_new = instance.pk is None

    def do_instance_save(self, instance, is_create):
        if instance.pk is not None:
            self.save_record(instance)

    def after_save_instance(self, instance, row, **kwargs):
        """The petitioners follow the row: unchanged ones stay, others are replaced (each an
        attributed history row). A new petition waits for after_import."""
        if instance._import_new:
            key = (instance.source, instance.source_ref)
            self.new_rows[key] = (instance, getattr(instance, "_import_people", []))
            return
        self.known[(instance.source, instance.source_ref)] = instance
        wanted = getattr(instance, "_import_people", [])
        current = self._current(instance)
        if [(p.name, p.id_number) for p in current] == wanted:
            return
        for person in current:
            record_delete(instance=person, user=self.user, reason=self.reason)
        saved = []
        for name, number in wanted:
            person = Petitioner(petition=instance, name=name, id_number=number)
            person.full_clean(exclude=["petition"])
            # A petitioner counts on its petition's date, which the petition's own record_save
            # has just guarded and marked stale in this transaction: no further months.
            record_save(
                instance=person, user=self.user, reason=self.reason, validate=False,
                touched_dates=[],
            )  # fmt: skip
            saved.append(person)
        self.people_of[instance.pk] = saved

    def after_import(self, dataset, result, **kwargs):
        """Write the new petitions together, once every row has passed (a row in error keeps
        the whole file out: the import rolls back)."""
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors() or not self.new_rows:
            return
        try:
            self.write_new(list(self.new_rows.values()))
        finally:
            self.new_rows.clear()

    def write_new(self, rows) -> None:
        petitions_create(rows=rows, user=self.user, reason=self.reason)


# --- 矛盾纠纷 --------------------


class DisputeResource(RecordResource):
    kind = "disputes"
    title = gettext_lazy("矛盾纠纷")
    natural_key = ("village", "found_date", "parties", "matter")
    date_field = "found_date"
    year_lookup = "found_date__year"
    optional = frozenset({"纠纷类别", "状态", "化解日期", "镇级以上发现"})

    village = column("village", VILLAGE, VillageName())
    found_date = column("found_date", "发现日期", Day(required=True))
    parties = column("parties", "当事人", Text(required=True, max_length=200))
    matter = column("matter", "纠纷事项", Text(required=True))
    category = column(
        "category", "纠纷类别", Choice(DisputeCategory, default=DisputeCategory.OTHER)
    )
    status = column("status", "状态", Choice(DisputeStatus, default=DisputeStatus.OPEN))
    resolved_date = column("resolved_date", "化解日期", Day())
    found_at_town_or_above = column("found_at_town_or_above", "镇级以上发现", YesNo())

    notes = {
        VILLAGE: gettext_lazy("本镇村(居)的名称。"),
        "发现日期": gettext_lazy("如 2026-04-10。"),
        "当事人": gettext_lazy("纠纷双方,如 张三与李四。"),
        "纠纷事项": gettext_lazy("纠纷的内容;与村(居)、发现日期、当事人一起识别同一条纠纷。"),
        "纠纷类别": gettext_lazy(
            "婚姻家庭、邻里纠纷、土地山林、征地拆迁、劳资纠纷、合同债务、物业纠纷、交通事故、医疗纠纷、其他;不填为其他。"
        ),
        "状态": gettext_lazy("未化解 / 已化解;不填为未化解。"),
        "化解日期": gettext_lazy("已化解的必填。"),
        "镇级以上发现": gettext_lazy("是/否:由镇或上级发现、而非本村(居)排查上报的。"),
    }

    class Meta(RecordResource.Meta):
        model = Dispute
        fields = (
            "village", "found_date", "parties", "matter", "category", "status", "resolved_date",
            "found_at_town_or_above",
        )  # fmt: skip
        export_order = fields
        import_order = fields


# --- 巡逻记录 --------------------


class PatrolResource(RecordResource):
    kind = "patrols"
    title = gettext_lazy("巡逻记录")
    natural_key = ("village", "date", "start_time", "participants")
    optional = frozenset({"开始时间", "结束时间", "巡逻路线", "备注"})

    village = column("village", VILLAGE, VillageName())
    date = column("date", "巡逻日期", Day(required=True))
    start_time = column("start_time", "开始时间", TimeOfDay())
    end_time = column("end_time", "结束时间", TimeOfDay())
    participants = column("participants", "巡逻人员", Text(required=True, max_length=200))
    route = column("route", "巡逻路线", Text(max_length=200))
    note = column("note", "备注", Text())

    notes = {
        VILLAGE: gettext_lazy("本镇村(居)的名称。"),
        "巡逻日期": gettext_lazy("如 2026-04-10;每周至少三次(周四所在月份计)。"),
        "开始时间": gettext_lazy("如 19:30。"),
        "结束时间": gettext_lazy("须晚于开始时间。"),
        "巡逻人员": gettext_lazy("参加巡逻的人员,用顿号分隔。"),
        "巡逻路线": gettext_lazy("可不填。"),
        "备注": gettext_lazy("可不填。"),
    }

    class Meta(RecordResource.Meta):
        model = Patrol
        fields = ("village", "date", "start_time", "end_time", "participants", "route", "note")
        export_order = fields
        import_order = fields


# --- 村会议 --------------------


class VillageMeetingResource(RecordResource):
    kind = "meetings"
    title = gettext_lazy("村会议")
    natural_key = ("village", "date", "topic")
    optional = frozenset({"研究信访工作", "参会人员", "会议记录"})

    village = column("village", VILLAGE, VillageName())
    date = column("date", "会议日期", Day(required=True))
    topic = column("topic", "会议主题", Text(required=True, max_length=200))
    studied_petition_work = column("studied_petition_work", "研究信访工作", YesNo())
    attendees = column("attendees", "参会人员", Text())
    minutes = column("minutes", "会议记录", Text())

    notes = {
        VILLAGE: gettext_lazy("本镇村(居)的名称。"),
        "会议日期": gettext_lazy("如 2026-04-10。"),
        "会议主题": gettext_lazy("与村(居)、会议日期一起识别同一次会议。"),
        "研究信访工作": gettext_lazy("是/否:会议记录显示研究了信访工作的才算(评分表 一.1)。"),
        "参会人员": gettext_lazy("可不填。"),
        "会议记录": gettext_lazy("可不填。"),
    }

    class Meta(RecordResource.Meta):
        model = VillageMeeting
        fields = ("village", "date", "topic", "studied_petition_work", "attendees", "minutes")
        export_order = fields
        import_order = fields


# --- 满意度调查回访结果 --------------------


class SurveyAnswerResource(RecordResource):
    """The answers of a drawn survey sample: one row per sampled household, found by village,
    year, quarter and landline number. The sample itself is drawn in the app (random, with a
    stored seed), never imported."""

    kind = "survey_answers"
    title = gettext_lazy("满意度调查回访结果")
    village_path = "sample__survey__village"
    date_field = "quarter"
    year_lookup = "sample__survey__year"
    optional = frozenset({"户主", "备注"})
    extra_errors = {"sample": "固定电话"}

    village = Field(column_name=VILLAGE, widget=VillageName())
    year = Field(column_name="年度", widget=Integer())
    quarter = Field(column_name="季度", widget=Integer())
    head = Field(column_name="户主", widget=Text())
    phone = Field(column_name="固定电话", widget=Text(required=True))
    reached = column("reached", "已联系上", YesNo())
    answer = column(
        "answer",
        "回答",
        Choice(
            SurveyAnswerChoice,
            default=SurveyAnswerChoice.NO_ANSWER,
            synonyms={"不满意": "dissatisfied_organs"},
        ),
    )
    note = column("note", "备注", Text(max_length=200))

    notes = {
        VILLAGE: gettext_lazy("本镇村(居)的名称。"),
        "年度": gettext_lazy("调查所属年度,如 2026。"),
        "季度": gettext_lazy("1 到 4。"),
        "户主": gettext_lazy("可不填;填写时须与固定电话户台账一致。"),
        "固定电话": gettext_lazy("抽样名单中的固定电话号码;只能填本季度已抽中的户。"),
        "已联系上": gettext_lazy("是/否;未联系上的只能记为未作答。"),
        "回答": gettext_lazy("满意、对政法机关不满意、其他不满意、未作答。"),
        "备注": gettext_lazy("可不填。"),
    }

    class Meta(RecordResource.Meta):
        model = SurveyAnswer
        fields = ("village", "year", "quarter", "head", "phone", "reached", "answer", "note")
        export_order = fields
        import_order = fields

    def _sample(self, row) -> SurveySample:
        errors = {}
        values = {}
        for name in ("village", "year", "quarter", "phone"):
            field = self.fields[name]
            try:
                values[name] = field.clean(row)
            except ValueError as exc:
                errors[name] = [str(exc)]
        if errors:
            raise ValidationError(errors)
        if not values["year"] or values["quarter"] not in (1, 2, 3, 4):
            raise ValidationError({"quarter": [_("请填写年度和季度(1到4)。")]})
        phone = normalise_phone(values["phone"])
        samples = SurveySample.objects.filter(
            survey__village=values["village"],
            survey__year=values["year"],
            survey__quarter=values["quarter"],
        ).select_related("household", "survey__village")
        if not samples.exists():
            raise ValidationError(
                {
                    "quarter": [
                        _("%(v)s %(y)s年第%(q)s季度还没有抽样的满意度调查。")
                        % {"v": values["village"], "y": values["year"], "q": values["quarter"]}
                    ]
                }
            )
        sample = next((s for s in samples if s.household.phone == phone), None)
        if sample is None:
            raise ValidationError(
                {"phone": [_("固定电话 %(p)s 不在该季度的抽样名单中。") % {"p": values["phone"]}]}
            )
        head = text_of(row.get("户主"))
        if head and head != sample.household.head:
            raise ValidationError(
                {
                    "head": [
                        _("户主与台账不符:该电话登记的户主是 %(h)s。")
                        % {"h": sample.household.head}
                    ]
                }
            )
        return sample

    def get_instance(self, instance_loader, row):
        sample = self._sample(row)
        return SurveyAnswer.objects.filter(sample=sample).first()

    def init_instance(self, row=None):
        return SurveyAnswer(sample=self._sample(row))

    def dehydrate_village(self, answer):
        return answer.sample.survey.village.name

    def dehydrate_year(self, answer):
        return answer.sample.survey.year

    def dehydrate_quarter(self, answer):
        return answer.sample.survey.quarter

    def dehydrate_head(self, answer):
        return answer.sample.household.head

    def dehydrate_phone(self, answer):
        return answer.sample.household.phone

    def get_queryset(self):
        return SurveyAnswer.objects.filter(
            sample__survey__village__township=self.township
        ).select_related("sample__survey__village", "sample__household")


# --- 人员与责任分工 --------------------


class PeopleResource(RecordResource):
    """责任人 and their dated responsibilities: one row per responsibility.

    A person is found by name (and phone, when given) in the township, or created. Neither a
    person nor a responsibility is an assessment record (no month counts it), so they are
    saved with full validation and attributed history but without the period guard.
    """

    kind = "people"
    title = gettext_lazy("人员与责任分工")
    perm = "kaohe.manage_assessment"
    natural_key = ()
    date_field = "start"
    year_lookup = None
    optional = frozenset({"电话", "职务", "片", VILLAGE, "终止日期"})
    extra_errors = {"person": "姓名"}

    name = Field(column_name="姓名", widget=Text(required=True, max_length=50))
    phone = Field(column_name="电话", widget=Text(max_length=30))
    job_title = Field(column_name="职务", widget=Text(max_length=100))
    role = column("role", "角色", Choice(ResponsibilityRole, synonyms={
        "片长": "area_leader", "点长": "point_leader", "包村人员": "centre_staff",
        "书记": "secretary", "主任": "director", "村主任": "director", "居委会主任": "director",
    }))  # fmt: skip
    area = column("area", "片", AreaName())
    village = column("village", VILLAGE, OptionalVillageName())
    start = column("start", "起始日期", Day(required=True))
    end = column("end", "终止日期", Day())

    notes = {
        "姓名": gettext_lazy("人员姓名;同名时请填电话以区分。"),
        "电话": gettext_lazy("可不填。"),
        "职务": gettext_lazy("可不填,如 副镇长。"),
        "角色": gettext_lazy(
            "片长(镇班子成员)、驻村点长、综治中心包村人员、村(居)书记、村(居)主任、治保主任。"
        ),
        "片": gettext_lazy("片长填所负责的片,其他角色不填。"),
        VILLAGE: gettext_lazy("片长以外的角色填所负责的村(居)。"),
        "起始日期": gettext_lazy("如 2026-01-01。"),
        "终止日期": gettext_lazy("不再担任时填写,可不填。"),
    }

    class Meta(RecordResource.Meta):
        model = Responsibility
        fields = ("name", "phone", "job_title", "role", "area", "village", "start", "end")
        export_order = fields
        import_order = fields

    def get_queryset(self):
        return Responsibility.objects.filter(person__township=self.township).select_related(
            "person", "area", "village"
        )

    def _person(self, row) -> Person | None:
        name = text_of(row.get("姓名"))
        phone = text_of(row.get("电话"))
        if not name:
            return None
        people = Person.objects.filter(township=self.township, name=name)
        if phone:
            people = people.filter(phone=phone)
        found = list(people[:2])
        if len(found) > 1:
            raise ValidationError(
                {"phone": [_("本镇有多名 %(n)s,请填写电话以区分。") % {"n": name}]}
            )
        return found[0] if found else None

    def get_instance(self, instance_loader, row):
        person = self._person(row)
        if person is None:
            return None
        try:
            values = {
                name: self.fields[name].clean(row) for name in ("role", "area", "village", "start")
            }
        except ValueError:
            return None
        return Responsibility.objects.filter(person=person, **values).first()

    def check_row(self, instance, row):
        errors = {}
        person = self._person(row) if instance.person_id is None else instance.person
        if person is None:
            person = Person(township=self.township, name=text_of(row.get("姓名")))
        if "电话" in row:
            person.phone = text_of(row.get("电话"))
        if "职务" in row:
            person.title = text_of(row.get("职务"))
        try:
            person.full_clean()
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault({"title": "job_title"}.get(key, key), []).extend(messages)
        instance._import_person = person
        if person.pk:
            instance.person = person
        return errors

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if instance.person_id is None:  # a new person is saved first, in before_save_instance
            errors = dict(import_validation_errors or {})
            errors.setdefault("person", [])
            try:
                instance.full_clean(exclude=[*errors.keys()], validate_unique=validate_unique)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            errors = {k: v for k, v in errors.items() if v}
            if errors:
                raise ValidationError(errors)
            return
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        person = getattr(instance, "_import_person", None)
        if person is None or person.pk is None:
            return False
        stored = Person.objects.filter(pk=person.pk).values_list("phone", "title").first()
        if stored != (person.phone, person.title):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def before_save_instance(self, instance, row, **kwargs):
        person = instance._import_person
        stored = (
            Person.objects.filter(pk=person.pk).values_list("phone", "title").first()
            if person.pk
            else None
        )
        if stored != (person.phone, person.title):
            attribute(person, self.user, self.reason)
            person.save()
        instance.person = person

    def save_record(self, instance):
        attribute(instance, self.user, self.reason)
        instance.save()
        return instance

    def dehydrate_name(self, responsibility):
        return responsibility.person.name

    def dehydrate_phone(self, responsibility):
        return responsibility.person.phone

    def dehydrate_job_title(self, responsibility):
        return responsibility.person.title


RESOURCES = {
    cls.kind: cls
    for cls in (
        PetitionResource,
        DisputeResource,
        PatrolResource,
        VillageMeetingResource,
        SurveyAnswerResource,
        PeopleResource,
    )
}


def example_village(township):

    return (
        Village.objects.filter(township=township, is_active=True)
        .order_by("area__name", "name")
        .first()
    )


def example_row(kind: str, township) -> dict:
    """The template's example row (recognised and skipped if a file brings it back)."""
    village = example_village(township)
    name = village.name if village else "某村"
    day = date.today().replace(day=1)
    rows = {
        "petitions": {
            "信访编号": "YGXF-2026-000001", "来源": "阳光信访", "登记日期": day, "信访人": "张三",
            "身份证号": "", VILLAGE: name, "信访层级": "区", "信访形式": "走访", "上访性质": "正常",
            "是否集体访": "否", "人数": 1, "反映事项": "反映土地承包经营权纠纷",
            "是否及时稳控": "是", "是否持村处理意见书": "", "是否因新问题调处不及时": "否",
            "是否造成较大影响": "否",
        },
        "disputes": {
            VILLAGE: name, "发现日期": day, "当事人": "张三与李四", "纠纷事项": "宅基地界址纠纷",
            "纠纷类别": "邻里纠纷", "状态": "未化解", "化解日期": None, "镇级以上发现": "否",
        },
        "patrols": {
            VILLAGE: name, "巡逻日期": day, "开始时间": "19:30", "结束时间": "21:00",
            "巡逻人员": "王五、赵六", "巡逻路线": "村委—学校—集市", "备注": "",
        },
        "meetings": {
            VILLAGE: name, "会议日期": day, "会议主题": "研究本月信访维稳工作",
            "研究信访工作": "是", "参会人员": "村两委成员", "会议记录": "",
        },
        "survey_answers": {
            VILLAGE: name, "年度": day.year, "季度": (day.month - 1) // 3 + 1, "户主": "张三",
            "固定电话": "0571-88886666", "已联系上": "是", "回答": "满意", "备注": "",
        },
        "people": {
            "姓名": "张三", "电话": "13800000000", "职务": "村党支部书记", "角色": "村(居)书记",
            "片": "", VILLAGE: name, "起始日期": date(day.year, 1, 1), "终止日期": None,
        },
    }  # fmt: skip
    return rows[kind]
