"""Who may download which period's score sheets (shared by the pages and the API)."""

from assessment.models import Period, PeriodState, ScoreSheet

from .periods import Span


def secretary_may_see(user, village, span: Span) -> bool:
    """A secretary sees a period only when every month of it that has a sheet is published or
    closed (the score page hides an open month from the village)."""
    if not user.is_secretary:
        return True
    scored = set(
        ScoreSheet.objects.filter(
            village=village, year=span.year, month__in=span.months
        ).values_list("month", flat=True)
    )
    shown = set(
        Period.objects.filter(
            township_id=village.township_id,
            year=span.year,
            month__in=span.months,
            state__in=[PeriodState.PUBLISHED, PeriodState.CLOSED],
        ).values_list("month", flat=True)
    )
    return bool(scored) and scored <= shown
