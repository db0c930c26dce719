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
    the bout padded by ``pad_s`` on each side (its filters need the context); only contacts
    between the detector's first and last contact, give or take ``reach_s``, are kept, so that
    gait initiation and termination do not stretch the bout. ``reach_s`` is the tolerance
    within which two detectors' contacts count as the same step in the validation (0.25 s):
    the peak the step detector finds follows the heel strike by 50-80 ms (Zijlstra & Hof
    2003), the wavelet contact comes earlier, so a bout's first step would otherwise be
    dropped. A bout where it finds fewer than four keeps the detector's contacts.

    Parameters
    ----------
    pad_s
        Signal taken on each side of a bout for the filters.
    reach_s
        How far outside the detector's first and last contact a contact still belongs to
        the bout.

    Attributes
    ----------
    bouts_
        One array of contact indices per bout, as the input, in time order.
    positions_
        One array per bout, parallel to ``bouts_``: the contacts' positions in samples,
        with the fraction between samples at which the detector's zero crossing lies.
    replaced_
        How many bouts got the wavelet detector's contacts.
    """

    def __init__(self, pad_s: float = 1.0, reach_s: float = 0.25) -> None:
        self.pad_s = pad_s
        self.reach_s = reach_s

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
        reach = int(self.reach_s * fs)
        n = vertical_mps2.shape[0]
        # One detector run per stretch of bouts less than JOIN_GAP_S apart: its cost is mostly
        # per call (about 5 ms), while an hour of signal in one call takes about 40 ms.
        spans: list[list[int]] = []
        for contacts in bouts:
            start, end = max(int(contacts[0]) - pad, 0), min(int(contacts[-1]) + pad + 1, n)
            if spans and start <= spans[-1][1] + join:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        exact = np.concatenate([_detect(vertical_mps2[a:b], fs) + a for a, b in spans])
        found = np.round(exact).astype(np.intp)
        refined: list[NDArray[np.intp]] = []
        positions: list[NDArray[np.float64]] = []
        replaced = 0
        for contacts in bouts:
            first, last = int(contacts[0]), int(contacts[-1])
            keep = (found >= first - reach) & (found <= last + reach)
            inside, index = np.unique(found[keep], return_index=True)
            if inside.shape[0] >= MIN_CONTACTS:
                refined.append(inside)
                positions.append(exact[keep][index])
                replaced += 1
            else:
                refined.append(contacts)
                positions.append(contacts.astype(np.float64))
        self.bouts_ = refined
        self.positions_ = positions
        self.replaced_ = replaced
        return self


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
