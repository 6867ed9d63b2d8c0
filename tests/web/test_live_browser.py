"""The meeting console and the public screen in a real browser (Debian's Chromium
driven by Playwright, against the application under uvicorn as `registre serve` runs
it): a meeting held from the roll call to an item entered in the register, the
public screen following the console by push (server-sent events, no polling) and
hiding the debate in camera, and two clerks on one console who see each other's
changes without a reload and cannot overwrite one made on a stale screen.

The waits below are the delays a clerk or the public would see: 2 s at most (a
screen polls every second only while its stream is down).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import browser
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from webfactories import (
    PASSWORD,
    make_collectivity,
    make_item,
    make_meeting,
    make_member,
    make_user,
)

from registre.web.core.models import Role

pytestmark = [
    pytest.mark.skipif(
        not browser.available(),
        reason="Chromium est absent : `make test` l'installe (scripts/system-deps).",
    ),
    pytest.mark.django_db(transaction=True),  # the register writes on its own connection
]

NAMES = [("Claire", "MARTIN"), ("Hugo", "BERNARD"), ("Léa", "PETIT"), ("Nadia", "ROUX"),
         ("Yves", "FONTAINE"), ("Inès", "GARNIER")]  # fmt: skip
SUBJECTS = ["Budget primitif 2027", "Tarifs de la cantine scolaire"]
POLL = 1_000  # a screen whose stream is down polls its state every second
PUSHED = 2_000  # a change reaches every open screen within this delay
STATE = re.compile(r"/etat/")  # the state URLs, streamed or polled


@dataclass
class Town:
    """A commune of 5,000 inhabitants: its clerk, 6 members, a meeting of 2 items."""

    collectivity: Any
    cid: int
    names: list[str]
    meeting_id: int

    @property
    def console(self) -> str:
        return f"/c/{self.cid}/seances/{self.meeting_id}/console/"

    @property
    def public(self) -> str:
        return f"/public/seances/{self.meeting_id}/"


def _town() -> Town:
    town = make_collectivity("Commune de Saint-Aubin-sur-Yère", population=5000)
    clerk = make_user(town, Role.CLERK, username="greffe-a")
    names = [make_member(clerk, town, last=last, first=first, email=f"elu{i}@example.org")
             .member.full_name for i, (first, last) in enumerate(NAMES)]  # fmt: skip
    meeting = make_meeting(clerk, town)
    for subject in SUBJECTS:
        make_item(clerk, town, subject, meeting=meeting)
    return Town(town, town.pk, names, meeting.pk)


def _page(chromium: tuple[Browser, str]) -> Page:
    page = browser.new_page(*chromium)
    page.set_default_timeout(15_000)
    return page


def _clerk(chromium: tuple[Browser, str], town: Town, username: str) -> Page:
    """A clerk's page on the console, logged in through the form (the console sends
    to the login page, which sends back)."""
    page = _page(chromium)
    page.goto(town.console)
    expect(page).to_have_url(re.compile(r"/connexion/"))
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Console de séance")
    return page


def _open(page: Page, town: Town) -> None:
    page.get_by_label("Président de séance").select_option(label=town.names[0])
    page.get_by_label("Secrétaire de séance (L2121-15)").select_option(label=town.names[1])
    page.get_by_role("button", name="Ouvrir la séance").click()
    expect(page.get_by_role("table", name="Présence à l'ouverture")).to_be_visible()


def _answer(page: Page, name: str) -> Locator:
    """The roll call's answer shown for `name`."""
    row = page.locator("#etat tbody tr").filter(has=page.get_by_role("cell", name=name, exact=True))
    return row.locator("td").nth(1)


def _roll(page: Page, name: str, status: str) -> None:
    """Click P, A or E for `name` and wait for the answer the htmx swap shows."""
    browser.htmx_ready(page)
    page.get_by_role("button", name=f"{name} {status}", exact=True).click()
    expect(_answer(page, name)).to_have_text(status)


def _call_item(page: Page, position: int) -> None:
    page.get_by_label("Point", exact=True).select_option(index=position - 1)
    page.get_by_role("button", name="Appeler ce point").click()
    expect(page.locator("#etat")).to_contain_text(f"Point {position} : {SUBJECTS[position - 1]}")


def _shoot(page: Page, name: str, faults: dict[str, list[str]]) -> None:
    browser.screenshot(page, name)
    faults[name] = browser.serious_violations(page)


def _assert_accessible(faults: dict[str, list[str]]) -> None:
    found = [f"{name} — {fault}" for name, lines in faults.items() for fault in lines]
    assert found == [], "Fautes d'accessibilité graves (axe) :\n" + "\n".join(found)


