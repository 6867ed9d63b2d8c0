"""The clerk's journey in a real browser (Debian's Chromium driven by Playwright,
against pytest-django's live server): log in, import the members from an Excel CSV,
create a meeting, write three drafts through their circuit, build the agenda with
htmx, send the convocations to a real local SMTP server, and meet the late-sending
guard. Every step leaves a screenshot in tests/artefacts/screenshots/, and axe-core
checks every page for serious accessibility faults.

The meeting form's impossible date is sent by Django's test client: a browser's
date input cannot hold 31 February.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import browser
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from smtp import Mailbox
from webfactories import PASSWORD, make_collectivity, make_user

from registre.record import AssemblyKind, CollectivityKind
from registre.web.core.models import Role
from registre.web.meetings.models import Convocation, Meeting
from registre.web.members.models import members_in_office

CSV = Path(__file__).parent.parent / "data" / "members" / "membres-excel-cp1252.csv"
COUNCIL = "Conseil — Agglomération du Val d’Yère"
ALPHABETICAL = ["Mme Élise BÉRÉNGER", "M. Hervé ÇELIK", "M. Jean-François D'HARCOURT",
                "M. Éric LEFÈVRE-DUBŒUF", "Mme Aïssatou N’DIAYE"]  # fmt: skip
WITH_EMAIL = {"elise.berenger@example.fr", "jf.dharcourt@example.fr", "eric.lefevre@example.fr"}
DRAFTS = (
    ("Budget primitif 2027", "Le budget s’équilibre à 48,2 M€ en fonctionnement."),
    ("Tarifs de l'eau et de l'assainissement", "Révision annuelle des tarifs."),
    ("Création d'une aire de covoiturage", "Aménagement près de l'échangeur nord."),
)

needs_chromium = pytest.mark.skipif(
    not browser.available(),
    reason="Chromium est absent : `make test` l'installe (scripts/system-deps).",
)


class Journey:
    """A page and what was seen on it: a screenshot per step, axe's faults per page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.faults: dict[str, list[str]] = {}

    def step(self, name: str) -> None:
        """Screenshot the page as `name`, and run axe on it."""
        browser.screenshot(self.page, name)
        self.faults[name] = browser.serious_violations(self.page)

    def assert_accessible(self) -> None:
        found = [f"{name} — {fault}" for name, faults in self.faults.items() for fault in faults]
        assert not found, "Fautes d'accessibilité graves (axe) :\n" + "\n".join(found)


@pytest.fixture
def clerk_page(chromium: tuple[Any, str]) -> Any:
    """An EPCI of 50,000 inhabitants, its clerk, and a Chromium page on the live server."""
    collectivity = make_collectivity("Agglomération du Val d’Yère",
                                     CollectivityKind.COMMUNAUTE_D_AGGLOMERATION, 50_000)  # fmt: skip
    clerk = make_user(collectivity, Role.CLERK)
    page = browser.new_page(*chromium)
    page.set_default_timeout(20_000)  # a convocation is a Typst PDF: a few seconds
    return Journey(page), collectivity, clerk


def _message(page: Page, kind: str) -> Any:
    return page.locator(f".messages .message.{kind}")


def _login(page: Page, username: str) -> None:
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def _create_meeting(page: Page, cid: int, day: dt.date, place: str) -> int:
    """Fill and send the meeting form; the meeting's id, read from the address."""
    page.goto(f"/c/{cid}/seances/creer/")
    page.get_by_label("Assemblée").select_option(label=COUNCIL)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Heure").fill("18:30")
    page.get_by_label("Lieu").fill(place)
    page.get_by_role("button", name="Créer la séance").click()
    expect(_message(page, "success")).to_have_text(f"Séance du {day:%d/%m/%Y} créée.")
    found = re.search(r"/seances/(\d+)/$", page.url)
    assert found, page.url
    return int(found.group(1))


