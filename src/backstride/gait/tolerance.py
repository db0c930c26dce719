"""The walking tolerance test: walk at a comfortable pace until pain stops you, or 15 minutes.

Given an analysed recording and the markers the person set (when pain started, when they
stopped, why, and how long sitting or leaning forward took to ease it), this computes the
time and estimated distance to the first symptom and the total walking. It stores nothing:
the diary and the recording page keep the result.

Walking time is counted from the first initial contact, and distance is the sum of the
estimated step lengths (Zijlstra & Hof 2003), so both are estimates from the phone; a
treadmill or measured-course test remains the reference (Tomkins-Lane CC, Battié MC.
Validation of a self-paced walking test in spinal stenosis. Arch Phys Med Rehabil
2010;91:22-27).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from backstride.gait.errors import GaitInputError
from backstride.gait.pipeline import GaitResult, QualityFlag

TIME_LIMIT_S = 15 * 60.0
#: Samples further apart than this are a hole in the recording, not jitter (the resampler's
#: ``max_gap_s``).
MAX_SAMPLE_GAP_S = 0.5
#: Holes adding up to this much of the walk are worth a note to the person. A phone whose
#: screen turns off stops sending motion in the browser, often after 30 s to 2 minutes.
NOT_RECORDED_NOTE_S = 5.0


class StopReason(StrEnum):
    """Why the walk ended."""

    PAIN = "pain"
    TIME_LIMIT = "time_limit"
    OTHER_SYMPTOM = "other_symptom"
    OTHER = "other"


@dataclass(frozen=True)
class ToleranceResult:
    """The test's outcome. Distances are ``None`` when no body height was given."""

    time_to_first_symptom_s: float | None
    distance_to_first_symptom_m: float | None
    walking_time_s: float
    distance_m: float | None
    total_time_s: float
    stop_reason: StopReason
    recovery_s: float | None
    reached_time_limit: bool
    steps: int
    #: Time between the start and the stop with no samples (holes longer than
    #: ``MAX_SAMPLE_GAP_S``, and the end after the last sample); None without the sample times.
    unrecorded_s: float | None = None
    #: Notes on the test's recording: ``not_recorded`` when ``unrecorded_s`` reaches
    #: ``NOT_RECORDED_NOTE_S``.
    quality: tuple[QualityFlag, ...] = ()


def walking_tolerance(
    result: GaitResult,
    *,
    stopped_s: float,
    stop_reason: StopReason | str,
    pain_started_s: float | None = None,
    recovery_s: float | None = None,
    started_s: float | None = None,
    sample_times_s: Sequence[float] | None = None,
) -> ToleranceResult:
    """Compute the walking tolerance test from an analysed recording and its markers.

    Times are on the recording's clock (the ``t_s`` of its samples). ``started_s``
    defaults to the first initial contact. With ``sample_times_s`` (the recording's own
    times), the time the phone did not record is measured: the markers are taps on a clock
    that goes on when a phone's screen turns off and its motion stops, so the steps and
    distance may cover less of the walk than the times do.

    Raises
    ------
    GaitInputError
        Naming the marker that is missing, out of order or outside the recording.
    """
    try:
        reason = StopReason(stop_reason)
    except ValueError:
        choices = ", ".join(r.value for r in StopReason)
        raise GaitInputError(f"stop_reason: must be one of {choices}") from None
    contacts = np.asarray(result.initial_contacts_s)
    if contacts.shape[0] == 0:
        raise GaitInputError("recording: no walking found, so no walking test can be scored")
    start = float(contacts[0]) if started_s is None else started_s
    for name, value in (
        ("started_s", start),
        ("stopped_s", stopped_s),
        ("pain_started_s", pain_started_s),
        ("recovery_s", recovery_s),
    ):
        if value is not None and not math.isfinite(value):
            raise GaitInputError(f"{name}: must be a number")
    if stopped_s <= start:
        raise GaitInputError("stopped_s: must be after the start of the walk")
    if pain_started_s is not None and not start <= pain_started_s <= stopped_s:
        raise GaitInputError("pain_started_s: must be between the start and stopped_s")
    if recovery_s is not None and recovery_s < 0:
        raise GaitInputError("recovery_s: must not be negative")
    walking_s, distance_m, steps = _walked(result, start, stopped_s)
    to_symptom_s = to_symptom_m = None
    if pain_started_s is not None:
        to_symptom_s = pain_started_s - start
        to_symptom_m = _walked(result, start, pain_started_s)[1]
    total = stopped_s - start
    unrecorded = None if sample_times_s is None else _unrecorded(sample_times_s, start, stopped_s)
    quality: tuple[QualityFlag, ...] = ()
    if unrecorded is not None and unrecorded >= NOT_RECORDED_NOTE_S:
        quality = (
            QualityFlag(
                "not_recorded",
                f"The phone sent no movement for {_words(unrecorded)} of the "
                f"{_words(total)} of the test, perhaps because its screen turned off. The "
                "steps, distance and speed come from the rest of the walk only; the times "
                "from your taps are not affected.",
            ),
        )
    return ToleranceResult(
        time_to_first_symptom_s=to_symptom_s,
        distance_to_first_symptom_m=to_symptom_m,
        walking_time_s=walking_s,
        distance_m=distance_m,
        total_time_s=total,
        stop_reason=reason,
        recovery_s=recovery_s,
        reached_time_limit=total >= TIME_LIMIT_S,
        steps=steps,
        unrecorded_s=unrecorded,
        quality=quality,
    )


def _unrecorded(times: Sequence[float], start_s: float, end_s: float) -> float:
    """Seconds of ``[start_s, end_s]`` not covered by samples less than
    ``MAX_SAMPLE_GAP_S`` apart (before the first sample and after the last included)."""
    t = np.clip(np.asarray(times, dtype=np.float64), start_s, end_s)
    steps = np.diff(np.concatenate(([start_s], t, [end_s])))
    return float(steps[steps > MAX_SAMPLE_GAP_S].sum())


def _words(seconds: float) -> str:
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if minutes == 0:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _walked(result: GaitResult, start_s: float, end_s: float) -> tuple[float, float | None, int]:
    """Walking time, distance and steps between two times (partial bouts counted in part)."""
    walking_s = 0.0
    distance: float | None = 0.0 if result.step_lengths_m is not None else None
    steps = 0
    lengths = iter(result.step_lengths_m or ())
    contacts = iter(result.initial_contacts_s)
    for bout in result.bouts:
        walking_s += max(0.0, min(end_s, bout.end_s) - max(start_s, bout.start_s))
        times = [next(contacts) for _ in range(bout.steps + 1)]
        step_lengths = (
            [next(lengths) for _ in range(bout.steps + 1)] if distance is not None else []
        )
        for i in range(bout.steps):
            if start_s <= times[i] and times[i + 1] <= end_s:
                steps += 1
                if distance is not None:
                    distance += step_lengths[i]
    return walking_s, distance, steps
