"""The console's opening and ballot cards through Django's test client: a written
proxy with its scan (multipart), a postponement and the second convocation, an
appointment over rounds; refusals in French, in the card."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from webfactories import make_council

from registre.web.live.models import OpeningProxy
from registre.web.meetings.models import Meeting

pytestmark = pytest.mark.django_db(transaction=True)


def _console(count: int = 5) -> tuple[Client, Any, list[Any], str]:
    council = make_council(count, "Désignation au syndicat des eaux",
                           birth_date=lambda i: dt.date(1960 + i, 1, 1))  # fmt: skip
    client, meeting, members, base = (
        council.client,
        council.meeting,
        council.members,
        council.console,
    )
    client.post(base + "action/", {"action": "open", "president": members[0].pk,
                                   "secretary": members[1].pk})  # fmt: skip
    return client, meeting, members, base


def _post(client: Client, url: str, **data: object) -> str:
    page = client.post(url, data, HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    return html.unescape(page.content.decode())


def _present(client: Client, base: str, members: list[Any]) -> None:
    for member in members:
        client.post(base + "action/", {"action": "roll", "member": member.pk, "status": "present"})


def test_a_written_proxy_with_its_scan_from_the_console() -> None:
    client, _, m, base = _console()
    _present(client, base, m[:3])
    scan = SimpleUploadedFile("pouvoir.pdf", b"%PDF-1.7\nsigne\n", "application/pdf")
    card = _post(client, base + "ouverture/", action="paper_proxy", giver=m[4].pk,
                 holder=m[1].pk, given_on="2026-12-01", scan=scan)  # fmt: skip
    assert "Pouvoir enregistré avec son scan." in card
    proxy = OpeningProxy.objects.get()
    assert proxy.document.name.endswith("pouvoir.pdf") and str(proxy.given_on) == "2026-12-01"
    text = SimpleUploadedFile("pouvoir.txt", b"bonjour", "text/plain")
    card = _post(client, base + "ouverture/", action="paper_proxy", giver=m[3].pk,
                 holder=m[2].pk, scan=text)  # fmt: skip
    assert "n'est ni un PDF, ni une photo JPEG ou PNG" in card
    assert OpeningProxy.objects.count() == 1


def test_postponed_for_want_of_quorum_then_a_second_convocation() -> None:
    client, meeting, m, base = _console()
    _present(client, base, m[:2])
    item = meeting.items.get()
    card = _post(client, base + "ouverture/", action="postpone", item=item.pk, why="quorum")
    assert "Point 1 reporté." in card and "Préparer la seconde convocation" in card
    card = _post(client, base + "ouverture/", action="second", on=str(meeting.date))
    assert "trois jours au moins" in card and "L2121-17" in card
    card = _post(client, base + "ouverture/", action="second",
                 on=str(meeting.date + dt.timedelta(days=4)))  # fmt: skip
    assert "Seconde convocation préparée pour le" in card
    second = Meeting.objects.get(first_meeting=meeting)
    assert second.second_convocation and second.items.get().subject == item.subject


def test_an_appointment_from_the_console() -> None:
    client, meeting, m, base = _console()
    _present(client, base, m)
    client.post(base + "action/", {"action": "item", "item": meeting.items.get().pk})
    card = _post(client, base + "scrutin/")
    assert "Ouvrir le scrutin" in card
    card = _post(client, base + "scrutin/", action="ballot", seats="1",
                 candidates=[m[2].pk, m[3].pk])  # fmt: skip
    ballot_ids = [c.pk for c in meeting.items.get().vote.ballot.candidates.all()]
    first, second = ballot_ids
    card = _post(client, base + "scrutin/", action="round", **{f"c{first}": "2", f"c{second}": "2",
                                                             "blank": "1"})  # fmt: skip
    assert "Tour n° 1 : élu(s) personne." in card
    card = _post(client, base + "scrutin/", action="round", **{f"c{first}": "4", f"c{second}": "4"})
    assert "bulletins pour 5 votant" in card  # 8 ballots, 5 voters
    state = _post(client, base + "action/", action="close")
    assert "Des sièges restent à pourvoir" in state and "L2121-21" in state
    card = _post(client, base + "scrutin/", action="round", **{f"c{first}": "3", f"c{second}": "2"})
    assert "Tour n° 2 : élu(s) Zoé ELU2." in card
    state = _post(client, base + "action/", action="close")
    assert "Adoptée" in state
