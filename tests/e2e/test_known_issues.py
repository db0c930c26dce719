"""Known defects of pages owned by other parts of the app, each reported and waiting for its
fix. Every test here is ``xfail(strict=True)``: when the page is fixed the test passes, which
fails the suite until the entry (here and in conftest.KNOWN_ISSUES) is deleted."""

from __future__ import annotations

import re
import secrets
from datetime import date

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import (
    KNOWN_ISSUES,
    VIEWPORTS,
    WCAG_TAGS,
    KnownIssue,
    Server,
    follow,
    sign_in,
)
from tests.e2e.test_journeys import EXAMPLES, sign_up


@pytest.mark.parametrize(
    "issue",
    [pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=k.reason)) for k in KNOWN_ISSUES],
    ids=[f"{k.rule}-{k.path}-{k.viewport}" for k in KNOWN_ISSUES],
)
def test_known_axe_violation(
    browser: Browser, server: Server, axe_source: str, issue: KnownIssue
) -> None:
    width, height = VIEWPORTS[issue.viewport]
    context = browser.new_context(base_url=server.url, viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        if issue.who:
            sign_in(page, issue.who, next_path=issue.path)
        page.goto(issue.path)
        page.evaluate(axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        found = [v["id"] for v in result["violations"]]
        assert issue.rule not in found, issue.reason
    finally:
        context.close()


@pytest.mark.xfail(
    strict=True,
    reason="Today.progress stores the escalation again right after it is acknowledged "
    "(Records.record_escalation skips only *open* fingerprints), so 'I have read this' on "
    "/progress brings the same banner straight back while the warning sign is in the diary",
)
def test_acknowledged_escalation_stays_closed_on_progress(browser: Browser, server: Server) -> None:
    context = browser.new_context(base_url=server.url)
    try:
        page = context.new_page()
        name = "ack-" + secrets.token_hex(3)
        page.goto("/signup")
        sign_up(page, name)
        server.cli("plan", "--user", name, str(EXAMPLES / "stenosis-walker.json"))
        server.cli(
            *("diary", "add", "--user", name, "--date", date.today().isoformat()),
            *("--pain-now", "3", "--pain-walking", "4", "--walk-minutes", "10", "--red-flag"),
        )
        page.goto("/progress")
        banner = page.locator(".escalation-banner")
        expect(banner).to_be_visible()
        follow(page, banner.get_by_role("button", name="I have read this"))
        page.wait_for_url(re.compile(r"/progress$"))
        expect(page.locator(".escalation-banner")).to_have_count(0)
    finally:
        context.close()
