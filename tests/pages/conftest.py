"""One headless Chromium for every page test (the explorer and Neo4j Browser): Playwright's
sync API allows one instance per process, so the fixtures live here, above both folders
(and nowhere else: a test outside tests/pages/ collects without Playwright)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.helpers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ARTIFACTS = ROOT / "artifacts"
DOCS = ROOT / "docs"


def publish(screenshot: Path, name: str) -> None:
    """Copy a test's screenshot to docs/<name>, the README's picture, when that is missing
    or AIFG_UPDATE_SCREENSHOTS=1: a test run leaves the committed pictures alone, a run
    with the variable set makes them anew from what the tests drew."""
    picture = DOCS / name
    if not picture.exists() or os.environ.get("AIFG_UPDATE_SCREENSHOTS") == "1":
        shutil.copyfile(screenshot, picture)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        )
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh profile each time: nothing of an earlier page in local storage."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    yield opened
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots and logs a person can look at after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
