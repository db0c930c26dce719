"""Initial contacts (steps) and walking bouts from the vertical acceleration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

import numpy as np
from scipy import signal

from backstride.gait.parameters import Regularity, butter_sos

if TYPE_CHECKING:
    from numpy.typing import NDArray

# A walking bout has at least two strides (four initial contacts), as in the Mobilise-D
# definition (Kluge F et al. PLoS ONE 2021;16:e0247713).
MIN_CONTACTS_PER_BOUT = 4


class StepDetector:
    """Find initial contacts and group them into walking bouts.

    At the lower back, each initial contact (heel strike) is followed within about 50-80 ms
    by a peak of upward acceleration as the body's fall is stopped (Zijlstra & Hof 2003;
    McCamley J et al. Gait Posture 2012;36:316-318 use the same signal). The detector:

    1. band-passes the vertical acceleration (0.5-3 Hz: the step band);
    2. takes peaks at least 0.25 s apart with a prominence above ``min_prominence_mps2`` as
       candidate contacts, and chains candidates no more than ``max_step_gap_s`` apart;
    3. for each chain, finds the step period from the unbiased autocorrelation
       (Moe-Nilssen & Helbostad 2004) and picks the peaks again at least
       ``min_step_fraction`` of that period apart, which removes double peaks;
    4. drops the weak first and last steps of gait initiation and termination (peaks below
       ``edge_amplitude_ratio`` of the chain's median) and splits chains at pauses longer
       than ``split_gap_steps`` step periods;
    5. keeps bouts of at least four contacts (two strides; Kluge et al. 2021).

    Parameters
    ----------
    band_hz
        Pass band of the step filter.
    min_prominence_mps2
        Smallest peak prominence counted as a step.
    max_step_gap_s
        Longest interval between two contacts of one chain.
    min_step_fraction
        Smallest interval between contacts as a fraction of the step period.
    edge_amplitude_ratio
        Leading and trailing peaks below this fraction of the median peak are dropped.
    split_gap_steps
        A pause longer than this many step periods splits a bout.

    Attributes
    ----------
    filtered_mps2_
        The band-passed vertical acceleration.
    initial_contacts_
        Sample indices of all initial contacts inside bouts, ascending.
    bouts_
        One array of contact indices per walking bout, in time order.
    """

    def __init__(
        self,
        *,
        band_hz: tuple[float, float] = (0.5, 3.0),
        min_prominence_mps2: float = 0.4,
        max_step_gap_s: float = 1.25,
        min_step_fraction: float = 0.6,
        edge_amplitude_ratio: float = 0.5,
        split_gap_steps: float = 2.0,
    ) -> None:
        self.band_hz = band_hz
        self.min_prominence_mps2 = min_prominence_mps2
        self.max_step_gap_s = max_step_gap_s
        self.min_step_fraction = min_step_fraction
        self.edge_amplitude_ratio = edge_amplitude_ratio
        self.split_gap_steps = split_gap_steps

    def detect(
        self,
        vertical_mps2: NDArray[np.float64],
        *,
        sampling_rate_hz: float,
        valid: NDArray[np.bool_] | None = None,
    ) -> Self:
        """Detect contacts and bouts; results in the attributes ending in ``_``."""
        fs = sampling_rate_hz
        sos = butter_sos(2, tuple(self.band_hz), "bandpass", fs)
        padlen = min(15, vertical_mps2.shape[0] - 1)
        filtered = np.asarray(signal.sosfiltfilt(sos, vertical_mps2, padlen=padlen))
        if valid is not None:
            filtered = np.where(valid, filtered, 0.0)
        self.filtered_mps2_ = filtered
        peaks, _ = signal.find_peaks(
            filtered, distance=max(1, int(0.25 * fs)), prominence=self.min_prominence_mps2
        )
        breaks = np.flatnonzero(np.diff(peaks) > self.max_step_gap_s * fs) + 1
        bouts: list[NDArray[np.intp]] = []
        for chain in np.split(peaks, breaks):
            if chain.shape[0] >= MIN_CONTACTS_PER_BOUT:
                bouts.extend(self._refine(filtered, chain, fs))
        self.bouts_ = bouts
        self.initial_contacts_ = (
            np.concatenate(bouts) if bouts else np.zeros(0, dtype=np.intp)
        ).astype(np.intp)
        return self

    def _refine(
        self, filtered: NDArray[np.float64], chain: NDArray[np.intp], fs: float
    ) -> list[NDArray[np.intp]]:
        pad = int(0.5 * fs)
        start = max(int(chain[0]) - pad, 0)
        end = min(int(chain[-1]) + pad, filtered.shape[0])
        segment = filtered[start:end]
        period_s = Regularity().calculate(segment, sampling_rate_hz=fs).step_period_s_
        if period_s is None:
            return []
        period = period_s * fs
        local, _ = signal.find_peaks(
            filtered[int(chain[0]) : int(chain[-1]) + 1],
            distance=max(1, int(self.min_step_fraction * period)),
            prominence=self.min_prominence_mps2,
        )
        contacts = local + int(chain[0])
        if contacts.shape[0] < MIN_CONTACTS_PER_BOUT:
            return []
        amplitude = filtered[contacts]
        strong = np.flatnonzero(amplitude >= self.edge_amplitude_ratio * np.median(amplitude))
        contacts = contacts[strong[0] : strong[-1] + 1]
        pauses = np.flatnonzero(np.diff(contacts) > self.split_gap_steps * period) + 1
        return [
            part for part in np.split(contacts, pauses) if part.shape[0] >= MIN_CONTACTS_PER_BOUT
        ]
