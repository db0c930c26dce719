"""Gait parameters from the vertical acceleration of the lower back.

- Unbiased autocorrelation: step and stride regularity and symmetry (Moe-Nilssen R,
  Helbostad JL. Estimation of gait cycle characteristics by trunk accelerometry.
  J Biomech 2004;37:121-126).
- Step length from the inverted pendulum model (Zijlstra W, Hof AL. Assessment of
  spatio-temporal gait parameters from trunk accelerations during human walking.
  Gait Posture 2003;18:1-10), with the filtering used by the Mobilise-D pipeline
  (Micó-Amigo ME et al. J NeuroEng Rehabil 2023;20:78; mobgap ``SlZijlstra``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, Self

import numpy as np
from scipy import fft as sp_fft
from scipy import signal

if TYPE_CHECKING:
    from numpy.typing import NDArray


# Step length calibration (see ZijlstraStepLength), fitted on all nine recordings by
# bench/gait_validation.py, which prints these numbers and the leave-one-subject-out fit.
CALIBRATION_SLOPE = 1.514
CALIBRATION_OFFSET = -0.210


def unbiased_autocorrelation(values: NDArray[np.floating], max_lag: int) -> NDArray[np.float64]:
    """Autocorrelation normalised by the overlap at each lag and by the zero-lag value.

    Moe-Nilssen & Helbostad (2004) use the unbiased estimate so that the coefficient at the
    stride lag is not shrunk by the shorter overlap.
    """
    centred = values - values.mean()
    n = centred.shape[0]
    max_lag = min(max_lag, n - 1)
    size = sp_fft.next_fast_len(2 * n, real=True)
    spectrum = sp_fft.rfft(centred, size)
    raw = sp_fft.irfft(spectrum * np.conj(spectrum), size)[: max_lag + 1]
    unbiased = raw / (n - np.arange(max_lag + 1))
    if unbiased[0] <= 0:
        return np.zeros(max_lag + 1)
    return np.asarray(unbiased / unbiased[0], dtype=np.float64)


class Regularity:
    """Step period, step and stride regularity and symmetry from the autocorrelation.

    After Moe-Nilssen & Helbostad (2004): the first dominant peak of the unbiased
    autocorrelation of the vertical acceleration is at the step period (its height is the
    step regularity, Ad1), the second at the stride period (stride regularity, Ad2).
    Symmetry is Ad1 / Ad2: near 1 when left and right steps are alike.

    Parameters
    ----------
    min_step_s, max_step_s
        The range of plausible step periods (cadence 46 to 200 steps per minute).
    """

    def __init__(self, min_step_s: float = 0.3, max_step_s: float = 1.3) -> None:
        self.min_step_s = min_step_s
        self.max_step_s = max_step_s

    def calculate(self, vertical_mps2: NDArray[np.floating], *, sampling_rate_hz: float) -> Self:
        """Compute the attributes ending in ``_`` (``step_period_s_`` is ``None`` if no peak)."""
        self.step_period_s_: float | None = None
        self.step_regularity_: float | None = None
        self.stride_regularity_: float | None = None
        self.symmetry_: float | None = None
        fs = sampling_rate_hz
        ac = unbiased_autocorrelation(vertical_mps2, int(2.2 * self.max_step_s * fs))
        lo, hi = int(self.min_step_s * fs), int(self.max_step_s * fs)
        peaks, _ = signal.find_peaks(ac)
        candidates = peaks[(peaks >= lo) & (peaks <= hi) & (ac[peaks] > 0)]
        if candidates.shape[0] == 0:
            return self
        # The dominant (highest) peak in the step range may be the stride when steps are
        # asymmetric; a peak near half its lag is then the step.
        lag = int(candidates[np.argmax(ac[candidates])])
        half = candidates[np.abs(candidates - lag / 2) <= 0.1 * fs]
        if half.shape[0] and lag / 2 >= lo:
            lag = int(half[np.argmax(ac[half])])
        self.step_period_s_ = lag / fs
        self.step_regularity_ = float(ac[lag])
        window = ac[max(2 * lag - int(0.1 * fs), 0) : 2 * lag + int(0.1 * fs) + 1]
        if window.shape[0]:
            self.stride_regularity_ = float(window.max())
            if self.stride_regularity_ > 0:
                self.symmetry_ = self.step_regularity_ / self.stride_regularity_
        return self


class ZijlstraStepLength:
    """Step length from the inverted pendulum model (Zijlstra & Hof 2003), calibrated.

    The vertical acceleration is high-passed (0.1 Hz), integrated to velocity, high-passed
    again (1 Hz) against drift and integrated to position; the range ``h`` of vertical
    position between two initial contacts gives the pendulum step length
    ``K * 2 * sqrt(2 * l * h - h**2)`` for a pendulum of length ``l``. A linear calibration
    follows: ``slope * pendulum + offset_height_ratio * height``, clipped at zero.

    From the literature, not fitted here: the pendulum length is the leg length, taken as
    0.53 of body height (greater trochanter height, Winter DA. Biomechanics and Motor
    Control of Human Movement, 4th ed., 2009, fig. 4.1), and ``K = 1.25``, the correction
    Zijlstra & Hof (2003) found for this model.

    Fitted to data: the pendulum overestimates short, slow steps (a bout at 0.25 m/s comes
    out near 0.5 m/s), so the calibration (``slope``, ``offset_height_ratio``) was fitted
    by least squares to the walking speed of the 19 INDIP reference bouts of the Mobilise-D
    laboratory recordings in ``tests/data/gait`` (three people). Leave-one-subject-out, the
    per-bout speed error is reported beside the all-data figure in
    ``docs/validation/gait.md``. ``PRESETS["literature"]`` is the uncalibrated model.

    Parameters
    ----------
    leg_length_ratio
        Pendulum length as a fraction of body height.
    correction_factor
        ``K`` above.
    slope, offset_height_ratio
        The linear calibration above (``1.0`` and ``0.0`` leave the pendulum as it is).
    """

    PRESETS: ClassVar[dict[str, dict[str, float]]] = {
        "literature": {"slope": 1.0, "offset_height_ratio": 0.0},
        "tvs_lab_calibrated": {
            "slope": CALIBRATION_SLOPE,
            "offset_height_ratio": CALIBRATION_OFFSET,
        },
    }

    def __init__(
        self,
        leg_length_ratio: float = 0.53,
        correction_factor: float = 1.25,
        slope: float = CALIBRATION_SLOPE,
        offset_height_ratio: float = CALIBRATION_OFFSET,
    ) -> None:
        self.leg_length_ratio = leg_length_ratio
        self.correction_factor = correction_factor
        self.slope = slope
        self.offset_height_ratio = offset_height_ratio

    def calculate(
        self,
        vertical_mps2: NDArray[np.floating],
        initial_contacts: NDArray[np.integer] | NDArray[np.floating],
        *,
        sampling_rate_hz: float,
        height_m: float,
    ) -> Self:
        """Set ``step_length_m_``: one value per step (between consecutive contacts).

        ``initial_contacts`` are sample positions, whole or between samples.
        """
        position = vertical_position(vertical_mps2, sampling_rate_hz)
        return self.from_position(position, initial_contacts, height_m=height_m)

    def from_position(
        self,
        position_m: NDArray[np.floating],
        initial_contacts: NDArray[np.integer] | NDArray[np.floating],
        *,
        height_m: float,
    ) -> Self:
        """Like :meth:`calculate`, from :func:`vertical_position` computed once for a recording."""
        contacts = np.asarray(initial_contacts, dtype=np.float64)
        if contacts.shape[0] < 2:
            self.step_length_m_ = np.zeros(0)
            return self
        # The range of position within each step: the samples inside it, and the position at
        # the contacts themselves, interpolated between samples. A contact moved by a
        # fraction of a sample (another sampling rate) then moves the range by as little.
        at_contacts = np.interp(contacts, np.arange(position_m.shape[0]), position_m)
        inside = np.minimum(np.ceil(contacts), position_m.shape[0] - 1).astype(np.intp)
        starts = inside[:-1]
        # reduceat runs each span to the next start; the last span ends at the last contact.
        span_max = np.maximum.reduceat(position_m, starts).astype(np.float64)
        span_min = np.minimum.reduceat(position_m, starts).astype(np.float64)
        last = slice(int(starts[-1]), max(int(inside[-1]), int(starts[-1]) + 1))
        span_max[-1], span_min[-1] = position_m[last].max(), position_m[last].min()
        span_max = np.maximum(span_max, np.maximum(at_contacts[:-1], at_contacts[1:]))
        span_min = np.minimum(span_min, np.minimum(at_contacts[:-1], at_contacts[1:]))
        h = span_max - span_min
        leg_m = self.leg_length_ratio * height_m
        pendulum = self.correction_factor * 2 * np.sqrt(np.clip(2 * leg_m * h - h**2, 0.0, None))
        self.step_length_m_ = np.clip(
            self.slope * pendulum + self.offset_height_ratio * height_m, 0.0, None
        )
        return self


def vertical_position(vertical_mps2: NDArray[np.floating], fs: float) -> NDArray[np.float64]:
    """Vertical position (m, drift removed) as in Zijlstra & Hof (2003) and mobgap's ``SlZijlstra``.

    High-pass 0.1 Hz, integrate, high-pass 1 Hz, integrate. Only its range within a step is
    used, so its offset does not matter.
    """
    # Filters in single precision, sums in double (a day's sum would lose the steps).
    velocity = np.cumsum(_highpass(vertical_mps2, 0.1, fs), dtype=np.float64)
    velocity /= fs
    position = np.cumsum(_highpass(velocity, 1.0, fs), dtype=np.float64)
    position /= fs
    return position


@lru_cache(maxsize=32)
def butter_sos(
    order: int,
    cutoff_hz: float | tuple[float, float],
    kind: str,
    fs: float,
    dtype: str = "float64",
) -> NDArray[np.floating]:
    """A Butterworth filter's second-order sections, designed once per setting.

    Designing is slower than filtering a bout, so the design is cached; do not modify it.
    With ``dtype="float32"`` scipy filters single-precision signals without converting
    them (a quarter of the time on a day of data; ample precision for accelerations).
    """
    sos = signal.butter(order, cutoff_hz, kind, fs=fs, output="sos")
    return np.asarray(sos, dtype=dtype)


def _highpass(values: NDArray[np.floating], cutoff_hz: float, fs: float) -> NDArray[np.float32]:
    sos = butter_sos(4, cutoff_hz, "highpass", fs, "float32")
    padlen = min(3 * (2 * sos.shape[0] + 1), values.shape[0] - 1)
    return np.asarray(signal.sosfiltfilt(sos, values.astype(np.float32, copy=False), padlen=padlen))
