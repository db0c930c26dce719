"""The two journeys of the issue, in a real browser at a phone's and a desktop's size, with
axe-core, the console check and a screenshot on every page visited."""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import EXAMPLES, VIEWPORTS, Audit, follow, sign_in, sign_up
from tests.server import Server

#: A 74-year-old with leg pain on walking eased by sitting: "see someone soon", a programme.
ANSWERS: dict[str, Any] = json.loads((EXAMPLES / "stenosis-walker.json").read_text())
MAX_STEPS = 30


def unique(prefix: str, viewport: str) -> str:
    return f"{prefix}-{viewport}-{secrets.token_hex(3)}"


def answer_step(page: Page) -> None:
    """Answer every question on a wizard step from ``ANSWERS`` (Don't know when absent)."""
    for fieldset in page.locator("fieldset[id^='q-']").all():
        key = (fieldset.get_attribute("id") or "").removeprefix("q-")
        value = ANSWERS.get(key, "dont_know")
        if isinstance(value, bool):
            value = "yes" if value else "no"
        radio = fieldset.locator(f"input[type=radio][name='{key}'][value='{value}']")
        text = fieldset.locator(f"#in-{key}")
        if radio.count():
            radio.check()
        elif value == "dont_know":
            fieldset.locator(f"input[name='{key}__option'][value='dont_know']").check()
        elif value is None:
            fieldset.locator(f"input[name='{key}__option'][value='no_limit']").check()
        else:
            assert text.count(), f"no way to answer {key} with {value!r}"
            text.fill(str(value))


def take_assessment(page: Page, audit: Audit) -> None:
    """From /assess, through every step, to the result page."""
    page.goto("/assess")
    audit.check("assess-start")
    follow(page, page.get_by_role("link", name=re.compile("^(Start|Carry on)")))
    for number in range(1, MAX_STEPS + 1):
        if page.url.endswith("/assess/result"):
            return
        expect(page.locator("#progress-label")).to_contain_text("Step")
        audit.check(f"assess-step-{number:02d}")
        answer_step(page)
        follow(page, page.get_by_role("button", name="Next"))
        assert not page.locator(".error-summary").count(), page.locator(
            ".error-summary"
        ).inner_text()
    raise AssertionError(f"no result after {MAX_STEPS} steps")


def add_past_days(server: Server, name: str) -> None:
    """Two earlier check-ins, written the way a person catching up with the CLI would."""
    today = date.today()  # the server's clock is real
    for days_ago, pain in ((2, 5), (1, 4)):
        server.cli(
            *("diary", "add", "--user", name, "--date", str(today - timedelta(days=days_ago))),
            *("--pain-now", str(pain), "--pain-walking", str(pain + 1), "--walk-minutes", "20"),
            *("--walk-tolerance-min", "10", "--settled", "--no-red-flag"),
        )


