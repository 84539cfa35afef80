"""Browser tests: Playwright's sync API driving Debian's Chromium against a live server.

Writing one::

    import pytest
    from playwright.sync_api import expect

    from tests.e2e.conftest import login, screenshot

    pytestmark = pytest.mark.e2e

    def test_it_lets_a_teacher_open_the_student_list(page, live_server, world):
        login(page, live_server, "teacher", world.password)
        page.get_by_role("link", name="Students").first.click()
        expect(page.get_by_role("heading", name="Students")).to_be_visible()
        screenshot(page, "student-list-teacher")

What you get:

- `browser` (session): one headless Chromium for the whole run. It is Debian's package
  (`CHROMIUM_PATH`, default /usr/bin/chromium), never Playwright's download: do not run
  `playwright install`. Missing Chromium skips the browser tests, except under `CI=true`,
  where every browser test fails instead (the issue's rule: in CI they must run).
- `page` (per test): a fresh browser context (no cookies from other tests), 1366x768 like a
  school laptop, relative URLs resolved against the live server (`page.goto("/students/")`),
  20-second timeouts for actions, page loads and `expect` assertions (E2E_TIMEOUT_MS).
  A JavaScript error on the page, or a Content-Security-Policy violation the browser
  reports, fails the test; a failing test leaves
  a screenshot in test-artifacts/screenshots/FAILED-<test>.png.
- `live_server` is pytest-django's: it serves /static/ from the source folders (no
  collectstatic), and the test's database is transactional, so data made by fixtures such
  as `world` is visible to the server thread.
- Passwords are hashed with a fast hasher during e2e tests (autouse fixture).
- `login(page, live_server, username, password)` signs in through the real form;
  `screenshot(page, name)` saves test-artifacts/screenshots/<name>.png (git-ignored) -- look
  at them.

Run only these: `pytest -m e2e`; everything but these: `pytest -m "not e2e"`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; Django would then refuse
# ORM calls from fixtures and tests ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # containers and CI runners run as root without user namespaces
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no calls home during tests
    "--disable-component-update",
    "--disable-sync",
]

VIEWPORT = {"width": 1366, "height": 768}
# Generous: the live server serves static files (plotly.min.js is megabytes) through Python,
# and CI machines are often loaded. Override with E2E_TIMEOUT_MS.
TIMEOUT_MS = int(os.environ.get("E2E_TIMEOUT_MS", "20000"))


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session (skip without it, fail without it in CI)."""
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        message = (
            f"Chromium not found at {path}: install Debian's chromium package "
            "(make test does, as root) or set CHROMIUM_PATH."
        )
        if _in_ci():
            pytest.fail(f"CI=true requires the browser tests to run. {message}", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    # An htmx save on a loaded CI machine can take longer than expect's 5-second default.
    expect.set_options(timeout=TIMEOUT_MS)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    # Remember each phase's outcome on the test item, so `page` knows whether to keep a
    # screenshot of the failure.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, live_server, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh context and page per test, pointed at the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    js_errors: list[str] = []
    tab.on("pageerror", lambda error: js_errors.append(str(error)))
    # Chromium reports each violation of the Content-Security-Policy on the console.
    tab.on(
        "console",
        lambda msg: js_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    try:
        yield tab
        call_report = getattr(request.node, "report_call", None)
        if call_report is not None and call_report.failed:
            screenshot(tab, "FAILED-" + re.sub(r"[^\w.-]+", "_", request.node.name))
        assert not js_errors, f"JavaScript errors on the page: {js_errors}"
    finally:
        context.close()


def login(page, live_server, username: str, password: str) -> None:
    """Sign in through the real sign-in form and wait until the home page shows."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    signed_in = page.get_by_role("button", name="Sign out")
    refused = page.locator("#login-error")
    signed_in.or_(refused).first.wait_for()
    if refused.is_visible():
        raise AssertionError(f"Signing in as {username!r} failed: {refused.inner_text()}")


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG to test-artifacts/screenshots/<name>.png and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
