"""Writes of the 综治中心 work that are more than one record_save: keyword-only, atomic.

Village records save through core.records; township records (a township meeting, a sensitive
period) have no village, so `township_record_save` / `_delete` / `_revert` give them the same
guarantees here: full validation, refusal of a closed month, attributed history, stale marks.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import hooks
from core.dates import check_dates
from core.records import attribute
from core.records import record_dates
from core.records import record_delete
from core.records import record_save
from core.records import restored

from . import rules
from .models import LandlineHousehold
from .models import MeetingAttendance
from .models import Patrol
from .models import Survey
from .models import SurveyAnswer
from .models import SurveySample
from .models import TownshipMeeting


def _stored(instance):
    if instance.pk is None:
        return None
    return type(instance)._default_manager.filter(pk=instance.pk).first()


def _affected_village_ids(instance) -> list[int]:
    """The villages whose sheets a township record moves: a meeting's attendees; else none."""
    if isinstance(instance, TownshipMeeting) and instance.pk:
        return list(instance.attendances.values_list("village_id", flat=True))
    return []


@transaction.atomic
def township_record_save(*, instance, user, reason: str = "", validate: bool = True):
    """Save a township-level record; refuse when it touches a closed month (old or new dates)."""
    check_dates(instance)  # the window every record date keeps (core.dates), as record_save
    if validate:
        instance.full_clean()
    stored = _stored(instance)
    old_dates = record_dates(stored) if stored is not None else []
    new_dates = record_dates(instance)
    hooks.ensure_open(instance.township_id, *old_dates, *new_dates)
    attribute(instance, user, reason)
    instance.save()
    for village_id in _affected_village_ids(instance):
        hooks.mark_stale(village_id, old_dates + new_dates)
    return instance


@transaction.atomic
def township_record_delete(*, instance, user, reason: str = "") -> None:
    """Delete a township-level record; a meeting's attendance rows go first, each attributed."""
    hooks.ensure_open(instance.township_id, *record_dates(instance))
    if isinstance(instance, TownshipMeeting):
        for row in instance.attendances.select_related("village", "meeting"):
            record_delete(instance=row, user=user, reason=reason)
    attribute(instance, user, reason)
    instance.delete()


@transaction.atomic
def township_record_revert(*, historical, user, reason: str = ""):
    instance, default_reason = restored(historical)
    return township_record_save(instance=instance, user=user, reason=reason or default_reason)


@transaction.atomic
def meeting_attendance_save(
    *, meeting: TownshipMeeting, rows: list[MeetingAttendance], user, reason: str = ""
) -> list[MeetingAttendance]:
    """评分表 五.6: record every village's attendance at a township meeting, all or none.

    `rows` are unsaved or changed MeetingAttendance instances of this meeting; an unchanged
    stored row is skipped so the history shows only real changes.
    """
    saved = []
    for row in rows:
        if row.meeting_id != meeting.pk:
            raise ValidationError(_("出席记录不属于该会议。"))
        stored = _stored(row)
        if stored is not None and (stored.status, stored.note) == (row.status, row.note):
            continue
        saved.append(record_save(instance=row, user=user, reason=reason))
    return saved


@transaction.atomic
def survey_draw(*, survey: Survey, size: int, seed: int | None = None, by) -> list[SurveySample]:
    """评分表 四.6: draw `size` (10-20) of the village's active landline households at random.

    The candidate ids and the seed are stored on the survey, so `survey_redraw_ids` repeats the
    draw exactly. A new draw replaces the old sample, but never once answers are recorded.
    """
    survey = Survey.objects.select_for_update().select_related("village").get(pk=survey.pk)
    if size is None or not rules.SAMPLE_MIN <= size <= rules.SAMPLE_MAX:
        raise ValidationError(
            {
                "size": _("抽样户数须在 %(min)s 到 %(max)s 户之间。")
                % {"min": rules.SAMPLE_MIN, "max": rules.SAMPLE_MAX}
            }
        )
    if SurveyAnswer.objects.filter(sample__survey=survey).exists():
        raise ValidationError(_("该调查已录入回访结果,不能重新抽样。"))
    population = list(
        LandlineHousehold.objects.filter(village=survey.village, active=True).values_list(
            "pk", flat=True
        )
    )
    if len(population) < size:
        raise ValidationError(
            {
                "size": _(
                    "%(village)s 只有 %(n)s 户在册固定电话户,少于抽样户数 %(size)s 户;"
                    "请先补充固定电话户台账。"
                )
                % {"village": survey.village, "n": len(population), "size": size}
            }
        )
    seed = rules.new_seed() if seed is None else seed
    chosen = rules.draw_sample(population, size, seed)
    reason = _("随机抽样(种子 %(seed)s)") % {"seed": seed}
    for old in survey.samples.select_related("survey__village"):
        record_delete(instance=old, user=by, reason=reason)
    survey.seed = seed
    survey.sample_size = size
    survey.population = sorted(population)
    survey.drawn_at = timezone.now()
    survey.drawn_by = by
    record_save(instance=survey, user=by, reason=reason)
    return [
        record_save(
            instance=SurveySample(survey=survey, household_id=household_id, order=order),
            user=by,
            reason=reason,
        )
        for order, household_id in enumerate(chosen, start=1)
    ]


def survey_redraw_ids(survey: Survey) -> list[int]:
    """The household ids the stored seed and candidates give, in drawing order (for checking)."""
    if survey.seed is None or not survey.sample_size:
        return []
    return rules.draw_sample(survey.population, survey.sample_size, survey.seed)


@transaction.atomic
def survey_answers_save(*, survey: Survey, answers: list[SurveyAnswer], user, reason: str = ""):
    """Record the answers of a survey's sampled households, all or none."""
    saved = []
    for answer in answers:
        if answer.sample.survey_id != survey.pk:
            raise ValidationError(_("回访结果不属于该调查。"))
        stored = _stored(answer)
        if stored is not None and (stored.reached, stored.answer, stored.note) == (
            answer.reached,
            answer.answer,
            answer.note,
        ):
            continue
        saved.append(record_save(instance=answer, user=user, reason=reason))
    return saved


def cell_key(village_id: int, day) -> str:
    """How patrol_week_save names a cell in the errors it raises: 'village_id:YYYY-MM-DD'."""
    return f"{village_id}:{day.isoformat()}"


@transaction.atomic
def patrol_week_save(*, entries, user, reason: str = "") -> list[Patrol]:
    """The week grid (issue 13.3): create `count` patrols of `village` on `day` for each entry
    (village, day, count, participants), through record_save (dates in their window, closed
    months refused, attributed, months marked stale), all or nothing: the first refusal rolls
    every patrol back and is raised keyed by its cell (cell_key) with its messages."""
    reason = reason or _("巡逻周表录入")
    created = []
    for village, day, count, participants in entries:
        for _n in range(count):
            patrol = Patrol(village=village, date=day, participants=participants)
            try:
                record_save(instance=patrol, user=user, reason=reason)
            except ValidationError as exc:
                raise ValidationError({cell_key(village.pk, day): exc.messages}) from exc
            created.append(patrol)
    return created
