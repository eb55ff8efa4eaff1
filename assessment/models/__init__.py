from .periods import Period, PeriodEvent, PeriodState, StaleVillageMonth
from .rubric import EntryCategory, RubricAssignment, RubricEntry, RubricSection, RubricVersion
from .scores import Contest, ContestState, ScoreLine, ScoreSheet

__all__ = [
    "Contest",
    "ContestState",
    "EntryCategory",
    "Period",
    "PeriodEvent",
    "PeriodState",
    "RubricAssignment",
    "RubricEntry",
    "RubricSection",
    "RubricVersion",
    "ScoreLine",
    "ScoreSheet",
    "StaleVillageMonth",
]
