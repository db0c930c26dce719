"""Browser tests: the real server in a subprocess, Debian's Chromium driven by Playwright,
axe-core run on every page visited, and a screenshot of every page in ``build/screenshots/``.

How axe gets into the page: the app's CSP is ``script-src 'self'`` and that must stay
enforced while the tests run (a CSP violation is itself a failure here: the pages may not use
inline scripts or styles). So the context is never opened with ``bypass_csp``, and
``add_script_tag`` (an inline or foreign script) would be refused. Instead axe's source is
evaluated with ``page.evaluate``: Playwright sends it over the DevTools protocol
(``Runtime.evaluate``), which the page's CSP does not govern, the same way a developer's
console does. The page itself is unchanged.

Nothing downloads: ``playwright install`` is never run; ``/usr/bin/chromium`` comes from
Debian (scripts/setup-test-system.sh) and axe-core from npm (scripts/vendor-assets.sh).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    sync_playwright,
)

from tests.server import Server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
EXAMPLES = ROOT / "examples"
PASSWORD = "a long enough test password"  # noqa: S105 (throwaway test accounts)
SCREENSHOTS = ROOT / "build" / "screenshots"
#: WCAG 2.2 AA: the rules axe tags for levels A and AA of WCAG 2.0, 2.1 and 2.2.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}
#: How far the page reaches past the right edge of the screen, in CSS pixels.
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Answer buttons (radio buttons, tick boxes) drawn smaller than their set size: squeezed by
# a label too wide for its box (the "10" of the pain scale once was).
SQUEEZED = """() => [...document.querySelectorAll("input[type=radio], input[type=checkbox]")]
  .filter(input => input.offsetParent !== null)
  .filter(input => {
    const box = input.getBoundingClientRect();  // drawn square unless squeezed sideways
    return box.width + 0.5 < box.height;
  })
  .map(input => `${input.name}=${input.value}`)"""
# Loads every image now, lazy ones too (a full-page screenshot does not scroll them into
# view), waiting up to 5 s, and lets charts finish drawing; answers the sources of the
# images that failed to load.
LOAD_IMAGES = """async () => {
  const images = [...document.images];
  for (const image of images) image.loading = "eager";
  const loaded = image => image.complete ? null : new Promise(done => {
    image.addEventListener("load", done, {once: true});
    image.addEventListener("error", done, {once: true});
  });
  const waited = Promise.all(images.map(loaded));
  await Promise.race([waited, new Promise(done => setTimeout(done, 5000))]);
  // Charts grow into place over 300 ms (charts.js): let them finish before the screenshot.
  if (document.querySelector("canvas")) await new Promise(done => setTimeout(done, 400));
  return images.filter(image => !image.complete || image.naturalWidth === 0)
    .map(image => image.getAttribute("src"));
}"""
DEMO_PASSWORD = "demo-password"  # noqa: S105 (the demo accounts' published password)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: browser test (real server, Chromium); deselect with -m 'not e2e'"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app as users meet it: ``backstride serve --demo`` on its own SQLite file."""
    folder = tmp_path_factory.mktemp("e2e")
    database_url = f"sqlite:///{folder / 'e2e.db'}"
    server = Server.start(database_url, folder / "server.log", workers=1, options=("--demo",))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "no /usr/bin/chromium: run `make test` (scripts/setup-test-system.sh)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE.exists(), "no axe-core: run `make setup` (npm ci)"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@dataclass
class Audit:
    """Checks every page a test visits: axe (serious/critical WCAG 2.2 AA violations), the
    browser console (CSP violations, script errors, failed requests) and a screenshot.

    Problems are collected so a journey shows all of them at once; each test ends with
    ``assert_clean()``, and the fixture fails the test at teardown if one forgot to."""

    page: Page
    axe_source: str
    test_name: str
    viewport: str
    problems: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)
    checked: int = 0
    #: Addresses a test expects to fail (an error page is meant to answer 404).
    expected_failures: set[str] = field(default_factory=set)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if source in self.expected_failures:
            return
        self.console.append(f"{self.page.url}: {message.text} ({source})")

    def check(self, step: str = "") -> dict[str, Any]:
        """Run axe on the page as it is now and keep a full-page screenshot."""
        self.checked += 1
        name = "-".join(part for part in (self.test_name, self.viewport, step) if part)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{name}.png"
        for source in self.page.evaluate(LOAD_IMAGES):
            self.problems.append(f"{self.page.url} [{step or 'page'}]: image {source} not loaded")
        self.page.screenshot(path=str(shot), full_page=True)
        self.screenshots.append(shot)
        sideways = self.page.evaluate(SIDEWAYS)
        if sideways > 0:  # a phone user would have to scroll sideways (WCAG 1.4.10 reflow)
            self.problems.append(
                f"{self.page.url} [{step or 'page'}]: {sideways} px wider than the screen"
            )
        for squeezed in self.page.evaluate(SQUEEZED):
            self.problems.append(f"{self.page.url} [{step or 'page'}]: {squeezed} squeezed")
        self.page.evaluate(self.axe_source)
        result: dict[str, Any] = self.page.evaluate(
            "tags => axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        for violation in result["violations"]:
            if violation["impact"] in BLOCKING_IMPACTS:
                targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
                self.problems.append(
                    f"{self.page.url} [{step or 'page'}]: axe {violation['id']} "
                    f"({violation['impact']}): {violation['help']} at {targets}"
                )
        return result

    def assert_clean(self) -> None:
        assert self.checked, "no page was checked"
        problems = self.problems + [f"console error at {line}" for line in self.console]
        self.problems, self.console = [], []
        assert not problems, "\n".join(problems)


def _test_name(request: pytest.FixtureRequest) -> str:
    name = request.node.originalname or request.node.name
    params = getattr(request.node, "callspec", None)
    extra = [
        str(value)
        for key, value in (params.params.items() if params else [])
        if key != "viewport" and isinstance(value, str)
    ]
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", "-".join([name.removeprefix("test_"), *extra]))


@pytest.fixture
def context(browser: Browser, server: Server, viewport: str) -> Iterator[BrowserContext]:
    width, height = VIEWPORTS[viewport]
    opened = browser.new_context(
        base_url=server.url,
        viewport={"width": width, "height": height},
        accept_downloads=True,
        locale="en-GB",
    )
    opened.set_default_timeout(10_000)
    yield opened
    opened.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def audit(
    request: pytest.FixtureRequest, page: Page, axe_source: str, viewport: str
) -> Iterator[Audit]:
    checker = Audit(page, axe_source, _test_name(request), viewport)
    page.on("console", checker.on_console)
    yield checker
    if checker.problems or checker.console:
        problems = checker.problems + checker.console
        pytest.fail("unreported problems:\n" + "\n".join(problems))


def follow(page: Page, target: Locator) -> None:
    """Click a link or a form's button and wait for the page it leads to (after redirects)."""
    with page.expect_navigation():
        target.click()


def sign_in(
    page: Page, username: str, password: str = DEMO_PASSWORD, *, next_path: str = ""
) -> None:
    """Sign in through the form, the way a person does (then go to ``next_path``, if any)."""
    page.goto(f"/login?next={next_path}" if next_path else "/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.IGNORECASE)))
    assert "/login" not in page.url, f"sign-in as {username} failed"


def sign_up(page: Page, username: str) -> None:
    """Create a person's account through the form; it lands on the programme page."""
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_again").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("create", re.IGNORECASE)))
    assert page.url.endswith("/programme"), f"sign-up failed: {page.url}"
