"""The diary: trends, escalation and chart-ready series from daily check-ins. Pure.

Imports only ``backstride.domain`` and the standard library.
"""

from backstride.diary.escalation import diary_status, escalate
from backstride.diary.export import escalation_to_dict, status_to_dict
from backstride.diary.model import (
    DiaryStatus,
    Direction,
    PainTrend,
    Series,
    ToleranceReading,
    ToleranceTrend,
    Trend,
)

__all__ = [
    "DiaryStatus",
    "Direction",
    "PainTrend",
    "Series",
    "ToleranceReading",
    "ToleranceTrend",
    "Trend",
    "diary_status",
    "escalate",
    "escalation_to_dict",
    "status_to_dict",
]
