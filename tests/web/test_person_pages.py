"""A signed-in person's pages, through the app: programme, done-logs, check-in, escalations,
progress, and the downloads."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar, vRecur
from markupsafe import escape
from sqlalchemy import func, select

from backstride.domain.diary import EscalationReason, Person, Role
from backstride.domain.urgency import Urgency
from backstride.interop import handout
from backstride.persistence import repositories as repo
from backstride.persistence import walking_tests as walking_repo
from backstride.persistence.tables import ExerciseSessionRow
from backstride.services.container import Services
from tests.persistence.conftest import Clock
from tests.web.conftest import PASSWORD, add_user, csrf_token, sign_in, submit

EXAMPLES = Path(__file__).parents[2] / "examples"


def answers(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def ann(services: Services, client: TestClient, clock: Clock) -> Person:
    """A signed-in person with a programme built from the stenosis example, assessed a
    week ago (the diary's episode starts at the assessment)."""
    person = add_user(services, "ann")
    now = clock.now
    clock.now = now - timedelta(days=7)
    services.keep_assessment(person, answers("stenosis-walker"))
    clock.now = now
    sign_in(client, "ann")
    return person


def plan_of(services: Services, name: str) -> dict[str, Any]:
    stored = services.records.history(name)[3]
    assert stored is not None
    return stored.plan


def today(services: Services) -> date:
    return services.records.clock().astimezone().date()


def assessed_days_ago(services: Services, clock: Clock, name: str, days: int) -> Person:
    """A new person whose episode started ``days`` ago (the clock is left where it was)."""
    now = clock.now
    clock.now = now - timedelta(days=days)
    person = add_user(services, name)
    services.keep_assessment(person, answers("stenosis-walker"))
    clock.now = now
    return person


def banner_of(page: str) -> str:
    """The escalation banner at the top of a page."""
    return page[page.index('aria-labelledby="escalation-title"') : page.index("</section>")]


CHECKIN = {"pain_now": "4", "pain_walking": "6", "walk_minutes": "20", "red_flag": "no"}


# -- who may see what ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/programme", "/checkin", "/progress", "/report.pdf", "/programme.ics"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"


def test_a_clinician_has_no_programme_page(services: Services, client: TestClient) -> None:
    add_user(services, "dr", Role.CLINICIAN)
    sign_in(client, "dr")
    assert client.get("/programme").status_code == 403


def test_another_person_sees_only_their_own_records(
    services: Services, client: TestClient, app: Any, ann: Person
) -> None:
    assert submit(client, "/programme/done", {"exercise_id": "pelvic_tilt", "pain_during": "3"},
                  form_page="/programme").status_code == 303  # fmt: skip
    assert submit(client, "/checkin", CHECKIN).status_code == 303
    add_user(services, "bob")
    with TestClient(app) as bob:
        sign_in(bob, "bob")
        page = bob.get("/programme")
        assert "You do not have a programme yet" in page.text
        assert "Pelvic tilt" not in page.text
        checkin = bob.get("/checkin").text
        assert "pelvic_tilt" not in checkin
        assert 'value="4" checked' not in checkin
        progress = bob.get("/progress").text
        assert "You have no check-ins yet" in progress
        assert bob.get("/report.pdf").status_code == 409
        assert bob.get("/programme.ics").status_code == 404
    assert len(services.records.entries("bob")) == 0


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/checkin", CHECKIN),
        ("/programme/done", {"exercise_id": "pelvic_tilt", "pain_during": "2"}),
        ("/escalations/acknowledge", {}),
    ],
)
def test_forms_without_the_csrf_token_are_refused(
    services: Services, client: TestClient, ann: Person, path: str, data: dict[str, str]
) -> None:
    response = client.post(path, data=data, follow_redirects=False)
    assert response.status_code == 403
    assert services.records.entries("ann") == []
    assert "✓ Done today" not in client.get("/programme").text


# -- the programme -------------------------------------------------------------------------


def test_without_a_plan_the_page_points_to_the_assessment(
    services: Services, client: TestClient
) -> None:
    add_user(services, "new")
    sign_in(client, "new")
    page = client.get("/programme")
    assert page.status_code == 200
    assert 'href="/assess"' in page.text
    report = client.get("/report.pdf")
    assert report.status_code == 409
    assert "needs an assessment first" in report.text