def _validated_draft(page: Page, cid: int, subject: str, statement: str) -> None:
    """Write a draft, submit it to the clerk's office and validate it."""
    page.goto(f"/c/{cid}/projets/nouveau/")
    page.get_by_label("Objet").fill(subject)
    page.get_by_label("Exposé des motifs").fill(statement)
    page.get_by_role("button", name="Enregistrer").click()
    expect(_message(page, "success")).to_have_text("Projet enregistré (version 1).")
    expect(page.get_by_role("heading", level=1)).to_have_text(subject)
    page.get_by_role("button", name="Soumettre au greffe").click()
    expect(_message(page, "success")).to_contain_text("Soumis au greffe")
    page.get_by_role("button", name="Valider", exact=True).click()
    expect(_message(page, "success")).to_contain_text(": Validé.")
    expect(page.locator("main p").filter(has_text="État :")).to_contain_text("Validé")


def _inscribe(page: Page, subject: str, count: int) -> None:
    """Put a validated draft on the agenda (htmx swaps #ordre-du-jour)."""
    page.get_by_label("Inscrire un projet validé").select_option(label=subject)
    page.get_by_role("button", name="Inscrire", exact=True).click()
    expect(page.locator("ol.agenda > li")).to_have_count(count)


def _agenda(page: Page) -> Any:
    return page.locator("ol.agenda > li .subject a")


