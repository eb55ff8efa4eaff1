from .periods import Period
from .periods import PeriodEvent
from .periods import PeriodState
from .periods import StaleVillageMonth
from .rubric import EntryCategory
from .rubric import RubricAssignment
from .rubric import RubricEntry
from .rubric import RubricSection
from .rubric import RubricVersion
from .scores import Contest
from .scores import ContestState
from .scores import PeriodScoreRow
from .scores import PeriodScoreSet
from .scores import ScoreLine
from .scores import ScoreSheet
from .scores import TownshipMonthFigures

__all__ = [
    "Contest",
    "ContestState",
    "EntryCategory",
    "Period",
    "PeriodEvent",
    "PeriodScoreRow",
    "PeriodScoreSet",
    "PeriodState",
    "RubricAssignment",
    "RubricEntry",
    "RubricSection",
    "RubricVersion",
    "ScoreLine",
    "ScoreSheet",
    "StaleVillageMonth",
    "TownshipMonthFigures",
]