def test_person_journey(page: Page, audit: Audit, server: Server, viewport: str) -> None:
    """Assess -> result -> sign up -> programme -> an exercise done -> three check-ins ->
    escalation shown -> progress -> doctor summary PDF.

    The server's clock is real and a check-in can only be written for today, so the three
    check-ins are: two on the previous days, added with ``backstride diary add`` against the
    server's database right after sign-up (a missed day can be caught up that way), and
    today's through the check-in form. Today's reports a new warning sign (bladder/bowel
    control or saddle numbness), which the app assesses at once: the escalation banner must
    appear on the next page and stay until the person says they have read it.
    """
    take_assessment(page, audit)
    expect(page.locator(".urgency h1")).to_be_visible()
    audit.check("result")

    follow(page, page.get_by_role("link", name="Create an account to keep it"))
    audit.check("signup")
    name = unique("walker", viewport)
    sign_up(page, name)
    assert page.url.endswith("/programme"), page.url
    expect(page.get_by_role("heading", level=1, name="Your programme")).to_be_visible()
    audit.check("programme")

    first = page.locator("form.done-form").first
    first.locator("input[name=pain_during][value='2']").check()
    follow(page, first.get_by_role("button", name=re.compile("^Done")))
    expect(page.locator("p.notice[role=status]")).to_contain_text("marked done for today")
    expect(page.locator(".done-badge").first).to_be_visible()
    audit.check("exercise-done")

    add_past_days(server, name)
    page.goto("/checkin")
    expect(page.get_by_role("heading", level=1, name="Today's check-in")).to_be_visible()
    audit.check("checkin")
    page.locator("#pain_now-3").check()
    page.locator("#pain_walking-5").check()
    page.locator("#walk_minutes").fill("25")
    page.locator("#walk_tolerance_min").fill("12")
    page.locator("#settled_by_morning-yes").check()
    page.locator("#red_flag-yes").check()
    follow(page, page.get_by_role("button", name="Save today's check-in"))
    page.wait_for_url(re.compile(r"/progress\?saved=1&warning=1"))

    banner = page.locator(".escalation-banner")
    expect(banner).to_be_visible()
    expect(banner.get_by_role("heading")).to_have_text(
        re.compile("Call for help now|Please see a doctor")
    )
    expect(page.get_by_role("heading", level=1, name="Your progress")).to_be_visible()
    rows = page.locator(
        "#recent-title ~ * tbody tr, section[aria-labelledby=recent-title] tbody tr"
    )
    assert rows.count() >= 3, "three check-ins listed"
    audit.check("progress-escalation")

    with page.expect_download() as download_info:
        banner.get_by_role("link", name="Download a summary to bring").click()
    download = download_info.value
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    assert download.suggested_filename.endswith(".pdf")

    # "I have read this" closes it, and it stays closed on the next pages.
    follow(page, banner.get_by_role("button", name="I have read this"))
    assert urlsplit(page.url).path == "/progress", page.url
    expect(page.locator(".escalation-banner")).to_have_count(0)
    page.goto("/programme")
    expect(page.locator(".escalation-banner")).to_have_count(0)
    audit.check("acknowledged")
    audit.assert_clean()


def test_clinician_journey(
    browser: Browser, page: Page, audit: Audit, server: Server, viewport: str
) -> None:
    """The clinician creates an invitation code; a person (with a programme) links with it;
    the clinician's list shows them; the clinician changes a dose; the change is shown with
    who made it and when, to the clinician and in the person's record of who changed it."""
    sign_in(page, "demo-clinician", next_path="/account")
    audit.check("account")
    follow(page, page.get_by_role("button", name="Create an invitation code"))
    code = page.locator("#invitation-code").inner_text().strip()
    audit.check("invited")

    # The person, in their own browser: an account, a programme, then the code.
    name = unique("patient", viewport)
    width, height = VIEWPORTS[viewport]
    person_context = browser.new_context(
        base_url=server.url, viewport={"width": width, "height": height}
    )
    try:
        person = person_context.new_page()
        person_audit = Audit(person, audit.axe_source, f"{audit.test_name}-person", viewport)
        person.on("console", person_audit.on_console)
        person.goto("/signup")
        sign_up(person, name)
        # Their assessment and programme, stored with the CLI (the wizard is the other
        # journey's part).
        server.cli("plan", "--user", name, str(EXAMPLES / "stenosis-walker.json"))
        person.goto("/account")
        person.locator("#code").fill(code)
        follow(person, person.get_by_role("button", name="Link to my clinician"))
        expect(person.locator("p.notice[role=status]")).to_contain_text("demo-clinician")
        person_audit.check("linked")

        page.goto("/clinician")
        expect(page.get_by_role("heading", level=1, name="My patients")).to_be_visible()
        link = page.get_by_role("link", name=name)
        expect(link).to_be_visible()
        audit.check("caseload")
        follow(page, link)
        expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
        audit.check("person")

        form = page.locator("form.dose-form").first
        field = form.locator("input[type=number]").first
        before = int(field.input_value())
        field.fill(str(before + 1))
        follow(page, form.get_by_role("button", name=re.compile("^Save the dose")))
        page.wait_for_url(re.compile(r"changed=1"))
        expect(page.locator("p.notice[role=status]")).to_contain_text("The programme is changed")
        history = page.locator("section[aria-labelledby=history-title]")
        expect(history).to_contain_text("demo-clinician")
        expect(history).to_contain_text(datetime.now(UTC).date().isoformat())
        assert (
            int(
                page.locator("form.dose-form")
                .first.locator("input[type=number]")
                .first.input_value()
            )
            == before + 1
        )
        audit.check("dose-changed")

        person.goto("/account")
        trail = person.locator("section[aria-labelledby=audit-title]")
        expect(trail).to_contain_text("demo-clinician")
        person_audit.check("audit-trail")
        person_audit.assert_clean()
    finally:
        person_context.close()
    audit.assert_clean()
