"""Browser tests: Debian's Chromium driven by Playwright, headless, over the demo served on a free port."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from webutil import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Site, serve


def pytest_configure(config: pytest.Config) -> None:
    # starlette's TestClient asks for a successor of httpx that is not needed here
    config.addinivalue_line("filterwarnings", "ignore:.*httpx2.*")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo, served for the whole session."""
    with serve(tmp_path_factory.mktemp("web") / "demo.db") as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (skipped, saying why, where Debian's chromium is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: `make install` installs Debian's chromium (its `browser` target)")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def languages_forgotten(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a test that signed in, the demo users' language choices are forgotten (the site lives for the session;
    a language chosen in one test must not carry into the next)."""
    yield
    if "site" in request.fixturenames:
        site: Site = request.getfixturevalue("site")
        for key in site.store.keys.list():
            site.store.keys.choose_language(key.key_id, None)


@pytest.fixture
def signed_in(browser: Any, site: Site) -> Iterator[Callable[[str], Any]]:
    """``signed_in(role)``: a fresh page signed in as the demo account of ``role`` (one click, as a user would)."""
    contexts: list[Any] = []

    def open_as(role: str) -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(site.url("/"))
        page.get_by_role("button", name=f"Sign in as {role}").click()
        page.wait_for_url(site.url("/ui/"))
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot as ``test-artifacts/web-<name>.png``."""
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


@pytest.fixture
def screenshot() -> Callable[[Any, str], None]:
    """``screenshot(page, name)``: a full-page screenshot under test-artifacts/."""
    return shot
