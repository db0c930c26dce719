"""Contacts inside each bout from the wavelet detector: they stay inside the bout the step
detector found (to within the quarter second by which two detectors' contacts may differ), a
bout where it finds too few keeps its own, and neighbouring bouts share one run of the
detector without changing what it finds."""

from __future__ import annotations

import numpy as np

from backstride.gait import GaitPipeline, from_arrays
from backstride.gait.contacts import MIN_CONTACTS, WaveletContacts
from backstride.gait.detection import StepDetector
from backstride.gait.preprocess import Resampler, VerticalAcceleration
from tests.gait.conftest import arrays, meta

FS = 100.0
DAILY = "MS_001_Test11_Trial1"  # slow, shuffling steps: where peak picking counts double


def detected(name: str) -> tuple[np.ndarray, list[np.ndarray]]:
    recording = from_arrays(*arrays(name))
    resampled = Resampler().resample(recording)
    vertical = (
        VerticalAcceleration()
        .estimate(resampled.acc_mps2_, sampling_rate_hz=FS, gravity_included=True)
        .vertical_mps2_
    )
    return vertical, StepDetector().detect(vertical, sampling_rate_hz=FS).bouts_


def test_wavelet_contacts_stay_inside_each_detected_bout() -> None:
    vertical, bouts = detected(DAILY)
    refined = WaveletContacts().refine(vertical, bouts, sampling_rate_hz=FS)
    assert len(refined.bouts_) == len(bouts)
    assert refined.replaced_ >= len(bouts) - 1, "the wavelet detector serves nearly every bout"
    for before, after in zip(bouts, refined.bouts_, strict=True):
        assert after.shape[0] >= MIN_CONTACTS
        reach = int(WaveletContacts().reach_s * FS)
        assert before[0] - reach <= after[0], "the bout starts at most a contact's reach early"
        assert after[-1] <= before[-1] + reach, "and ends at most that late"
        assert np.all(np.diff(after) > 0), "ascending, no contact twice"
        assert np.all(np.diff(after) >= 0.25 * FS), "no two contacts within a quarter second"


def test_a_bout_the_wavelet_detector_cannot_fill_keeps_its_own_contacts() -> None:
    """Four contacts in 0.3 s: no walking gives four steps in that time, so the wavelet
    detector cannot find four there, and the bout keeps the contacts it has."""
    vertical, _ = detected(DAILY)
    own = np.array([5000, 5010, 5020, 5030], dtype=np.intp)
    refined = WaveletContacts().refine(vertical, [own], sampling_rate_hz=FS)
    assert refined.replaced_ == 0
    assert refined.bouts_[0] is own


def test_bouts_sharing_one_run_get_what_each_would_get_alone() -> None:
    vertical, bouts = detected(DAILY)
    together = WaveletContacts().refine(vertical, bouts, sampling_rate_hz=FS).bouts_
    for bout, shared in zip(bouts, together, strict=True):
        alone = WaveletContacts().refine(vertical, [bout], sampling_rate_hz=FS).bouts_[0]
        # The detector's filters reach a few seconds: far from the edges both runs agree.
        # (to within a sample: each run interpolates the zero crossings on its own).
        middle = alone[(alone > bout[0] + 3 * FS) & (alone < bout[-1] - 3 * FS)]
        nearest = np.abs(middle[:, None] - shared[None, :]).min(axis=1, initial=10**9)
        assert np.all(nearest <= 1)


def test_the_pipeline_can_keep_the_step_detectors_own_contacts() -> None:
    recording = from_arrays(*arrays(DAILY))
    height = float(meta(DAILY)["height_m"])  # type: ignore[arg-type]
    peaks = GaitPipeline(height_m=height, contacts="peaks").run(recording).result_
    wavelet = GaitPipeline(height_m=height).run(recording).result_
    _, bouts = detected(DAILY)
    assert len(peaks.initial_contacts_s) == sum(b.shape[0] for b in bouts)
    assert [round(b.start_s, 2) for b in peaks.bouts] == [round(b[0] / FS, 2) for b in bouts]
    assert len(wavelet.bouts) == len(peaks.bouts), "the same bouts either way"
    assert wavelet.initial_contacts_s != peaks.initial_contacts_s
