from .periods import Period, PeriodEvent, PeriodState, StaleVillageMonth

__all__ = ["Period", "PeriodEvent", "PeriodState", "StaleVillageMonth"]
