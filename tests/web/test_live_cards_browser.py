"""The console's opening and ballot cards in Chromium: a signed proxy's scan
uploaded from the console, an appointment by secret ballot over two rounds, the
item closed into the register; no serious accessibility fault on the cards."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import browser
import pytest
from playwright.sync_api import Browser, Page, expect
from webfactories import (
    PASSWORD,
    make_collectivity,
    make_item,
    make_meeting,
    make_member,
    make_user,
)

from registre.web.core.models import Role
from registre.web.live.models import OpeningProxy

pytestmark = [
    pytest.mark.skipif(
        not browser.available(),
        reason="Chromium est absent : `make test` l'installe (scripts/system-deps).",
    ),
    pytest.mark.django_db(transaction=True),
]
NAMES = [("Claire", "MARTIN", 1961), ("Hugo", "BERNARD", 1972), ("Léa", "PETIT", 1958),
         ("Nadia", "ROUX", 1980), ("Yves", "FONTAINE", 1966)]  # fmt: skip


def _console(chromium: tuple[Browser, str]) -> tuple[Page, list[str]]:
    town = make_collectivity("Commune de Saint-Aubin-sur-Yère", population=5000)
    clerk = make_user(town, Role.CLERK, username="greffe-c")
    names = [make_member(clerk, town, last=last, first=first, email=f"e{i}@example.org",
                         birth_date=dt.date(year, 6, 1)).member.full_name
             for i, (first, last, year) in enumerate(NAMES)]  # fmt: skip
    meeting = make_meeting(clerk, town)
    make_item(clerk, town, "Désignation d'un délégué au syndicat des eaux", meeting=meeting)
    page = browser.new_page(*chromium)
    page.set_default_timeout(15_000)
    page.goto(f"/c/{town.pk}/seances/{meeting.pk}/console/")
    page.get_by_label("Identifiant").fill("greffe-c")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Président de séance").select_option(label=names[0])
    page.get_by_label("Secrétaire de séance (L2121-15)").select_option(label=names[1])
    page.get_by_role("button", name="Ouvrir la séance").click()
    for name in names[:4]:
        browser.htmx_ready(page)
        page.get_by_role("button", name=f"{name} présent", exact=True).click()
        row = page.locator("#etat tbody tr").filter(
            has=page.get_by_role("cell", name=name, exact=True)
        )
        expect(row.locator("td").nth(1)).to_have_text("présent")
    return page, names


def test_a_proxy_scan_and_an_appointment_from_the_console(
    chromium: tuple[Browser, str], tmp_path: Path
) -> None:
    page, names = _console(chromium)
    scan = tmp_path / "pouvoir-fontaine.pdf"
    scan.write_bytes(b"%PDF-1.7\n% pouvoir signe\n")
    card = page.locator("#ouverture")
    card.get_by_label("Donné par").select_option(label=names[4])
    card.get_by_label("Au bénéfice de (présent)").select_option(label=names[2])
    card.get_by_label(re.compile("^Scan ou photo")).set_input_files(str(scan))
    card.get_by_role("button", name="Joindre le pouvoir signé").click()
    expect(page.locator("#ouverture")).to_contain_text("Pouvoir enregistré avec son scan.")
    expect(page.locator("#etat")).to_contain_text(f"{names[4]} pouvoir à {names[2]}")
    proxy = OpeningProxy.objects.get()
    with proxy.document.open("rb") as stored:
        assert stored.read() == scan.read_bytes()

    page.get_by_label("Point", exact=True).select_option(index=0)
    page.get_by_role("button", name="Appeler ce point").click()
    ballot = page.locator("#scrutin")
    expect(ballot).to_contain_text("Point 1 : Désignation")
    ballot.get_by_label("Candidats parmi les membres").select_option(label=[names[1], names[3]])
    ballot.get_by_role("button", name="Ouvrir le scrutin").click()
    _round(page, {names[1]: "2", names[3]: "2", "Blancs": "1"})
    expect(page.locator("#scrutin")).to_contain_text("Tour n° 1 : élu(s) personne.")
    _round(page, {names[1]: "3", names[3]: "2"})
    expect(page.locator("#scrutin")).to_contain_text(f"Tour n° 2 : élu(s) {names[1]}.")
    faults = browser.serious_violations(page)
    browser.screenshot(page, "36-console-scrutin")
    page.get_by_role("button", name="Clore le point (inscription au registre)").click()
    expect(page.locator("#etat")).to_contain_text("Adoptée")
    assert faults == [], "Fautes d'accessibilité graves (axe) :\n" + "\n".join(faults)


def _round(page: Page, counts: dict[str, Any]) -> None:
    ballot = page.locator("#scrutin")
    for label, value in counts.items():
        ballot.get_by_label(label, exact=True).fill(value)
    ballot.get_by_role("button", name="Enregistrer le tour").click()
