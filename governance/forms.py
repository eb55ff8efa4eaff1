"""Forms of the 综治中心 records: RecordForm subclasses and the rows of the all-or-none pages."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import RecordForm
from core.forms import YesNoField
from villages.models import Township

from . import rules
from .models import WORK_FILE_FIELDS
from .models import AdjustmentEvent
from .models import CentreInspection
from .models import LandlineHousehold
from .models import LeadershipGroup
from .models import MeetingAttendance
from .models import Patrol
from .models import SensitivePeriod
from .models import SpecialPerson
from .models import Survey
from .models import SurveyAnswer
from .models import TownshipMeeting
from .models import VillageMeeting
from .models import ZeroReport
from .services import township_record_save


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None, format="%H:%M"):
        super().__init__(attrs=attrs, format=format)


CCTV_ANSWERS = {True: "true", "True": "true", "true": "true", False: "false", "False": "false"}
CCTV_ANSWERS |= {"false": "false", "unknown": "unknown"}


class CctvRadio(forms.RadioSelect):
    """是 / 否, and 'not applicable' for a village without a CCTV room; none chosen until the
    user (or the village's record, `Village.has_cctv_room`) answers."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("true", _("是")),
            ("false", _("否")),
            ("unknown", _("不适用(无视频监控室)")),
        ]

    def format_value(self, value):
        found = CCTV_ANSWERS.get(value)
        return [found] if found else []

    def value_from_datadict(self, data, files, name):
        return data.get(name)  # "unknown" kept as sent: shown again when the form comes back


# The checks of an inspection (评分表 四.1, 四.3, 五.7), each answered 是 or 否.
INSPECTION_CHECKS = (
    "duty_records",
    "is_clean",
    "rules_complete",
    "dedicated_person",
    *WORK_FILE_FIELDS.values(),
)
ALL_PASSED = "all_passed"


def all_passed_answers(answers: dict, *, cctv_room: bool, cctv_key: str) -> dict[str, str]:
    """全部合格: the answers to add, 是 for every check left unanswered (an answered 否 stays);
    the CCTV answer too when the village has a CCTV room. `answers`: each check's key and
    what was sent for it (None or "" when unanswered)."""
    added = {key: "True" for key, value in answers.items() if key != cctv_key and not value}
    if cctv_room and not answers.get(cctv_key):
        added[cctv_key] = "true"
    return added


