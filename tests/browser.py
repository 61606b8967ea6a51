"""Debian's Chromium driven through Playwright, shared by the browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: Flags for a headless Chromium on a closed network (no background requests).
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def playwright_api():
    """Playwright's sync API, or skip the calling test module when Chromium is missing."""
    if not CHROMIUM.exists():  # pragma: no cover - depends on the machine
        pytest.skip("needs Debian's Chromium: apt-get install -y chromium",
                    allow_module_level=True)
    return pytest.importorskip("playwright.sync_api")


@contextmanager
def launched(sync_api) -> Iterator[object]:
    """A headless Chromium browser, closed on exit."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
