"""Fixtures of the web tests: a local SMTP server the application sends to, the
application served as `registre serve` serves it (uvicorn, in a thread), and
Chromium on it for the browser tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import browser
import pytest
from django.db import connections
from playwright.sync_api import Browser
from smtp import Mailbox, running_smtp


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """A real SMTP server on loopback; Django's SMTP backend sends to it."""
    with running_smtp() as (box, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = False
        yield box


@pytest.fixture
def served(transactional_db: None) -> Iterator[str]:
    """The application under uvicorn, as `registre serve` runs it (the live screens'
    streams need an ASGI server, which Django's own live server is not), on a free
    port of the loopback; its address. The test's data is committed for it to see."""
    from registre.cli_web import Server  # noqa: PLC0415 (imports Django's ASGI handler)
    from registre.web.asgi import application  # noqa: PLC0415
    from registre.web.live import stream  # noqa: PLC0415

    listener = socket.create_server(("127.0.0.1", 0))
    server = Server(listener)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        assert server.started, "le serveur uvicorn n'a pas démarré"
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.close()
        thread.join(30)
        # the server's threads keep connections open: PostgreSQL drops the test
        # database only once every connection is closed
        application.close()
        stream.close()


@pytest.fixture
def chromium(served: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Browser, str]]:
    """Chromium and the served application's address."""
    # Playwright's sync API runs an asyncio loop in the test thread, and Django's ORM
    # refuses to run inside one otherwise. Set for these tests only, not at import:
    # the variable would leak into the whole run and its subprocesses (`check
    # --deploy` in test_settings.py rejects it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with browser.open_browser() as chromium:
        try:
            yield chromium, served
        finally:
            connections.close_all()  # the loop's own connections (PostgreSQL's DROP)


@pytest.fixture(autouse=True)
def _fresh_attendances() -> None:
    """Each test starts without the attendances a previous one kept: its database,
    rolled back, gives the same ids again."""
    from registre.web.live.record import forget_attendances  # noqa: PLC0415

    forget_attendances()
