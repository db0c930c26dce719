"""The walking test page: a real lower-back recording uploaded as the browser sends it."""

from __future__ import annotations

import csv
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape

from backstride.gait import pipeline
from backstride.interop import fhir, report
from backstride.services import walking_tests
from backstride.services.container import Services
from backstride.services.walking_tests import WalkingTests
from backstride.web.pages.walk_test import MAX_UPLOAD_BYTES, QUALITY_WORDS
from tests.persistence.conftest import Clock
from tests.web.conftest import add_user, new_client, sign_in

RECORDING = (
    Path(__file__).resolve().parents[1] / "data/gait/mobgap-tvs-lab/HA_001_Test5_Trial1_imu.csv"
)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples/stenosis-walker.json"
CSRF_ATTR = re.compile(r'data-csrf="([^"]+)"')


def upload_body(**markers: Any) -> dict[str, Any]:
    """A 12.5 s recording at 100 Hz with a short straight walk in it, as DeviceMotion
    samples, with markers."""
    columns: dict[str, list[float]] = {}
    with RECORDING.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for key, value in row.items():
                columns.setdefault(key, []).append(float(value))
    return {
        **columns,
        "stopped_s": 12.0,
        "stop_reason": "pain",
        "pain_started_s": 6.0,
        "recovery_s": 95.0,
        "height_m": 1.59,
        **markers,
    }


def with_hole(body: dict[str, Any], from_s: float, to_s: float) -> dict[str, Any]:
    """The upload without its samples strictly between ``from_s`` and ``to_s`` (the phone sent
    none then)."""
    keep = [i for i, t in enumerate(body["t_s"]) if not from_s < t < to_s]
    samples = ("t_s", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z")
    return {**body, **{key: [body[key][i] for i in keep] for key in samples}}


def csrf_header(client: TestClient) -> dict[str, str]:
    found = CSRF_ATTR.search(client.get("/walk-test").text)
    assert found
    return {"x-csrf-token": found.group(1)}


@pytest.fixture
def walker(client: TestClient, services: Services) -> TestClient:
    add_user(services, "ann")
    sign_in(client, "ann")
    return client


def test_a_recorded_walk_is_analysed_stored_and_shown(
    walker: TestClient, services: Services
) -> None:
    response = walker.post("/walk-test", json=upload_body(), headers=csrf_header(walker))
    assert response.status_code == 201, response.text
    [test] = WalkingTests(services.records).tests("ann")
    assert response.json() == {"id": test.id, "url": f"/walk-test/{test.id}"}
    assert test.stop_reason == "pain"
    assert test.recovery_s == 95.0
    assert test.time_to_first_symptom_s == pytest.approx(6.0), "timed from the Start tap"
    # The reference system saw a 4.8 s bout of 7 strides (about 5 m) in this recording.
    assert 6 <= test.steps <= 12
    assert test.cadence_spm is not None
    assert 80 < test.cadence_spm < 130
    assert test.distance_m is not None
    assert 3 < test.distance_m < 8
    page = walker.get(f"/walk-test/{test.id}")
    assert page.status_code == 200
    assert "Pain made me stop" in page.text
    assert "1 min 35 s" in page.text
    history = walker.get("/walk-test")
    assert 'id="walk-tests-data"' in history.text, "charted over the weeks"


def test_a_walk_the_phone_did_not_all_record_is_noted(
    walker: TestClient, services: Services
) -> None:
    """The screen went off: 3 s of samples missing before the walk, and the Stop tapped 4 s
    after the last one."""
    body = with_hole(upload_body(stopped_s=16.45, pain_started_s=None), 1.0, 4.0)
    response = walker.post("/walk-test", json=body, headers=csrf_header(walker))
    assert response.status_code == 201, response.text
    [test] = WalkingTests(services.records).tests("ann")
    assert test.detail["unrecorded_s"] == pytest.approx(7.0, abs=0.05)
    codes = [q["code"] for q in test.detail["quality"]]
    assert "not_recorded" in codes
    assert "sampling_gaps" not in codes, "said once, in words"
    page = walker.get(f"/walk-test/{test.id}")
    assert "The phone sent no movement for 7 s of the 16 s of the test" in page.text


def test_notes_on_the_recording_are_in_plain_words(walker: TestClient, services: Services) -> None:
    """No height, and a 1 s hole before the walk (too short for the note on time not
    recorded): the analysis's notes are shown in a person's words, not its own."""
    body = with_hole(upload_body(height_m=None), 1.0, 2.0)
    response = walker.post("/walk-test", json=body, headers=csrf_header(walker))
    assert response.status_code == 201, response.text
    [test] = WalkingTests(services.records).tests("ann")
    codes = {q["code"] for q in test.detail["quality"]}
    assert codes == {"height_unknown", "sampling_gaps"}
    page = walker.get(f"/walk-test/{test.id}").text
    for code in codes:
        assert str(escape(QUALITY_WORDS[code])) in page
    assert "gap(s) in the samples" not in page
    assert "No body height given" not in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"stop_reason": "bored"}, "stop_reason"),
        ({"acc_y": [0.0, 1.0]}, "acc_y"),
        ({"stopped_s": 50.0, "pain_started_s": 60.0}, "pain_started_s"),
        ({"height_m": 3.5}, "height_m"),
        ({"t_s": [0.0] * 1246}, "t_s"),
    ],
)
def test_bad_uploads_are_422_naming_the_field_and_store_nothing(
    walker: TestClient, services: Services, change: dict[str, Any], field: str
) -> None:
    response = walker.post("/walk-test", json=upload_body(**change), headers=csrf_header(walker))
    assert response.status_code == 422
    assert [d["loc"] for d in response.json()["detail"]] == [["body", field]]
    assert WalkingTests(services.records).tests("ann") == []