@needs_chromium
@pytest.mark.django_db(transaction=True)
def test_the_clerks_journey(clerk_page: Any, mailbox: Mailbox) -> None:
    journey, collectivity, clerk = clerk_page
    page, cid = journey.page, collectivity.pk
    today = timezone.localdate()

    # 1. Log in through the form; one collectivity: straight to its dashboard.
    page.goto("/connexion/")
    journey.step("01-connexion")
    _login(page, clerk.username)
    expect(page).to_have_url(re.compile(rf"/c/{cid}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Agglomération du Val d’Yère")
    journey.step("02-tableau-de-bord")

    # 2. Import the members (Excel's Windows-1252 CSV), read the report, then the list.
    page.get_by_role("link", name="Élus", exact=True).click()
    page.get_by_role("link", name="Importer un fichier CSV").click()
    page.get_by_label("Assemblée").select_option(label=COUNCIL)
    page.get_by_label("Fichier CSV des élus").set_input_files(CSV)
    page.get_by_role("button", name="Importer").click()
    report = page.locator(".report [role=status]")
    expect(report).to_contain_text("6 élus ajoutés ; 0 ligne refusée")
    expect(report).to_contain_text("cp1252")
    expect(page.get_by_role("table", name="Lignes refusées")).to_have_count(0)
    journey.step("03-import-des-elus")
    page.get_by_role("link", name="Élus", exact=True).click()
    members = page.get_by_role("table", name=re.compile(f"^{COUNCIL} : "))
    expect(members).to_contain_text("Mme Aïssatou N’DIAYE (suppléante de Jean-François D'HARCOURT)")
    names = members.locator("tbody td:first-child a").all_text_contents()
    in_order = [n for n in names if n in ALPHABETICAL]  # accents, case, apostrophes aside
    assert in_order == ALPHABETICAL, names
    journey.step("04-liste-des-elus")

    # 3. A meeting in 30 days: on time.
    day = today + dt.timedelta(days=30)
    meeting_id = _create_meeting(page, cid, day, "Salle du conseil communautaire")
    expect(page.get_by_text("L'ordre du jour est vide.")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    journey.step("05-seance-creee")

    # 4. Three drafts through their circuit, on the agenda, the third moved up.
    for subject, statement in DRAFTS:
        _validated_draft(page, cid, subject, statement)
    journey.step("06-projet-valide")
    page.goto(f"/c/{cid}/seances/{meeting_id}/")
    page.evaluate("window.sansRechargement = true")
    for count, (subject, _) in enumerate(DRAFTS, start=1):
        _inscribe(page, subject, count)
    expect(_agenda(page)).to_have_text([s for s, _ in DRAFTS])
    journey.step("07-ordre-du-jour")
    page.get_by_role("button", name=f"Monter « {DRAFTS[2][0]} »").click()
    moved = [DRAFTS[0][0], DRAFTS[2][0], DRAFTS[1][0]]
    expect(_agenda(page)).to_have_text(moved)
    assert page.evaluate("window.sansRechargement === true"), "la page a été rechargée"
    journey.step("08-ordre-du-jour-reordonne")
    page.reload()
    expect(_agenda(page)).to_have_text(moved)  # saved, not only shown

    # 5. Send the convocations: one message per member in office with an address.
    meeting = Meeting.objects.select_related("assembly").get(pk=meeting_id)
    expected = {m.member.email for m in members_in_office(meeting.assembly, day) if m.member.email}
    assert expected == WITH_EMAIL
    page.get_by_role("button", name="Envoyer les convocations").click()
    expect(_message(page, "success")).to_have_text(f"{len(expected)} convocation(s) envoyée(s).")
    expect(_message(page, "warning")).to_contain_text("Sans adresse électronique")
    proof = page.get_by_role("table", name="Convocations envoyées (preuve d'envoi)")
    expect(proof.locator("tbody tr")).to_have_count(len(expected))
    shown_ids = set(proof.locator("tbody code").all_text_contents())
    assert len(mailbox.messages) == len(expected)
    assert shown_ids == {str(m["Message-ID"]) for m in mailbox.messages}
    for address in expected:
        (message,) = mailbox.to(address)
        (attachment,) = list(message.iter_attachments())
        assert re.fullmatch(r"convocation-\d{4}-\d{2}-\d{2}\.pdf", attachment.get_filename() or "")
        assert attachment.get_content().startswith(b"%PDF")
    journey.step("09-convocations-envoyees")

    # 6. A meeting in 2 days: too late for an EPCI (5 clear days); the guard holds.
    close = today + dt.timedelta(days=2)
    late_id = _create_meeting(page, cid, close, "Salle des fêtes")
    _validated_draft(page, cid, "Motion de soutien à la filière bois", "Vœu du bureau.")
    page.goto(f"/c/{cid}/seances/{late_id}/")
    _inscribe(page, "Motion de soutien à la filière bois", 1)
    page.reload()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Envoi tardif")
    expect(alert).to_contain_text("au plus tard")
    expect(page.get_by_label("J'envoie malgré le délai dépassé")).not_to_be_checked()
    journey.step("10-seance-tardive")
    sent_before = len(mailbox.messages)
    page.get_by_role("button", name="Envoyer les convocations").click()
    expect(_message(page, "error")).to_contain_text("Envoi tardif")
    assert len(mailbox.messages) == sent_before
    assert not Convocation.objects.filter(meeting_id=late_id).exists()
    journey.step("11-envoi-tardif-refuse")

    journey.assert_accessible()


@needs_chromium
@pytest.mark.django_db(transaction=True)
def test_the_meeting_form_names_its_missing_fields(clerk_page: Any) -> None:
    journey, collectivity, clerk = clerk_page
    page = journey.page
    page.goto(f"/c/{collectivity.pk}/seances/creer/")
    expect(page).to_have_url(re.compile(r"/connexion/"))
    _login(page, clerk.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer une séance")
    page.get_by_role("button", name="Créer la séance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer une séance")
    expect(page.locator(".errorlist")).to_have_count(3)  # date, time, place
    expect(page.locator("main")).to_contain_text("Ce champ est obligatoire.")
    journey.step("20-seance-champs-manquants")
    assert not Meeting.objects.exists()
    journey.assert_accessible()


@pytest.mark.django_db
def test_the_meeting_form_refuses_a_date_that_does_not_exist(client: Any) -> None:
    collectivity = make_collectivity("Agglomération du Val d’Yère",
                                     CollectivityKind.COMMUNAUTE_D_AGGLOMERATION, 50_000)  # fmt: skip
    clerk = make_user(collectivity, Role.CLERK)
    assert client.login(username=clerk.username, password=PASSWORD)
    council = collectivity.assemblies.get(kind=AssemblyKind.CONSEIL.value)
    response = client.post(f"/c/{collectivity.pk}/seances/creer/", {
        "assembly": council.pk, "date": "31/02/2026", "time": "", "place": "",
        "mode": "in_person",
    })  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saisissez une date valide." in html
    assert html.count("Ce champ est obligatoire.") == 2  # time, place
    assert not Meeting.objects.exists()
