"""Autocorrelation regularity and the inverted pendulum on signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import mstats

from backstride.gait.parameters import (
    CALIBRATION_OFFSET,
    CALIBRATION_SLOPE,
    Regularity,
    ZijlstraStepLength,
    unbiased_autocorrelation,
)
from backstride.gait.pipeline import (
    edge_weights,
    pause_weight,
    smooth_median,
    weighted_median,
    with_pauses,
)

FS = 100.0


def test_unbiased_autocorrelation_of_a_sine_peaks_at_its_period() -> None:
    t = np.arange(0, 10, 1 / FS)
    ac = unbiased_autocorrelation(np.sin(2 * np.pi * 2 * t), 200)
    assert ac[0] == pytest.approx(1.0)
    assert ac[50] == pytest.approx(1.0, abs=0.01)  # one period (0.5 s) later
    assert ac[25] == pytest.approx(-1.0, abs=0.01)


def test_constant_signal_has_no_autocorrelation() -> None:
    np.testing.assert_array_equal(unbiased_autocorrelation(np.ones(50), 10), np.zeros(11))


def test_symmetric_steps_give_regularity_and_symmetry_near_one() -> None:
    t = np.arange(0, 10, 1 / FS)
    reg = Regularity().calculate(np.sin(2 * np.pi * 1.8 * t), sampling_rate_hz=FS)
    assert reg.step_period_s_ == pytest.approx(1 / 1.8, abs=0.01)
    assert reg.step_regularity_ == pytest.approx(1.0, abs=0.02)
    assert reg.symmetry_ == pytest.approx(1.0, abs=0.03)


def test_limping_steps_lower_step_regularity_not_stride_regularity() -> None:
    t = np.arange(0, 12, 1 / FS)
    step_hz = 1.8
    # Every other step weaker: a component at half the step frequency.
    x = np.sin(2 * np.pi * step_hz * t) + 0.6 * np.sin(np.pi * step_hz * t)
    reg = Regularity().calculate(x, sampling_rate_hz=FS)
    assert reg.step_period_s_ == pytest.approx(1 / step_hz, abs=0.02)
    assert reg.stride_regularity_ is not None
    assert reg.step_regularity_ is not None
    assert reg.stride_regularity_ > 0.9
    assert reg.step_regularity_ < 0.8
    assert reg.symmetry_ is not None
    assert reg.symmetry_ < 0.9


def test_no_periodicity_gives_no_step_period() -> None:
    reg = Regularity().calculate(np.linspace(0, 1, 300) ** 2, sampling_rate_hz=FS)
    assert reg.step_period_s_ is None
    assert reg.symmetry_ is None


def test_zijlstra_recovers_the_pendulum_step_length() -> None:
    # Vertical position h/2 * cos: the range within each step (half a period) is h.
    step_hz, h = 2.0, 0.03
    t = np.arange(0, 10, 1 / FS)
    acc = -(h / 2) * (2 * np.pi * step_hz) ** 2 * np.cos(2 * np.pi * step_hz * t)
    contacts = np.arange(100, 900, int(FS / step_hz))
    literature = ZijlstraStepLength(**ZijlstraStepLength.PRESETS["literature"])
    model = literature.calculate(acc, contacts, sampling_rate_hz=FS, height_m=1.8)
    leg = 0.53 * 1.8
    expected = 1.25 * 2 * np.sqrt(2 * leg * h - h**2)
    np.testing.assert_allclose(model.step_length_m_, expected, rtol=0.05)
    assert model.step_length_m_.shape == (contacts.shape[0] - 1,)
    calibrated = ZijlstraStepLength().calculate(acc, contacts, sampling_rate_hz=FS, height_m=1.8)
    np.testing.assert_allclose(
        calibrated.step_length_m_,
        CALIBRATION_SLOPE * expected + CALIBRATION_OFFSET * 1.8,
        rtol=0.05,
    )


def test_calibrated_step_length_is_never_negative() -> None:
    # A tiny vertical excursion (shuffling) would give a negative length before clipping.
    t = np.arange(0, 10, 1 / FS)
    acc = -0.0005 * (2 * np.pi * 2.0) ** 2 * np.cos(2 * np.pi * 2.0 * t)
    contacts = np.arange(100, 900, 50)
    model = ZijlstraStepLength().calculate(acc, contacts, sampling_rate_hz=FS, height_m=1.7)
    assert np.all(model.step_length_m_ >= 0.0)
    assert np.all(model.step_length_m_ < 0.1)


def test_zijlstra_with_one_contact_has_no_steps() -> None:
    model = ZijlstraStepLength().calculate(
        np.zeros(100), np.array([10]), sampling_rate_hz=FS, height_m=1.7
    )
    assert model.step_length_m_.shape == (0,)


def test_a_pause_blends_in_so_that_a_sample_cannot_flip_a_step() -> None:
    """Around 1.5 median steps an interval turns from a step into a pause gradually: a contact
    moved by one sample (10 ms at 100 Hz) changes the length by a few percent at most."""
    ratios = np.array([1.0, 1.29, 1.3, 1.5, 1.7, 1.71, 3.0])
    assert pause_weight(ratios).tolist() == pytest.approx([0, 0, 0, 0.5, 1, 1, 1])
    lengths = np.array([0.60, 0.62, 0.58, 0.61, 0.10, 0.59])
    near = np.linspace(1.3, 1.7, 41)
    blended = [with_pauses(lengths, np.array([1, 1, 1, 1, r, 1]))[4] for r in near]
    assert blended[0] == pytest.approx(0.10)
    assert blended[-1] == pytest.approx(0.595, abs=0.001), "the median of all six"
    beyond = with_pauses(lengths, np.array([1, 1, 1, 1, 1.71, 1]))[4]
    assert beyond == pytest.approx(0.60), "a whole pause: the median of the steps"
    assert np.all(np.diff(blended) > 0)
    assert np.max(np.abs(np.diff(blended))) < 0.02, "a 0.01 change in ratio moves it < 2 cm"


@pytest.mark.parametrize("n", [2, 5, 18, 40])
def test_smooth_median_is_the_harrell_davis_estimate(n: int) -> None:
    values = np.random.default_rng(n).gamma(2.0, 0.2, n)
    expected = float(np.asarray(mstats.hdquantiles(values, prob=[0.5]))[0])
    assert smooth_median(values) == pytest.approx(expected, rel=1e-9)
    # (scipy masks the estimate of a single value; here it is that value)
    assert smooth_median(values[:1]) == values[0]


def test_smooth_median_moves_smoothly_where_the_median_jumps() -> None:
    """Step lengths of a turning bout (HA_001, 39-52 s): two values either side of the middle
    are far apart, so the plain median jumps when one of them moves past the other; the
    Harrell-Davis estimate moves by a fraction of the change, and ignores an outlier."""
    lengths = np.array([0.64, 0.45, 0.49, 0.57, 0.26, 0.01, 0.23, 0.63, 0.66, 0.69, 0.33])
    lengths = np.concatenate([lengths, [0.30, 0.65, 0.40, 0.45, 0.41, 0.48, 0.45]])
    moved = lengths.copy()
    moved[-1] += 0.03  # one step 7 % longer after resampling
    assert abs(smooth_median(moved) - smooth_median(lengths)) < 0.01
    assert abs(np.median(moved) - np.median(lengths)) > abs(
        smooth_median(moved) - smooth_median(lengths)
    )
    with_outlier = np.concatenate([lengths, [5.0]])
    assert abs(smooth_median(with_outlier) - smooth_median(lengths)) < 0.02
    assert smooth_median(np.zeros(0)) != smooth_median(np.zeros(0))  # nan for no steps


@pytest.mark.parametrize("n", [4, 5, 8, 11])
def test_weighted_median_is_the_median_and_drops_weightless_values(n: int) -> None:
    values = np.random.default_rng(n).normal(0.55, 0.05, n)
    assert weighted_median(values, np.ones(n)) == pytest.approx(np.median(values), abs=1e-12)
    weights = np.r_[0.0, np.ones(n - 1)]
    assert weighted_median(values, weights) == pytest.approx(np.median(values[1:]), abs=1e-12)
    # continuous: a nearly weightless value is nearly absent
    weights[0] = 1e-6
    assert weighted_median(values, weights) == pytest.approx(np.median(values[1:]), abs=1e-4)


def test_edge_weights_weigh_down_only_weak_edge_steps() -> None:
    step = 50
    exact = np.arange(10, dtype=np.float64) * step
    peaks = np.array([0.4, 0.75, 1, 1, 0.3, 1, 1, 1, 1, 0.5])  # the weak step inside stays
    filtered = np.zeros(10 * step + 1)
    filtered[exact.astype(int) + 10] = peaks
    weights = edge_weights(filtered, exact, step * 1.0, (0.5, 1.0))
    assert weights[0] == 0.0
    assert weights[1] == pytest.approx(0.5)
    np.testing.assert_allclose(weights[2:-1], 1.0)
    assert weights[-1] == 0.0
