"""The live screens' streams (server-sent events) against the application under
uvicorn, read from a raw socket as a browser's `EventSource` would: a change pushed
to every open screen, rendered once for them all; the console's access rules; a
closed screen leaving its meeting's broadcaster; the heartbeat; a clerk's action
answered by a 204 while the stream brings the state, by the fragment with a refusal;
and no stream under WSGI, where the screens poll."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from webfactories import CLOCK, PASSWORD, Council, make_collectivity, make_council, make_user

from registre.web.live import services, stream, views
from registre.web.live.models import Presence, Sitting

pytestmark = pytest.mark.django_db(transaction=True)

EVENT = re.compile(rb"\nid: (\d+)\nevent: etat\n((?:data: .*\n)+)\n")


@dataclass
class Town(Council):
    """A `Council` of 3 members whose sitting is open."""

    sitting: Any

    @property
    def public(self) -> str:
        return f"/public/seances/{self.meeting.pk}/"

    @property
    def cookie(self) -> str:
        return f"sessionid={self.client.cookies['sessionid'].value}"


def _town() -> Town:
    council = make_council(3)
    sitting = services.open_sitting(council.clerk, CLOCK, council.meeting, council.members[0],
                                    [council.members[1]])  # fmt: skip
    return Town(**vars(council), sitting=sitting)


@dataclass
class Screen:
    """An open stream, read as a browser would: its answer's head, then its events."""

    head: bytes
    sock: socket.socket
    data: bytes = b""  # what was received and not read yet

    def read_until(self, pattern: re.Pattern[bytes], seconds: float = 5) -> bytes:
        """What the stream sent until `pattern` appears in it (fails after `seconds`)."""
        deadline = time.monotonic() + seconds
        while (found := pattern.search(self.data)) is None:
            assert time.monotonic() < deadline, f"rien reçu de tel en {seconds} s : {self.data!r}"
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            with suppress(TimeoutError):
                self.data += self.sock.recv(65536)
        read, self.data = self.data[: found.end()], self.data[found.end() :]
        return read


@contextmanager
def _stream(base: str, path: str, cookie: str = "") -> Iterator[Screen]:
    """A stream opened as a browser's `EventSource` opens it."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream"
                     f"\r\n{'Cookie: ' + cookie if cookie else ''}\r\n\r\n".encode())  # fmt: skip
        received = b""
        while b"\r\n\r\n" not in received and (chunk := sock.recv(4096)):
            received += chunk
        head, _, rest = received.partition(b"\r\n\r\n")
        yield Screen(head, sock, rest)


def _version(town: Town) -> int:
    return int(Sitting.objects.get(pk=town.sitting.pk).version)


def test_a_change_is_pushed_to_every_screen_rendered_once(
    served: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    town, rendered = _town(), []
    render = views.state_pages

    def counted(*args: Any) -> tuple[int, dict[str, str]]:
        rendered.append(args[1])
        return render(*args)

    monkeypatch.setattr(views, "state_pages", counted)
    shown = _version(town)
    with (
        _stream(served, f"{town.public}etat/?v={shown}") as a,
        _stream(served, f"{town.public}etat/?v={shown}") as b,
        _stream(served, f"{town.console}etat/?v={shown}", town.cookie) as c,
    ):
        for screen in (a, b, c):
            assert screen.head.startswith(b"HTTP/1.1 200") and b"text/event-stream" in screen.head
            assert b"retry: 1000" in screen.read_until(re.compile(rb"retry: \d+\n\n"))
        services.call_roll(town.clerk, CLOCK, town.sitting, town.members[2], Presence.PRESENT)
        version = _version(town)
        for screen in (a, b, c):
            found = EVENT.search(screen.read_until(EVENT))
            assert found is not None and int(found[1]) == version
            assert f'data-version="{version}"'.encode() in found[2]
        assert b"Zo\xc3\xa9 ELU2</td><td>pr\xc3\xa9sent" in found[2]  # the console's roll call
    # the public and the console fragments, in one rendering for the three screens
    assert rendered == [{views.CONSOLE_STATE, views.PUBLIC_STATE}]


def test_a_screen_that_shows_an_older_version_gets_the_current_one_at_once(served: str) -> None:
    town = _town()
    with _stream(served, f"{town.public}etat/?v=0") as screen:
        found = EVENT.search(screen.read_until(EVENT))
        assert found is not None and int(found[1]) == _version(town)


def test_the_console_stream_keeps_the_consoles_access_rules(served: str) -> None:
    town, other = _town(), make_collectivity("Commune voisine")
    intruder = Client()
    assert intruder.login(username=make_user(other).username, password=PASSWORD)
    path = f"{town.console}etat/?v=0"
    with _stream(served, path) as screen:
        assert screen.head.startswith(b"HTTP/1.1 302") and b"/connexion/" in screen.head
    with _stream(served, path, f"sessionid={intruder.cookies['sessionid'].value}") as screen:
        assert screen.head.startswith(b"HTTP/1.1 404")
    with _stream(served, "/public/seances/999999/etat/") as screen:
        assert screen.head.startswith(b"HTTP/1.1 404")


def test_a_closed_screen_leaves_and_its_broadcaster_ends(served: str) -> None:
    town = _town()
    with _stream(served, f"{town.public}etat/?v=0") as screen:
        screen.read_until(EVENT)
        assert [b.meeting_id for b in list(stream._broadcasters.values())] == [town.meeting.pk]
    deadline = time.monotonic() + 5
    while stream._broadcasters and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not stream._broadcasters, "la diffusion de la séance ne s'est pas arrêtée"


def test_a_quiet_stream_sends_a_comment(served: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "HEARTBEAT", 0.2)
    town = _town()
    with _stream(served, f"{town.public}etat/?v={_version(town)}") as screen:
        assert b": rien de nouveau" in screen.read_until(re.compile(rb"\n: [^\n]*\n\n"))


def test_an_action_is_answered_by_a_204_while_the_console_follows_its_stream() -> None:
    town = _town()
    direct = {"HTTP_HX_REQUEST": "true", "HTTP_X_REGISTRE_DIRECT": "1"}
    member = town.members[2].pk
    answer = town.client.post(f"{town.console}action/", {"action": "roll", "member": member,
                                                         "status": "present", "seen": ""}, **direct)  # fmt: skip
    assert answer.status_code == 204 and answer["X-Registre-Version"] == str(_version(town))
    # a refusal is shown at once, in the fragment, with the state that stands
    refused = town.client.post(f"{town.console}action/", {"action": "roll", "member": member,
                                                          "status": "absent", "seen": ""}, **direct)  # fmt: skip
    page = refused.content.decode()
    assert refused.status_code == 200 and "vient d&#x27;être modifiée sur un autre poste" in page


def test_no_stream_under_wsgi_the_screen_polls() -> None:
    town = _town()
    answer = Client().get(f"{town.public}etat/?v=0", HTTP_ACCEPT="text/event-stream")
    assert answer.status_code == 204  # EventSource stops; the screen polls instead