def test_the_console_holds_a_meeting(chromium: tuple[Browser, str]) -> None:
    town, faults = _town(), dict[str, list[str]]()
    page = _clerk(chromium, town, "greffe-a")
    expect(page.get_by_role("button", name="Ouvrir la séance")).to_be_visible()
    _shoot(page, "30-console-ouverture", faults)
    _open(page, town)

    # the roll call: the last member absent, the others present
    absent, holder = town.names[-1], town.names[0]
    _roll(page, absent, "absent")
    for name in town.names[:-1]:
        _roll(page, name, "présent")
    expect(page.get_by_role("heading", name=re.compile(r"^Appel"))).to_have_text(
        "Appel (5 présents, 1 absent, 0 excusé)")  # fmt: skip
    _shoot(page, "30-console-appel", faults)

    # a written proxy from the absent member to a present one
    page.get_by_label("Mandant").select_option(label=absent)
    page.get_by_label("Mandataire").select_option(label=holder)
    page.get_by_role("button", name="Enregistrer le pouvoir").click()
    expect(page.locator("#etat")).to_contain_text(f"{absent} pouvoir à {holder}")
    _shoot(page, "30-console-pouvoir", faults)

    # item 1: its quorum, a unanimous vote, then the register
    _call_item(page, 1)
    quorum = page.locator("#etat .quorum")
    expect(quorum).to_contain_text("Présents : 5 (quorum : 4) · représentés : 1 · retirés : 0")
    _shoot(page, "30-console-point-appele", faults)
    page.get_by_role("button", name="Unanimité").click()
    expect(page.locator("#etat")).to_contain_text("Décompte : unanimité")
    _shoot(page, "30-console-unanimite", faults)
    page.get_by_role("button", name="Clore le point (inscription au registre)").click()
    closed = page.get_by_role("region", name="Points clos").get_by_role("listitem")
    expect(closed).to_have_text([f"Point 1 — {SUBJECTS[0]} : Adoptée "
                                 "(écriture n° 1 du registre)"])  # fmt: skip
    expect(page.get_by_role("alert")).to_have_count(0)
    _shoot(page, "30-console-point-clos", faults)
    _assert_accessible(faults)


def test_the_public_screen_follows_and_hides_in_camera(chromium: tuple[Browser, str]) -> None:
    town, faults = _town(), dict[str, list[str]]()
    clerk = _clerk(chromium, town, "greffe-a")
    _open(clerk, town)
    for name in town.names:
        _roll(clerk, name, "présent")
    public = _page(chromium)  # a context of its own: no session
    public.goto(town.public)
    screen = public.locator("#ecran")
    expect(screen).not_to_contain_text("Point 1")
    expect(public.get_by_role("button", name="Se déconnecter")).to_have_count(0)

    _call_item(clerk, 1)
    expect(screen).to_contain_text(f"Point 1 : {SUBJECTS[0]}", timeout=PUSHED)
    expect(screen).to_contain_text("Présents : 6 · quorum : 4 · atteint")
    _shoot(public, "31-ecran-public-point", faults)

    clerk.get_by_role("button", name="Huis clos (L2121-18)").click()
    expect(clerk.locator("#t-etat")).to_have_text("État — huis clos")
    expect(screen).to_contain_text("huis clos", timeout=PUSHED)
    expect(screen).not_to_contain_text(SUBJECTS[0])
    expect(screen).not_to_contain_text("Présents")
    expect(public.locator("main")).not_to_contain_text(SUBJECTS[0])
    _shoot(public, "31-ecran-public-huis-clos", faults)

    clerk.get_by_role("button", name="Rouvrir la séance au public").click()
    expect(screen).to_contain_text(f"Point 1 : {SUBJECTS[0]}", timeout=PUSHED)
    expect(screen).not_to_contain_text("huis clos")
    _assert_accessible(faults)


def test_the_public_screen_is_pushed_the_change_without_polling(
    chromium: tuple[Browser, str],
) -> None:
    town = _town()
    clerk = _clerk(chromium, town, "greffe-a")
    _open(clerk, town)
    public = _page(chromium)
    asked: list[str] = []  # the resource type of each request for the state
    public.on("request", lambda r: asked.append(r.resource_type) if STATE.search(r.url) else None)
    public.goto(town.public)
    screen = public.locator("#ecran")
    expect(screen).not_to_contain_text("Point 1")
    public.wait_for_function("window.registreDirect === true")  # its stream is open

    _call_item(clerk, 1)
    expect(screen).to_contain_text(f"Point 1 : {SUBJECTS[0]}", timeout=PUSHED)
    public.wait_for_timeout(POLL + 500)  # a poll would have gone by meanwhile
    assert "eventsource" in asked and "xhr" not in asked, f"relevé, pas poussé : {asked}"


def test_two_clerks_see_each_other_within_two_seconds(chromium: tuple[Browser, str]) -> None:
    town, faults = _town(), dict[str, list[str]]()
    make_user(town.collectivity, Role.CLERK, username="greffe-b")
    a = _clerk(chromium, town, "greffe-a")
    _open(a, town)
    b = _clerk(chromium, town, "greffe-b")
    x, y = town.names[2], town.names[3]
    expect(_answer(b, x)).to_have_text("—")

    # A's answer reaches B's screen by push, without a reload
    b.evaluate("window.sansRechargement = true")
    _roll(a, x, "présent")
    expect(_answer(b, x)).to_have_text("présent", timeout=PUSHED)
    assert b.evaluate("window.sansRechargement === true"), "la page a été rechargée"

    # B's screen frozen (its stream refused, its polls answered "nothing new"), A
    # marks Y present; B, who still sees no answer for Y, marks Y absent: refused,
    # the refusal shows A's answer, which stands
    b.route(STATE, lambda route: route.fulfill(status=204))
    b.reload()
    expect(_answer(b, y)).to_have_text("—")
    b.wait_for_function("window.registreDirect === false")
    _roll(a, y, "présent")
    b.wait_for_timeout(POLL + 500)  # a poll went by: B's screen would have followed
    expect(_answer(b, y)).to_have_text("—")
    b.get_by_role("button", name=f"{y} absent", exact=True).click()
    refusal = b.locator("#etat").get_by_role("alert")
    expect(refusal).to_contain_text(f"La présence de {y} vient d'être modifiée")
    expect(refusal).to_contain_text("sur un autre poste (Présent)")
    expect(_answer(b, y)).to_have_text("présent")
    _shoot(b, "32-console-conflit-refuse", faults)
    b.unroute(STATE)
    a.reload()
    expect(_answer(a, y)).to_have_text("présent")
    _shoot(a, "32-console-premier-poste", faults)
    _assert_accessible(faults)
