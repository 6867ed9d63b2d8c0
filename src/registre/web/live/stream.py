"""The live screens pushed by server-sent events: the console and the public screen
receive the state fragment each time the sitting's version changes.

A screen asks its usual state URL with `Accept: text/event-stream` (what
`EventSource` sends); the view checks access as for a poll, then hands the request
to this module and keeps no database connection. One broadcaster per meeting and
process (an asyncio task) reads the version every 100 ms — one query, however many
screens are open — renders each fragment once per version and puts it in the
screens' queues; a stream only waits on its queue, in the event loop, so open
screens hold no worker thread and make no query. A comment every 15 s keeps proxies
from closing a quiet stream; a disconnected screen leaves at once (Django cancels
its stream).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import AsyncIterator, Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from registre.web.live.models import Sitting

INTERVAL = 0.1  # seconds between two readings of the version
HEARTBEAT = 15.0  # seconds of silence before a comment line
RETRY_MS = 1000  # the browser reconnects after this delay when a stream breaks
EVENT = "etat"  # the event's name, the `sse-swap` of the templates

# (meeting id, templates, version) -> (version shown, page of each template)
Renderer = Callable[[int, Collection[str], int], tuple[int, dict[str, str]]]
T = TypeVar("T")

log = logging.getLogger(__name__)
_broadcasters: dict[tuple[asyncio.AbstractEventLoop, int], Broadcaster] = {}
_executor: ThreadPoolExecutor | None = None


def wants_stream(request: HttpRequest) -> bool:
    """Whether the request is a screen's `EventSource` asking for the stream."""
    return "text/event-stream" in request.headers.get("Accept", "")


def response(
    request: HttpRequest, meeting_id: int, template: str, render: Renderer
) -> HttpResponse:
    """The stream of `template`'s fragment, from the version after the one the screen
    shows (`Last-Event-ID` on a reconnection, else `?v=`). Called by a view once
    access is granted. Under WSGI, where a stream would hold a worker thread for good,
    a 204 tells the browser not to reconnect: the screen then polls."""
    if not isinstance(request, ASGIRequest):
        return HttpResponse(status=204)
    shown = request.headers.get("Last-Event-ID") or request.GET.get("v", "")
    # this request's thread waits idle while the stream lasts: it keeps no connection
    connections.close_all()
    reply = StreamingHttpResponse(
        _events(meeting_id, template, int(shown) if shown.isdigit() else -1, render),
        content_type="text/event-stream",
    )
    reply["Cache-Control"] = "no-cache"
    reply["X-Accel-Buffering"] = "no"  # nginx passes each event on at once
    return reply


def nudge(meeting_id: int) -> None:
    """Have this process's broadcaster of the meeting read the version now rather than
    at its next reading (called from a clerk's request thread after a change)."""
    for (loop, found), broadcaster in list(_broadcasters.items()):
        if found == meeting_id:
            with contextlib.suppress(RuntimeError):  # its loop has just closed
                loop.call_soon_threadsafe(broadcaster.wake.set)


def close() -> None:
    """Close the broadcasters' database connection and thread (a server stopping, the
    end of a test); they start again with the next stream."""
    global _executor  # noqa: PLW0603 (one thread for the whole process)
    if _executor is not None:
        _executor.submit(connections.close_all).result()
        _executor.shutdown()
        _executor = None


@dataclass(eq=False)
class _Screen:
    """An open stream: its template, the version it shows, the newest page not yet sent
    (a slow screen skips the versions it had no time to show)."""

    template: str
    shown: int
    queue: asyncio.Queue[tuple[int, str]] = field(default_factory=lambda: asyncio.Queue(1))

    def offer(self, version: int, page: str) -> None:
        if version == self.shown:
            return
        self.shown = version
        if self.queue.full():
            self.queue.get_nowait()
        self.queue.put_nowait((version, page))


