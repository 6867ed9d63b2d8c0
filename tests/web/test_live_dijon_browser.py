"""The Dijon meeting of 23 November 2023 held again in the console, in a real browser
(Debian's Chromium driven by Playwright, against pytest-django's live server): the
demo loaded, the clerk opens the sitting, calls the roll of 86 members, enters the 9
written proxies, records the SIECO vote and closes the item; the register's entry
gives back the record's attendance, proxies and vote.

Each click swaps the console's state (#etat); the next one waits for the swap, so no
two answers are ever in flight at once.
"""

from __future__ import annotations

import re

import browser
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from webfactories import CLOCK

from registre.record import Outcome, loads
from registre.web.demo import demo_record, load_demo
from registre.web.live.record import references
from registre.web.live.register import assembly_key, open_store
from registre.web.meetings.models import Meeting
from registre.web.members.models import Member

pytestmark = [
    pytest.mark.skipif(
        not browser.available(),
        reason="Chromium est absent : `make test` l'installe (scripts/system-deps).",
    ),
    pytest.mark.django_db(transaction=True),  # the register writes on its own connection
]

ANSWERS = {"present": "présent", "absent": "absent", "excused": "excusé"}


def _answer(page: Page, name: str) -> Locator:
    """The roll call's answer shown for `name`."""
    row = page.locator("#etat tbody tr").filter(has=page.get_by_role("cell", name=name, exact=True))
    return row.locator("td").nth(1)


def _roll(page: Page, name: str, status: str) -> None:
    """Click P, A or E for `name` and wait for the answer the htmx swap shows (about
    a quarter of a second a click: the server renders 86 rows, htmx swaps them)."""
    answer = ANSWERS[status]
    browser.htmx_ready(page)
    page.get_by_role("button", name=f"{name} {answer}", exact=True).click()
    expect(_answer(page, name)).to_have_text(answer)


def _shoot(page: Page, name: str, faults: dict[str, list[str]]) -> None:
    browser.screenshot(page, name)
    faults[name] = browser.serious_violations(page)


