"""Every page that exists on its own, at a phone's and a desktop's size: no serious or critical
WCAG 2.2 AA violation (axe-core), no CSP violation or script error, and a screenshot."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from tests.e2e.conftest import SIDEWAYS, SQUEEZED, VIEWPORTS, Audit, follow, sign_in
from tests.server import Server

PUBLIC_PAGES = ["/", "/about", "/learn", "/login", "/signup", "/reset"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page(page: Page, audit: Audit, path: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 200
    assert page.locator("h1").count() == 1, "a page has one main heading"
    audit.check()
    audit.assert_clean()


def test_education_pages(page: Page, audit: Audit, viewport: str) -> None:
    """Every page the library links to, on a phone; on a desktop (same markup, wider layout)
    the first two, to keep the suite short."""
    page.goto("/learn")
    links = page.locator("main a[href^='/learn/']")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert len(hrefs) >= 2, "the library lists pages"
    for href in hrefs if viewport == "phone" else hrefs[:2]:
        response = page.goto(href)
        assert response is not None
        assert response.status == 200, href
        audit.check(href.rsplit("/", 1)[-1])
    audit.assert_clean()


def test_error_page(page: Page, audit: Audit, server: Server) -> None:
    missing = f"{server.url}/no-such-page"
    audit.expected_failures.add(missing)
    response = page.goto(missing)
    assert response is not None
    assert response.status == 404
    assert page.get_by_role("link", name="Go to the start page").is_visible()
    audit.check()
    audit.assert_clean()


def test_sign_in_error(page: Page, audit: Audit, server: Server) -> None:
    """A wrong password: the page again, with the error announced and tied to the field."""
    audit.expected_failures.add(f"{server.url}/login")
    page.goto("/login")
    page.locator("#username").fill("nobody-at-all")
    page.locator("#password").fill("not the password")
    follow(page, page.get_by_role("button", name="Sign in"))
    page.get_by_role("alert").wait_for()
    audit.check()
    audit.assert_clean()


@pytest.mark.parametrize("username", ["demo-person", "demo-clinician"])
def test_account_page(page: Page, audit: Audit, username: str) -> None:
    sign_in(page, username, next_path="/account")
    assert page.get_by_role("heading", level=1, name="Your account").is_visible()
    audit.check()
    if username == "demo-clinician":
        follow(page, page.get_by_role("button", name=re.compile("invitation code")))
        assert re.fullmatch(r"\S{6,}", page.locator("#invitation-code").inner_text())
        audit.check("invited")
    audit.assert_clean()


def test_a_clinicians_view_of_the_demo_person(page: Page, audit: Audit) -> None:
    """The demo clinician's page about the demo person, whose diary and weekly walking tests
    fill every section: charts, walking tests, downloads, the programme and its history."""
    sign_in(page, "demo-clinician", next_path="/clinician")
    follow(page, page.get_by_role("link", name="demo-person", exact=True))
    assert page.get_by_role("heading", level=1, name="demo-person").is_visible()
    assert page.get_by_role("heading", level=2, name="Walking tests").is_visible()
    assert page.locator("#walk-tests-data").count() == 1
    assert page.get_by_role("link", name="Doctor summary").is_visible()
    audit.check()
    audit.assert_clean()


def test_a_password_can_be_shown_while_typing_it(page: Page, audit: Audit) -> None:
    """Each password field has a "Show" toggle (app.js); the form still sends it hidden."""
    page.goto("/signup")
    field = page.locator("#password")
    field.fill("a long passphrase here")
    toggle = page.get_by_role("button", name="Show password", exact=True)
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert field.get_attribute("type") == "text"
    assert toggle.get_attribute("aria-pressed") == "true"
    assert field.input_value() == "a long passphrase here"
    audit.check("shown")
    toggle.click()
    assert field.get_attribute("type") == "password"
    assert page.get_by_role("button", name="Show password again").count() == 1
    audit.assert_clean()


#: The narrowest screen WCAG 2.2's reflow criterion (1.4.10) asks for: 320 CSS pixels.
NARROWEST: ViewportSize = {"width": 320, "height": 640}
PERSON_PAGES = ["/programme", "/checkin", "/progress", "/walk-test", "/learn", "/account"]


@pytest.mark.parametrize("username", ["demo-person", "demo-clinician"])
def test_pages_fit_a_320_px_screen(browser: Browser, server: Server, username: str) -> None:
    """No page needs scrolling sideways on the narrowest screen (the chart cards and a
    long answer in the check-in once did), and no answer button is squeezed smaller."""
    context = browser.new_context(base_url=server.url, viewport=NARROWEST)
    try:
        page = context.new_page()
        sign_in(page, username)
        paths = [*PUBLIC_PAGES, *PERSON_PAGES] if username == "demo-person" else []
        if username == "demo-clinician":
            page.goto("/clinician")
            first = page.locator("main a[href^='/clinician/people/']").first
            paths = ["/clinician", first.get_attribute("href") or "", "/account"]
        too_wide, squeezed = {}, {}
        for path in paths:
            page.goto(path)
            sideways = page.evaluate(SIDEWAYS)
            if sideways > 0:
                too_wide[path] = sideways
            if buttons := page.evaluate(SQUEEZED):
                squeezed[path] = buttons
        assert too_wide == {}, f"px wider than a 320 px screen: {too_wide}"
        assert squeezed == {}, f"answer buttons drawn smaller than their size: {squeezed}"
    finally:
        context.close()


DARK_PAGES = {
    "": ["/", "/assess", "/login"],
    "demo-person": ["/programme", "/checkin", "/progress"],
    "demo-clinician": ["/clinician"],
}


@pytest.mark.parametrize("username", list(DARK_PAGES), ids=["visitor", "person", "clinician"])
def test_the_dark_theme(browser: Browser, server: Server, axe_source: str, username: str) -> None:
    """A phone set to dark mode gets the dark theme, and it passes the same checks (axe's
    colour contrast above all)."""
    width, height = VIEWPORTS["phone"]
    context = browser.new_context(
        base_url=server.url, viewport={"width": width, "height": height}, color_scheme="dark"
    )
    try:
        page = context.new_page()
        audit = Audit(page, axe_source, f"dark_theme-{username or 'visitor'}", "phone")
        page.on("console", audit.on_console)
        if username:
            sign_in(page, username)
        for path in DARK_PAGES[username]:
            page.goto(path)
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            red, green, blue = (int(n) for n in re.findall(r"\d+", background)[:3])
            assert max(red, green, blue) < 64, f"{path} is not dark: {background}"
            audit.check(path.strip("/") or "start")
        audit.assert_clean()
    finally:
        context.close()
