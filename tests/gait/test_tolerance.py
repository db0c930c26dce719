"""The walking tolerance test: time and distance to first symptom from an analysed walk."""

from __future__ import annotations

import numpy as np
import pytest

from backstride.gait import GaitInputError, analyse_arrays
from backstride.gait.tolerance import StopReason, walking_tolerance
from tests.gait.conftest import arrays


@pytest.fixture(scope="module")
def daily() -> object:
    return analyse_arrays(*arrays("HA_001_Test11_Trial1"), height_m=1.59)


def test_time_and_distance_to_first_symptom(daily: object) -> None:
    result = daily
    first = result.initial_contacts_s[0]  # type: ignore[attr-defined]
    out = walking_tolerance(
        result,  # type: ignore[arg-type]
        stopped_s=118.0,
        stop_reason="pain",
        pain_started_s=60.0,
        recovery_s=90.0,
    )
    assert out.time_to_first_symptom_s == pytest.approx(60.0 - first)
    assert out.total_time_s == pytest.approx(118.0 - first)
    assert out.stop_reason is StopReason.PAIN
    assert out.recovery_s == 90.0
    assert not out.reached_time_limit
    assert out.distance_to_first_symptom_m is not None
    assert out.distance_m is not None
    assert 0 < out.distance_to_first_symptom_m < out.distance_m
    # Walking time is the bouts' time inside the window, less than the clock time.
    bouts = [b for b in result.bouts if b.end_s <= 118.0]  # type: ignore[attr-defined]
    assert out.walking_time_s == pytest.approx(sum(b.duration_s for b in bouts))
    assert out.walking_time_s < out.total_time_s
    assert out.steps == sum(b.steps for b in bouts)


def test_whole_recording_matches_the_summary(daily: object) -> None:
    result = daily
    out = walking_tolerance(result, stopped_s=1000.0, stop_reason=StopReason.OTHER)  # type: ignore[arg-type]
    assert out.walking_time_s == pytest.approx(result.summary.walking_s)  # type: ignore[attr-defined]
    assert out.distance_m == pytest.approx(result.summary.distance_m)  # type: ignore[attr-defined]
    assert out.steps == result.summary.steps  # type: ignore[attr-defined]
    assert out.reached_time_limit
    assert out.time_to_first_symptom_s is None


def test_without_height_distances_are_none() -> None:
    result = analyse_arrays(*arrays("HA_001_Test5_Trial1"))
    out = walking_tolerance(result, stopped_s=12.0, stop_reason="time_limit", pain_started_s=8.0)
    assert out.distance_m is None
    assert out.distance_to_first_symptom_m is None
    assert out.steps > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"stopped_s": 100.0, "stop_reason": "bored"}, "stop_reason"),
        ({"stopped_s": 1.0, "stop_reason": "pain"}, "stopped_s"),
        ({"stopped_s": 100.0, "stop_reason": "pain", "pain_started_s": 200.0}, "pain_started_s"),
        ({"stopped_s": 100.0, "stop_reason": "pain", "recovery_s": -1.0}, "recovery_s"),
        ({"stopped_s": float("nan"), "stop_reason": "pain"}, "stopped_s"),
    ],
)
def test_bad_markers_are_named(daily: object, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(GaitInputError, match=message):
        walking_tolerance(daily, **kwargs)  # type: ignore[arg-type]


def test_no_walking_cannot_be_scored() -> None:
    t = np.arange(0, 20, 0.01)
    still = analyse_arrays(t, np.tile([0.0, 9.81, 0.0], (t.shape[0], 1)))
    with pytest.raises(GaitInputError, match="no walking"):
        walking_tolerance(still, stopped_s=10.0, stop_reason="pain")


def test_a_bout_cut_by_the_stop_counts_in_part(daily: object) -> None:
    result = daily
    bout = result.bouts[-1]  # type: ignore[attr-defined]
    middle = (bout.start_s + bout.end_s) / 2
    before = walking_tolerance(result, stopped_s=bout.start_s, stop_reason="pain")  # type: ignore[arg-type]
    cut = walking_tolerance(result, stopped_s=middle, stop_reason="pain")  # type: ignore[arg-type]
    assert cut.walking_time_s == pytest.approx(before.walking_time_s + middle - bout.start_s)
    assert before.steps < cut.steps < before.steps + bout.steps


def test_time_the_phone_did_not_record_is_measured_and_noted() -> None:
    """A phone whose screen turns off stops sending motion while the test's clock goes on:
    the hole in the samples and the end after the last sample are counted, jitter is not."""
    t, acc, _ = arrays("HA_001_Test5_Trial1")
    result = analyse_arrays(t, acc)
    start, last = float(t[0]), float(t[-1])
    whole = walking_tolerance(
        result, stopped_s=last, stop_reason="pain", started_s=start, sample_times_s=t.tolist()
    )
    assert whole.unrecorded_s == pytest.approx(0.0)
    assert whole.quality == ()
    # 4 s cut out of the middle, and the stop tapped 3 s after the last sample: 7 s in all.
    middle = start + (last - start) / 2
    holed = [s for s in t.tolist() if not middle < s < middle + 4.0]
    out = walking_tolerance(
        result, stopped_s=last + 3.0, stop_reason="pain", started_s=start, sample_times_s=holed
    )
    assert out.unrecorded_s == pytest.approx(7.0, abs=0.02)
    assert [q.code for q in out.quality] == ["not_recorded"]
    assert "no movement for 7 s of the" in out.quality[0].message
    # Under the note's threshold: measured, not noted.
    short = walking_tolerance(
        result, stopped_s=last + 3.0, stop_reason="pain", started_s=start, sample_times_s=t.tolist()
    )
    assert short.unrecorded_s == pytest.approx(3.0, abs=0.02)
    assert short.quality == ()
    assert walking_tolerance(result, stopped_s=last, stop_reason="pain").unrecorded_s is None
