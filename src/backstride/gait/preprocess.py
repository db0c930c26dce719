"""Resampling onto a regular grid, and the vertical direction from gravity or movement."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

import numpy as np
from scipy import interpolate, signal

from backstride.gait.parameters import butter_sos

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from backstride.gait.recording import Recording


class Resampler:
    """Put irregular samples (phones and browsers jitter) on a regular time grid.

    Samples are linearly interpolated onto ``target_rate_hz``. Where two samples are more
    than ``max_gap_s`` apart the data are missing rather than jittered: the grid points in
    between are marked invalid and reported in ``gaps_s_``.

    Parameters
    ----------
    target_rate_hz
        The rate of the regular grid.
    max_gap_s
        The longest interval between samples that is still bridged by interpolation.

    Attributes
    ----------
    t_s_, acc_mps2_, gyr_dps_
        The resampled time stamps, acceleration and angular rate (``None`` if absent).
    valid_
        ``False`` at grid points inside a sampling gap.
    gaps_s_
        ``(start_s, end_s)`` of each gap.
    """

    def __init__(self, target_rate_hz: float = 100.0, max_gap_s: float = 0.5) -> None:
        self.target_rate_hz = target_rate_hz
        self.max_gap_s = max_gap_s

    def resample(self, recording: Recording) -> Self:
        """Resample ``recording``; results in the attributes ending in ``_``."""
        t_in = recording.t_s
        n = int(np.floor((t_in[-1] - t_in[0]) * self.target_rate_hz)) + 1
        t_out = t_in[0] + np.arange(n) / self.target_rate_hz
        self.t_s_ = t_out
        if t_in.shape[0] == n and np.allclose(t_in, t_out, rtol=0.0, atol=1e-6):
            # Already on the grid (a 100 Hz logger): no interpolation and no copies.
            self.t_s_ = t_in
            self.acc_mps2_ = recording.acc_mps2
            self.gyr_dps_ = recording.gyr_dps
        else:
            self.acc_mps2_ = _interp_columns(t_out, t_in, recording.acc_mps2)
            self.gyr_dps_ = (
                None
                if recording.gyr_dps is None
                else _interp_columns(t_out, t_in, recording.gyr_dps)
            )
        gap_index = np.flatnonzero(np.diff(t_in) > self.max_gap_s)
        self.gaps_s_ = [(float(t_in[i]), float(t_in[i + 1])) for i in gap_index]
        valid = np.ones(n, dtype=bool)
        for start_s, end_s in self.gaps_s_:
            valid[(t_out > start_s) & (t_out < end_s)] = False
        self.valid_ = valid
        return self


def _interp_columns(
    t_out: NDArray[np.float64], t_in: NDArray[np.float64], values: NDArray[np.float64]
) -> NDArray[np.float64]:
    # A cubic spline keeps the height of the step peaks that linear interpolation shaves
    # off at 50-60 Hz (the step length follows the vertical excursion).
    return np.asarray(interpolate.CubicSpline(t_in, values, axis=0)(t_out), dtype=np.float64)


class VerticalAcceleration:
    """The vertical acceleration of the lower back, whatever way up the phone is worn.

    With gravity in the signal, the vertical is the direction of the low-passed
    acceleration (gravity), followed sample by sample so that a phone that tilts is
    followed (Moe-Nilssen 1998, "A new method for evaluating motor control in gait under
    real-life environmental conditions. Part 1", Clin Biomech 13:320-327). The result is
    the projection of the acceleration on that direction minus gravity, so it is the same
    for any orientation and any rotation about the vertical.

    Without gravity ("linear acceleration"), the vertical is taken from movement: the
    principal direction of the walking-band acceleration (at the lower back the vertical
    oscillation dominates), its sign chosen so that heel-strike peaks are positive
    (positive skewness). ``from_movement_`` reports this, less reliable, case.

    Parameters
    ----------
    gravity_cutoff_hz
        Low-pass cut-off that separates gravity from movement.

    Attributes
    ----------
    vertical_mps2_
        Vertical acceleration without gravity, positive upwards.
    gravity_unit_
        The unit vertical direction per sample in the sensor's axes.
    from_movement_
        Whether the vertical was found from movement (no gravity in the signal).
    """

    def __init__(self, gravity_cutoff_hz: float = 0.25) -> None:
        self.gravity_cutoff_hz = gravity_cutoff_hz

    def estimate(
        self, acc_mps2: NDArray[np.float64], *, sampling_rate_hz: float, gravity_included: bool
    ) -> Self:
        """Estimate the vertical; results in the attributes ending in ``_``."""
        if gravity_included:
            sos = butter_sos(2, self.gravity_cutoff_hz, "lowpass", sampling_rate_hz, "float32")
            # Single precision, along the last axis of a (3, n) array: scipy then filters
            # contiguous rows without converting them (several times faster on long data).
            rows = np.ascontiguousarray(acc_mps2.T, dtype=np.float32)
            gravity = np.asarray(
                signal.sosfiltfilt(sos, rows, axis=-1, padlen=min(15, rows.shape[1] - 1))
            )
            norm = np.sqrt(np.einsum("ij,ij->j", gravity, gravity))
            gravity /= np.maximum(norm, 1e-9)
            vertical = np.einsum("ij,ij->j", rows, gravity)
            vertical -= norm
            self.vertical_mps2_ = vertical
            self.gravity_unit_ = gravity.T
            self.from_movement_ = False
            return self
        sos = butter_sos(2, (0.5, 3.0), "bandpass", sampling_rate_hz)
        band = _filtfilt(sos, acc_mps2)
        _, _, vt = np.linalg.svd(band[:: max(1, band.shape[0] // 200_000)], full_matrices=False)
        axis = vt[0]
        vertical = acc_mps2 @ axis
        centred = vertical - vertical.mean()
        if float(np.mean(centred**3)) < 0:
            axis = -axis
            vertical = -vertical
        self.vertical_mps2_ = vertical - vertical.mean()
        self.gravity_unit_ = np.broadcast_to(axis, acc_mps2.shape)
        self.from_movement_ = True
        return self


def _filtfilt(
    sos: NDArray[np.floating], values: NDArray[np.floating], axis: int = 0
) -> NDArray[np.float64]:
    """Zero-phase filter along time; short inputs are padded as far as they allow."""
    padlen = min(3 * (2 * sos.shape[0] + 1), values.shape[axis] - 1)
    return np.asarray(signal.sosfiltfilt(sos, values, axis=axis, padlen=padlen), dtype=np.float64)
