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
from typing import TYPE_CHECKING, Self

import numpy as np
from scipy import signal

if TYPE_CHECKING:
    from numpy.typing import NDArray


def unbiased_autocorrelation(values: NDArray[np.float64], max_lag: int) -> NDArray[np.float64]:
    """Autocorrelation normalised by the overlap at each lag and by the zero-lag value.

    Moe-Nilssen & Helbostad (2004) use the unbiased estimate so that the coefficient at the
    stride lag is not shrunk by the shorter overlap.
    """
    centred = values - values.mean()
    n = centred.shape[0]
    max_lag = min(max_lag, n - 1)
    spectrum = np.fft.rfft(centred, 2 * n)
    raw = np.fft.irfft(spectrum * np.conj(spectrum))[: max_lag + 1]
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

    def calculate(self, vertical_mps2: NDArray[np.float64], *, sampling_rate_hz: float) -> Self:
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
    """Step length from the inverted pendulum model (Zijlstra & Hof 2003).

    The vertical acceleration is high-passed (0.1 Hz), integrated to velocity, high-passed
    again (1 Hz) against drift and integrated to position; the range ``h`` of vertical
    position between two initial contacts gives the step length
    ``K * 2 * sqrt(2 * l * h - h**2)`` for a pendulum of length ``l``.

    Constants from the literature, not fitted here: the pendulum length is the leg length,
    taken as 0.53 of body height (greater trochanter height, Winter DA. Biomechanics and
    Motor Control of Human Movement, 4th ed., 2009, fig. 4.1), and ``K = 1.25``, the
    correction Zijlstra & Hof (2003) found for this model.

    Parameters
    ----------
    leg_length_ratio
        Pendulum length as a fraction of body height.
    correction_factor
        ``K`` above.
    """

    def __init__(self, leg_length_ratio: float = 0.53, correction_factor: float = 1.25) -> None:
        self.leg_length_ratio = leg_length_ratio
        self.correction_factor = correction_factor

    def calculate(
        self,
        vertical_mps2: NDArray[np.float64],
        initial_contacts: NDArray[np.intp],
        *,
        sampling_rate_hz: float,
        height_m: float,
    ) -> Self:
        """Set ``step_length_m_``: one value per step (between consecutive contacts)."""
        fs = sampling_rate_hz
        high_acc = _highpass(vertical_mps2, 0.1, fs)
        velocity = np.cumsum(high_acc) / fs
        position = np.cumsum(_highpass(velocity, 1.0, fs)) / fs
        starts, ends = initial_contacts[:-1], initial_contacts[1:]
        # Range of position within each step, vectorised with reduceat over the step spans.
        if starts.shape[0] == 0:
            self.step_length_m_ = np.zeros(0)
            return self
        span_max = np.maximum.reduceat(position, starts)[: starts.shape[0]]
        span_min = np.minimum.reduceat(position, starts)[: starts.shape[0]]
        # reduceat runs each span to the next start; the last span must end at the last contact
        last = slice(int(starts[-1]), int(ends[-1]))
        span_max[-1], span_min[-1] = position[last].max(), position[last].min()
        h = span_max - span_min
        leg_m = self.leg_length_ratio * height_m
        self.step_length_m_ = (
            self.correction_factor * 2 * np.sqrt(np.clip(2 * leg_m * h - h**2, 0.0, None))
        )
        return self


@lru_cache(maxsize=32)
def butter_sos(
    order: int, cutoff_hz: float | tuple[float, float], kind: str, fs: float
) -> NDArray[np.float64]:
    """A Butterworth filter's second-order sections, designed once per setting.

    Designing is slower than filtering a bout, so the design is cached; do not modify it.
    """
    return np.asarray(signal.butter(order, cutoff_hz, kind, fs=fs, output="sos"), dtype=np.float64)


def _highpass(values: NDArray[np.float64], cutoff_hz: float, fs: float) -> NDArray[np.float64]:
    sos = butter_sos(4, cutoff_hz, "highpass", fs)
    padlen = min(3 * (2 * sos.shape[0] + 1), values.shape[0] - 1)
    return np.asarray(signal.sosfiltfilt(sos, values, padlen=padlen), dtype=np.float64)
