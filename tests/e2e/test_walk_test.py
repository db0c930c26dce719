"""The walking test page in Chromium, fed synthetic DeviceMotion events.

A page cannot be walked with, so the test replaces the phone: before the page loads it
swaps ``performance.now`` for a clock the test moves, then dispatches ``devicemotion`` events
shaped like walking at 1.8 steps a second (108 steps/min: vertical acceleration around
gravity with its harmonic, forward and side sway) at 100 Hz. The page records them exactly
as it records a phone's, the person's buttons are clicked, and the upload is analysed by the
server."""

from __future__ import annotations

import re
import secrets

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD, Audit, follow, sign_in, sign_up

FAKE_CLOCK = """
window.__fakeNow = 0;
window.__sleptMs = 0;
const wallAtZero = Date.now();
performance.now = () => window.__fakeNow;
Date.now = () => wallAtZero + window.__fakeNow + window.__sleptMs;
"""

#: A phone that grants the screen wake lock, counting the requests.
WAKE_LOCK = """
window.__wakeLocks = 0;
Object.defineProperty(navigator, "wakeLock", {value: {request: async (type) => {
  window.__wakeLocks += 1;
  return {type, released: false, release: async () => {}, addEventListener() {}};
}}});
"""

#: A browser without the Screen Wake Lock API.
NO_WAKE_LOCK = """
Object.defineProperty(navigator, "wakeLock", {value: undefined});
"""

#: Would leaving the page ask first? (The page's beforeunload handler, as a browser calls it.)
LEAVING_ASKS = """
() => {
  const event = new Event("beforeunload", {cancelable: true});
  window.dispatchEvent(event);
  return event.defaultPrevented;
}
"""

SCREEN = """
(state) => {
  Object.defineProperty(document, "visibilityState", {value: state, configurable: true});
  document.dispatchEvent(new Event("visibilitychange"));
}
"""

WALK = """
([fromS, toS]) => {
  const f = 1.8;
  for (let ms = fromS * 1000; ms < toS * 1000; ms += 10) {
    window.__fakeNow = ms;
    const t = ms / 1000;
    const wobble = Math.sin(t * 12.9898) * 0.05;
    const vertical = 9.81 + 1.5 * Math.sin(2 * Math.PI * f * t)
      + 0.3 * Math.sin(4 * Math.PI * f * t) + wobble;
    const forward = 0.8 * Math.sin(2 * Math.PI * f * t + Math.PI / 2);
    const side = 0.4 * Math.sin(Math.PI * f * t);
    window.dispatchEvent(new DeviceMotionEvent("devicemotion", {
      accelerationIncludingGravity: {x: side, y: vertical, z: forward},
      rotationRate: {alpha: 5 * Math.sin(Math.PI * f * t), beta: 2, gamma: 1},
      interval: 10,
    }));
  }
  window.__fakeNow = toS * 1000;
}
"""


def open_recorder(page: Page, prefix: str, *init_scripts: str) -> str:
    """A new person (named ``prefix`` and a random suffix, which is returned) on the walking
    test page, with the fake clock and ``init_scripts`` installed before the page loads."""
    for script in (FAKE_CLOCK, *init_scripts):
        page.add_init_script(script)
    page.goto("/signup")
    name = prefix + secrets.token_hex(3)
    sign_up(page, name)
    page.goto("/walk-test")
    return name


def test_a_walking_test_recorded_from_motion_events(page: Page, audit: Audit) -> None:
    open_recorder(page, "walker-", NO_WAKE_LOCK)
    audit.check("ready")
    # One step at a time: only the buttons of this step show.
    expect(page.get_by_role("button", name="Pain started")).to_be_hidden()
    expect(page.get_by_role("button", name="Stop", exact=True)).to_be_hidden()
    expect(page.locator("#upload-error")).to_be_hidden()
    page.locator("#height-cm").fill("170")
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#status")).to_contain_text("Recording")
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_hidden()
    expect(page.locator("#status")).to_contain_text("Keep the screen on")  # no wake lock
    page.evaluate(WALK, [0, 20])
    page.get_by_role("button", name="Pain started").click()
    expect(page.locator("#status")).to_contain_text("Pain noted at 0:20")
    page.evaluate(WALK, [20, 40])
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(page.get_by_role("radio", name="Pain made me stop")).to_be_checked()
    for done in ("Start", "Pain started", "Stop"):
        expect(page.get_by_role("button", name=done, exact=True)).to_be_hidden()
    assert page.evaluate(LEAVING_ASKS), "an unsaved walk is not lost without a question"
    audit.check("stopped")
    page.evaluate("() => { window.__fakeNow += 45000; }")  # sitting down for 45 s
    page.get_by_role("button", name="Pain has eased").click()
    follow(page, page.get_by_role("button", name="Save the result"))
    assert re.search(r"/walk-test/\d+$", page.url), page.url
    audit.check("result")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Pain made me stop")
    expect(facts).to_contain_text("0 min 20 s")  # time until pain started
    expect(facts).to_contain_text("0 min 45 s")  # time for the pain to ease
    cadence = facts.locator("dt:has-text('Steps per minute') + dd").inner_text()
    assert abs(int(cadence) - 108) <= 3
    page.goto("/walk-test")
    expect(page.locator("#walk-tests-data")).to_have_count(1)
    audit.check("history")
    audit.assert_clean()


