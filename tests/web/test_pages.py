"""The clerk's pages through Django's test client: bad input gives French messages
and saves nothing; the import report; the agenda fragment htmx swaps in."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from webfactories import (
    PASSWORD,
    make_collectivity,
    make_item,
    make_meeting,
    make_member,
    make_user,
)

from registre.web.core.models import AuditEntry
from registre.web.meetings.models import AgendaItem, Meeting
from registre.web.members.models import Member

pytestmark = pytest.mark.django_db
MEMBERS = Path(__file__).resolve().parent.parent / "data" / "members"


@pytest.fixture
def clerk_client(client: Client) -> tuple[Client, Any, Any]:
    town = make_collectivity()
    clerk = make_user(town)
    assert client.login(username=clerk.username, password=PASSWORD)
    return client, town, clerk


def test_meeting_form_with_missing_fields_and_a_date_that_does_not_exist(
    clerk_client: tuple[Client, Any, Any],
) -> None:
    client, town, _ = clerk_client
    url = f"/c/{town.pk}/seances/creer/"
    page = client.post(url, {"date": "31/02/2026", "time": "18:00", "mode": "in_person",
                             "assembly": town.assemblies.first().pk})  # fmt: skip
    text = page.content.decode()
    assert page.status_code == 200
    assert "Saisissez une date valide" in text and "Ce champ est obligatoire" in text
    assert not Meeting.objects.exists()


def test_member_form_refuses_a_duplicate_in_french(clerk_client: tuple[Client, Any, Any]) -> None:
    client, town, clerk = clerk_client
    make_member(clerk, town, last="DUPONT", first="Marie")
    page = client.post(f"/c/{town.pk}/elus/ajouter/", {
        "first_name": "Marie", "last_name": "Dupont", "start": "2024-01-01",
        "assembly": town.assemblies.first().pk,
    })  # fmt: skip
    assert "figure déjà parmi les élus" in page.content.decode()
    assert Member.objects.count() == 1


def test_import_page_shows_the_report(clerk_client: tuple[Client, Any, Any]) -> None:
    client, town, _ = clerk_client
    data = "Prénom;Nom;Date de naissance\nÉlodie;MARTIN;01/02/1980\nLuc;FAUX;30/02/1970\n"
    upload = _upload("elus.csv", data.encode("cp1252"))
    page = client.post(f"/c/{town.pk}/elus/importer/",
                       {"file": upload, "assembly": town.assemblies.first().pk})  # fmt: skip
    text = html.unescape(page.content.decode())
    assert "1 élu ajouté" in text and "1 ligne refusée" in text and "n'existe pas" in text
    assert "cp1252" in text
    assert list(Member.objects.values_list("first_name", flat=True)) == ["Élodie"]


def test_import_of_a_spreadsheet_is_refused_with_a_hint(
    clerk_client: tuple[Client, Any, Any],
) -> None:
    client, town, _ = clerk_client
    upload = _upload("elus.xlsx", b"PK\x03\x04" + b"\0" * 64)
    page = client.post(f"/c/{town.pk}/elus/importer/",
                       {"file": upload, "assembly": town.assemblies.first().pk})  # fmt: skip
    assert "CSV" in page.content.decode() and not Member.objects.exists()


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_agenda_change_answers_the_fragment_to_htmx(clerk_client: tuple[Client, Any, Any]) -> None:
    client, town, clerk = clerk_client
    meeting = make_meeting(clerk, town)
    first = make_item(clerk, town, "Premier", meeting=meeting)
    second = make_item(clerk, town, "Second", meeting=meeting)
    url = f"/c/{town.pk}/seances/{meeting.pk}/ordre-du-jour/"
    page = client.post(url, {"item": second.pk, "action": "up"}, HTTP_HX_REQUEST="true")
    text = page.content.decode()
    assert page.status_code == 200 and "<html" not in text  # a fragment, not a page
    assert text.index("Second") < text.index("Premier")
    assert AgendaItem.objects.get(pk=first.pk).position == 2


def test_draft_with_a_bad_matter_code_is_not_saved(clerk_client: tuple[Client, Any, Any]) -> None:
    client, town, _ = clerk_client
    page = client.post(f"/c/{town.pk}/projets/nouveau/", {"subject": "Objet", "matter_code": "7,1"})
    assert "Code de matière invalide" in page.content.decode()
    assert not AgendaItem.objects.exists()


def test_every_page_of_the_clerk_answers(clerk_client: tuple[Client, Any, Any]) -> None:
    client, town, clerk = clerk_client
    mandate = make_member(clerk, town)
    meeting = make_meeting(clerk, town, dt.date(2026, 12, 20))
    item = make_item(clerk, town, meeting=meeting)
    for path in ("", "journal/", "elus/", "elus/ajouter/", "elus/importer/",
                 f"elus/{mandate.member_id}/", "seances/", "seances/creer/",
                 f"seances/{meeting.pk}/", "projets/", "projets/nouveau/",
                 f"projets/{item.pk}/", f"projets/{item.pk}/modifier/", "decisions/"):  # fmt: skip
        page = client.get(f"/c/{town.pk}/{path}")
        assert page.status_code == 200, path
        assert '<html lang="fr">' in page.content.decode(), path
    pdf = client.get(f"/c/{town.pk}/seances/{meeting.pk}/convocation.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(collectivity=town).count() > 5


def test_an_elected_member_reads_their_own_convocations_only(client: Client, mailbox: Any) -> None:
    from factories import FakeClock  # noqa: PLC0415
    from registre.web.core.models import Membership, Role  # noqa: PLC0415
    from registre.web.meetings.convocations import send_convocations  # noqa: PLC0415

    town = make_collectivity()
    clerk = make_user(town)
    mandate = make_member(clerk, town, last="ÉLUE", first="Inès")
    meeting = make_meeting(clerk, town, dt.date(2026, 12, 20))
    other = make_meeting(clerk, town, dt.date(2026, 12, 27))
    make_item(clerk, town, meeting=meeting)
    send_convocations(clerk, FakeClock("2026-12-01T08:00:00+00:00"), meeting)
    member_user = make_user(town, Role.MEMBER)
    Membership.objects.filter(user=member_user).update(member=mandate.member)
    client.login(username=member_user.username, password=PASSWORD)
    page = client.get(f"/c/{town.pk}/mes-convocations/").content.decode()
    assert "20/12/2026" in page and "27/12/2026" not in page
    assert client.get(f"/c/{town.pk}/seances/{meeting.pk}/convocation.pdf").status_code == 200
    assert client.get(f"/c/{town.pk}/seances/{other.pk}/convocation.pdf").status_code == 403
    assert client.get(f"/c/{town.pk}/projets/").status_code == 403


def test_a_draft_receives_an_attachment(clerk_client: tuple[Client, Any, Any]) -> None:
    client, town, clerk = clerk_client
    item = make_item(clerk, town)
    upload = _upload("plan.pdf", b"%PDF-1.7 plan")
    client.post(f"/c/{town.pk}/projets/{item.pk}/annexes/", {"file": upload})
    page = client.get(f"/c/{town.pk}/projets/{item.pk}/").content.decode()
    assert "plan.pdf" in page and item.attachments.get().size == 13


def test_an_epci_adds_the_councillors_who_get_copies(client: Client) -> None:
    from registre.record import CollectivityKind  # noqa: PLC0415

    agglo = make_collectivity("Agglo", CollectivityKind.COMMUNAUTE_D_AGGLOMERATION)
    clerk = make_user(agglo)
    client.login(username=clerk.username, password=PASSWORD)
    url = f"/c/{agglo.pk}/copies/"
    client.post(url, {"commune": "Chenôve", "first_name": "Léo", "last_name": "Roy",
                      "email": "pas-une-adresse"})  # fmt: skip
    assert not agglo.councillors.exists()
    client.post(url, {"commune": "Chenôve", "first_name": "Léo", "last_name": "Roy",
                      "email": "leo.roy@example.org"})  # fmt: skip
    assert "Chenôve" in client.get(url).content.decode() and agglo.councillors.count() == 1


def test_the_kept_meeting_page_changes_with_every_write(
    clerk_client: tuple[Client, Any, Any],
) -> None:
    """The page is kept per user until the collectivity's audit log moves on."""
    from webfactories import CLOCK  # noqa: PLC0415

    from registre.web.core.models import Role  # noqa: PLC0415
    from registre.web.meetings.services import move_draft  # noqa: PLC0415

    client, town, clerk = clerk_client
    meeting = make_meeting(clerk, town)
    url = f"/c/{town.pk}/seances/{meeting.pk}/"
    assert "Nouveau point" not in client.get(url).content.decode()
    draft = make_item(clerk, town, "Nouveau point", validated=False)
    assert "Nouveau point" not in client.get(url).content.decode()  # not validated yet
    move_draft(clerk, CLOCK, draft, "submit")
    move_draft(clerk, CLOCK, draft, "validate")
    assert "Nouveau point" in client.get(url).content.decode()  # may join the agenda now
    reader = make_user(town, Role.READER)
    other = Client()
    other.login(username=reader.username, password=PASSWORD)
    assert "Inscrire" not in other.get(url).content.decode()  # the clerk's page is the clerk's
