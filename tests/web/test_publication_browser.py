"""The public portal in Chromium: search a published act, open its page and PDF,
follow the meeting's list; no serious accessibility fault (axe), nothing loaded from
another site, and a phone-sized screen without horizontal scrolling."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import browser
import pytest
from playwright.sync_api import Browser, Page, expect
from test_publication_portal import _closed_items
from webfactories import CLOCK

from registre.web.publication import services as publication

pytestmark = [
    pytest.mark.skipif(
        not browser.available(),
        reason="Chromium est absent : `make test` l'installe (scripts/system-deps).",
    ),
    pytest.mark.django_db(transaction=True),
]
SUBJECTS = ["Tarifs de la restauration scolaire pour 2027",
            "Convention d'insertion professionnelle avec la mission locale",
            "Délibérations budgétaires : décision modificative n° 2"]  # fmt: skip


def _portal(chromium: tuple[Browser, str]) -> tuple[Page, Any, list[str]]:
    town, clerk, votes = _closed_items(SUBJECTS)
    for vote in votes:
        publication.publish(clerk, CLOCK, vote)
    page = browser.new_page(*chromium)
    page.set_default_timeout(15_000)
    outside: list[str] = []
    host = urlparse(chromium[1]).netloc
    page.on(
        "request",
        lambda r: outside.append(r.url) if urlparse(r.url).netloc not in (host, "") else None,
    )
    return page, town, outside


def test_search_an_act_and_read_it(chromium: tuple[Browser, str]) -> None:
    page, town, outside = _portal(chromium)
    faults: dict[str, list[str]] = {}
    page.goto(f"/public/{town.siren}/actes/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Délibérations publiées")
    expect(page.get_by_role("table")).to_contain_text("Tarifs de la restauration")
    faults["liste"] = browser.serious_violations(page)
    browser.screenshot(page, "50-portail-liste")
    page.get_by_label("Rechercher (mots de l'objet ou du texte)").fill("insertion")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("status")).to_contain_text("1 acte pour « insertion »")
    page.get_by_label("Rechercher (mots de l'objet ou du texte)").fill("deliberation")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("table")).to_contain_text("Délibérations budgétaires")
    page.get_by_role("link", name=re.compile("^Délibérations budgétaires")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECTS[2])
    expect(page.locator("dl")).to_contain_text("4 pour, 1 contre")
    faults["acte"] = browser.serious_violations(page)
    browser.screenshot(page, "51-portail-acte")
    href = page.get_by_role("link", name=re.compile("^Télécharger l'acte")).get_attribute("href")
    pdf = page.request.get(href or "")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")
    page.get_by_role("link", name=re.compile("^20 décembre 2026")).click()
    expect(page.get_by_role("table")).to_contain_text("Convention d'insertion")
    faults["seance"] = browser.serious_violations(page)
    found = [f"{name} — {f}" for name, lines in faults.items() for f in lines]
    assert found == [], "Fautes d'accessibilité graves (axe) :\n" + "\n".join(found)
    assert outside == [], f"ressources d'un autre site : {outside}"


def test_the_portal_on_a_phone(chromium: tuple[Browser, str]) -> None:
    page, town, _ = _portal(chromium)
    page.set_viewport_size({"width": 360, "height": 740})
    for url in (f"/public/{town.siren}/actes/", "/public/collectivites/"):
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} déborde de {overflow} px sur un téléphone"
    browser.screenshot(page, "52-portail-telephone")
