"""Helpers for the browser tests: Debian's Chromium driven by Playwright, and axe-core.

Nothing here depends on the Django app: a test serves its pages however it likes
(live server, `http.server`) and passes the base address to `new_page`.

Chromium is the system one (`scripts/system-deps`, run by `make test`, installs the
Debian package); Playwright's own browser download (`playwright install`) is not used.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium")

# The network here is closed: without these switches Chromium keeps trying to reach
# Google's services (updates, sync, safe browsing, QUIC), and the refused connections
# slow it down and clutter its logs.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

VIEWPORT = {"width": 1280, "height": 900}
LOCALE = "fr-FR"

SCREENSHOTS = Path(__file__).resolve().parents[1] / "artefacts" / "screenshots"

SERIOUS_IMPACTS = frozenset({"serious", "critical"})

_axe = Axe()


def available() -> bool:
    """True when a Chromium is installed (`command -v chromium`)."""
    return CHROMIUM is not None


@contextmanager
def open_browser() -> Iterator[Browser]:
    """Start Playwright and a headless Chromium; close both on the way out."""
    if CHROMIUM is None:
        raise RuntimeError("Chromium est absent : `make test` l'installe (scripts/system-deps).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Browser, base_url: str) -> Page:
    """A page in a fresh context: French locale, fixed 1280×900 viewport.

    Relative addresses given to `page.goto` are resolved against `base_url`.
    The context is closed with the browser, or earlier by `page.context.close()`.
    """
    context = browser.new_context(locale=LOCALE, viewport=VIEWPORT, base_url=base_url)
    return context.new_page()


def htmx_ready(page: Page) -> None:
    """Wait until htmx (loaded with `defer`) handles the page's forms: a click before
    it would submit the form natively, without the CSRF header htmx adds."""
    page.wait_for_function("() => window.htmx !== undefined")


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG of `page` as `tests/artefacts/screenshots/<name>.png`."""
    stem = re.sub(r"[^\w.-]+", "-", name.removesuffix(".png")).strip("-.") or "page"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{stem}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _selector(target: Any) -> str:
    """axe's target: one selector per frame (` → `); a list within, across shadow roots."""
    if not isinstance(target, list):
        return str(target)
    return " → ".join(
        " >>> ".join(map(str, part)) if isinstance(part, list) else str(part) for part in target
    )


def serious_violations(page: Page) -> list[str]:
    """Run axe-core on the current page; one line per serious or critical violation.

    Each line reads: "<rule id> (<impact>) : <help> — <n> élément(s) : <first target>".
    An empty list means no serious accessibility fault that axe can detect.
    """
    results = _axe.run(page)
    lines = []
    for violation in results.response["violations"]:
        impact = violation.get("impact")
        if impact not in SERIOUS_IMPACTS:
            continue
        nodes = violation.get("nodes", [])
        first = _selector(nodes[0]["target"]) if nodes else "?"
        lines.append(
            f"{violation['id']} ({impact}) : {violation['help']} — {len(nodes)} élément(s) : {first}"
        )
    return lines