class CentreInspectionForm(RecordForm):
    all_passed = forms.BooleanField(
        label=_("全部合格"),
        required=False,
        help_text=_("勾选后,未作答的各项检查都记为“是”;已选“否”的不变。"),
        widget=forms.CheckboxInput(attrs={"data-all-passed": ""}),
    )

    META_FIELDS = (*RecordForm.META_FIELDS, ALL_PASSED)

    class Meta:
        model = CentreInspection
        fields = [
            "village",
            "date",
            "inspector",
            *INSPECTION_CHECKS,
            "cctv_room_manned",
            "note",
        ]
        field_classes = {name: YesNoField for name in INSPECTION_CHECKS}
        widgets = {
            **{name: forms.RadioSelect(attrs={"data-check": ""}) for name in INSPECTION_CHECKS},
            "cctv_room_manned": CctvRadio,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        villages = self.fields["village"].queryset
        with_room = set(villages.filter(has_cctv_room=True).values_list("pk", flat=True))
        self.cctv_villages = with_room
        cctv = self.fields["cctv_room_manned"]
        cctv.widget.attrs["data-cctv-villages"] = ",".join(str(pk) for pk in sorted(with_room))
        # The answer's default comes from the village's record: 不适用 only where it has no room.
        if self.instance.pk is not None:
            if self.instance.cctv_room_manned is None:
                self.initial["cctv_room_manned"] = "unknown"
        else:
            village = self.initial.get("village")
            village = getattr(village, "pk", village)
            if village and str(village).isdigit() and int(village) not in with_room:
                self.initial["cctv_room_manned"] = "unknown"
            else:
                self.initial.pop("cctv_room_manned", None)
        order = ["village", "date", "inspector", ALL_PASSED]
        self.order_fields(order + [n for n in self.fields if n not in order])
        if self.is_bound and self.data.get(self.add_prefix(ALL_PASSED)):
            village = self.data.get(self.add_prefix("village"))
            keys = [self.add_prefix(name) for name in (*INSPECTION_CHECKS, "cctv_room_manned")]
            added = all_passed_answers(
                {key: self.data.get(key) for key in keys},
                cctv_room=str(village).isdigit() and int(village) in with_room,
                cctv_key=self.add_prefix("cctv_room_manned"),
            )
            data = self.data.copy()
            for key, value in added.items():
                data[key] = value
            self.data = data


class SpecialPersonForm(RecordForm):
    class Meta:
        model = SpecialPerson
        fields = ["village", "category", "name", "responsible", "registered", "removed", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class ZeroReportForm(RecordForm):
    class Meta:
        model = ZeroReport
        fields = ["village", "category", "date", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class LeadershipGroupForm(RecordForm):
    class Meta:
        model = LeadershipGroup
        fields = [
            "village",
            "kind",
            "established",
            "dissolved",
            "leader",
            "members",
            "document_ref",
            "note",
        ]
        widgets = {
            "members": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class LandlineHouseholdForm(RecordForm):
    class Meta:
        model = LandlineHousehold
        fields = ["village", "head", "phone", "address", "active", "note"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class PatrolForm(RecordForm):
    class Meta:
        model = Patrol
        fields = ["village", "date", "start_time", "end_time", "participants", "route", "note"]
        widgets = {
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class VillageMeetingForm(RecordForm):
    class Meta:
        model = VillageMeeting
        fields = ["village", "date", "topic", "studied_petition_work", "attendees", "minutes"]
        widgets = {"attendees": forms.Textarea(attrs={"rows": 2})}


class TownshipRecordForm(RecordForm):
    """A township-level record: the township is the user's own; saved by the township service."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        field = self.fields["township"]
        if user is not None and not user.is_superuser:
            field.queryset = Township.objects.filter(pk=user.township_id)
            field.initial = user.township_id
        elif user is not None and user.township_id:
            field.initial = user.township_id

    def save_record(self, *, user, reason):
        return township_record_save(instance=self.instance, user=user, reason=reason)


class TownshipMeetingForm(TownshipRecordForm):
    class Meta:
        model = TownshipMeeting
        fields = ["township", "date", "topic", "location", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class SensitivePeriodForm(TownshipRecordForm):
    class Meta:
        model = SensitivePeriod
        fields = ["township", "name", "start", "end", "bonus_points", "award_amount", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class MeetingAttendanceForm(RecordForm):
    """One village's attendance, changed on its own (the meeting page enters all at once)."""

    class Meta:
        model = MeetingAttendance
        fields = ["meeting", "village", "status", "note"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        meetings = TownshipMeeting.objects.all()
        if user is not None and not user.is_superuser:
            meetings = meetings.filter(township_id=user.township_id)
        self.fields["meeting"].queryset = meetings


class SurveyForm(RecordForm):
    class Meta:
        model = Survey
        fields = ["village", "year", "quarter", "date", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.samples.exists():
            self.fields["village"].disabled = True
            self.fields["village"].help_text = _("已抽样,不能更换村(居)。")


class AdjustmentEventForm(RecordForm):
    class Meta:
        model = AdjustmentEvent
        fields = ["village", "date", "kind", "level", "description", "document_ref"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


# --- the all-or-none pages ---------------------------------------------------------------------


class ReasonForm(forms.Form):
    """A change reason, asked when a page changes rows that already exist."""

    reason = forms.CharField(
        label=_("修改原因"),
        max_length=200,
        help_text=_("修改已有记录时必填,记入修改历史。"),
    )


class AttendanceRowForm(forms.ModelForm):
    """One village's row on the meeting's attendance page."""

    class Meta:
        model = MeetingAttendance
        fields = ["status", "note"]
        widgets = {
            "status": forms.RadioSelect,
            "note": forms.TextInput(attrs={"size": 24}),
        }


class SurveyDrawForm(forms.Form):
    """Size and (optional) seed of a draw; services.survey_draw checks the figures."""

    size = forms.IntegerField(
        label=_("抽样户数"),
        initial=15,
        help_text=format_lazy(_("{min} 至 {max} 户。"), min=rules.SAMPLE_MIN, max=rules.SAMPLE_MAX),
    )
    seed = forms.IntegerField(
        label=_("随机种子"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("留空由系统生成;填写已用过的种子可复现抽样。"),
    )


class SurveyAnswerForm(forms.ModelForm):
    """One sampled household's row on the survey's answers page."""

    class Meta:
        model = SurveyAnswer
        fields = ["reached", "answer", "note"]
        widgets = {"note": forms.TextInput(attrs={"size": 24})}


class PatrolWeekForm(forms.Form):
    """The week grid (issue 13.3): for each village, the number of patrols on each day of one
    week (prefilled with what is recorded) and who patrolled. Saving adds the patrols that
    bring each day up to its number; a day in a closed month or after today is locked."""

    def __init__(self, data=None, *, villages, days, counts, participants, locked):
        super().__init__(data)
        self.villages, self.days, self.counts, self.locked = villages, days, counts, locked
        self.rows = []
        for village in villages:
            cells = []
            for day in days:
                name = self.cell_name(village.pk, day)
                self.fields[name] = forms.IntegerField(
                    label=format_lazy("{village} {day}", village=village, day=day.isoformat()),
                    required=False,
                    min_value=0,
                    max_value=rules.MAX_PATROLS_PER_DAY,
                    initial=counts.get((village.pk, day), 0),
                    disabled=(village.township_id, day) in locked,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "cell"}),
                )
                cells.append((day, self[name]))
            name = f"p{village.pk}"
            self.fields[name] = forms.CharField(
                label=format_lazy("{village} {label}", village=village, label=_("巡逻人员")),
                required=False,
                max_length=200,
                initial=participants.get(village.pk, ""),
            )
            recorded = sum(counts.get((village.pk, day), 0) for day in days)
            self.rows.append((village, cells, self[name], recorded))

    @staticmethod
    def cell_name(village_id: int, day) -> str:
        return f"v{village_id}_{day:%Y%m%d}"

    def clean(self):
        cleaned = super().clean()
        self.entries = []
        for village in self.villages:
            adding = []
            for day in self.days:
                name = self.cell_name(village.pk, day)
                if name not in cleaned or self.fields[name].disabled:
                    continue
                existing = self.counts.get((village.pk, day), 0)
                add = rules.patrols_to_add(existing, cleaned[name])
                if add is None:
                    self.add_error(
                        name,
                        _("已记录 %(n)s 次巡逻;减少请到巡逻记录中逐条删除。") % {"n": existing},
                    )
                elif add:
                    adding.append((day, add))
            who = (cleaned.get(f"p{village.pk}") or "").strip()
            if adding and not who:
                self.add_error(f"p{village.pk}", _("新增巡逻请填写巡逻人员。"))
            self.entries += [(village, day, add, who) for day, add in adding]
        return cleaned
