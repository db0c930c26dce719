"""Urgency levels of the assessment contract, ordered from least to most serious."""

from __future__ import annotations

import enum
from functools import total_ordering


@total_ordering
class Urgency(enum.Enum):
    """How soon a person should see someone. Compare with ``<``: higher is more serious."""

    SELF_CARE = "self_care"
    SOON = "soon"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return _RANK[self] < _RANK[other]

    @classmethod
    def parse(cls, value: str) -> Urgency:
        """The level named ``value`` (its contract spelling)."""
        return cls(value)


_RANK = {level: index for index, level in enumerate(Urgency)}

#: Most serious first, as the contract lists them.
LEVELS_MOST_SERIOUS_FIRST: tuple[Urgency, ...] = tuple(reversed(Urgency))
