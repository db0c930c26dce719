"""A recording from one inertial sensor, in SI-like units, whatever file it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from backstride.gait.errors import GaitInputError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

STANDARD_GRAVITY_MPS2 = 9.80665

# The median magnitude of the acceleration tells its unit: about 1 in g, about 9.8 in m/s²
# with gravity, near 0 without it (linear acceleration). These bands leave wide margins
# around each case.
_G_BAND = (0.5, 2.0)
_MPS2_BAND = (5.0, 20.0)
_LINEAR_MAX_MPS2 = 3.0
_MIN_SAMPLES = 10


@dataclass(frozen=True, eq=False)
class Recording:
    """Samples from a sensor worn at the lower back.

    Attributes
    ----------
    t_s
        Sample times in seconds, strictly increasing (not necessarily regular).
    acc_mps2
        Acceleration, ``(n, 3)``, in m/s², in the device's own axes (any orientation).
    gyr_dps
        Angular rate, ``(n, 3)``, in degrees per second, or ``None``.
    source
        Which reader produced it: ``phyphox``, ``sensorlogger``, ``csv`` or ``arrays``.
    acc_unit
        The unit the acceleration was given in: ``m/s²`` or ``g``.
    gravity_included
        Whether the acceleration includes gravity (phones' "linear acceleration" does not).
    device_rate_hz
        The device's sampling rate: the inverse of the median interval between samples.
    """

    t_s: NDArray[np.float64]
    acc_mps2: NDArray[np.float64]
    gyr_dps: NDArray[np.float64] | None
    source: str
    acc_unit: str
    gravity_included: bool
    device_rate_hz: float

    @property
    def duration_s(self) -> float:
        """Time from the first to the last sample."""
        return float(self.t_s[-1] - self.t_s[0])


def _as_matrix(name: str, values: ArrayLike, n: int | None) -> NDArray[np.float64]:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise GaitInputError(f"{name}: must be numbers") from None
    if n is None:
        if array.ndim != 1:
            raise GaitInputError(f"{name}: must be one time stamp per sample")
        return array
    if array.ndim != 2 or array.shape[1] != 3:
        raise GaitInputError(f"{name}: must have three axes (x, y, z) per sample")
    if n is not None and array.shape[0] != n:
        raise GaitInputError(f"{name}: must have one row per time stamp")
    return array


def detect_acc_unit(acc: NDArray[np.float64]) -> tuple[float, str, bool]:
    """Return ``(factor to m/s², unit name, gravity included)`` from the acceleration's size."""
    magnitude = float(np.median(np.linalg.norm(acc, axis=1)))
    if _G_BAND[0] <= magnitude <= _G_BAND[1]:
        return STANDARD_GRAVITY_MPS2, "g", True
    if _MPS2_BAND[0] <= magnitude <= _MPS2_BAND[1]:
        return 1.0, "m/s²", True
    if magnitude <= _LINEAR_MAX_MPS2:
        return 1.0, "m/s²", False
    raise GaitInputError(
        "acceleration: unit not recognised (expected m/s² or g, with or without gravity)"
    )


def from_arrays(
    t_s: ArrayLike,
    acc: ArrayLike,
    gyr_dps: ArrayLike | None = None,
    *,
    source: str = "arrays",
    acc_unit: str | None = None,
    gravity_included: bool | None = None,
) -> Recording:
    """Build a :class:`Recording` from samples already in memory.

    This is the entry point for a browser upload (DeviceMotion: ``t_s``, acceleration
    including gravity in m/s², rotation rate in deg/s). Samples are sorted by time and
    repeated time stamps dropped (browsers and phones jitter); the acceleration unit is
    detected unless ``acc_unit`` (``"m/s²"`` or ``"g"``) is given. Acceleration declared
    without gravity (``gravity_included=False``) is taken to be in m/s².
    """
    times = _as_matrix("t_s", t_s, None)
    n = times.shape[0]
    if n < _MIN_SAMPLES:
        raise GaitInputError(f"recording: fewer than {_MIN_SAMPLES} samples")
    acc_array = _as_matrix("acc", acc, n)
    gyr_array = None if gyr_dps is None else _as_matrix("gyr", gyr_dps, n)
    for name, array in (("t_s", times), ("acc", acc_array), ("gyr", gyr_array)):
        if array is not None and not np.all(np.isfinite(array)):
            raise GaitInputError(f"{name}: has missing or non-numeric values")
    intervals = np.diff(times)
    if not np.all(intervals > 0):
        # Copies only when needed: long recordings are usually in order already.
        order = np.argsort(times, kind="stable")
        times = times[order]
        keep = np.concatenate(([True], np.diff(times) > 0))
        order = order[keep]
        times = times[keep]
        if times.shape[0] < _MIN_SAMPLES:
            raise GaitInputError("t_s: too few distinct time stamps")
        acc_array = acc_array[order]
        if gyr_array is not None:
            gyr_array = gyr_array[order]
        intervals = np.diff(times)
    if acc_unit is None and gravity_included is False:
        # Linear acceleration is near zero in any unit; phones report it in m/s².
        factor, unit, has_gravity = 1.0, "m/s²", False
    elif acc_unit is None:
        factor, unit, has_gravity = detect_acc_unit(acc_array)
    elif acc_unit in ("g", "m/s²"):
        factor = STANDARD_GRAVITY_MPS2 if acc_unit == "g" else 1.0
        unit = acc_unit
        has_gravity = detect_acc_unit(acc_array * factor)[2]
    else:
        raise GaitInputError("acc_unit: must be 'm/s²' or 'g'")
    if gravity_included is not None:
        has_gravity = gravity_included
    rate = 1.0 / float(np.median(intervals))
    return Recording(
        t_s=times,
        acc_mps2=acc_array if factor == 1.0 else acc_array * factor,
        gyr_dps=gyr_array,
        source=source,
        acc_unit=unit,
        gravity_included=has_gravity,
        device_rate_hz=rate,
    )
