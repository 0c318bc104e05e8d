"""Fixtures for tests that drive the real app in headless Chromium (see browser_harness.py)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from browser_harness import (
    CHROMIUM,
    VIEWPORT,
    AppSession,
    StreamlitServer,
    launch_chromium,
    streamlit_server,
)
from playwright.sync_api import Browser, sync_playwright

# scripts/test sets this: there a missing browser (or haproxy) is a broken install, not a reason
# to skip.
REQUIRE_BROWSER = os.environ.get("GRADIENT_ATLAS_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def chromium() -> None:
    """Skips (or, under scripts/test, fails) the test when there is no browser to drive."""
    if not CHROMIUM.exists():
        message = f"no Chromium at {CHROMIUM}; `bash scripts/test` installs Debian's chromium"
        if REQUIRE_BROWSER:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def haproxy() -> None:
    """Skips (or, under scripts/test, fails) a test of deploy/serve when HAProxy is missing: the
    command would install it, which a test should not do behind the user's back."""
    if shutil.which("haproxy") is None:
        message = "no haproxy; `bash scripts/test` installs Debian's haproxy"
        if REQUIRE_BROWSER:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser(chromium) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def server() -> Iterator[StreamlitServer]:
    with streamlit_server("browser-tests") as running:
        yield running


@pytest.fixture
def new_session(browser: Browser):
    """Factory for app tabs, each in its own browser context (cookies, storage: a separate user).
    Every tab is checked for browser console errors when the test ends."""
    contexts = []
    sessions: list[AppSession] = []

    def make(**options) -> AppSession:
        """`options` are the browser context's, e.g. locale="ko-KR" for a Korean browser."""
        context = browser.new_context(viewport=VIEWPORT, **options)
        contexts.append(context)
        session = AppSession(context.new_page())
        sessions.append(session)
        return session

    yield make
    for context in contexts:
        context.close()
    errors = [error for session in sessions for error in session.console_errors]
    assert not errors, f"browser console errors: {errors}"


@pytest.fixture
def session(new_session) -> AppSession:
    return new_session()
