"""The console and the public screen through Django's test client: actions, the
state fragment's 204 while nothing changed, conflicts refused, in camera hidden."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from webfactories import make_council

pytestmark = pytest.mark.django_db(transaction=True)


def _setup() -> tuple[Client, Any, Any, list[Any], str]:
    council = make_council()
    client, meeting, members, base = (
        council.client,
        council.meeting,
        council.members,
        council.console,
    )
    client.post(base + "action/", {"action": "open", "president": members[0].pk,
                                   "secretary": members[1].pk})  # fmt: skip
    town = council.town
    return client, meeting, town, members, base


def _act(client: Client, base: str, **data: object) -> str:
    page = client.post(base + "action/", data, HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    return html.unescape(page.content.decode())


def test_a_meeting_held_from_the_console_and_seen_on_the_public_screen() -> None:
    client, meeting, _, members, base = _setup()
    for member in members:
        _act(client, base, action="roll", member=member.pk, status="present", seen="")
    item = meeting.items.get()
    state = _act(client, base, action="item", item=item.pk)
    assert "Présents : <strong>5</strong> (quorum : 3)" in state
    _act(client, base, action="vote", unanimous="1")
    state = _act(client, base, action="close")
    assert "Adoptée" in state and "écriture n° 1 du registre" in state
    public = html.unescape(Client().get(f"/public/seances/{meeting.pk}/").content.decode())
    assert "Dernier vote" in public and "Adoptée" in public and "à l'unanimité" in public


def test_the_state_fragment_is_204_until_something_changes() -> None:
    client, meeting, _, members, base = _setup()
    version = client.get(base).content.decode().split('data-version="')[1].split('"')[0]
    assert client.get(base + f"etat/?v={version}").status_code == 204
    public = Client()
    assert public.get(f"/public/seances/{meeting.pk}/etat/?v={version}").status_code == 204
    _act(client, base, action="roll", member=members[0].pk, status="present", seen="")
    assert client.get(base + f"etat/?v={version}").status_code == 200
    assert public.get(f"/public/seances/{meeting.pk}/etat/?v={version}").status_code == 200


def test_a_change_made_on_a_stale_screen_is_refused() -> None:
    client, _, _, members, base = _setup()
    _act(client, base, action="roll", member=members[2].pk, status="present", seen="")
    # a second clerk's screen still shows no answer for this member
    state = _act(client, base, action="roll", member=members[2].pk, status="absent", seen="")
    assert "vient d'être modifiée sur un autre poste" in state
    assert "Zoé ELU2</td><td>présent</td>" in state  # the first clerk's answer stands


def test_in_camera_the_public_screen_shows_only_that_fact() -> None:
    client, meeting, _, members, base = _setup()
    for member in members:
        _act(client, base, action="roll", member=member.pk, status="present", seen="")
    _act(client, base, action="item", item=meeting.items.get().pk)
    _act(client, base, action="state", in_camera="1")
    public = html.unescape(Client().get(f"/public/seances/{meeting.pk}/").content.decode())
    assert "huis clos" in public and "Budget primitif" not in public and "Présents" not in public
    _act(client, base, action="state", in_camera="0")
    public = html.unescape(Client().get(f"/public/seances/{meeting.pk}/").content.decode())
    assert "Budget primitif" in public and "huis clos" not in public


def test_a_refused_proxy_says_its_article_on_the_console() -> None:
    client, _, _, members, base = _setup()
    _act(client, base, action="roll", member=members[0].pk, status="present", seen="")
    state = _act(client, base, action="proxy", giver=members[3].pk, holder=members[4].pk)
    assert "L2121-20" in state and "mandataire doit être présent" in state


def test_named_votes_from_the_console() -> None:
    client, meeting, _, members, base = _setup()
    for member in members:
        _act(client, base, action="roll", member=member.pk, status="present", seen="")
    _act(client, base, action="item", item=meeting.items.get().pk)
    state = _act(
        client, base, action="named", default="for", against=[members[1].pk, members[2].pk]
    )
    assert "3 pour, 2 contre, 0 abstentions" in state


def test_one_action_produces_the_meetings_documents_after_it() -> None:
    import io  # noqa: PLC0415
    import zipfile  # noqa: PLC0415

    import pypdfium2 as pdfium  # noqa: PLC0415

    client, meeting, town, members, base = _setup()
    url = f"/c/{town.pk}/seances/{meeting.pk}/documents.zip"
    assert client.get(url).status_code == 302  # nothing closed yet: back to the console
    for member in members:
        _act(client, base, action="roll", member=member.pk, status="present", seen="")
    _act(client, base, action="item", item=meeting.items.get().pk)
    _act(client, base, action="vote", unanimous="1")
    _act(client, base, action="close")
    reply = client.get(url)
    assert reply["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(reply.content)) as archive:
        names = sorted(archive.namelist())
        assert names == sorted([f"extrait-{meeting.date:%Y%m%d}_01.pdf",
                                "liste-des-deliberations.pdf", "proces-verbal-projet.pdf",
                                "feuillets-du-registre.pdf"])  # fmt: skip
        extract = archive.read(names[0] if names[0].startswith("extrait") else names[1])
    text = "".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(extract))
    assert "Budget primitif" in text and "unanimité" in text.lower()


def test_two_changes_read_at_the_same_version_both_move_it_on() -> None:
    """Screens showing a version see every later change, even two made at once."""
    from webfactories import CLOCK  # noqa: PLC0415

    from registre.web.live import services  # noqa: PLC0415
    from registre.web.live.models import Presence, Sitting  # noqa: PLC0415

    client, meeting, _, members, base = _setup()
    first, second = Sitting.objects.get(meeting=meeting), Sitting.objects.get(meeting=meeting)
    clerk = meeting.collectivity.memberships.get().user
    services.call_roll(clerk, CLOCK, first, members[0], Presence.PRESENT)
    seen = Sitting.objects.get(meeting=meeting).version
    services.call_roll(clerk, CLOCK, second, members[1], Presence.PRESENT)  # read before
    assert client.get(base + f"etat/?v={seen}").status_code == 200
    # a stale screen's suspension leaves the sitting closed to the public
    services.set_state(clerk, CLOCK, first, in_camera=True)
    _act(client, base, action="state", suspended="1")
    sitting = Sitting.objects.get(meeting=meeting)
    assert sitting.in_camera and sitting.suspended