class Broadcaster:
    """The screens of one meeting in one process, and the task that feeds them."""

    def __init__(self, meeting_id: int, render: Renderer) -> None:
        self.meeting_id, self.render = meeting_id, render
        self.screens: set[_Screen] = set()
        self.wake = asyncio.Event()
        self.version = -1
        self.pages: dict[str, str] = {}
        self.task: asyncio.Task[None] | None = None  # held here: the loop keeps a weak one

    def join(self, screen: _Screen) -> None:
        """Add a screen; the version is read at once (the one in memory may be older
        than the page the screen shows)."""
        self.screens.add(screen)
        self.wake.set()

    def leave(self, screen: _Screen) -> None:
        """Remove a screen; the task ends with the last one."""
        self.screens.discard(screen)

    async def run(self) -> None:
        """Read the version, render what changed, feed the screens, until none is left."""
        try:
            while self.screens:
                pause = INTERVAL if await self._tick() else 1.0
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), pause)
                self.wake.clear()
        finally:
            key = (asyncio.get_running_loop(), self.meeting_id)
            if _broadcasters.get(key) is self:
                del _broadcasters[key]
            if not _broadcasters:  # no stream left in this process: no idle connection
                await _in_thread(connections.close_all)

    async def _tick(self) -> bool:
        """One reading, and the rendering of a new version; False after an error
        (logged; the next reading comes a second later)."""
        try:
            version = await _in_thread(_version, self.meeting_id)
            if version != self.version:
                self.version, self.pages = version, {}
            # what some screen lacks: one opened on the current page needs nothing
            missing = {s.template for s in self.screens if s.shown != version} - self.pages.keys()
            if missing:
                shown, pages = await _in_thread(self.render, self.meeting_id, missing, version)
                if shown != self.version:  # a later version, read meanwhile
                    self.version, self.pages = shown, {}
                self.pages |= pages
        except Exception:
            log.exception("diffusion de la séance %s", self.meeting_id)
            await _in_thread(connections.close_all)  # a broken connection is opened anew
            return False
        for screen in list(self.screens):
            if screen.template in self.pages:
                screen.offer(self.version, self.pages[screen.template])
        return True


def _version(meeting_id: int) -> int:
    version = Sitting.objects.filter(meeting_id=meeting_id).values_list("version", flat=True)
    return version.first() or 0


async def _in_thread(function: Callable[..., T], *args: Any) -> T:
    """Run database work on the broadcasters' own thread: one connection per process,
    kept open between readings (a request's thread ends with its request)."""
    global _executor  # noqa: PLW0603
    if _executor is None:
        _executor = ThreadPoolExecutor(1, thread_name_prefix="registre-diffusion")
    return await asyncio.get_running_loop().run_in_executor(_executor, function, *args)


def _join(meeting_id: int, render: Renderer, screen: _Screen) -> Broadcaster:
    loop = asyncio.get_running_loop()
    broadcaster = _broadcasters.get((loop, meeting_id))
    if broadcaster is None:
        broadcaster = _broadcasters[loop, meeting_id] = Broadcaster(meeting_id, render)
        # a context of its own: the task outlives the request that started it
        broadcaster.task = loop.create_task(broadcaster.run(), context=contextvars.Context())
    broadcaster.join(screen)
    return broadcaster


async def _events(
    meeting_id: int, template: str, shown: int, render: Renderer
) -> AsyncIterator[str]:
    """The stream of one screen: each new version's fragment as an `etat` event whose
    id is the version, a comment after 15 s of silence."""
    screen = _Screen(template, shown)
    broadcaster = _join(meeting_id, render, screen)
    try:
        yield f"retry: {RETRY_MS}\n\n"
        while True:
            try:
                version, page = await asyncio.wait_for(screen.queue.get(), HEARTBEAT)
            except TimeoutError:
                yield ": rien de nouveau\n\n"
                continue
            data = "".join(f"data: {line}\n" for line in page.splitlines())
            yield f"id: {version}\nevent: {EVENT}\n{data}\n"
    finally:  # the screen closed (Django cancels the stream) or the server stops
        broadcaster.leave(screen)
