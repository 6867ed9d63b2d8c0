"""ASGI entry point: `registre serve` runs it under uvicorn (any ASGI server will do).

Two ways through Django, chosen per request:

- a live screen's stream (`Accept: text/event-stream`, see `live.stream`) goes
  through Django's ASGI handler: the view checks access on a thread of its own (4
  streams at a time at most) and lets its database connection go, then the stream
  waits in the event loop, so open screens hold no connection and no busy thread;
- every other request goes through Django's WSGI handler, run whole on one of 8
  threads per process (a request beyond waits for one), each keeping its database
  connection between requests (CONN_MAX_AGE). Measured on a poll answered 204:
  4 ms of server CPU this way, as under waitress, against 7 to 11 ms through the ASGI
  handler, whose synchronous middleware each cross from the event loop to a thread
  and back.
"""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from a2wsgi import WSGIMiddleware
from asgiref.sync import ThreadSensitiveContext
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registre.web.settings")
THREADS = 8  # per process, for the requests other than the streams
CHECKS = 4  # per process, streams checking their access at once


class Application:
    """The streams through Django's ASGI handler, the rest through its WSGI handler."""

    def __init__(self, threads: int = THREADS) -> None:
        self.streams = get_asgi_application()
        self.threads = threads
        self.requests = WSGIMiddleware(get_wsgi_application(), workers=threads)
        self.checks: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and b"text/event-stream" in _header(scope, b"accept"):
            await self._stream(scope, receive, send)
        else:
            await self.requests(scope, receive, send)

    async def _stream(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        from django.db import connections  # noqa: PLC0415 (Django is set up by now)

        executor = ThreadPoolExecutor(1, thread_name_prefix="registre-flux")
        checks = self._checks()
        await checks.acquire()
        checking = True

        async def sent(message: dict[str, Any]) -> None:
            nonlocal checking
            if checking and message["type"] == "http.response.start":
                checking = False  # access checked, connection let go: the next may check
                checks.release()
            await send(message)

        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.streams(scope, receive, sent)
        finally:
            if checking:
                checks.release()
            await asyncio.get_running_loop().run_in_executor(executor, connections.close_all)
            executor.shutdown(wait=False)

    def _checks(self) -> asyncio.Semaphore:
        """The streams' access checks under way in this event loop: a few at a time,
        each with a database connection, even when every screen reconnects at once
        (a server restarted: 100 screens would open 100 connections, PostgreSQL's
        default limit)."""
        loop = asyncio.get_running_loop()
        if loop not in self.checks:
            self.checks[loop] = asyncio.Semaphore(CHECKS)
        return self.checks[loop]

    def close(self) -> None:
        """Close the request threads' database connections, once the server has
        stopped (a test's server; a process that exits closes them anyway)."""
        from django.db import connections  # noqa: PLC0415

        # one call per thread: each waits until every thread has taken its own
        everyone = threading.Barrier(self.threads)

        def close_this_threads() -> None:
            connections.close_all()
            everyone.wait(timeout=30)

        calls = [self.requests.executor.submit(close_this_threads) for _ in range(self.threads)]
        for call in calls:
            call.result()


def _header(scope: dict[str, Any], name: bytes) -> bytes:
    return b",".join(value for key, value in scope["headers"] if key == name)


application = Application()
