"""Urgency levels order from self-care to emergency, as the contract lists them."""

from __future__ import annotations

import pytest

from backstride.domain.urgency import LEVELS_MOST_SERIOUS_FIRST, Urgency


def test_order() -> None:
    assert Urgency.SELF_CARE < Urgency.SOON < Urgency.URGENT < Urgency.EMERGENCY
    assert max(Urgency) is Urgency.EMERGENCY
    assert [u.value for u in LEVELS_MOST_SERIOUS_FIRST] == [
        "emergency",
        "urgent",
        "soon",
        "self_care",
    ]
    assert [u.rank for u in Urgency] == [0, 1, 2, 3]


# The wrong comparisons below are refused by the type checker too (hence the ignores): these
# tests check what happens at run time when code that is not type-checked tries them.


def test_levels_compare_only_with_levels() -> None:
    with pytest.raises(TypeError):
        _ = Urgency.SOON < 2  # type: ignore[operator]


def test_all_four_comparisons() -> None:
    assert Urgency.SOON <= Urgency.SOON <= Urgency.URGENT
    assert Urgency.EMERGENCY > Urgency.URGENT
    assert Urgency.EMERGENCY >= Urgency.EMERGENCY >= Urgency.SELF_CARE
    assert not Urgency.SOON > Urgency.URGENT
    soon = Urgency.SOON
    for other in (2, "soon", None):
        with pytest.raises(TypeError):
            _ = soon <= other  # type: ignore[operator]
        with pytest.raises(TypeError):
            _ = soon > other  # type: ignore[operator]
        with pytest.raises(TypeError):
            _ = soon >= other  # type: ignore[operator]