def test_the_programme_shows_each_exercise_with_its_figure_dose_and_timer(
    services: Services, client: TestClient, ann: Person
) -> None:
    page = client.get("/programme")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    plan = plan_of(services, "ann")
    content = services.assessments.content.programme
    assert plan["exercises"], "the example's plan has exercises"
    for exercise in plan["exercises"]:
        assert f'id="ex-{exercise["id"]}"' in page.text
        assert escape(exercise["name"]) in page.text
        alt = content.illustrations[exercise["id"]].alt
        assert f'src="/illustrations/{exercise["id"]}.svg?v=' in page.text
        assert f'alt="{escape(alt)}"' in page.text
        assert escape(exercise["steps"][0]) in page.text
    # Pelvic tilt: 2 sets of 8 with a 2-second hold, twice a day.
    assert "2 sets of 8, holding each for 2 seconds, resting 30 seconds between, twice a day" in (
        page.text
    )
    assert 'data-hold-s="2" data-holds="16"' in page.text
    assert 'aria-live="polite"' in page.text
    assert '<script src="/static/js/programme.js' in page.text
    assert "<style" not in page.text
    assert 'style="' not in page.text


def test_the_walking_plan_shows_this_week_with_an_interval_timer(
    services: Services, client: TestClient, ann: Person
) -> None:
    page = client.get("/programme").text
    week = plan_of(services, "ann")["walking"]["weeks"][0]
    assert "Walking: week 1" in page
    assert f"Walk on {week['days']} days" in page
    found = re.search(r'data-intervals="([^"]+)"', page)
    assert found is not None
    intervals = json.loads(found.group(1).replace("&#34;", '"'))
    assert intervals == week["intervals"]
    for page_ref in plan_of(services, "ann")["education"]:
        assert f'href="/learn/{page_ref["id"]}"' in page


def test_an_emergency_plan_shows_its_headline_first_and_no_exercises(
    services: Services, client: TestClient
) -> None:
    person = add_user(services, "eve")
    services.keep_assessment(person, answers("saddle-numbness"))
    sign_in(client, "eve")
    page = client.get("/programme").text
    plan = plan_of(services, "eve")
    assert plan["urgency"] == "emergency"
    main = page[page.index('<main id="main"') :]
    assert main.index(plan["headline"]) < main.index("Take it with you")
    assert 'class="call-button" href="tel:112"' in main
    assert "Today's exercises" not in main


# -- illustrations -------------------------------------------------------------------------


def test_illustrations_are_served_with_their_own_policy(client: TestClient) -> None:
    response = client.get("/illustrations/bridge.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["content-security-policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'"
    )
    assert "max-age=31536000" in response.headers["cache-control"]
    assert response.text.lstrip().startswith("<svg")
    assert "<script" not in response.text


def test_an_unknown_illustration_is_404(client: TestClient) -> None:
    assert client.get("/illustrations/no_such_move.svg").status_code == 404


# -- done -------------------------------------------------------------------------------


def test_done_shows_on_the_programme_and_fills_the_check_in(
    services: Services, client: TestClient, ann: Person
) -> None:
    response = submit(
        client, "/programme/done", {"exercise_id": "pelvic_tilt", "pain_during": "3"},
        form_page="/programme",
    )  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == "/programme?done=pelvic_tilt#ex-pelvic_tilt"
    page = client.get(response.headers["location"]).text
    assert "Pelvic tilt is marked done for today" in page
    assert page.count("✓ Done today") == 1
    total = len(plan_of(services, "ann")["exercises"])
    assert f"1 of {total} done today" in page
    assert 'id="pain-pelvic_tilt-3" name="pain_during" value="3" checked' in page
    checkin = client.get("/checkin").text
    assert 'name="done-pelvic_tilt" value="yes" checked' in checkin
    assert '<option value="3" selected>' in checkin
    assert 'name="done-childs_pose" value="yes" >' in checkin
    assert services.records.entries("ann") == []  # kept aside until the check-in


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"exercise_id": "pelvic_tilt"}, "Pain during the exercise: choose a number"),
        ({"exercise_id": "pelvic_tilt", "pain_during": "11"}, "choose a number from 0 to 10"),
        ({"exercise_id": "plank", "pain_during": "2"}, "That exercise is not in your programme"),
    ],
)
def test_done_with_bad_input_is_refused_and_nothing_is_kept(
    services: Services, client: TestClient, ann: Person, data: dict[str, str], message: str
) -> None:
    response = submit(client, "/programme/done", data, form_page="/programme")
    assert response.status_code == 422
    assert message in response.text
    assert "✓ Done today" not in client.get("/programme").text