def test_uploads_need_the_pages_token_and_a_sane_size(walker: TestClient) -> None:
    assert walker.post("/walk-test", json=upload_body()).status_code == 403
    headers = {
        **csrf_header(walker),
        "content-length": str(MAX_UPLOAD_BYTES + 1),
        "content-type": "application/json",
    }
    too_big = walker.post("/walk-test", content=b"{}", headers=headers)
    assert too_big.status_code == 413
    assert too_big.json() == {"detail": "the recording is too large"}, "JSON for the page script"
    not_json = walker.post("/walk-test", content=b"{nope", headers=csrf_header(walker))
    assert not_json.status_code == 422


def test_a_days_tests_are_limited_and_the_next_day_starts_afresh(
    walker: TestClient, services: Services, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(walking_tests, "MAX_TESTS_PER_DAY", 2)
    headers = csrf_header(walker)
    for _ in range(2):
        assert walker.post("/walk-test", json=upload_body(), headers=headers).status_code == 201

    def analysed(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a refused upload is not analysed")

    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "analyse_arrays", analysed)
        refused = walker.post("/walk-test", json=upload_body(), headers=headers)
    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "You have recorded 2 walking tests today, the most for one day. "
        "You can record another tomorrow."
    }
    assert len(WalkingTests(services.records).tests("ann")) == 2
    clock.now += timedelta(days=1)
    sign_in(walker, "ann")  # yesterday's session has ended
    fresh = csrf_header(walker)
    assert walker.post("/walk-test", json=upload_body(), headers=fresh).status_code == 201
    assert len(WalkingTests(services.records).tests("ann")) == 3


def test_results_are_private(app: FastAPI, walker: TestClient, services: Services) -> None:
    walker.post("/walk-test", json=upload_body(), headers=csrf_header(walker))
    [test] = WalkingTests(services.records).tests("ann")
    add_user(services, "bob")
    other = new_client(app)
    sign_in(other, "bob")
    assert other.get(f"/walk-test/{test.id}").status_code == 404
    assert new_client(app).get("/walk-test", follow_redirects=False).status_code == 303


def test_the_doctor_summary_and_the_records_export_include_the_walking_tests(
    walker: TestClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        walker.post("/walk-test", json=upload_body(), headers=csrf_header(walker)).status_code
        == 201
    )
    [stored] = WalkingTests(services.records).tests("ann")
    person = services.records.history("ann")[0]
    services.keep_assessment(person, json.loads(EXAMPLE.read_text(encoding="utf-8")))
    laid_out: list[report.ReportData] = []

    def capture(data: report.ReportData) -> bytes:
        laid_out.append(data)
        return b"%PDF-"

    monkeypatch.setattr(report, "report_pdf", capture)
    assert walker.get("/report.pdf").status_code == 200
    [data] = laid_out
    assert list(data.walking_tests) == [stored]
    # "Everything stored about you" holds it too, and reads back the same.
    bundle = walker.get("/account/export.json").json()
    [imported] = fhir.import_bundle(bundle).walking_tests
    assert imported.time_to_first_symptom_s == stored.time_to_first_symptom_s
    assert imported.stop_reason == stored.stop_reason == "pain"
