"""Forms of the 综治中心 records: RecordForm subclasses and the rows of the all-or-none pages."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import RecordForm
from villages.models import Township

from . import rules
from .models import (
    WORK_FILE_FIELDS,
    AdjustmentEvent,
    CentreInspection,
    LandlineHousehold,
    LeadershipGroup,
    MeetingAttendance,
    Patrol,
    SensitivePeriod,
    SpecialPerson,
    Survey,
    SurveyAnswer,
    TownshipMeeting,
    VillageMeeting,
    ZeroReport,
)
from .services import township_record_save


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None, format="%H:%M"):
        super().__init__(attrs=attrs, format=format)


class CctvSelect(forms.NullBooleanSelect):
    """是 / 否, and 'not applicable' for a village without a CCTV room."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", _("不适用(无视频监控室)")),
            ("true", _("是")),
            ("false", _("否")),
        ]


class CentreInspectionForm(RecordForm):
    class Meta:
        model = CentreInspection
        fields = [
            "village",
            "date",
            "inspector",
            "duty_records",
            "is_clean",
            "rules_complete",
            "dedicated_person",
            "cctv_room_manned",
            *WORK_FILE_FIELDS.values(),
            "note",
        ]
        widgets = {"cctv_room_manned": CctvSelect, "note": forms.Textarea(attrs={"rows": 3})}


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
