"""Urgency levels of the assessment contract, ordered from least to most serious."""

from __future__ import annotations

import enum


class Urgency(enum.Enum):
    """How soon a person should see someone. Compare with ``<``: higher is more serious.
    Only levels compare (the type checker refuses ``Urgency.SOON < 2``; at run time it is a
    ``TypeError``)."""

    SELF_CARE = "self_care"
    SOON = "soon"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    _rank: int  # set below, once; not a member

    @property
    def rank(self) -> int:
        """0 for self-care up to 3 for emergency."""
        return self._rank

    def __lt__(self, other: Urgency) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return self._rank < other._rank

    def __le__(self, other: Urgency) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return self._rank <= other._rank

    def __gt__(self, other: Urgency) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return self._rank > other._rank

    def __ge__(self, other: Urgency) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return self._rank >= other._rank


# Plain attributes, not a dict keyed by member: enum hashing is slow on the hot path.
for _rank, _level in enumerate(Urgency):
    _level._rank = _rank

#: Most serious first, as the contract lists them.
LEVELS_MOST_SERIOUS_FIRST: tuple[Urgency, ...] = tuple(reversed(Urgency))
