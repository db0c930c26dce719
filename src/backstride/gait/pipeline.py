"""The whole analysis: recording in, walking bouts, steps and their parameters out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

import numpy as np
from scipy import special

from backstride.gait.contacts import WaveletContacts
from backstride.gait.detection import StepDetector
from backstride.gait.errors import GaitInputError
from backstride.gait.parameters import Regularity, ZijlstraStepLength, vertical_position
from backstride.gait.preprocess import Resampler, VerticalAcceleration
from backstride.gait.readers import Format, read_recording
from backstride.gait.recording import Recording, from_arrays

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

# Quality thresholds. They describe the recording, not the person.
MIN_RECORDING_S = 10.0  # shorter recordings cannot hold a walking test
MIN_DEVICE_RATE_HZ = 20.0  # below this the step band (up to 3 Hz) is poorly sampled
PHONE_MOVED_DEG = 30.0  # a change of the phone's tilt between bouts larger than this
MIN_HEIGHT_M, MAX_HEIGHT_M = 0.5, 2.5
# A step interval longer than REGULAR_STEP_RATIO times the bout's median is a pause or a turn,
# not one step. The pendulum does not describe it, so its length is the bout's typical step;
# across a band of +/- PAUSE_BLEND around that ratio the two are blended, so that a contact
# moved by a sample (another sampling rate) cannot flip a step from one to the other.
REGULAR_STEP_RATIO = 1.5
PAUSE_BLEND = 0.2
# A step interval at a bout's edge weighs in the median step time from 0, when its peak is at
# EDGE_RAMP[0] of the bout's median peak (the step detector's trimming), to 1 at EDGE_RAMP[1].
EDGE_RAMP = (0.5, 1.0)


@dataclass(frozen=True)
class QualityFlag:
    """Something about the recording that limits how far its results can be trusted."""

    code: str
    message: str


@dataclass(frozen=True)
class Bout:
    """One walking bout: at least two strides without a pause.

    Cadence, step and stride time, stride length and speed are the bout's typical ones, from
    the median step time and step length; ``distance_m`` is the sum of its step lengths.
    """

    start_s: float
    end_s: float
    steps: int
    cadence_spm: float
    step_time_s: float
    stride_time_s: float
    speed_mps: float | None
    stride_length_m: float | None
    distance_m: float | None
    step_regularity: float | None
    stride_regularity: float | None
    symmetry: float | None

    @property
    def duration_s(self) -> float:
        """Time from the first to the last initial contact."""
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Summary:
    """The recording's walking, over all bouts: cadence and speed are the bouts', weighted by
    their duration; steps and distance are sums."""

    walking_s: float
    steps: int
    cadence_spm: float | None
    speed_mps: float | None
    distance_m: float | None


@dataclass(frozen=True)
class GaitResult:
    """What one recording shows. ``to_dict`` gives the JSON contract of ``gait analyze``.

    Times are on the recording's own clock. ``step_lengths_m`` has one value per initial
    contact: the length of the step it begins (``nan`` for the last contact of a bout), or
    is ``None`` without a body height.
    """

    sampling_rate_hz: float
    initial_contacts_s: tuple[float, ...]
    step_lengths_m: tuple[float, ...] | None
    bouts: tuple[Bout, ...]
    summary: Summary
    quality: tuple[QualityFlag, ...]
    source: str
    acc_unit: str
    gravity_included: bool
    duration_s: float
    extras: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: contacts, bouts, summary, quality and the sampling rate."""
        return {
            "sampling_rate_hz": round(self.sampling_rate_hz, 2),
            "source": self.source,
            "acc_unit": self.acc_unit,
            "gravity_included": self.gravity_included,
            "duration_s": round(self.duration_s, 2),
            "initial_contacts_s": [round(t, 3) for t in self.initial_contacts_s],
            "bouts": [
                {
                    "start_s": round(b.start_s, 3),
                    "end_s": round(b.end_s, 3),
                    "steps": b.steps,
                    "cadence_spm": _round(b.cadence_spm, 1),
                    "step_time_s": _round(b.step_time_s, 3),
                    "stride_time_s": _round(b.stride_time_s, 3),
                    "speed_mps": _round(b.speed_mps, 3),
                    "stride_length_m": _round(b.stride_length_m, 3),
                    "distance_m": _round(b.distance_m, 2),
                    "step_regularity": _round(b.step_regularity, 3),
                    "stride_regularity": _round(b.stride_regularity, 3),
                    "symmetry": _round(b.symmetry, 3),
                }
                for b in self.bouts
            ],
            "summary": {
                "walking_s": round(self.summary.walking_s, 2),
                "steps": self.summary.steps,
                "cadence_spm": _round(self.summary.cadence_spm, 1),
                "speed_mps": _round(self.summary.speed_mps, 3),
                "distance_m": _round(self.summary.distance_m, 2),
            },
            "quality": [{"code": q.code, "message": q.message} for q in self.quality],
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


class GaitPipeline:
    """Resample, find the vertical, detect steps and bouts, compute their parameters.

    Shaped like the algorithms of mobgap (Küderle A et al. mobgap, JOSS 2024): parameters
    in ``__init__``, one action method (``run``) that stores its result in ``result_`` and
    returns ``self``.

    Parameters
    ----------
    height_m
        Body height; without it, step length, speed and distance are not estimated.
    resampler, vertical, step_detector, regularity, step_length
        The parts, each with its own parameters.
    edge_ramp
        The weak steps of gait initiation and termination weigh less in the bout's median
        step time (``edge_weights``, ``weighted_median``): from nothing at a peak of
        ``edge_ramp[0]`` of the bout's median peak to fully at ``edge_ramp[1]``. A soft rule:
        a peak that resampling changes a little changes the cadence a little, where a hard
        threshold on one edge peak (the step detector's ``edge_amplitude_ratio``) drops or
        keeps a whole step. ``None``: the plain median of all step times.
    """

    def __init__(
        self,
        *,
        height_m: float | None = None,
        resampler: Resampler | None = None,
        vertical: VerticalAcceleration | None = None,
        step_detector: StepDetector | None = None,
        contacts: WaveletContacts | Literal["peaks"] | None = None,
        regularity: Regularity | None = None,
        step_length: ZijlstraStepLength | None = None,
        edge_ramp: tuple[float, float] | None = EDGE_RAMP,
    ) -> None:
        self.height_m = height_m
        self.resampler = resampler
        self.vertical = vertical
        self.step_detector = step_detector
        self.contacts = contacts
        self.regularity = regularity
        self.step_length = step_length
        self.edge_ramp = edge_ramp

    def run(self, recording: Recording) -> Self:
        """Analyse ``recording``; the result is in ``result_``."""
        height = self.height_m
        if height is not None and not MIN_HEIGHT_M <= height <= MAX_HEIGHT_M:
            raise GaitInputError(f"height_m: must be between {MIN_HEIGHT_M} and {MAX_HEIGHT_M}")
        resampled = (self.resampler or Resampler()).resample(recording)
        fs = (self.resampler or Resampler()).target_rate_hz
        vertical = (self.vertical or VerticalAcceleration()).estimate(
            resampled.acc_mps2_, sampling_rate_hz=fs, gravity_included=recording.gravity_included
        )
        detector = self.step_detector or StepDetector()
        yaw_dps = None
        if detector.turn_break_s > 0 and resampled.gyr_dps_ is not None:
            yaw_dps = np.einsum("ij,ij->i", resampled.gyr_dps_, vertical.gravity_unit_)
        detector = detector.detect(
            vertical.vertical_mps2_, sampling_rate_hz=fs, valid=resampled.valid_, yaw_dps=yaw_dps
        )
        bouts_contacts = detector.bouts_
        positions = [c.astype(np.float64) for c in bouts_contacts]
        if self.contacts != "peaks" and bouts_contacts:
            refiner = (self.contacts or WaveletContacts()).refine(
                vertical.vertical_mps2_, bouts_contacts, sampling_rate_hz=fs
            )
            bouts_contacts, positions = refiner.bouts_, refiner.positions_
        all_contacts = (
            np.concatenate(bouts_contacts) if bouts_contacts else np.zeros(0, dtype=np.intp)
        )
        t_s = resampled.t_s_
        step_length = self.step_length or ZijlstraStepLength()
        position = (
            vertical_position(vertical.vertical_mps2_, fs)
            if height is not None and bouts_contacts
            else None
        )
        bouts: list[Bout] = []
        lengths: list[NDArray[np.float64]] = []
        tilts: list[NDArray[np.float64]] = []
        for contacts, exact in zip(bouts_contacts, positions, strict=True):
            bout, step_lengths = self._bout(
                vertical=vertical.vertical_mps2_,
                position=position,
                step_length=step_length,
                contacts=contacts,
                exact=exact,
                t_s=t_s,
                fs=fs,
                filtered=detector.filtered_mps2_,
            )
            bouts.append(bout)
            if step_lengths is not None:
                lengths.append(step_lengths)
            tilts.append(np.median(vertical.gravity_unit_[contacts[0] : contacts[-1] + 1], axis=0))
        self.result_ = GaitResult(
            sampling_rate_hz=recording.device_rate_hz,
            initial_contacts_s=tuple(float(t) for t in t_s[all_contacts]),
            step_lengths_m=(
                tuple(float(v) for part in lengths for v in (*part, np.nan))
                if height is not None
                else None
            ),
            bouts=tuple(bouts),
            summary=_summary(bouts),
            quality=_quality(recording, resampled.gaps_s_, vertical.from_movement_, bouts, tilts)
            + (() if height is not None else (_NO_HEIGHT,)),
            source=recording.source,
            acc_unit=recording.acc_unit,
            gravity_included=recording.gravity_included,
            duration_s=recording.duration_s,
        )
        return self

    def _bout(
        self,
        *,
        vertical: NDArray[np.floating],
        position: NDArray[np.float64] | None,
        step_length: ZijlstraStepLength,
        contacts: NDArray[np.intp],
        exact: NDArray[np.float64],
        t_s: NDArray[np.float64],
        fs: float,
        filtered: NDArray[np.floating],
    ) -> tuple[Bout, NDArray[np.float64] | None]:
        """One bout's parameters; ``exact`` are its contacts' positions between samples."""
        pad = int(0.5 * fs)
        start = max(int(contacts[0]) - pad, 0)
        end = min(int(contacts[-1]) + pad, vertical.shape[0])
        segment = vertical[start:end]
        reg = (self.regularity or Regularity()).calculate(segment, sampling_rate_hz=fs)
        # Cadence and speed are the bout's typical ones: from the median step time and the
        # median step length, as the Mobilise-D pipeline takes them from step times and
        # lengths with a Hampel filter against outliers (mobgap ``CadFromIc``). A step more
        # or less (a contact the detector finds at one sampling rate and not at another, a
        # pause) then moves them by a fraction of a step, not by a whole one. The contact
        # times are the detector's zero crossings, between samples. Step lengths in a bout
        # with turns spread widely, and the plain median jumps between two of them when
        # one changes a little: their median is the Harrell-Davis estimate (see
        # ``smooth_median``). The weak steps at the bout's edges (gait initiation and
        # termination) weigh less in the median step time (``edge_weights``).
        step_times = np.diff(at_positions(t_s, exact))
        if self.edge_ramp is None:
            step_time = float(np.median(step_times))
        else:
            weights = edge_weights(filtered, exact, np.median(step_times) * fs, self.edge_ramp)
            step_time = weighted_median(step_times, weights)
        cadence = 60.0 / step_time
        speed = stride_length = distance = None
        step_lengths = None
        if self.height_m is not None and position is not None:
            first, last = int(np.floor(exact[0])), int(np.ceil(exact[-1]))
            model = step_length.from_position(
                position[first : last + 1], exact - first, height_m=self.height_m
            )
            step_lengths = with_pauses(model.step_length_m_, step_times / step_time)
            distance = float(step_lengths.sum())
            stride_length = 2.0 * smooth_median(step_lengths)
            speed = stride_length / (2.0 * step_time)
        bout = Bout(
            start_s=float(t_s[contacts[0]]),
            end_s=float(t_s[contacts[-1]]),
            steps=int(contacts.shape[0] - 1),
            cadence_spm=cadence,
            step_time_s=step_time,
            stride_time_s=2.0 * step_time,
            speed_mps=speed,
            stride_length_m=stride_length,
            distance_m=distance,
            step_regularity=reg.step_regularity_,
            stride_regularity=reg.stride_regularity_,
            symmetry=reg.symmetry_,
        )
        return bout, step_lengths


def at_positions(
    values: NDArray[np.float64], positions: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``values`` linearly interpolated at fractional sample ``positions`` (only the samples
    around them are read: a day's array is not copied for each bout)."""
    below = np.clip(np.floor(positions).astype(np.intp), 0, values.shape[0] - 2)
    fraction = positions - below
    return np.asarray(
        values[below] + fraction * (values[below + 1] - values[below]), dtype=np.float64
    )


def smooth_median(values: NDArray[np.float64]) -> float:
    """The Harrell-Davis estimate of the median (Harrell FE, Davis CE. A new
    distribution-free quantile estimator. Biometrika 1982;69:635-640): a weighted mean of the
    sorted values, weighted most near the middle. As robust to a few outliers as the median,
    but it moves smoothly when one value changes, where the median jumps to its neighbour.
    The same as scipy's ``mstats.hdquantiles(values, [0.5])``, without its masked arrays
    (ten times faster: a day of data has thousands of bouts)."""
    n = values.shape[0]
    if n == 0:
        return float("nan")
    half = (n + 1) / 2
    weights = np.diff(special.betainc(half, half, np.arange(n + 1) / n))
    return float(weights @ np.sort(values))


def edge_weights(
    filtered: NDArray[np.floating],
    exact: NDArray[np.float64],
    step: float,
    ramp: tuple[float, float],
) -> NDArray[np.float64]:
    """Weights of a bout's step intervals: those of gait initiation and termination, whose
    peaks are weak, weigh less. Each contact's amplitude is the largest value of the step
    filter in the step after it (its peak), as a ratio to the bout's median; a ratio ramps from
    0 at ``ramp[0]`` to 1 at ``ramp[1]``. A contact weighs as much as the strongest contact
    before it and the strongest after it (the lesser of the two): only the bout's edges are
    weighed down, as the hard trimming drops only leading and trailing weak peaks. An interval
    weighs as much as the lesser of its two contacts."""
    width = max(round(float(step)), 1)
    start = np.clip(np.floor(exact).astype(np.intp), 0, filtered.shape[0] - 1)
    window = np.minimum(start[:, None] + np.arange(width), filtered.shape[0] - 1)
    amplitude = filtered[window].max(axis=1).astype(np.float64)
    ratio = amplitude / np.median(amplitude)
    strength = np.clip((ratio - ramp[0]) / (ramp[1] - ramp[0]), 0.0, 1.0)
    lead = np.maximum.accumulate(strength)
    trail = np.maximum.accumulate(strength[::-1])[::-1]
    contact = np.minimum(lead, trail)
    return np.asarray(np.minimum(contact[:-1], contact[1:]), dtype=np.float64)


def weighted_median(values: NDArray[np.float64], weights: NDArray[np.float64]) -> float:
    """The weighted median by Akinshin's weighted Hyndman-Fan type 7 estimator (Akinshin A.
    Weighted quantile estimators. arXiv:2304.07265, 2023): with equal weights it is the plain
    median; a value of weight zero counts as absent; in between it moves continuously with the
    weights. The sorted values are weighted by the share of a uniform distribution on
    ``[(h - 1) / n, h / n]`` (``n`` the Kish effective sample size, ``h = (n + 1) / 2``) that
    falls in each value's span of the cumulative weights."""
    if not np.any(weights > 0):
        return float(np.median(values))
    order = np.argsort(values)
    w = weights[order] / weights.sum()
    n = 1.0 / float(np.sum(w**2))
    h = 0.5 * (n - 1) + 1
    cum = np.concatenate(([0.0], np.cumsum(w)))
    lo, hi = (h - 1) / n, h / n
    share = np.diff(np.clip((cum - lo) / (hi - lo), 0.0, 1.0))
    return float(share @ values[order])


def pause_weight(ratio: NDArray[np.float64]) -> NDArray[np.float64]:
    """How much each step interval (as a ratio to the bout's median) is a pause rather than a
    step: 0 up to REGULAR_STEP_RATIO - PAUSE_BLEND, 1 from REGULAR_STEP_RATIO + PAUSE_BLEND,
    linear in between."""
    low = REGULAR_STEP_RATIO - PAUSE_BLEND
    return np.asarray(np.clip((ratio - low) / (2 * PAUSE_BLEND), 0.0, 1.0), dtype=np.float64)


def with_pauses(lengths_m: NDArray[np.float64], ratio: NDArray[np.float64]) -> NDArray[np.float64]:
    """Step lengths with pause intervals given the typical length of the bout's steps (the
    median of the intervals that are not wholly pauses), blended by ``pause_weight``."""
    pause = pause_weight(ratio)
    typical = float(np.median(lengths_m[pause < 1]))
    return np.asarray((1 - pause) * lengths_m + pause * typical, dtype=np.float64)


_NO_HEIGHT = QualityFlag(
    "height_unknown", "No body height given: speed and distance not estimated."
)


def _summary(bouts: list[Bout]) -> Summary:
    walking_s = sum(b.duration_s for b in bouts)
    steps = sum(b.steps for b in bouts)
    distances = [b.distance_m for b in bouts if b.distance_m is not None]
    complete = bool(distances) and len(distances) == len(bouts)
    speeds = [b.speed_mps * b.duration_s for b in bouts if b.speed_mps is not None]
    return Summary(
        walking_s=walking_s,
        steps=steps,
        cadence_spm=(
            sum(b.cadence_spm * b.duration_s for b in bouts) / walking_s if walking_s > 0 else None
        ),
        speed_mps=sum(speeds) / walking_s if complete and walking_s > 0 else None,
        distance_m=sum(distances) if complete else None,
    )


def _quality(
    recording: Recording,
    gaps_s: list[tuple[float, float]],
    from_movement: bool,
    bouts: list[Bout],
    tilts: list[NDArray[np.float64]],
) -> tuple[QualityFlag, ...]:
    flags: list[QualityFlag] = []
    if recording.duration_s < MIN_RECORDING_S:
        flags.append(
            QualityFlag("too_short", f"The recording is shorter than {MIN_RECORDING_S:.0f} s.")
        )
    if not bouts:
        flags.append(QualityFlag("no_walking", "No walking bout of two strides or more found."))
    if recording.device_rate_hz < MIN_DEVICE_RATE_HZ:
        flags.append(
            QualityFlag(
                "low_sampling_rate",
                f"The sensor sampled below {MIN_DEVICE_RATE_HZ:.0f} Hz: steps may be missed.",
            )
        )
    if gaps_s:
        flags.append(
            QualityFlag(
                "sampling_gaps",
                f"{len(gaps_s)} gap(s) in the samples; no steps are counted inside them.",
            )
        )
    if from_movement:
        flags.append(
            QualityFlag(
                "no_gravity",
                "The acceleration has no gravity in it: the vertical was found from movement.",
            )
        )
    if len(tilts) > 1:
        reference = tilts[0] / np.linalg.norm(tilts[0])
        cosines = [float(reference @ (t / np.linalg.norm(t))) for t in tilts[1:]]
        if min(cosines) < np.cos(np.radians(PHONE_MOVED_DEG)):
            flags.append(
                QualityFlag(
                    "phone_moved",
                    f"The phone's tilt changed by more than {PHONE_MOVED_DEG:.0f}° between "
                    "walking bouts: it may have moved on the belt.",
                )
            )
    return tuple(flags)


def analyse(recording: Recording, *, height_m: float | None = None) -> GaitResult:
    """Analyse a recording with the default pipeline."""
    return GaitPipeline(height_m=height_m).run(recording).result_


def analyse_arrays(
    t_s: ArrayLike,
    acc: ArrayLike,
    gyr_dps: ArrayLike | None = None,
    *,
    height_m: float | None = None,
) -> GaitResult:
    """Analyse samples already in memory (for example a browser's DeviceMotion upload).

    ``acc`` is ``(n, 3)`` in m/s² (or g: detected), with gravity; ``gyr_dps`` in deg/s.
    """
    return analyse(from_arrays(t_s, acc, gyr_dps), height_m=height_m)


def analyse_file(
    path: Path | str, *, file_format: Format = "auto", height_m: float | None = None
) -> GaitResult:
    """Read a file (see :func:`~backstride.gait.readers.read_recording`) and analyse it."""
    return analyse(read_recording(Path(path), file_format), height_m=height_m)
