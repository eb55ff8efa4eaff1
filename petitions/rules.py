"""Business rules of petitions and disputes as plain functions (no database, no request).

Models' clean(), forms, services and the scoring collectors call these, so each rule is written
once: a report's lateness (docs/rubric.md "Deadlines"), Chinese ID numbers and their masking, the
reception duty of 评分表 一.2, the unreported-dispute match, dossier acceptance.
"""

from __future__ import annotations

import re
from datetime import date
from datetime import datetime
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# --- Twice-monthly screening reports (评分表 一.4) ------------------------------------------

# The due dates themselves are rubric data: core.periods computes them from the year's
# ReportDays (petitions.deadlines); the rules here take the due date as given.


def local_date(moment: datetime | date) -> date:
    """A submission time as the township's calendar day (Asia/Shanghai)."""
    if isinstance(moment, datetime):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.date()
    return moment


def is_late(submitted_at: datetime | date | None, due: date) -> bool:
    """Submitted after the end of the due day. An unsubmitted report is not late, it is missing."""
    if submitted_at is None:
        return False
    return local_date(submitted_at) > due


def report_state(
    submitted_at: datetime | date | None, due: date | None, *, signed: bool, sealed: bool
) -> str:
    """A half's report as the township reads it: draft (saved, not submitted), late, incomplete
    (on time but unsigned or unsealed), ok. A half with no report at all is "missing"."""
    if submitted_at is None:
        return "draft"
    if due is not None and is_late(submitted_at, due):
        return "late"
    if not (signed and sealed):
        return "incomplete"
    return "ok"


# --- Chinese resident ID numbers --------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalise_id_number(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def id_check_char(first17: str) -> str:
    """GB 11643-1999: the 18th character from the weighted sum of the first 17 digits, mod 11."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _valid_birth(text: str) -> bool:
    try:
        born = datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return False
    return date(1880, 1, 1) <= born <= date.today()


def id_number_error(value: str) -> str | None:
    """Why `value` is not a valid ID number (18 characters with checksum, or the old 15 digits),
    or None when it is valid. The message is an untranslated key; see validators.py.
    """
    number = normalise_id_number(value)
    if len(number) == 18:
        if not re.fullmatch(r"\d{17}[\dX]", number):
            return "format"
        if not _valid_birth(number[6:14]):
            return "birth"
        if id_check_char(number[:17]) != number[17]:
            return "checksum"
        return None
    if len(number) == 15:
        if not number.isdigit():
            return "format"
        if not _valid_birth("19" + number[6:12]):
            return "birth"
        return None
    return "length"


def mask_id_number(value: str) -> str:
    """Shown everywhere instead of the number: the region code and the last four characters,
    e.g. 110101********1234 (18) or 110101*****1234 (15)."""
    number = normalise_id_number(value)
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# --- Petitions ---------------------------------------------------------------------------------


def opinion_duty_applies(level: str, channel: str) -> bool:
    """评分表 一.2 / 实施方案 一.3: a visit to the township must carry the village's handling
    opinion (处理意见书). Elsewhere the duty does not apply and the flag stays empty."""
    return level == "township" and channel == "visit"


def check_petitioner_count(named: int, person_count: int | None) -> None:
    """A petition names at least one petitioner, and its 人次 (评分表 二 counts people) is never
    below the number named. The form, the API and the import all ask this; the error is keyed
    `petitioners` (the list of people) or `person_count`."""
    if named == 0:
        raise ValidationError(
            {"petitioners": ValidationError(_("请至少登记一名信访人。"), code="no_petitioner")}
        )
    if person_count and named > person_count:
        message = _("登记了 %(n)s 名信访人,人次不能少于登记人数。") % {"n": named}
        raise ValidationError({"person_count": ValidationError(message, code="fewer_than_named")})


def petitioner_key(identities: list[str], matter: str) -> str:
    """Same person on the same matter (实施方案 二.5 同人同事): the petitioners' ID numbers (or
    names where no number was recorded), sorted, and the matter with spaces and punctuation
    removed. Two petitions share a key only when both agree exactly; empty when unknown."""
    people = sorted(filter(None, (normalise_id_number(i) for i in identities)))
    text = normalise_text(matter)
    if not people or not text:
        return ""
    return ",".join(people) + "|" + text


# --- Unreported disputes (实施方案 一.4: 镇以上发现而村未上报的矛盾纠纷) -------------------------

_PUNCT = re.compile(r"[\s,,。.、;;::!!??()()\[\]【】“”\"'‘’《》<>/\\-]+")


# Words nearly every description holds; they say nothing about which matter it is.
_FILLER = re.compile(r"反映|要求|请求|解决|问题|纠纷|矛盾|关于|处理|投诉|信访|上访|事项|情况|协调")


def normalise_text(text: str) -> str:
    return _PUNCT.sub("", text or "").lower()


MATTER_MIN_RUN = 4


def matter_matches(a: str, b: str, min_run: int = MATTER_MIN_RUN) -> bool:
    """Whether two descriptions plausibly speak of the same matter: after normalising, one
    contains the other or they share a run of at least `min_run` characters (four Chinese
    characters, e.g. 土地承包, is already specific). Filler words (反映, 要求解决, 纠纷 ...) are
    dropped first so that they alone never make a match."""
    x, y = (_FILLER.sub("", normalise_text(t)) for t in (a, b))
    if not x or not y:
        return False
    if x in y or y in x:
        return True
    match = SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y))
    return match.size >= min_run


def name_in_parties(name: str, parties: str) -> bool:
    name = normalise_text(name)
    return bool(name) and name in normalise_text(parties)


def petition_matches_dispute(names: list[str], matter: str, parties: str, dispute_matter: str):
    """A petition is covered by a ledger dispute when a petitioner is one of its parties or the
    matters match."""
    return any(name_in_parties(n, parties) for n in names) or matter_matches(matter, dispute_matter)


# --- Dossiers ----------------------------------------------------------------------------------


def accepted_date(
    centre_result: str, centre_date: date | None, judicial_result: str, judicial_date: date | None
) -> date | None:
    """A dossier is accepted when the centre and the judicial office have both accepted it, on
    the later of the two days (五 加减分: 经综治中心、司法所审核合格)."""
    if (
        centre_result == "accepted"
        and judicial_result == "accepted"
        and centre_date
        and judicial_date
    ):
        return max(centre_date, judicial_date)
    return None


# --- A report's signature and seal (评分表 一.4) ---------------------------------------------

SIGNATURE = "signature"
SEAL = "seal"


def report_gaps(signed_by: str, has_seal: bool) -> tuple[str, ...]:
    """What a screening report lacks to count as complete: the responsible person's signature,
    the village's seal (its scan), both or neither. A report on time that lacks either costs the
    rubric's deduction once submitted (assessment.costs.unsigned_report_cost)."""
    gaps = []
    if not (signed_by or "").strip():
        gaps.append(SIGNATURE)
    if not has_seal:
        gaps.append(SEAL)
    return tuple(gaps)


def needs_unsigned_confirmation(gaps, due: date, today: date) -> bool:
    """Submitting an incomplete report on time is asked twice; a late one already counts as
    missing (and says so), so its signature costs nothing more."""
    return bool(gaps) and today <= due
