"""Who may download which period's score sheets (shared by the pages and the API)."""

from assessment.models import ScoreSheet
from assessment.visibility import month_shown
from assessment.visibility import score_months_shown

from .periods import Span


def secretary_may_see(user, village, span: Span) -> bool:
    """A period's sheets may be downloaded only when every month of it that has a sheet is one
    whose scores the user may see (assessment.visibility: published or closed for a village)."""
    shown = score_months_shown(user, village.township_id, span.year)
    scored = set(
        ScoreSheet.objects.filter(
            village=village, year=span.year, month__in=span.months
        ).values_list("month", flat=True)
    )
    if shown is None:
        return True
    return bool(scored) and all(month_shown(shown, span.year, m) for m in scored)
