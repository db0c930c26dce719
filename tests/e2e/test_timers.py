"""The programme page's hold and walking-interval timers, run on Playwright's clock (so a
30-second hold or a 5-minute walk takes no real time)."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Audit, sign_in


def test_the_hold_and_walk_timers_count_down_and_announce(page: Page, audit: Audit) -> None:
    page.clock.install()
    sign_in(page, "demo-person", next_path="/programme")
    hold = page.locator(".hold-timer").first
    expect(hold).to_be_visible()
    seconds = int(hold.get_attribute("data-hold-s") or "0")
    holds = int(hold.get_attribute("data-holds") or "1")
    assert seconds > 0
    clock = hold.locator('[data-role="clock"]')
    status = hold.locator('[data-role="status"]')
    hold.get_by_role("button", name="Start hold").click()
    expect(status).to_have_text(f"Hold for {seconds} seconds.")
    page.clock.run_for(1_000)
    expect(clock).to_have_text(re.compile(rf"0:{seconds - 1:02d}|0:{seconds - 2:02d}"))
    hold.get_by_role("button", name="Pause").click()
    expect(status).to_have_text("Paused.")
    paused_at = clock.inner_text()
    page.clock.run_for(5_000)
    expect(clock).to_have_text(paused_at)
    hold.get_by_role("button", name="Continue").click()
    page.clock.run_for(seconds * 1_000)
    done = "That is all" if holds == 1 else f"Hold 1 of {holds} done."
    expect(status).to_contain_text(done)
    audit.check("hold-done")

    walk = page.locator(".interval-timer")
    expect(walk).to_be_visible()
    intervals = json.loads(walk.get_attribute("data-intervals") or "[]")
    first = intervals[0]
    walk.get_by_role("button", name="Start walk").click()
    expect(walk.locator('[data-role="phase"]')).to_have_text("Walk")
    page.clock.run_for(int(first["walk_min"] * 60_000) + 500)
    if first["rest_min"] > 0:
        expect(walk.locator('[data-role="phase"]')).to_have_text("Rest")
        expect(walk.locator('[data-role="status"]')).to_contain_text("Rest for")
    else:
        expect(walk.locator('[data-role="phase"]')).not_to_have_text("Ready")
    walk.get_by_role("button", name="Reset").click()
    expect(walk.locator('[data-role="status"]')).to_have_text("Timer reset.")
    audit.check("walk-reset")
    audit.assert_clean()
