"""The clinician's pages: the caseload ordered by need, a linked person's records, and
programme changes that are stored and recorded in the person's audit trail."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.domain.diary import Person, Role
from backstride.persistence import walking_tests as walking_repo
from backstride.services.container import Services
from tests.persistence.conftest import Clock
from tests.web.conftest import add_user, csrf_token, sign_in, submit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STENOSIS = json.loads((EXAMPLES / "stenosis-walker.json").read_text(encoding="utf-8"))


def entry(day: Any, pain: int, **extra: Any) -> dict[str, Any]:
    return {"day": day, "pain_now": pain, "pain_walking": pain, "walk_minutes": 10.0, **extra}


def patient(
    services: Services,
    clock: Clock,
    clinician: Person | None,
    name: str,
    pains: dict[int, int],
    *,
    assessed: bool = True,
    **extra: Any,
) -> Person:
    """A linked person assessed 10 days ago, with check-ins ``{days ago: pain}``."""
    person = add_user(services, name)
    if clinician is not None:
        services.records.link(clinician.name, name)
    now = clock.now
    if assessed:
        clock.now = now - timedelta(days=10)
        services.keep_assessment(person, STENOSIS)
        clock.now = now
    today = now.astimezone().date()
    for ago, pain in sorted(pains.items(), reverse=True):
        services.records.add_entry(name, entry(today - timedelta(days=ago), pain, **extra))
    return person


@pytest.fixture
def clinic(services: Services, clock: Clock) -> dict[str, Person]:
    clock.now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    doctor = add_user(services, "dr-ward", Role.CLINICIAN)
    people = {
        "doctor": doctor,
        "stable": patient(services, clock, doctor, "Stan", {2: 3, 1: 3, 0: 3}),
        "missed": patient(services, clock, doctor, "Mary", {6: 3, 5: 3}),
        "worse": patient(services, clock, doctor, "Walt", {3: 2, 2: 2, 1: 3, 0: 4}),
        "new": patient(services, clock, doctor, "Newt", {}, assessed=False),
        "other": patient(services, clock, None, "Olga", {0: 3}),
    }
    esme = patient(services, clock, doctor, "Esme", {1: 3})
    today = clock.now.astimezone().date()
    services.records.add_entry("Esme", entry(today, 3, red_flag=True))
    people["escalated"] = esme
    return people


def signed_in_doctor(client: TestClient) -> TestClient:
    sign_in(client, "dr-ward")
    return client


def stored_plan(services: Services, name: str) -> dict[str, Any]:
    plan = services.records.history(name)[3]
    assert plan is not None
    return plan.plan


def exercise(plan: dict[str, Any], exercise_id: str) -> dict[str, Any] | None:
    return next((e for e in plan["exercises"] if e["id"] == exercise_id), None)


def test_caseload_is_ordered_by_need(client: TestClient, clinic: dict[str, Person]) -> None:
    page = signed_in_doctor(client).get("/clinician")
    assert page.status_code == 200
    order = ["Esme", "Walt", "Newt", "Mary", "Stan"]
    positions = [page.text.index(f">{name}</a>") for name in order]
    assert positions == sorted(positions)
    assert "Emergency" in page.text
    assert "Pain worse (2 → 4 out of 10)" in page.text
    assert "No check-in for 5 days" in page.text
    assert "No check-in yet" in page.text
    assert "Nothing flagged" in page.text
    assert 'href="/account#invite-title"' in page.text


def test_caseload_lists_only_linked_people(client: TestClient, clinic: dict[str, Person]) -> None:
    page = signed_in_doctor(client).get("/clinician")
    assert "Olga" not in page.text
    assert f"/clinician/people/{clinic['other'].id}" not in page.text


def test_caseload_without_people_says_how_to_invite(client: TestClient, services: Services) -> None:
    add_user(services, "dr-new", Role.CLINICIAN)
    sign_in(client, "dr-new")
    page = client.get("/clinician")
    assert page.status_code == 200
    assert "Nobody is linked to you yet" in page.text


def test_person_page_shows_records(client: TestClient, clinic: dict[str, Person]) -> None:
    page = signed_in_doctor(client).get(f"/clinician/people/{clinic['escalated'].id}")
    assert page.status_code == 200
    text = page.text
    for heading in ("Charts", "Recent diary", "Assessments", "Programme", "Change history"):
        assert f">{heading}</h2>" in text
    assert 'id="pain-data"' in text
    assert 'id="tolerance-data"' in text
    assert 'id="adherence-data"' in text
    assert "Diary escalation: Emergency" in text
    assert "<strong>Yes</strong>" in text  # the warning sign in the diary table
    assert "Press-up lying on your front" not in text  # avoided: not offered
    assert 'name="action" value="dose"' in text


@pytest.mark.parametrize("which", ["other", "missing"])
def test_unlinked_or_unknown_people_are_not_found(
    client: TestClient, clinic: dict[str, Person], which: str
) -> None:
    person_id = clinic["other"].id if which == "other" else 99_999
    signed_in_doctor(client)
    assert client.get(f"/clinician/people/{person_id}").status_code == 404
    token_page = client.get(f"/clinician/people/{clinic['stable'].id}")
    assert token_page.status_code == 200
    response = submit(
        client,
        f"/clinician/people/{person_id}/plan",
        {"action": "remove", "exercise_id": "pelvic_tilt"},
        form_page=f"/clinician/people/{clinic['stable'].id}",
    )
    assert response.status_code == 404


def test_a_clinician_id_is_not_a_person(client: TestClient, clinic: dict[str, Person]) -> None:
    signed_in_doctor(client)
    assert client.get(f"/clinician/people/{clinic['doctor'].id}").status_code == 404


def test_another_clinicians_patient_is_not_found(
    client: TestClient, services: Services, clinic: dict[str, Person]
) -> None:
    add_user(services, "dr-other", Role.CLINICIAN)
    sign_in(client, "dr-other")
    assert client.get(f"/clinician/people/{clinic['stable'].id}").status_code == 404
    assert "Stan" not in client.get("/clinician").text


def test_people_cannot_open_clinician_pages(client: TestClient, clinic: dict[str, Person]) -> None:
    sign_in(client, "Stan")
    assert client.get("/clinician").status_code == 403
    assert client.get(f"/clinician/people/{clinic['stable'].id}").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/clinician", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/clinician"


def audit_text(client: TestClient, name: str) -> str:
    client.cookies.clear()
    sign_in(client, name)
    return client.get("/account").text


def test_dose_change_is_stored_and_audited(
    client: TestClient, services: Services, clinic: dict[str, Person]
) -> None:
    stan = clinic["stable"]
    before = exercise(stored_plan(services, "Stan"), "pelvic_tilt")
    assert before is not None
    signed_in_doctor(client)
    path = f"/clinician/people/{stan.id}"
    dose = {"sets": "3", "reps": "10", "hold_s": "2", "times_per_day": "2"}
    response = submit(
        client,
        f"{path}/plan",
        {"action": "dose", "exercise_id": "pelvic_tilt", **dose},
        form_page=path,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{path}?changed=1#programme"
    after = exercise(stored_plan(services, "Stan"), "pelvic_tilt")
    assert after is not None
    assert (after["dose"]["sets"], after["dose"]["reps"]) == (3, 10)
    assert after["start_dose"] == after["dose"]
    assert after["minutes_per_day"] != before["minutes_per_day"]
    page = client.get(f"{path}?changed=1")
    assert "The programme is changed" in page.text
    assert "Changed the dose of Pelvic tilt: 2×8, hold 2 s, twice a day → 3×10" in page.text
    assert "dr-ward" in page.text
    account = audit_text(client, "Stan")
    assert "Changed the dose of Pelvic tilt" in account
    assert "Viewed your diary and programme" in account


def test_add_and_remove_are_stored_and_audited(
    client: TestClient, services: Services, clinic: dict[str, Person]
) -> None:
    stan = clinic["stable"]
    path = f"/clinician/people/{stan.id}"
    signed_in_doctor(client)
    assert exercise(stored_plan(services, "Stan"), "bird_dog") is None
    added = submit(
        client, f"{path}/plan", {"action": "add", "exercise_id": "bird_dog"}, form_page=path
    )
    assert added.status_code == 303
    item = exercise(stored_plan(services, "Stan"), "bird_dog")
    assert item is not None
    assert item["steps"]
    assert item["dose"] == item["start_dose"]
    removed = submit(
        client, f"{path}/plan", {"action": "remove", "exercise_id": "pelvic_tilt"}, form_page=path
    )
    assert removed.status_code == 303
    assert exercise(stored_plan(services, "Stan"), "pelvic_tilt") is None
    account = audit_text(client, "Stan")
    assert "Added Bird dog" in account
    assert "Removed Pelvic tilt" in account


@pytest.mark.parametrize(
    ("value", "field"), [("0", "Sets"), ("11", "Sets"), ("two", "Sets"), ("", "Sets")]
)
def test_invalid_dose_is_refused_and_nothing_changes(
    client: TestClient, services: Services, clinic: dict[str, Person], value: str, field: str
) -> None:
    stan = clinic["stable"]
    path = f"/clinician/people/{stan.id}"
    signed_in_doctor(client)
    before = stored_plan(services, "Stan")
    data = {"action": "dose", "exercise_id": "pelvic_tilt", "sets": value, "reps": "8",
            "hold_s": "2", "times_per_day": "2"}  # fmt: skip
    response = submit(client, f"{path}/plan", data, form_page=path)
    assert response.status_code == 422
    assert f"{field}: must be a whole number from 1 to 10" in response.text
    assert 'href="#dose-pelvic_tilt-sets"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert stored_plan(services, "Stan") == before
    assert not [e for e in services.accounts.audit_trail(stan.id) if e.action.startswith("plan_")]


def test_avoided_exercise_is_refused(
    client: TestClient, services: Services, clinic: dict[str, Person]
) -> None:
    stan = clinic["stable"]
    path = f"/clinician/people/{stan.id}"
    signed_in_doctor(client)
    before = stored_plan(services, "Stan")
    response = submit(
        client, f"{path}/plan", {"action": "add", "exercise_id": "prone_press_up"}, form_page=path
    )
    assert response.status_code == 422
    assert "Exercise: Press-up lying on your front is to be avoided" in response.text
    assert "Spinal stenosis" in response.text
    assert 'href="#add-exercise"' in response.text
    assert stored_plan(services, "Stan") == before


def test_missing_csrf_token_is_refused(
    client: TestClient, services: Services, clinic: dict[str, Person]
) -> None:
    stan = clinic["stable"]
    signed_in_doctor(client)
    before = stored_plan(services, "Stan")
    response = client.post(
        f"/clinician/people/{stan.id}/plan",
        data={"action": "remove", "exercise_id": "pelvic_tilt"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert stored_plan(services, "Stan") == before


def test_every_view_is_audited(
    client: TestClient, services: Services, clock: Clock, clinic: dict[str, Person]
) -> None:
    stan = clinic["stable"]
    signed_in_doctor(client)

    def views() -> int:
        return sum(1 for e in services.accounts.audit_trail(stan.id) if e.action == "viewed")

    client.get(f"/clinician/people/{stan.id}")
    client.get(f"/clinician/people/{stan.id}")
    assert views() == 2
    clock.now += timedelta(minutes=61)
    client.get(f"/clinician/people/{stan.id}")
    assert views() == 3


def test_person_without_a_programme(client: TestClient, clinic: dict[str, Person]) -> None:
    signed_in_doctor(client)
    page = client.get(f"/clinician/people/{clinic['new'].id}")
    assert page.status_code == 200
    assert "No programme yet" in page.text
    assert "No check-ins in this episode yet" in page.text
    assert "No assessment yet" in page.text
    assert "<dt>Last check-in</dt><dd>none yet</dd>" in page.text


@pytest.mark.parametrize(
    ("who", "said"),
    [
        ("escalated", "2026-11-26 (today)"),
        ("stable", "2026-11-26 (today)"),
        ("missed", "2026-11-21 (5 days ago)"),
    ],
)
def test_the_person_page_gives_the_clinician_the_last_check_in_not_the_persons_reminder(
    client: TestClient, clinic: dict[str, Person], who: str, said: str
) -> None:
    text = signed_in_doctor(client).get(f"/clinician/people/{clinic[who].id}").text
    assert f"<dt>Last check-in</dt><dd>{said}</dd>" in text
    assert "You have not checked in" not in text  # the diary's reminder speaks to the person
    assert "Start your diary" not in text


# -- downloads -----------------------------------------------------------------------------


def test_a_clinician_downloads_a_linked_persons_summary_records_and_diary(
    client: TestClient, services: Services, clinic: dict[str, Person]
) -> None:
    esme = clinic["escalated"]
    base = f"/clinician/people/{esme.id}"
    page = signed_in_doctor(client).get(base).text
    for file in ("report.pdf", "records.json", "diary.csv"):
        assert f'href="{base}/{file}" download' in page

    summary = client.get(f"{base}/report.pdf")
    assert summary.status_code == 200
    assert summary.headers["content-type"] == "application/pdf"
    assert summary.content.startswith(b"%PDF")
    assert summary.headers["cache-control"] == "no-store"
    assert f'filename="backstride-summary-{esme.id}.pdf"' in summary.headers["content-disposition"]

    records = client.get(f"{base}/records.json")
    assert records.headers["content-type"] == "application/fhir+json"
    bundle = records.json()
    assert bundle["resourceType"] == "Bundle"
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "QuestionnaireResponse", "Observation"} <= kinds

    diary = client.get(f"{base}/diary.csv")
    assert diary.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(diary.text)))
    assert len(rows) == 2  # Esme's two check-ins

    # Each download is in Esme's audit trail, in words, with who made it.
    trail = services.accounts.audit_trail(esme.id)
    downloads = [(e.actor_name, e.detail["summary"]) for e in trail if e.action == "downloaded"]
    assert downloads == [
        ("dr-ward", "Downloaded your doctor summary (PDF)"),
        ("dr-ward", "Downloaded your records (FHIR file)"),
        ("dr-ward", "Downloaded your diary (CSV file)"),
    ]


def test_no_summary_without_an_assessment_and_nothing_recorded(
    client: TestClient, services: Services, clinic: dict[str, Person]
) -> None:
    newt = clinic["new"]
    base = f"/clinician/people/{newt.id}"
    page = signed_in_doctor(client).get(base).text
    assert f'href="{base}/report.pdf"' not in page
    assert client.get(f"{base}/report.pdf").status_code == 409
    assert not [e for e in services.accounts.audit_trail(newt.id) if e.action == "downloaded"]
    assert client.get(f"{base}/diary.csv").status_code == 200  # a diary, even an empty one


@pytest.mark.parametrize("file", ["report.pdf", "records.json", "diary.csv"])
def test_no_downloads_about_someone_not_linked(
    client: TestClient, services: Services, clinic: dict[str, Person], file: str
) -> None:
    olga = clinic["other"]
    answer = signed_in_doctor(client).get(f"/clinician/people/{olga.id}/{file}")
    assert answer.status_code == 404
    assert services.accounts.audit_trail(olga.id) == []


def test_a_clinician_removes_a_person_from_their_list(
    client: TestClient, services: Services, clinic: dict[str, Person]
) -> None:
    stan = clinic["stable"]
    page = signed_in_doctor(client).get(f"/clinician/people/{stan.id}").text
    assert f'action="/clinician/people/{stan.id}/remove"' in page
    response = submit(
        client, f"/clinician/people/{stan.id}/remove", {}, form_page=f"/clinician/people/{stan.id}"
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/clinician?removed=1"
    caseload = client.get("/clinician?removed=1").text
    assert "Removed from your list" in caseload
    assert ">Stan</a>" not in caseload
    assert client.get(f"/clinician/people/{stan.id}").status_code == 404
    # Stan keeps his records, and his account page says what happened.
    assert services.records.history("Stan")[2]
    [event] = [
        e for e in services.accounts.audit_trail(stan.id) if e.action == "clinician_unlinked"
    ]
    assert (event.actor_name, event.detail["summary"]) == (
        "dr-ward",
        "Removed you from their list: they can no longer see your records",
    )
    # Again: not linked any more, so not found.
    again = client.post(
        f"/clinician/people/{stan.id}/remove",
        data={"csrf_token": csrf_token(client, "/clinician")},
        follow_redirects=False,
    )
    assert again.status_code == 404


def test_the_person_page_shows_their_walking_tests(
    client: TestClient, services: Services, clinic: dict[str, Person]
) -> None:
    esme = clinic["escalated"]
    page = signed_in_doctor(client).get(f"/clinician/people/{esme.id}").text
    assert "No walking tests yet." in page
    now = services.records.clock()
    for weeks_ago, pain_after, stop in ((1, 240.0, "pain"), (0, 330.0, "time_limit")):
        at = now - timedelta(weeks=weeks_ago)
        values = {
            "day": at.date(),
            "recorded_at": at,
            "time_to_first_symptom_s": pain_after,
            "distance_to_first_symptom_m": 250.0,
            "walking_time_s": 420.0,
            "distance_m": 452.0,
            "total_time_s": 430.0,
            "stop_reason": stop,
            "recovery_s": 90.0 if stop == "pain" else None,
            "steps": 700,
            "cadence_spm": 100.0,
            "speed_mps": 1.1,
            "sampling_rate_hz": 60.0,
            # The latest: the phone's screen went off for 3 minutes of it.
            "detail": {
                "unrecorded_s": 180.0,
                "quality": [{"code": "not_recorded", "message": "No movement for 3 min."}],
            }
            if weeks_ago == 0
            else {},
        }
        with services.store.transaction() as session:
            walking_repo.add_walking_test(session, esme.id, values)
    page = client.get(f"/clinician/people/{esme.id}").text
    chart = json.loads(
        page.split('<script type="application/json" id="walk-tests-data">')[1].split("</script>")[0]
    )
    assert [s["values"] for s in chart["series"]] == [[4.0, 5.5], [7.2, 7.2]]
    table = page[page.index('aria-labelledby="walking-title"') :]
    rows = table[: table.index("</table>")].split("<tr>")[2:]
    assert "5.5 min" in rows[0]  # newest first
    assert "Reached 15 minutes" in rows[0]
    assert "about 450 m" in rows[0]
    assert "Pain made me stop" in rows[1]
    assert "1.5 min" in rows[1]  # eased after sitting
    # Walked in all: from the Start and Stop taps (7.2 min, as in the chart), with the part
    # the phone recorded when it did not record it all.
    assert "<td>7.2 min (phone recorded 4.2 min)</td>" in rows[0]
    assert "<td>7.2 min</td>" in rows[1]
