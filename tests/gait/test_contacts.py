"""Contacts inside each bout from the wavelet detector: they stay inside the bout the step
detector found (from the wavelet contact nearest its first contact to the one nearest its
last), a bout where it finds too few keeps its own, and neighbouring bouts share one run of
the detector without changing what it finds."""

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
    assert refined.replaced_ == len(refined.bouts_) == len(bouts), "it serves every bout here"
    for before, after in zip(bouts, refined.bouts_, strict=True):
        assert after.shape[0] >= MIN_CONTACTS
        step = float(np.median(np.diff(before)))
        assert before[0] - step <= after[0], "the bout starts at most a step early"
        assert after[-1] <= before[-1] + step, "and ends at most a step late"
        assert np.all(np.diff(after) > 0), "ascending, no contact twice"
        assert np.all(np.diff(after) >= 0.25 * FS), "no two contacts within a quarter second"


def test_a_bout_the_wavelet_detector_cannot_fill_is_dropped_unless_kept() -> None:
    """Four contacts in 0.3 s: no walking gives four steps in that time, so the wavelet
    detector cannot find four there. The bout is not confirmed as walking: it is dropped,
    or, if asked, keeps the contacts it has."""
    vertical, bouts = detected(DAILY)
    own = np.array([5000, 5010, 5020, 5030], dtype=np.intp)
    assert bouts[0][-1] < own[0]
    dropped = WaveletContacts().refine(vertical, [bouts[0], own], sampling_rate_hz=FS)
    assert dropped.replaced_ == 1
    assert len(dropped.bouts_) == len(dropped.positions_) == 1
    assert dropped.bouts_[0][-1] < own[0], "the real bout stays"
    kept = WaveletContacts(keep_unconfirmed=True).refine(vertical, [own], sampling_rate_hz=FS)
    assert kept.replaced_ == 0
    assert kept.bouts_[0] is own


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


def test_positions_are_the_detectors_crossings_between_samples() -> None:
    vertical, bouts = detected(DAILY)
    refined = WaveletContacts().refine(vertical, bouts, sampling_rate_hz=FS)
    assert len(refined.positions_) == len(refined.bouts_)
    fractional = False
    for contacts, positions in zip(refined.bouts_, refined.positions_, strict=True):
        assert positions.shape == contacts.shape
        assert np.all(np.abs(positions - contacts) <= 0.5), "each contact is its rounded position"
        fractional |= bool(np.any(positions != np.round(positions)))
    assert fractional, "the zero crossings fall between samples"


class _OneContactMore(WaveletContacts):
    """The wavelet contacts, with one contact added halfway through the middle step of the
    bout with most contacts (as a zero crossing found at one sampling rate and not another)."""

    def refine(
        self, vertical_mps2: np.ndarray, bouts: list[np.ndarray], *, sampling_rate_hz: float
    ) -> _OneContactMore:
        super().refine(vertical_mps2, bouts, sampling_rate_hz=sampling_rate_hz)
        longest = max(range(len(self.bouts_)), key=lambda i: self.bouts_[i].shape[0])
        contacts, positions = self.bouts_[longest], self.positions_[longest]
        middle = contacts.shape[0] // 2
        extra = (contacts[middle] + contacts[middle + 1]) // 2
        self.bouts_[longest] = np.insert(contacts, middle + 1, extra)
        self.positions_[longest] = np.insert(positions, middle + 1, float(extra))
        return self


def test_one_contact_more_moves_cadence_and_speed_by_a_fraction_of_a_step() -> None:
    """Cadence and speed come from the median step time and length, so a contact more (or
    less) in a regular bout moves them by a fraction of what a whole step does to a count
    of steps over the bout's duration (12 steps/min in this 5 s bout). In an irregular bout
    (turns, slow shuffling) the steps around the median are far apart and one contact can
    still move it by several steps/min (docs/validation/gait.md)."""
    name = "HA_001_Test5_Trial1"
    recording = from_arrays(*arrays(name))
    height = float(meta(name)["height_m"])  # type: ignore[arg-type]
    plain = GaitPipeline(height_m=height).run(recording).result_
    more = GaitPipeline(height_m=height, contacts=_OneContactMore()).run(recording).result_
    changed = [(a, b) for a, b in zip(plain.bouts, more.bouts, strict=True) if a.steps != b.steps]
    assert len(changed) == 1
    before, after = changed[0]
    assert after.steps == before.steps + 1
    count_change = 60.0 / before.duration_s
    assert abs(after.cadence_spm - before.cadence_spm) < 0.25 * count_change
    assert before.speed_mps is not None
    assert after.speed_mps is not None
    assert abs(after.speed_mps - before.speed_mps) < 0.02


def test_a_bout_runs_from_the_contact_nearest_its_first_peak_to_the_one_nearest_its_last() -> None:
    """The edges follow the nearest contact, not a fixed window around the peak: moving the
    step detector's edges by a sample (as resampling does) keeps the same contacts."""
    vertical, bouts = detected(DAILY)
    for bout in bouts:
        alone = WaveletContacts().refine(vertical, [bout], sampling_rate_hz=FS).bouts_[0]
        for shift in (-1, 1):
            moved = bout.copy()
            moved[0] += shift
            moved[-1] -= shift
            again = WaveletContacts().refine(vertical, [moved], sampling_rate_hz=FS).bouts_[0]
            assert again.shape == alone.shape
            # (to within a sample: the detector's run is a sample longer or shorter)
            assert np.all(np.abs(again - alone) <= 1)
