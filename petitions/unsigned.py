"""The warning before an incomplete screening report is submitted (issue 13): what it lacks and
what it will cost under the rubric of its year. Asked by the portal and by the API alike; the
rules are petitions.rules (what is lacking, when to ask) and assessment.costs (the figure, a layer
above: reached through core.hooks)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import hooks
from core import periods

from . import deadlines
from . import rules

GAP_LABELS = {
    rules.SIGNATURE: gettext_lazy("负责人签字"),
    rules.SEAL: gettext_lazy("加盖公章的扫描件"),
}


def warning(village, year: int, month: int, half: int, *, signed_by: str, has_seal: bool, today):
    """{"gaps", "cost", "text"} for a report on time that lacks its signature or seal, else
    None (complete, or late: a late report already counts as missing)."""
    gaps = rules.report_gaps(signed_by, has_seal)
    due = periods.report_due_date(
        year, month, half, deadlines.report_days(village.township_id, year)
    )
    if not rules.needs_unsigned_confirmation(gaps, due, today):
        return None
    missing = "、".join(str(GAP_LABELS[g]) for g in gaps)
    cost = hooks.unsigned_report_cost(village.township_id, year)  # assessment.costs
    if cost is None:
        text = _("本期报告没有%(missing)s。报送后即为定稿,不能再补。") % {"missing": missing}
    elif cost.counts_as_missing:
        text = _(
            "本期报告没有%(missing)s,按考核细则第 %(code)s 项视为缺报,将扣 %(points)s 分。"
            "报送后即为定稿,不能再补。"
        ) % {"missing": missing, "code": cost.item_code, "points": cost.points}
    else:
        text = _(
            "本期报告没有%(missing)s,按考核细则第 %(code)s 项将扣 %(points)s 分。"
            "报送后即为定稿,不能再补。"
        ) % {"missing": missing, "code": cost.item_code, "points": cost.points}
    return {"gaps": gaps, "cost": cost, "text": text}