def test_done_after_the_check_in_goes_into_it(
    services: Services, client: TestClient, ann: Person
) -> None:
    assert submit(client, "/checkin", CHECKIN).status_code == 303
    (entry,) = services.records.entries("ann")
    assert not any(e.done for e in entry.exercises)
    submit(client, "/programme/done", {"exercise_id": "clamshell", "pain_during": "2"},
           form_page="/programme")  # fmt: skip
    (entry,) = services.records.entries("ann")
    done = {e.exercise_id: e.pain_during for e in entry.exercises if e.done}
    assert done == {"clamshell": 2}


# -- the check-in -------------------------------------------------------------------------


def test_a_check_in_is_saved_and_can_be_changed_the_same_day(
    services: Services, client: TestClient, ann: Person
) -> None:
    submit(client, "/programme/done", {"exercise_id": "pelvic_tilt", "pain_during": "3"},
           form_page="/programme")  # fmt: skip
    data = {
        **CHECKIN,
        "walk_tolerance_min": "12,5",
        "steps": "4200",
        "done-pelvic_tilt": "yes",
        "pain-pelvic_tilt": "3",
        "done-clamshell": "yes",
        "pain-clamshell": "",
        "pain-cat_camel": "5",  # pain given, the tick forgotten
        "settled_by_morning": "yes",
        "note": "  windy  ",
    }
    response = submit(client, "/checkin", data)
    assert response.status_code == 303
    assert response.headers["location"] == "/progress?saved=1"
    (entry,) = services.records.entries("ann")
    assert entry.day == today(services)
    assert (entry.pain_now, entry.pain_walking, entry.walk_minutes) == (4, 6, 20.0)
    assert (entry.walk_tolerance_min, entry.steps, entry.note) == (12.5, 4200, "windy")
    assert entry.settled_by_morning is True
    assert entry.red_flag is False
    logs = {e.exercise_id: (e.done, e.pain_during) for e in entry.exercises}
    assert logs["pelvic_tilt"] == (True, 3)
    assert logs["clamshell"] == (True, None)
    assert logs["cat_camel"] == (True, 5), "pain during it means it was done"
    assert logs["childs_pose"] == (False, None)
    assert len(logs) == len(plan_of(services, "ann")["exercises"])

    page = client.get("/checkin").text
    assert "You have already checked in today" in page
    assert 'id="pain_now-4" name="pain_now" value="4" checked' in page
    assert 'value="12.5"' in page
    submit(client, "/checkin", {**CHECKIN, "pain_now": "2", "walk_no_limit": "yes"})
    (entry,) = services.records.entries("ann")
    assert entry.pain_now == 2
    assert entry.walk_no_limit is True
    assert not any(e.done for e in entry.exercises if e.exercise_id != "pelvic_tilt")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"walk_minutes": "lots"}, "walk_minutes", "Minutes walked today"),
        ({"walk_minutes": ""}, "walk_minutes", "Minutes walked today"),
        ({"walk_minutes": "2000"}, "walk_minutes", "Minutes walked today"),
        ({"pain_now": "12"}, "pain_now-0", "Pain now: choose a number"),
        ({"pain_walking": ""}, "pain_walking-0", "Pain when walking"),
        ({"red_flag": ""}, "red_flag-yes", "Warning signs: please answer yes or no"),
        ({"red_flag": "maybe"}, "red_flag-yes", "Warning signs"),
        ({"steps": "many"}, "steps", "Steps: give a whole number"),
        ({"settled_by_morning": "perhaps"}, "settled_by_morning-yes", "Did yesterday"),
        (
            {"walk_tolerance_min": "10", "walk_no_limit": "yes"},
            "walk_tolerance_min",
            "Minutes before pain stopped you",
        ),
        ({"walk_tolerance_min": "soon"}, "walk_tolerance_min", "Minutes before pain"),
        ({"done-pelvic_tilt": "yes", "pain-pelvic_tilt": "x"}, "exercises", "Exercises: pain"),
        ({"note": "n" * 2001}, "note", "Note: keep it under 2000 characters"),
    ],
)
def test_bad_check_in_answers_name_the_field_and_write_nothing(
    services: Services,
    client: TestClient,
    ann: Person,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = submit(client, "/checkin", {**CHECKIN, **change})
    assert response.status_code == 422
    summary = response.text[response.text.index('class="error-summary"') :]
    assert f'<a href="#{field}">{message}' in summary
    assert f'id="{field}"' in response.text  # the link goes somewhere
    assert "Nothing was saved yet" in summary
    assert services.records.entries("ann") == []


def test_the_check_in_works_without_a_plan(services: Services, client: TestClient) -> None:
    add_user(services, "pat")
    sign_in(client, "pat")
    assert "Exercises you did today" not in client.get("/checkin").text
    assert submit(client, "/checkin", CHECKIN).status_code == 303
    (entry,) = services.records.entries("pat")
    assert entry.exercises == ()


# -- escalations -------------------------------------------------------------------------


def test_a_warning_sign_leads_to_an_emergency_message_on_every_page_until_read(
    services: Services, client: TestClient, ann: Person
) -> None:
    response = submit(client, "/checkin", {**CHECKIN, "red_flag": "yes"})
    assert response.status_code == 303
    assert response.headers["location"] == "/progress?saved=1&warning=1"
    page = client.get(response.headers["location"]).text
    # First on the page, before anything else is said: the banner, with the call button,
    # and said once (no second alert in the page itself).
    top, main = page.split('<main id="main"')
    assert 'class="escalation-banner banner-emergency" role="alert"' in top
    assert top.index("Call for help now") < top.index('class="call-button" href="tel:112"')
    assert 'role="alert"' not in main
    assert "check-in is saved" in main
    (reason,) = services.records.open_escalations("ann")[0].reasons
    assert page.count(str(escape(reason.message))) == 1, "the status card points to the banner"
    assert "The message at the top of this page says why." in main
    for path in ("/programme", "/checkin", "/learn", "/account"):
        assert "Call for help now" in client.get(path).text, path
    (open_one,) = services.records.open_escalations("ann")
    assert open_one.level.value == "emergency"

    token = csrf_token(client, "/learn")
    response = client.post(
        "/escalations/acknowledge",
        data={"csrf_token": token},
        headers={"referer": "http://testserver/learn"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/learn"
    assert services.records.open_escalations("ann") == []
    assert "Call for help now" not in client.get("/programme").text


def test_an_escalation_first_found_by_the_progress_page_is_in_its_own_banner(
    services: Services, client: TestClient, ann: Person
) -> None:
    # Stored without working out the status (as a check-in kept before a rule applied), so
    # the progress page is the first to find the escalation: it stores it and must list it
    # in the banner of that same page, once, after the ones already open.
    services.records.add_entry(
        "ann",
        {
            "day": today(services),
            "pain_now": 4,
            "pain_walking": 6,
            "walk_minutes": 20,
            "red_flag": True,
        },
    )
    assert services.records.open_escalations("ann") == []

    banner = banner_of(client.get("/progress").text)
    (stored,) = services.records.open_escalations("ann")
    assert "Call for help now" in banner
    assert banner.count(stored.reasons[0].message) == 1

    again = client.get("/progress").text  # shown again, not stored again
    assert again.count('id="escalation-title"') == 1
    assert len(services.records.open_escalations("ann")) == 1


def test_unread_advice_from_several_days_is_said_once_under_the_most_serious_headline(
    services: Services, client: TestClient, clock: Clock
) -> None:
    now = clock.now
    cal = assessed_days_ago(services, clock, "cal", 22)
    # Three weeks without improvement, each check-in's status shown (as the progress page
    # does) and never acknowledged: days 7, 14 and 21 each store a new escalation.
    for offset in range(22, -1, -1):
        clock.now = now - timedelta(days=offset)
        services.records.add_entry(
            "cal",
            {"day": today(services), "pain_now": 6, "pain_walking": 7, "walk_minutes": 10.0},
        )
        services.records.status("cal")
    clock.now = now
    unread = services.records.open_escalations("cal")
    assert len(unread) == 3
    message = unread[-1].reasons[0].message
    sign_in(client, "cal")

    banner = banner_of(client.get("/programme").text)
    assert "Please see a doctor" in banner
    assert banner.count(str(escape(message))) == 1

    # An older unread emergency is not outranked by the newer, milder advice.
    with services.store.transaction() as session:
        emergency = repo.add_escalation(
            session,
            cal.id,
            level=Urgency.EMERGENCY,
            reasons=[
                EscalationReason(
                    "diary.red_flag",
                    Urgency.EMERGENCY,
                    "Go to an emergency department now.",
                    "a source",
                    (),
                )
            ],
            fingerprint="an older episode's warning sign",
            now=now - timedelta(days=20),
        )
    assert emergency.id > unread[-1].id  # stored last, dated first
    banner = banner_of(client.get("/programme").text)
    assert "Call for help now" in banner
    assert banner.index("Go to an emergency department now.") < banner.index(str(escape(message)))


@pytest.mark.parametrize(
    ("level", "headline", "call_button"),
    [
        (Urgency.EMERGENCY, "Call for help now", True),
        (Urgency.URGENT, "Speak to a doctor today", False),
        (Urgency.SOON, "Please see a doctor", False),
    ],
)
def test_the_banner_says_how_soon_and_an_emergency_has_a_call_button(
    services: Services,
    client: TestClient,
    ann: Person,
    level: Urgency,
    headline: str,
    call_button: bool,
) -> None:
    with services.store.transaction() as session:
        repo.add_escalation(
            session,
            ann.id,
            level=level,
            reasons=[EscalationReason("diary.red_flag", level, "What to do.", "a source", ())],
            fingerprint=f"a {level.value} escalation",
            now=services.records.clock(),
        )
    page = client.get("/programme").text
    banner = banner_of(page)
    assert f'class="escalation-banner banner-{level.value}"' in page
    assert f'<h2 id="escalation-title">{headline}</h2>' in banner
    assert ('class="call-button" href="tel:112"' in banner) is call_button


@pytest.mark.parametrize(
    ("referer", "back"),
    [
        ("https://evil.example/phish", "/programme"),
        ("//evil.example/x", "/programme"),
        ("", "/programme"),
        ("http://testserver/progress?x=1", "/progress"),
    ],
)
def test_acknowledging_goes_back_only_within_the_site(
    client: TestClient, ann: Person, referer: str, back: str
) -> None:
    token = csrf_token(client, "/programme")
    response = client.post(
        "/escalations/acknowledge",
        data={"csrf_token": token},
        headers={"referer": referer},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == back


# -- progress ----------------------------------------------------------------------------


def chart_data(page: str, chart_id: str) -> dict[str, Any]:
    found = re.search(
        rf'<script type="application/json" id="{chart_id}-data">(.*?)</script>', page, re.S
    )
    assert found is not None, chart_id
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def add_days(services: Services, name: str, rows: list[dict[str, Any]]) -> None:
    start = today(services) - timedelta(days=len(rows) - 1)
    for offset, row in enumerate(rows):
        services.records.add_entry(
            name,
            {"day": start + timedelta(days=offset), "walk_minutes": 20.0, **row},
        )


def ex(*done: bool) -> list[dict[str, Any]]:
    return [
        {"exercise_id": f"e{i}", "done": d, "pain_during": 2 if d else None}
        for i, d in enumerate(done)
    ]


def test_progress_shows_charts_tables_and_trends_from_the_diary(
    services: Services, client: TestClient, ann: Person
) -> None:
    first = {"pain_now": 6, "pain_walking": 7, "walk_tolerance_min": 10.0}
    second = {"pain_now": 5, "pain_walking": 6, "walk_tolerance_min": 12.5}
    third = {"pain_now": 3, "pain_walking": 4, "walk_no_limit": True}
    add_days(
        services,
        "ann",
        [{**first, "exercises": ex(True, False)}, {**second, "exercises": ex(True, True)}, third],
    )
    page = client.get("/progress")
    assert page.status_code == 200
    text = page.text
    pain = chart_data(text, "pain")
    assert [s["values"] for s in pain["series"]] == [[6, 5, 3], [7, 6, 4]]
    assert pain["y_max"] == 10
    assert len(pain["labels"]) == 3
    tolerance = chart_data(text, "tolerance")
    assert tolerance["series"][0]["values"] == [10.0, 12.5, None]
    adherence = chart_data(text, "adherence")
    assert adherence["series"][0]["values"] == [50, 100, None]
    # Each chart has its table of the same numbers.
    assert text.count('<details class="chart-table" open>') == 3
    assert "<td>12.5</td>" in text
    assert "<td>50</td>" in text
    assert "went from 7 to 4 out of 10 over 3 check-ins. That is better." in text
    assert "10 minutes at first; most recently, pain did not stop you." in text
    assert "On 1 day pain did not stop you walking" in text
    assert "you did 75% of the exercises" in text
    # Recent check-ins, newest first.
    recent = text[text.index('id="recent-title"') :]
    assert recent.index("did not stop me") < recent.index("12.5 min") < recent.index("10 min")
    assert "1 of 2" in recent
    assert 'href="/report.pdf"' in text
    assert 'href="/programme.ics"' in text
    assert "/static/vendor/chart.js/chart.umd.min.js" in text
    assert "Do today's check-in" not in text  # today's is done


def test_progress_with_a_missed_check_in_reminds_and_offers_today(
    services: Services, client: TestClient, ann: Person
) -> None:
    start = today(services) - timedelta(days=5)
    services.records.add_entry(
        "ann", {"day": start, "pain_now": 3, "pain_walking": 3, "walk_minutes": 10.0}
    )
    text = client.get("/progress").text
    status, _ = services.records.status("ann")
    assert status.escalation.reminders
    for reminder in status.escalation.reminders:
        assert escape(reminder) in text
    assert "Do today's check-in" in text
    assert "After a few more check-ins" in text


def add_walking_test(
    services: Services, person: Person, days_ago: int, pain_s: float | None
) -> None:
    at = services.records.clock() - timedelta(days=days_ago)
    values: dict[str, Any] = {
        "day": at.date(),
        "recorded_at": at,
        "time_to_first_symptom_s": pain_s,
        "distance_to_first_symptom_m": None,
        "walking_time_s": 570.0,
        "distance_m": None,
        "total_time_s": 575.0,
        "stop_reason": "pain" if pain_s is not None else "time_limit",
        "recovery_s": None,
        "steps": 900,
        "cadence_spm": 100.0,
        "speed_mps": None,
        "sampling_rate_hz": 60.0,
        "detail": {},
    }
    with services.store.transaction() as session:
        walking_repo.add_walking_test(session, person.id, values)


def walking_card(page: str) -> str:
    start = page.index('id="walking-title"')
    return page[start : page.index("</section>", start)]


def test_progress_says_how_the_walking_tests_went(
    services: Services, client: TestClient, ann: Person
) -> None:
    assert "Try it once a week" in walking_card(client.get("/progress").text)
    add_walking_test(services, ann, 14, 480.0)
    card = walking_card(client.get("/progress").text)
    assert "pain after 8.0 minutes; you walked 9.6 minutes in all." in card, "Start to Stop"
    add_walking_test(services, ann, 7, 600.0)
    card = walking_card(client.get("/progress").text)
    assert "2 tests." in card
    assert "pain after 8.0 minutes. The latest" in card
    assert "pain after 10.0 minutes. Pain came later: that is better." in card
    assert 'href="/walk-test"' in card
    add_walking_test(services, ann, 0, 420.0)
    assert "Pain came sooner: that is worse." in walking_card(client.get("/progress").text)
    add_walking_test(services, ann, 0, 505.0)  # within half a minute of the first
    assert "About the same." in walking_card(client.get("/progress").text)
    add_walking_test(services, ann, 0, None)  # no pain in the whole test: the best
    card = walking_card(client.get("/progress").text)
    assert "The latest, on" in card
    assert "no pain. Pain came later: that is better." in card


def test_progress_before_any_check_in(client: TestClient, ann: Person) -> None:
    text = client.get("/progress").text
    assert "You have no check-ins yet" in text
    assert "Nothing in your check-ins says you need to see a doctor now" in text
    assert 'id="recent-title"' not in text


def test_after_a_new_assessment_the_charts_start_again_and_earlier_check_ins_stay_listed(
    services: Services, client: TestClient, ann: Person
) -> None:
    # Check-ins on the six days before today, then a new assessment this morning: a new
    # episode, whose charts and status start from it.
    start = today(services) - timedelta(days=6)
    for offset in range(6):
        services.records.add_entry(
            "ann",
            {
                "day": start + timedelta(days=offset),
                "pain_now": 5,
                "pain_walking": 6,
                "walk_minutes": 20.0,
            },
        )
    services.keep_assessment(ann, answers("stenosis-walker"))
    when = today(services)
    day_words = f"{when:%A} {when.day} {when:%B}"

    text = client.get("/progress").text
    assert "You have no check-ins yet" not in text  # there are six: they are listed
    assert f"Your charts start again from your latest assessment, on {day_words}" in text
    assert 'id="pain-data"' not in text
    recent = text[text.index('id="recent-title"') :]
    assert recent.count('<th scope="row">') == 6

    submit(client, "/checkin", CHECKIN)
    text = client.get("/progress").text
    assert f"From your latest assessment, on {day_words}." in text
    assert chart_data(text, "pain")["series"][0]["values"] == [4]  # today's only
    recent = text[text.index('id="recent-title"') :]
    assert recent.count('<th scope="row">') == 7


# -- downloads ---------------------------------------------------------------------------


def test_the_programme_prints_as_it_stands_with_its_figures(
    services: Services, client: TestClient, ann: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert 'href="/programme.pdf" download' in client.get("/programme").text
    response = client.get("/programme.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response.headers["content-disposition"]
    # What is printed: the stored plan (a changed dose shows), each figure drawn still.
    printed: list[dict[str, Any]] = []
    real = handout.render_handout_html

    def capture(plan: dict[str, Any], *, generated_on: date) -> str:
        printed.append(plan)
        return real(plan, generated_on=generated_on)

    monkeypatch.setattr(handout, "render_handout_html", capture)
    stored = plan_of(services, "ann")
    client.get("/programme.pdf")
    [plan] = printed
    assert [e["id"] for e in plan["exercises"]] == [e["id"] for e in stored["exercises"]]
    assert [e["dose"] for e in plan["exercises"]] == [e["dose"] for e in stored["exercises"]]
    for exercise in plan["exercises"]:
        assert exercise["illustration"].startswith("<svg")
        assert "@keyframes" not in exercise["illustration"]  # drawn still, for paper
    assert plan["walking"]["illustration"].startswith("<svg")


def test_without_a_plan_there_is_no_programme_to_print(
    services: Services, client: TestClient
) -> None:
    add_user(services, "nina")
    sign_in(client, "nina")
    response = client.get("/programme.pdf")
    assert response.status_code == 409
    assert "You do not have a programme yet" in response.text


def test_the_diary_is_a_csv_download(client: TestClient, ann: Person) -> None:
    assert 'href="/diary.csv" download' in client.get("/progress").text
    submit(client, "/checkin", CHECKIN)
    response = client.get("/diary.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    header, row = response.text.splitlines()
    assert header.startswith("date,pain_now,pain_walking,walk_minutes")
    assert row.split(",")[1:4] == ["4", "6", "20"]


def test_the_doctor_summary_is_a_pdf_download(client: TestClient, ann: Person) -> None:
    submit(client, "/checkin", CHECKIN)
    response = client.get("/report.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.content.startswith(b"%PDF")


def test_the_calendar_has_a_daily_session_and_the_walks_of_four_weeks(
    services: Services, client: TestClient, ann: Person
) -> None:
    response = client.get("/programme.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    plan = plan_of(services, "ann")
    sessions = [e for e in events if str(e["summary"]).startswith("Back exercises")]
    walks = [e for e in events if str(e["summary"]).startswith("Walk")]
    assert len(sessions) == 1
    rrule = sessions[0]["rrule"]
    assert isinstance(rrule, vRecur)
    assert rrule["COUNT"] == [28]
    assert sessions[0].decoded("dtstart") == today(services)
    assert "Pelvic tilt: 2 sets of 8" in str(sessions[0]["description"])
    weeks = plan["walking"]["weeks"]
    assert len(walks) == sum(w["days"] for w in weeks[:4])
    days = sorted(w.decoded("dtstart") for w in walks)
    assert days[0] == today(services)
    assert days[-1] < today(services) + timedelta(days=28)
    assert len(set(days)) == len(days)
    assert "ann" not in response.text


def test_deleting_the_account_deletes_the_done_logs(
    services: Services, client: TestClient, ann: Person
) -> None:
    submit(client, "/programme/done", {"exercise_id": "pelvic_tilt", "pain_during": "3"},
           form_page="/programme")  # fmt: skip
    with services.store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ExerciseSessionRow)) == 1
    response = submit(client, "/account/delete", {"password": PASSWORD}, form_page="/account")
    assert response.status_code == 303
    with services.store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ExerciseSessionRow)) == 0


def test_an_escalation_read_on_the_progress_page_stays_closed(
    services: Services, client: TestClient, ann: Person
) -> None:
    submit(client, "/checkin", {**CHECKIN, "red_flag": "yes"})
    assert "Call for help now" in client.get("/progress").text
    token = csrf_token(client, "/progress")
    response = client.post(
        "/escalations/acknowledge",
        data={"csrf_token": token},
        headers={"referer": "http://testserver/progress"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/progress"
    page = client.get("/progress").text
    assert 'class="escalation-banner' not in page
    # The diary still says so, in the page itself.
    assert "In a check-in you reported a warning sign" in page
    assert services.records.open_escalations("ann") == []

    # Saying yes again in today's check-in is the same escalation, already read: no banner,
    # so the page itself gives the emergency message and the call button.
    response = submit(client, "/checkin", {**CHECKIN, "pain_now": "5", "red_flag": "yes"})
    assert response.headers["location"] == "/progress?saved=1&warning=1"
    page = client.get(response.headers["location"]).text
    top, main = page.split('<main id="main"')
    assert "escalation-banner" not in top
    assert main.index('class="urgency urgency-emergency" role="alert"') < main.index(
        "check-in is saved"
    )
    assert 'class="call-button" href="tel:112"' in main


def test_the_recent_check_ins_table_can_be_scrolled_by_keyboard(
    client: TestClient, ann: Person
) -> None:
    submit(client, "/checkin", CHECKIN)
    page = client.get("/progress").text
    assert '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="recent-title">' in (
        page
    )


def test_a_long_diary_is_charted_by_week(
    services: Services, client: TestClient, clock: Clock
) -> None:
    assessed_days_ago(services, clock, "bea", 70)
    # Pain 6 on Mondays to Wednesdays and 2 on the other days: a weekly mean of 26/7.
    start = today(services) - timedelta(days=69)
    for offset in range(70):
        day = start + timedelta(days=offset)
        pain = 6 if day.weekday() < 3 else 2
        services.records.add_entry(
            "bea",
            {"day": day, "pain_now": pain, "pain_walking": pain, "walk_minutes": 10.0},
        )
    sign_in(client, "bea")
    page = client.get("/progress").text
    chart = chart_data(page, "pain")
    assert all(label.startswith("Week of ") for label in chart["labels"])
    assert 10 <= len(chart["labels"]) <= 11
    full_weeks = chart["series"][0]["values"][1:-1]
    assert full_weeks
    assert set(full_weeks) == {round(26 / 7, 1)}
    assert "average of one week" in page
