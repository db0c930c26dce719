"""The questionnaire wizard and its result page, through the app as a browser uses it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from backstride.domain.diary import Role
from backstride.services.container import Services
from tests.web.conftest import PASSWORD, add_user, csrf_token, sign_in, submit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FIELDSET = re.compile(r'<fieldset id="q-([a-z_0-9]+)"')


def example(name: str) -> dict[str, Any]:
    answers: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return answers


def form_for(keys: list[str], answers: dict[str, Any]) -> dict[str, str]:
    """What a person would tick: the answer, or "Don't know" when they have none."""
    data: dict[str, str] = {}
    for key in keys:
        if key not in answers:
            data[f"{key}__option"] = "dont_know"
        elif answers[key] is None:
            data[f"{key}__option"] = "no_limit"
        elif isinstance(answers[key], bool):
            data[key] = "yes" if answers[key] else "no"
        else:
            data[key] = str(answers[key])
    return data


def walk(client: TestClient, answers: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Answer every step the wizard shows; returns (step path, keys shown) in order."""
    start = client.get("/assess")
    path = re.search(r'href="(/assess/[a-z_]+)"', start.text)
    assert path
    location = path.group(1)
    seen = []
    while location != "/assess/result":
        page = client.get(location)
        assert page.status_code == 200
        keys = FIELDSET.findall(page.text)
        seen.append((location, keys))
        response = submit(client, location, form_for(keys, answers))
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        assert len(seen) < 30, "the wizard does not end"
    return seen


def test_the_wizard_gives_the_engines_result(client: TestClient, services: Services) -> None:
    answers = example("stenosis-walker.json")
    steps = walk(client, answers)
    asked = [key for _, keys in steps for key in keys]
    assert asked[: len(set(asked))] == asked, "no question is asked twice"
    assert asked[0] == "saddle_numbness", "warning signs come first"
    result = client.get("/assess/result")
    expected = services.assessments.assess(answers)
    headline = services.assessments.content.advice[expected.urgency].headline
    assert expected.urgency.value == "soon"
    assert headline in result.text
    for reason in expected.reasons:
        assert reason.message in result.text
    assert "Create an account to keep it" in result.text


def test_an_emergency_answer_stops_the_wizard_and_shows_only_what_to_do(
    client: TestClient,
) -> None:
    answers = {**example("acute-strain.json"), "saddle_numbness": True}
    steps = walk(client, answers)
    assert len(steps) == 1, "the first step's answer is enough"
    result = client.get("/assess/result")
    assert 'href="tel:112"' in result.text
    assert "What may be contributing" not in result.text
    assert "Create an account" not in result.text


def test_dont_know_to_a_warning_sign_plays_safe(client: TestClient) -> None:
    answers = example("acute-strain.json")
    answers.pop("saddle_numbness")
    walk(client, answers)
    result = client.get("/assess/result")
    assert "urgency-emergency" in result.text


def test_an_unanswered_question_is_422_naming_it_and_keeps_nothing(client: TestClient) -> None:
    token = csrf_token(client, "/assess/urgent_signs")
    response = client.post(
        "/assess/urgent_signs", data={"csrf_token": token, "saddle_numbness": "no"}
    )
    assert response.status_code == 422
    assert 'href="#q-bladder_change"' in response.text
    assert "bs_draft" not in response.cookies
    # Given answers are shown again, so nothing has to be re-entered.
    assert re.search(r'name="saddle_numbness" value="no" checked', response.text)


def test_out_of_range_numbers_are_refused(client: TestClient) -> None:
    answers = example("acute-strain.json")
    steps = walk(client, {**answers, "age": 40})
    about = next(path for path, keys in steps if "age" in keys)
    token = csrf_token(client, about)
    response = client.post(about, data={"csrf_token": token, "age": "250", "sex": "female"})
    assert response.status_code == 422
    assert "type a number from" in response.text.lower()


def test_follow_ups_that_do_not_apply_are_skipped_and_forgotten(client: TestClient) -> None:
    answers = {**example("stenosis-walker.json"), "leg_pain": "none"}
    asked = [key for _, keys in walk(client, answers) for key in keys]
    assert "leg_pain" in asked
    assert "leg_pain_sides" not in asked
    assert "calf_pain_relieved_by_standing_still" not in asked


def test_a_reload_keeps_the_answers(client: TestClient) -> None:
    submit(
        client,
        "/assess/urgent_signs",
        form_for(
            FIELDSET.findall(client.get("/assess/urgent_signs").text),
            example("acute-strain.json"),
        ),
    )
    again = client.get("/assess/urgent_signs")
    assert re.search(r'name="saddle_numbness" value="no" checked', again.text)
    assert "Carry on where I stopped" in client.get("/assess").text


def test_a_tampered_draft_is_ignored(client: TestClient) -> None:
    walk(client, example("acute-strain.json"))
    tampered = client.cookies["bs_draft"][:-3] + "AAA"
    client.cookies.clear()
    client.cookies.set("bs_draft", tampered)
    assert client.get("/assess/result", follow_redirects=False).status_code == 303


def test_anonymous_answers_are_not_stored(client: TestClient, services: Services) -> None:
    walk(client, example("acute-strain.json"))
    person = add_user(services, "someone")
    assert services.records.history(person.name)[1] == []


def test_signing_up_after_the_result_keeps_the_assessment_and_a_programme(
    client: TestClient, services: Services
) -> None:
    walk(client, example("stenosis-walker.json"))
    response = submit(
        client,
        "/signup",
        {"username": "walker", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert response.status_code == 303
    _, assessments, _, plan, _ = services.records.history("walker")
    assert [a.urgency.value for a in assessments] == ["soon"]
    assert plan is not None
    assert plan.assessment_id == assessments[0].id


def test_a_signed_in_person_finishing_keeps_it_once(client: TestClient, services: Services) -> None:
    add_user(services, "pat", Role.PERSON)
    sign_in(client, "pat")
    walk(client, example("acute-strain.json"))
    client.get("/assess/result")
    client.get("/assess/result")
    assessments = services.records.history("pat")[1]
    assert len(assessments) == 1
    assert "See my programme" in client.get("/assess/result").text


def test_start_again_clears_the_draft(client: TestClient) -> None:
    walk(client, example("acute-strain.json"))
    response = submit(client, "/assess/restart", {}, form_page="/assess")
    assert response.status_code == 303
    assert "bs_draft" not in response.cookies or not response.cookies["bs_draft"]
    assert client.get("/assess/result", follow_redirects=False).status_code == 303


def test_unknown_steps_are_404(client: TestClient) -> None:
    assert client.get("/assess/nonsense").status_code == 404
