"""The clients of `live.py`: a clerk's vote, a screen's poll, a screen's stream (read
as a browser's `EventSource` reads it, on a thread of its own), and what they share."""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from web import session

TIMEOUT = 2.0  # seconds: a request not answered (or not sent) by then is a failure
VERSION = re.compile(rb'data-version="(\d+)"')
EVENT_ID = re.compile(rb"\nid: (\d+)\n")
REFUSAL = re.compile(rb'class="message error">([^<]*)<')


@dataclass(frozen=True, slots=True)
class Session:
    """A logged-in clerk: the cookies every request sends, the CSRF token of the forms."""

    cookie: str
    token: str


@dataclass(frozen=True, slots=True)
class Site:
    """The server and what the requests need."""

    port: int
    pid: int
    console: str  # /c/<cid>/seances/<id>/console/
    public: str  # /public/seances/<id>/
    members: tuple[int, ...]
    sessions: tuple[Session, ...]


@dataclass(slots=True)
class Screen:
    """An open screen: its state URL, its cookies (none for a public screen), the
    version it shows, each version it received (at, version), what went wrong."""

    path: str
    cookie: str
    version: int
    seen: list[tuple[float, int]] = field(default_factory=list)
    failure: str = ""


@dataclass(frozen=True, slots=True)
class Vote:
    """One named vote: its latency from the time it was due, when it was answered,
    the version it produced (0 when it failed)."""

    latency: float
    answered: float
    version: int
    why: str  # empty when it succeeded, else the failure: a status, a timeout, the refusal

    @property
    def ok(self) -> bool:
        return not self.why


@dataclass(frozen=True, slots=True)
class Poll:
    """One poll: its latency from the time it was due, its status (0: no answer)."""

    latency: float
    status: int
    ok: bool


def send(
    port: int, method: str, path: str, cookie: str = "", body: bytes | None = None, *,
    push: bool = False,
) -> tuple[int, bytes, str]:  # fmt: skip
    """One request on a new connection; its status, body and `X-Registre-Version`. A
    clerk's action says whether the console follows its stream (`push`)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers |= {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}
        headers |= {"X-Registre-Direct": "1"} if push else {}
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("X-Registre-Version", "")
    finally:
        connection.close()


def connect(port: int, pid: int, data: dict[str, object]) -> Site:
    console = f"/c/{data['cid']}/seances/{data['meeting']}/console/"
    sessions = tuple(Session(*session(port, name, str(data["password"]), console))
                     for name in data["clerks"])  # type: ignore[attr-defined]  # fmt: skip
    return Site(port, pid, console, f"/public/seances/{data['meeting']}/",
                tuple(data["members"]), sessions)  # type: ignore[arg-type]  # fmt: skip


def vote_body(site: Site, clerk: int, n: int) -> bytes:
    """The form of clerk `clerk`'s `n`-th named vote: all for but 1 to 10 members
    against, the count changing from one vote to the next (the clerks alternate)."""
    against = 1 + (2 * n + clerk) % 10
    fields = [("csrfmiddlewaretoken", site.sessions[clerk].token), ("action", "named"),
              ("default", "for")] + [("against", str(pk)) for pk in site.members[10:10 + against]]  # fmt: skip
    return urllib.parse.urlencode(fields).encode()


def record_vote(site: Site, clerk: int, n: int, due: float, push: bool) -> Vote:
    """A named vote, answered by a 204 and its version when the console follows its
    stream (`push`), else by the console's fragment; a refusal (a message in a 200
    fragment), another status, no version or a late answer is a failure."""
    status, page, header = 0, b"", ""
    with contextlib.suppress(OSError):  # timeouts, refused or reset connections
        if time.perf_counter() - due < TIMEOUT:
            status, page, header = send(site.port, "POST", site.console + "action/",
                                        site.sessions[clerk].cookie, vote_body(site, clerk, n),
                                        push=push)  # fmt: skip
    answered = time.perf_counter()
    found, refused = VERSION.search(page), REFUSAL.search(page)
    version = header if status == 204 else found[1].decode() if found else ""
    why = ("délai dépassé" if status == 0 or answered - due >= TIMEOUT
           else f"statut {status}" if status not in (200, 204)
           else f"refus : {refused[1].decode(errors='replace')[:80]}" if refused
           else "réponse sans version" if not version.isdigit() else "")  # fmt: skip
    return Vote(answered - due, answered, 0 if why else int(version), why)


def poll(site: Site, screen: Screen, due: float, lock: threading.Lock) -> Poll:
    """One poll of a screen with the version it shows."""
    status, page = 0, b""
    with contextlib.suppress(OSError):
        if time.perf_counter() - due < TIMEOUT:
            status, page, _ = send(site.port, "GET", f"{screen.path}?v={screen.version}",
                                   screen.cookie)  # fmt: skip
    answered = time.perf_counter()
    ok = status in (200, 204) and answered - due < TIMEOUT
    if ok and status == 200:
        found = VERSION.search(page)
        if found is None:
            ok = False
        else:
            with lock:
                screen.seen.append((answered, int(found[1])))
                screen.version = max(screen.version, int(found[1]))
    return Poll(answered - due, status, ok)


def listen(site: Site, screen: Screen, stop: threading.Event, opened: threading.Semaphore) -> None:
    """One screen's stream, on a thread of its own (a browser's `EventSource`): read
    until `stop`, noting when each version arrived; `opened` is released once the
    answer's head is read (or the connection failed)."""
    cookie = f"Cookie: {screen.cookie}\r\n" if screen.cookie else ""
    request = (f"GET {screen.path}?v={screen.version} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Accept: text/event-stream\r\n{cookie}\r\n").encode()  # fmt: skip
    released = False
    try:
        with socket.create_connection(("127.0.0.1", site.port), timeout=TIMEOUT) as sock:
            sock.sendall(request)
            head, _, buffer = _head(sock).partition(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200") or b"text/event-stream" not in head:
                screen.failure = head.split(b"\r\n")[0].decode(errors="replace") or "pas de réponse"
                return
            opened.release()
            released = True
            sock.settimeout(1.0)  # how soon `stop` is seen
            _follow(sock, screen, buffer, stop)
    except OSError as exc:
        screen.failure = f"connexion : {exc}"
    finally:
        if not released:
            opened.release()


def _head(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _follow(sock: socket.socket, screen: Screen, buffer: bytes, stop: threading.Event) -> None:
    """Read the events (chunked: an event never straddles two chunks' headers)."""
    buffer = b"\n" + buffer
    while True:
        now = time.perf_counter()
        found = list(EVENT_ID.finditer(buffer))
        screen.seen += [(now, int(m[1])) for m in found]  # one thread per screen
        buffer = buffer[found[-1].end() - 1 :] if found else buffer[-64:]
        if stop.is_set():
            return
        try:
            data = sock.recv(65536)
        except TimeoutError:
            continue
        if not data:
            screen.failure = "flux fermé par le serveur"
            return
        buffer += data


def open_streams(
    site: Site, screens: list[Screen], stop: threading.Event
) -> list[threading.Thread]:
    """A thread per screen holding its stream; returns once every stream is open (or
    failed)."""
    opened = threading.Semaphore(0)
    threads = [threading.Thread(target=listen, args=(site, screen, stop, opened), daemon=True)
               for screen in screens]  # fmt: skip
    for thread in threads:
        thread.start()
    for _ in threads:
        opened.acquire(timeout=TIMEOUT * 5)
    return threads