def test_the_dijon_meeting_replayed_in_the_console(chromium: tuple[Browser, str]) -> None:
    demo, expected = load_demo(CLOCK), demo_record()
    meeting = Meeting.objects.select_related("assembly__collectivity").get(pk=demo.meeting_id)
    members = list(Member.objects.filter(collectivity=meeting.assembly.collectivity))
    refs = references(members)
    name = {refs[m.pk]: m.full_name for m in members}  # record id -> "M. François REBSAMEN"
    opening, faults = expected.attendance, dict[str, list[str]]()
    [deliberation] = expected.deliberations
    assert deliberation.vote is not None
    counts = (len(opening.present or ()), len(opening.absent or ()), len(opening.proxies))
    assert counts == (75, 2, 9)

    # the clerk logs in (the console sends to the login page, which sends back)
    page = browser.new_page(*chromium)
    page.set_default_timeout(15_000)
    page.goto(f"/c/{demo.collectivity_id}/seances/{demo.meeting_id}/console/")
    expect(page).to_have_url(re.compile(r"/connexion/"))
    page.get_by_label("Identifiant").fill(demo.username)
    page.get_by_label("Mot de passe").fill(demo.password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Console de séance")

    # the sitting opened with the record's president and secretary
    [secretary] = expected.meeting.secretaries or ()
    assert expected.meeting.president is not None
    president = name[expected.meeting.president]
    assert (president, name[secretary]) == ("M. François REBSAMEN", "M. Antoine HOAREAU")
    page.get_by_label("Président de séance").select_option(label=president)
    page.get_by_label("Secrétaire de séance (L2121-15)").select_option(label=name[secretary])
    page.get_by_role("button", name="Ouvrir la séance").click()
    expect(page.get_by_role("table", name="Présence à l'ouverture")).to_be_visible()

    # the roll call: 75 present, 2 absent; the 9 who gave a proxy are left to the form
    for ref in opening.present or ():
        _roll(page, name[ref], "present")
    for ref in opening.absent or ():
        _roll(page, name[ref], "absent")
    expect(page.get_by_role("heading", name=re.compile(r"^Appel"))).to_have_text(
        "Appel (75 présents, 2 absents, 0 excusé)")  # fmt: skip

    # the written proxies, giver to holder
    for proxy in opening.proxies:
        giver, holder = name[proxy.giver], name[proxy.holder]
        page.get_by_label("Mandant").select_option(label=giver)
        page.get_by_label("Mandataire").select_option(label=holder)
        page.get_by_role("button", name="Enregistrer le pouvoir").click()
        expect(page.locator("#etat")).to_contain_text(f"{giver} pouvoir à {holder}")
    expect(page.get_by_role("heading", name=re.compile(r"^Appel"))).to_have_text(
        "Appel (75 présents, 11 absents, 0 excusé)")  # fmt: skip
    expect(page.locator("#etat").get_by_role("alert")).to_have_count(0)
    _shoot(page, "40-dijon-appel-et-pouvoirs", faults)

    # the SIECO item called: its quorum
    page.get_by_label("Point", exact=True).select_option(index=0)
    page.get_by_role("button", name="Appeler ce point").click()
    expect(page.locator("#etat")).to_contain_text(f"Point 1 : {deliberation.subject}")
    expect(page.locator("#etat .quorum")).to_have_text(
        "Présents : 75 (quorum : 44) · représentés : 9 · retirés : 0")  # fmt: skip

    # the vote as counted, then the register
    vote = deliberation.vote
    page.get_by_label("Pour", exact=True).fill(str(vote.for_))
    page.get_by_label("Contre", exact=True).fill(str(vote.against))
    page.get_by_label("Abstentions", exact=True).fill(str(vote.abstention))
    page.get_by_label("Ne prennent pas part", exact=True).fill(str(vote.not_voting))
    page.get_by_role("button", name="Enregistrer le décompte").click()
    expect(page.locator("#etat")).to_contain_text(
        "Décompte : 84 pour, 0 contre, 0 abstentions, 0 ne prennent pas part")  # fmt: skip
    page.get_by_role("button", name="Clore le point (inscription au registre)").click()
    closed = page.get_by_role("region", name="Points clos").get_by_role("listitem")
    expect(closed).to_have_text([f"Point 1 — {deliberation.subject} : Adoptée "
                                 "(écriture n° 1 du registre)"])  # fmt: skip
    expect(page.locator("#etat .quorum")).to_contain_text("Présents : 75")
    expect(page.locator("#etat .quorum")).to_contain_text("représentés : 9")
    expect(page.get_by_role("alert")).to_have_count(0)
    _shoot(page, "40-dijon-point-clos", faults)

    # the register's last entry of the assembly: the record's attendance and vote
    store = open_store()
    try:
        entry = list(store.entries(assembly_key(meeting.assembly)))[-1]  # type: ignore[attr-defined]
    finally:
        store.close()  # type: ignore[attr-defined]
    assert entry.sequence == 1
    frozen = loads(entry.payload.decode("utf-8"))
    got = frozen.attendance
    assert got.present == opening.present and got.absent == opening.absent
    assert got.represented == opening.represented and got.proxies == opening.proxies
    assert frozen.meeting.president == expected.meeting.president
    assert frozen.meeting.secretaries == expected.meeting.secretaries
    [item] = frozen.deliberations
    assert item.number == deliberation.number and item.subject == deliberation.subject
    assert item.vote is not None
    assert (item.vote.for_, item.vote.against, item.vote.abstention,
            item.vote.not_voting) == (84, 0, 0, 0)  # fmt: skip
    assert item.outcome == deliberation.outcome == Outcome.ADOPTED

    found = [f"{shot} — {fault}" for shot, lines in faults.items() for fault in lines]
    assert found == [], "Fautes d'accessibilité graves (axe) :\n" + "\n".join(found)
