"""The browser-test helpers work with a real Chromium, without the Django app.

Tiny static pages are served by `http.server` on 127.0.0.1 (a free port, in a thread);
Chromium opens them, clicks, takes a screenshot, and axe-core checks them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import browser
import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.skipif(
    not browser.available(),
    reason="Chromium est absent : `make test` l'installe (scripts/system-deps).",
)

PAGE_BOUTON = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Essai du bouton</title></head>
<body>
<main>
<h1>Essai du bouton</h1>
<p id="etat">Pas encore cliqué</p>
<button type="button" onclick="document.getElementById('etat').textContent = 'Cliqué !'">Cliquer</button>
</main>
</body>
</html>
"""

PAGE_ACCESSIBLE = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Recherche d’une délibération</title></head>
<body>
<main>
<h1>Recherche d’une délibération</h1>
<form>
<label for="objet">Objet de la délibération</label>
<input id="objet" name="objet" type="text">
<button type="submit">Rechercher</button>
</form>
</main>
</body>
</html>
"""

PAGE_FAUTIVE = """<!doctype html>
<html>
<head><meta charset="utf-8"><title>Page fautive</title></head>
<body>
<main>
<h1>Page fautive</h1>
<img src="logo.png" width="40" height="40">
<input type="text" name="objet">
</main>
</body>
</html>
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the test output stays clean
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """Serve the pages from a temporary folder; yield the base address."""
    for name, html in {
        "bouton.html": PAGE_BOUTON,
        "accessible.html": PAGE_ACCESSIBLE,
        "fautive.html": PAGE_FAUTIVE,
    }.items():
        (tmp_path / name).write_text(html, encoding="utf-8")
    handler = partial(_QuietHandler, directory=str(tmp_path))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            host, port = server.server_address[:2]
            yield f"http://{host}:{port}/"
        finally:
            server.shutdown()
            thread.join(timeout=5)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One Chromium for the module: starting it takes most of a test's time."""
    with browser.open_browser() as opened:
        yield opened


def test_chromium_opens_clicks_and_takes_a_screenshot(chromium: Browser, site: str) -> None:
    page = browser.new_page(chromium, site)
    page.goto("bouton.html")
    assert page.locator("#etat").text_content() == "Pas encore cliqué"
    assert page.evaluate("navigator.language") == "fr-FR"
    assert page.viewport_size == {"width": 1280, "height": 900}

    page.get_by_role("button", name="Cliquer").click()
    assert page.locator("#etat").text_content() == "Cliqué !"

    path = browser.screenshot(page, "infra-bouton")
    page.context.close()
    assert path == browser.SCREENSHOTS / "infra-bouton.png"
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert path.stat().st_size > 1024


def test_axe_finds_nothing_serious_on_an_accessible_page(chromium: Browser, site: str) -> None:
    page = browser.new_page(chromium, site)
    page.goto("accessible.html")
    assert browser.serious_violations(page) == []
    page.context.close()


def test_axe_reports_the_faults_of_a_faulty_page(chromium: Browser, site: str) -> None:
    page = browser.new_page(chromium, site)
    page.goto("fautive.html")
    violations = browser.serious_violations(page)
    page.context.close()
    assert violations, "axe aurait dû signaler l’image sans alt et le champ sans étiquette"
    report = "\n".join(violations)
    assert "image-alt (critical) : " in report, report
    assert "élément(s) : img" in report, report
    assert "label (critical) : " in report, report
    assert "html-has-lang (serious) : " in report, report
    assert all(" (serious) : " in line or " (critical) : " in line for line in violations)
