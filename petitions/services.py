"""State changes of petitions and disputes, each a named step (keyword-only, atomic) that checks
the permission and ends in core.records.record_save, so the period guard, the history's who
and why and the recompute all happen once.

    petitions_create   many new petitions with their petitioners at once (an import), with history
    report_submit      the village saves or submits its twice-monthly screening report
    candidates_refresh find petitions that no ledger dispute covers (疑似未上报纠纷)
    candidate_confirm  ... a candidate is an unreported dispute: register it (镇级以上发现)
    candidate_dismiss  ... or not, saying why
    dossier_review     the centre or the judicial office accepts or rejects a dossier
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require
from core import hooks
from core.bulk import create_with_history
from core.records import record_delete
from core.records import record_save

from . import selectors
from .choices import CandidateState
from .choices import DisputeCategory
from .choices import ReviewOffice
from .choices import ReviewResult
from .models import Dispute
from .models import DisputeReport
from .models import Dossier
from .models import Petition
from .models import Petitioner
from .models import UnreportedCandidate


def _ensure_open_each(by_township: Mapping[int, set[date]]) -> None:
    for township_id, days in by_township.items():
        hooks.ensure_open(township_id, *days)


@transaction.atomic
def petitions_create(
    *,
    rows: Sequence[tuple[Petition, Sequence[tuple[str, str]]]],
    user,
    reason: str,
    perm: str = "kaohe.change_records",
    ensure_open: Callable[[Mapping[int, set[date]]], None] = _ensure_open_each,
) -> list[Petition]:
    """Save many new petitions, each with its petitioners (name, ID number), at once: an import
    of thousands of rows. Every row must have been validated as hand entry is (the model's
    full_clean with its date windows, rules.check_petitioner_count, each petitioner's clean);
    this step writes them as record_save would, only in bulk: the closed-month guard once for
    all their days, one attributed history row per petition and per petitioner (who, when, the
    reason), through COPY on PostgreSQL (core.bulk), and the touched village-months marked
    stale in one statement. All or nothing (one transaction).

    `perm` is the right checked on each village: a township's import needs kaohe.change_records
    there; the district's import of its own list, kaohe.import_district. `ensure_open` refuses
    the closed months among {township id: days}; by default assessment's guard township by
    township, one query each; the district's import passes one that reads all its townships at
    once (exports.district_import.ensure_open_all)."""
    petitions = [petition for petition, _people in rows]
    if not petitions:
        return []
    for village in {p.village for p in petitions}:
        require(user, perm, village)
    by_township: dict[int, set[date]] = defaultdict(set)
    by_village: dict[int, set[date]] = defaultdict(set)
    for petition in petitions:
        by_township[petition.village.township_id].add(petition.date)
        by_village[petition.village_id].add(petition.date)
    ensure_open(by_township)
    history = {
        "default_user": user if getattr(user, "is_authenticated", False) else None,
        "default_change_reason": reason,
        "default_date": timezone.now(),
    }
    created = create_with_history(petitions, Petition, **history)
    # The writer gives the keys: the petitioners can point at them.
    people = [
        Petitioner(petition=petition, name=name, id_number=number)
        for petition, (_p, named) in zip(created, rows, strict=True)
        for name, number in named
    ]
    create_with_history(people, Petitioner, **history)
    # One statement for the whole file's village-months (a mark per village cost 7 s of a
    # 10,000-row import spread over 1,000 villages).
    hooks.mark_stale_many(by_village)
    return created


@transaction.atomic
def report_submit(
    *,
    village,
    year: int,
    month: int,
    half: int,
    user,
    signed_by: str = "",
    seal_scan=None,
    disputes: Iterable[Dispute] = (),
    new_disputes: Iterable[Dispute] = (),
    submit: bool = True,
) -> DisputeReport:
    """Save the village's report for (year, month, half), listing `disputes` of its ledger and
    `new_disputes` (unsaved, registered here); `submit` stamps it as submitted now.

    The submission time is the server's clock, never typed by the village. A submitted report
    is final for the village: a correction goes through the township staff (its history keeps
    both versions), so a late signature cannot turn an unsigned report into a signed one.
    """
    require(user, "kaohe.submit_report", village)
    report = (
        DisputeReport.objects.select_for_update()
        .filter(village=village, year=year, month=month, half=half)
        .first()
    )
    if report is not None and report.is_submitted:
        raise ValidationError(
            _("该期排查报告已于 %(when)s 报送,如需更正请联系镇综治中心。")
            % {"when": f"{timezone.localtime(report.submitted_at):%Y-%m-%d %H:%M}"},
            code="already_submitted",
        )
    if report is None:
        report = DisputeReport(village=village, year=year, month=month, half=half)
    listed = list(disputes)
    if any(d.village_id != village.pk for d in listed):
        raise ValidationError({"disputes": _("只能列入本村(居)的矛盾纠纷。")})
    report.signed_by = (signed_by or "").strip()
    if seal_scan:
        report.seal_scan = seal_scan
    if submit:
        report.submitted_at = timezone.now()
    for dispute in new_disputes:
        dispute.village = village
        record_save(instance=dispute, user=user, reason=_("随排查报告上报"))
        listed.append(dispute)
    reason = _("村(居)报送排查报告") if submit else _("保存排查报告草稿")
    record_save(instance=report, user=user, reason=reason)
    report.disputes.set(listed)
    return report


@transaction.atomic
def candidates_refresh(*, villages, user) -> list[UnreportedCandidate]:
    """Compare the villages' petitions with their dispute ledgers: each petition no dispute
    covers becomes a pending candidate (once: a petition has at most one), and a pending
    candidate whose petition a dispute now covers is withdrawn. Decided ones are never touched."""
    villages = list(villages)
    for village in villages:
        require(user, "kaohe.change_records", village)
    ids = [v.pk for v in villages]
    created = []
    for petition in selectors.uncovered_petitions(ids):
        candidate = UnreportedCandidate(village_id=petition.village_id, petition=petition)
        record_save(instance=candidate, user=user, reason=_("自动比对信访事件与纠纷台账"))
        created.append(candidate)
    ledger = selectors.ledger_for(ids)
    pending = (
        UnreportedCandidate.objects.filter(village_id__in=ids, state=CandidateState.PENDING)
        .exclude(pk__in=[c.pk for c in created])
        .select_related("petition", "village")
        .prefetch_related("petition__petitioners")
    )
    for candidate in pending:
        if selectors.covered(candidate.petition, ledger[candidate.village_id]):
            record_delete(instance=candidate, user=user, reason=_("台账中已有对应纠纷"))
    return created


def _pending(candidate: UnreportedCandidate) -> UnreportedCandidate:
    candidate = UnreportedCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.state != CandidateState.PENDING:
        raise ValidationError(
            _("该线索已核实(%(state)s),不能重复处理。") % {"state": candidate.get_state_display()},
            code="already_decided",
        )
    return candidate


@transaction.atomic
def candidate_confirm(
    *, candidate: UnreportedCandidate, user, reason: str = "", category: str = ""
) -> Dispute:
    """The petition shows a dispute the village never reported: register it in the ledger as
    found at town level or above (listed in no report), dated the petition's day."""
    require(user, "kaohe.change_records", candidate)
    candidate = _pending(candidate)
    petition = candidate.petition
    names = "、".join(p.name for p in petition.petitioners.all())
    dispute = Dispute(
        village=petition.village,
        found_date=petition.date,
        parties=names or _("(信访人未登记)"),
        matter=petition.matter,
        category=category or DisputeCategory.OTHER,
        found_at_town_or_above=True,
    )
    record_save(instance=dispute, user=user, reason=reason or _("核实为村(居)未上报的纠纷"))
    candidate.state = CandidateState.CONFIRMED
    candidate.dispute = dispute
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.reason = reason
    record_save(instance=candidate, user=user, reason=_("确认未上报"))
    return dispute


@transaction.atomic
def candidate_dismiss(*, candidate: UnreportedCandidate, user, reason: str) -> UnreportedCandidate:
    """Not an unreported dispute (already known under another name, not a dispute at all ...)."""
    require(user, "kaohe.change_records", candidate)
    candidate = _pending(candidate)
    candidate.state = CandidateState.DISMISSED
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.reason = (reason or "").strip()
    record_save(instance=candidate, user=user, reason=_("排除"))
    return candidate


@transaction.atomic
def dossier_review(
    *, dossier: Dossier, office: str, result: str, day: date, user, reason: str = ""
) -> Dossier:
    """Record one office's review of a dossier (综治中心 or 司法所). When both have accepted, the
    dossier counts on the later day (五 加减分)."""
    require(user, "kaohe.change_records", dossier)
    if office not in ReviewOffice.values:
        raise ValidationError({"office": _("请选择审核单位。")})
    if result not in (ReviewResult.ACCEPTED, ReviewResult.REJECTED):
        raise ValidationError({"result": _("请选择审核结论。")})
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    setattr(dossier, f"{office}_result", result)
    setattr(dossier, f"{office}_date", day)
    setattr(dossier, f"{office}_reason", (reason or "").strip())
    label = ReviewOffice(office).label
    try:
        return record_save(
            instance=dossier, user=user, reason=f"{label}{ReviewResult(result).label}"
        )
    except ValidationError as exc:
        # Name the review form's fields rather than the model's per-office ones.
        if not hasattr(exc, "error_dict"):
            raise
        rename = {f"{office}_date": "day", f"{office}_reason": "reason"}
        raise ValidationError(
            {rename.get(name, name): errors for name, errors in exc.error_dict.items()}
        ) from exc
