"""Initial contacts inside each walking bout by a wavelet detector, as the Mobilise-D pipeline
finds them inside each gait sequence."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Self

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Standard gravity: mobgap's detectors take the vertical acceleration with gravity.
G_MPS2 = 9.80665
#: A bout has at least four contacts (two strides), as in ``detection``.
MIN_CONTACTS = 4
#: Bouts closer than this share one run of the detector (the signal between is cheap).
JOIN_GAP_S = 60.0
#: ``IcdShinImproved`` filters and finds its zero crossings at this rate.
SHIN_RATE_HZ = 40.0


class WaveletContacts:
    """Re-find the contacts of each bout with mobgap's ``IcdShinImproved`` on the vertical
    axis, keeping the bout where the step detector put it.

    The step detector (``StepDetector``) finds where a person walks; its peak picking counts
    a step twice when slow, shuffling steps give two peaks, and misses weak steps. Inside a
    bout, the continuous-wavelet detector of McCamley J et al. (Gait Posture 2012;36:316-318),
    as modified by Shin and by Ionescu and implemented in mobgap (Micó-Amigo ME et al.
    J NeuroEng Rehabil 2023;20:78), finds them better (``docs/validation/gait.md``). It runs on
    the bout padded by ``pad_s`` on each side (its filters need the context). The bout keeps
    its edges, so that gait initiation and termination do not stretch it: it runs from the
    wavelet contact nearest the step detector's first contact to the one nearest its last.
    The two detectors mark the same step at different moments (the peak follows the heel
    strike by 50-80 ms, Zijlstra & Hof 2003; the wavelet contact comes earlier, by 0.1-0.25 s
    on these recordings), so a fixed window around the peak would cut through the contacts
    that it happens to hold, and a contact that resampling moves by a sample could leave or
    join the bout. The nearest contact changes only if two are about equally near, half a
    step either side; one further than ``reach_steps`` of the bout's median step from the
    edge is another step, and the edge is then the detector's own.

    A bout where the wavelet detector finds fewer than four contacts (two strides) is not
    confirmed as walking and is dropped, unless ``keep_unconfirmed``: then it keeps the step
    detector's contacts. Such bouts are short bursts of peaks (a few steps in a turn, a
    stumble, or no walking); their few contacts made their cadence swing by 40 steps/min
    when resampling moved one of them (``docs/validation/gait.md``).

    Parameters
    ----------
    pad_s
        Signal taken on each side of a bout for the filters.
    reach_steps
        How far from the detector's first and last contact, in median steps of the bout, the
        nearest wavelet contact may be and still mark the same step.
    keep_unconfirmed
        Keep the bouts in which the wavelet detector finds fewer than four contacts.

    Attributes
    ----------
    bouts_
        One array of contact indices per bout kept, in time order.
    positions_
        One array per bout, parallel to ``bouts_``: the contacts' positions in samples,
        with the fraction between samples at which the detector's zero crossing lies.
    replaced_
        How many bouts got the wavelet detector's contacts (the others were dropped, or
        kept as they were).
    """

    def __init__(
        self, pad_s: float = 1.0, reach_steps: float = 1.0, *, keep_unconfirmed: bool = False
    ) -> None:
        self.pad_s = pad_s
        self.reach_steps = reach_steps
        self.keep_unconfirmed = keep_unconfirmed

    def refine(
        self,
        vertical_mps2: NDArray[np.floating],
        bouts: list[NDArray[np.intp]],
        *,
        sampling_rate_hz: float,
    ) -> Self:
        """Refine each bout's contacts; results in the attributes ending in ``_``."""
        fs = sampling_rate_hz
        pad, join = int(self.pad_s * fs), int(JOIN_GAP_S * fs)
        n = vertical_mps2.shape[0]
        # One detector run per stretch of bouts less than JOIN_GAP_S apart: its cost is mostly
        # per call (about 5 ms), while an hour of signal in one call takes about 40 ms.
        # The detector resamples each run with an FFT (scipy.signal.resample), so its
        # contacts move by a sample or two with the run's length: runs start and end on whole
        # seconds, so that a bout edge moved by a sample does not change the run.
        second = max(1, round(fs))
        spans: list[list[int]] = []
        for contacts in bouts:
            start = max((int(contacts[0]) - pad) // second * second, 0)
            end = min(-(-(int(contacts[-1]) + pad + 1) // second) * second, n)
            if spans and start <= spans[-1][1] + join:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        # ascending: the spans are in time order and do not overlap
        exact = np.concatenate([_detect(vertical_mps2[a:b], fs) + a for a, b in spans])
        found = np.round(exact).astype(np.intp)
        refined: list[NDArray[np.intp]] = []
        positions: list[NDArray[np.float64]] = []
        replaced = 0
        for contacts in bouts:
            reach = self.reach_steps * float(np.median(np.diff(contacts)))
            first = _nearest(exact, float(contacts[0]), reach)
            last = _nearest(exact, float(contacts[-1]), reach)
            keep = slice(
                int(np.searchsorted(exact, first, "left")),
                int(np.searchsorted(exact, last, "right")),
            )
            inside, index = np.unique(found[keep], return_index=True)
            if inside.shape[0] >= MIN_CONTACTS:
                refined.append(inside)
                positions.append(exact[keep][index])
                replaced += 1
            elif self.keep_unconfirmed:
                refined.append(contacts)
                positions.append(contacts.astype(np.float64))
        self.bouts_ = refined
        self.positions_ = positions
        self.replaced_ = replaced
        return self


def _nearest(found: NDArray[np.float64], edge: float, reach: float) -> float:
    """The contact in ``found`` (ascending) nearest ``edge`` if within ``reach``, else the edge."""
    i = int(np.searchsorted(found, edge))
    near = found[max(i - 1, 0) : i + 1]
    if near.shape[0] == 0:
        return edge
    best = float(near[np.argmin(np.abs(near - edge))])
    return best if abs(best - edge) <= reach else edge


def _detect(vertical_mps2: NDArray[np.floating], fs: float) -> NDArray[np.float64]:
    """mobgap's ``IcdShinImproved`` on one stretch of vertical acceleration: the positions
    of its contacts in samples at ``fs``, between samples where its zero crossing is."""
    from mobgap.initial_contacts import IcdShinImproved  # noqa: PLC0415 (2 s import)

    vertical = np.asarray(vertical_mps2, dtype=np.float64) + G_MPS2
    # mobgap checks for all six body-frame channels; the detector reads only acc_is.
    other = dict.fromkeys(("acc_ml", "acc_pa", "gyr_is", "gyr_ml", "gyr_pa"), 0.0)
    frame = pd.DataFrame({"acc_is": vertical, **other})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mobgap warns about short or flat input
        detector = IcdShinImproved(axis="is").detect(frame, sampling_rate_hz=fs)
    # ic_list_ is rounded to whole samples; the crossings at the detector's own rate are not.
    internal = detector.ic_list_internal_["ic"].to_numpy(dtype=np.float64)
    return np.asarray(internal * fs / SHIN_RATE_HZ, dtype=np.float64)
