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
        min_step_regularity: float = 0.0,
        max_break_s: float = 3.0,
        turn_break_s: float = 0.0,
        min_turn_deg: float = 45.0,
        min_contacts: int = MIN_CONTACTS_PER_BOUT,
    ) -> None:
        self.band_hz = band_hz
        self.min_prominence_mps2 = min_prominence_mps2
        self.max_step_gap_s = max_step_gap_s
        self.min_step_fraction = min_step_fraction
        self.edge_amplitude_ratio = edge_amplitude_ratio
        self.split_gap_steps = split_gap_steps
        self.min_step_regularity = min_step_regularity
        self.max_break_s = max_break_s
        self.turn_break_s = turn_break_s
        self.min_turn_deg = min_turn_deg
        self.min_contacts = min_contacts

    def detect(
        self,
        vertical_mps2: NDArray[np.floating],
        *,
        sampling_rate_hz: float,
        valid: NDArray[np.bool_] | None = None,
        yaw_dps: NDArray[np.floating] | None = None,
    ) -> Self:
        """Detect contacts and bouts; results in the attributes ending in ``_``.

        ``yaw_dps`` is the angular rate about the vertical; with it, pauses up to
        ``turn_break_s`` in which the person turned by ``min_turn_deg`` or more stay inside
        the bout (turns are walking in the Mobilise-D definition).
        """
        fs = sampling_rate_hz
        sos = butter_sos(2, tuple(self.band_hz), "bandpass", fs, str(vertical_mps2.dtype))
        padlen = min(15, vertical_mps2.shape[0] - 1)
        filtered = signal.sosfiltfilt(sos, vertical_mps2, padlen=padlen)
        if valid is not None:
            filtered[~valid] = 0.0
        self.filtered_mps2_ = filtered
        # The prominence is measured within two step gaps of each peak (``wlen``): without a
        # window, each small peak of a long still period searches the whole recording.
        peaks, _ = signal.find_peaks(
            filtered,
            distance=max(1, int(0.25 * fs)),
            prominence=self.min_prominence_mps2,
            wlen=int(2 * self.max_step_gap_s * fs) + 1,
        )
        if valid is not None:
            peaks = peaks[valid[peaks]]  # a zeroed gap can form a plateau "peak"
        self._valid = valid
        breaks = np.flatnonzero(np.diff(peaks) > self.max_step_gap_s * fs) + 1
        segments: list[NDArray[np.intp]] = []
        for chain in np.split(peaks, breaks):
            if chain.shape[0] >= MIN_CONTACTS_PER_BOUT:
                segments.extend(self._refine(filtered, chain, fs))
        bouts = [
            b for b in self._merge(segments, fs, valid, yaw_dps) if b.shape[0] >= self.min_contacts
        ]
        self.bouts_ = bouts
        self.initial_contacts_ = (
            np.concatenate(bouts) if bouts else np.zeros(0, dtype=np.intp)
        ).astype(np.intp)
        return self

    def _merge(
        self,
        segments: list[NDArray[np.intp]],
        fs: float,
        valid: NDArray[np.bool_] | None,
        yaw_dps: NDArray[np.floating] | None,
    ) -> list[NDArray[np.intp]]:
        """Join walking segments separated by a short break or by a turn."""
        merged: list[list[NDArray[np.intp]]] = []
        for part in segments:
            if merged:
                last = int(merged[-1][-1][-1])
                first = int(part[0])
                gap = first - last
                joined = gap <= self.max_break_s * fs
                if not joined and yaw_dps is not None and gap <= self.turn_break_s * fs:
                    turned = abs(float(np.sum(yaw_dps[last:first], dtype=np.float64))) / fs
                    joined = turned >= self.min_turn_deg
                if joined and valid is not None and not valid[last:first].all():
                    joined = False
                if joined:
                    merged[-1].append(part)
                    continue
            merged.append([part])
        return [np.concatenate(parts) for parts in merged]

    def _refine(
        self, filtered: NDArray[np.floating], chain: NDArray[np.intp], fs: float
    ) -> list[NDArray[np.intp]]:
        pad = int(0.5 * fs)
        start = max(int(chain[0]) - pad, 0)
        end = min(int(chain[-1]) + pad, filtered.shape[0])
        regularity = Regularity()
        period_s = regularity.calculate(filtered[start:end], sampling_rate_hz=fs).step_period_s_
        if period_s is None:
            return []
        period = period_s * fs
        local, _ = signal.find_peaks(
            filtered[int(chain[0]) : int(chain[-1]) + 1],
            distance=max(1, int(self.min_step_fraction * period)),
            prominence=self.min_prominence_mps2,
            wlen=int(2 * self.max_step_gap_s * fs) + 1,
        )
        contacts = local + int(chain[0])
        if self._valid is not None:
            contacts = contacts[self._valid[contacts]]
        if contacts.shape[0] < MIN_CONTACTS_PER_BOUT:
            return []
        amplitude = filtered[contacts]
        strong = np.flatnonzero(amplitude >= self.edge_amplitude_ratio * np.median(amplitude))
        contacts = contacts[strong[0] : strong[-1] + 1]
        pauses = np.flatnonzero(np.diff(contacts) > self.split_gap_steps * period) + 1
        parts = [p for p in np.split(contacts, pauses) if p.shape[0] >= MIN_CONTACTS_PER_BOUT]
        if self.min_step_regularity <= 0:
            return parts
        kept = []
        for part in parts:
            lo = max(int(part[0]) - pad, 0)
            hi = min(int(part[-1]) + pad, filtered.shape[0])
            reg = regularity.calculate(filtered[lo:hi], sampling_rate_hz=fs).step_regularity_
            if reg is not None and reg >= self.min_step_regularity:
                kept.append(part)
        return kept
