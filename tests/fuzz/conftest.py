"""What the fuzz tests share: Hypothesis settings, JSON-like values, clear-error checks, and a
count of every table's rows (to prove a refused input wrote nothing)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from backstride.domain.answers import ContractError
from backstride.persistence.tables import Base
from backstride.services.assessments import default_service
from backstride.services.container import Services
from backstride.services.settings import Settings
from tests.persistence.conftest import Clock
from tests.web.conftest import cheap_hasher

#: Bounded: every property stays well under a few seconds.
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Any JSON value (what ``json.loads`` can give), kept small.
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
#: Strange numbers a hand-made file can still hold (``json.loads`` reads NaN and Infinity).
ODD_NUMBERS = st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e308, -1e308, 2**63, -1])


def assert_clear(error: ContractError) -> None:
    """A refusal names at least one field, each with words."""
    assert error.errors, "a refusal must name what is wrong"
    for item in error.errors:
        # The field is named; an unknown key is named as given, even the empty key "".
        assert isinstance(item.field, str)
        assert item.field or item.message.startswith("unknown key")
        assert isinstance(item.message, str)
        assert item.message.strip()


T = TypeVar("T")


def attempt(
    action: Callable[[], T], refusal: type[Exception] = ContractError
) -> tuple[T | None, Exception | None]:
    """(result, None), or (None, the refusal) when ``action`` refuses its input. Any other
    exception is a crash and fails the test."""
    try:
        return action(), None
    except refusal as error:
        return None, error


def row_counts(services: Services) -> dict[str, int]:
    """Rows in every table: equal before and after a refused input means nothing was written."""
    counts: dict[str, int] = {}
    with services.store.transaction() as session:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = int(session.scalar(select(func.count()).select_from(table)) or 0)
    return counts


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    opened = Services.open(
        Settings(f"sqlite:///{tmp_path / 'fuzz.db'}"),
        assessments=default_service(),
        clock=Clock(datetime.now(UTC)),
        hasher=cheap_hasher(),
    )
    yield opened
    opened.close()
