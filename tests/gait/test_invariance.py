"""Any orientation, rotation and sampling of the phone gives the same gait (property tests)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from backstride.gait import analyse_arrays
from tests.gait.conftest import arrays

NAME = "MS_001_Test5_Trial1"
T, ACC, GYR = arrays(NAME)
ORIGINAL = analyse_arrays(T, ACC, GYR, height_m=1.68)


def _resampled(
    rotation: Rotation, rate_hz: float, jitter: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t_new = np.arange(T[0], T[-1], 1 / rate_hz)
    t_new = np.clip(t_new + rng.uniform(-jitter, jitter, t_new.shape) / rate_hz, T[0], T[-1])
    acc = rotation.apply(ACC)
    gyr = rotation.apply(GYR)

    def interp(v: np.ndarray) -> np.ndarray:
        return np.column_stack([np.interp(t_new, T, v[:, i]) for i in range(3)])

    return t_new, interp(acc), interp(gyr)


quaternions = st.tuples(*[st.floats(-1, 1) for _ in range(4)]).filter(
    lambda q: np.linalg.norm(q) > 0.1
)


@settings(max_examples=12, deadline=None)
@given(
    q=quaternions,
    rate_hz=st.floats(50, 60),
    jitter=st.floats(0, 0.4),
    seed=st.integers(0, 2**16),
)
def test_rotation_and_resampling_keep_cadence_and_speed(
    q: tuple[float, ...], rate_hz: float, jitter: float, seed: int
) -> None:
    t, acc, gyr = _resampled(Rotation.from_quat(q), rate_hz, jitter, seed)
    moved = analyse_arrays(t, acc, gyr, height_m=1.68)
    assert len(moved.bouts) == len(ORIGINAL.bouts) == 1
    assert abs(moved.bouts[0].cadence_spm - ORIGINAL.bouts[0].cadence_spm) <= 1.0
    assert moved.bouts[0].speed_mps is not None
    assert ORIGINAL.bouts[0].speed_mps is not None
    assert abs(moved.bouts[0].speed_mps - ORIGINAL.bouts[0].speed_mps) <= 0.02


@settings(max_examples=8, deadline=None)
@given(q=quaternions)
def test_pure_rotation_changes_nothing(q: tuple[float, ...]) -> None:
    rotation = Rotation.from_quat(q)
    moved = analyse_arrays(T, rotation.apply(ACC), rotation.apply(GYR), height_m=1.68)
    np.testing.assert_allclose(moved.initial_contacts_s, ORIGINAL.initial_contacts_s, atol=0.011)
    assert moved.summary.speed_mps is not None
    assert ORIGINAL.summary.speed_mps is not None
    # Filtering is in single precision: rotation changes the rounding, not the gait.
    assert abs(moved.summary.speed_mps - ORIGINAL.summary.speed_mps) < 1e-4