def test_without_motion_data_the_page_says_so(page: Page, audit: Audit) -> None:
    page.goto("/signup")
    sign_up(page, "still-" + secrets.token_hex(3))
    page.goto("/walk-test")
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#status")).to_contain_text("No motion data", timeout=10_000)
    assert not page.evaluate(LEAVING_ASKS), "nothing recorded: nothing to lose"
    audit.check("no-sensors")
    audit.assert_clean()


def test_a_walk_the_phone_did_not_all_record_says_so(page: Page, audit: Audit) -> None:
    """The screen is kept on; when it goes off for 30 s anyway the page says so on its return,
    asks for the wake lock again, and a phone that then sleeps for a minute (its precise clock
    standing still) does not shorten the test. The result names the 1 min 30 s not recorded."""
    open_recorder(page, "dozer-", WAKE_LOCK)
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#status")).to_have_text("Recording. Walk at your usual pace.")
    assert page.evaluate("window.__wakeLocks") == 1
    page.evaluate(WALK, [0, 20])
    page.evaluate(SCREEN, "hidden")
    page.evaluate("() => { window.__fakeNow += 30000; }")  # 30 s with the screen off
    page.evaluate(SCREEN, "visible")
    expect(page.locator("#status")).to_contain_text("The screen was off for 0:30")
    assert page.evaluate("window.__wakeLocks") == 2
    page.evaluate(WALK, [50, 70])
    page.evaluate("() => { window.__sleptMs += 60000; }")  # asleep: only the wall clock moves
    page.evaluate(WALK, [70, 90])  # on the page's clock: 130 to 150 s
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(page.locator("#status")).to_contain_text("Stopped after 2:30")
    page.get_by_role("radio", name="Pain made me stop").check()
    follow(page, page.get_by_role("button", name="Save the result"))
    assert re.search(r"/walk-test/\d+$", page.url), page.url
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("2 min 30 s")  # time walked in all
    note = page.locator("#quality-title + ul")
    expect(note).to_contain_text("no movement for 1 min 30 s of the 2 min 30 s of the test")
    audit.check("not-all-recorded")
    audit.assert_clean()


def test_a_walk_is_kept_when_the_sign_in_ends_before_it_is_saved(page: Page, audit: Audit) -> None:
    """The sign-in ends during the walk (here: its cookie is gone). Saving says so and keeps
    the walk; after signing in again in another tab, Save sends it with the new sign-in's
    token instead of telling the person to reload, which would lose the walk."""
    name = open_recorder(page, "keeper-")
    audit.expected_failures.add(page.url)  # the refused upload is a failed request
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#status")).to_contain_text("Recording")
    page.evaluate(WALK, [0, 30])
    page.get_by_role("button", name="Stop", exact=True).click()
    page.get_by_role("radio", name="Pain made me stop").check()
    page.context.clear_cookies()
    page.get_by_role("button", name="Save the result").click()
    expect(page.locator("#upload-error")).to_contain_text("Your sign-in has ended")
    assert page.evaluate(LEAVING_ASKS), "the walk is still on the page"
    audit.check("signed-out")
    other = page.context.new_page()
    sign_in(other, name, PASSWORD)
    other.close()
    follow(page, page.get_by_role("button", name="Save the result"))
    assert re.search(r"/walk-test/\d+$", page.url), page.url
    expect(page.locator("dl.facts")).to_contain_text("Pain made me stop")
    audit.assert_clean()


def test_the_test_ends_at_15_minutes_even_when_the_phone_slept_past_them(page: Page) -> None:
    open_recorder(page, "sleeper-")
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#status")).to_contain_text("Recording")
    page.evaluate(WALK, [0, 20])
    page.evaluate("() => { window.__sleptMs += 20 * 60000; }")  # asleep for 20 minutes
    page.evaluate(WALK, [20, 21])  # the first motion after waking
    expect(page.locator("#status")).to_contain_text("Stopped after 15:00")
    expect(page.get_by_role("radio", name="Reached 15 minutes")).to_be_checked()
