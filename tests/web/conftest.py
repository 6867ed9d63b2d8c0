"""Fixtures of the web tests: a local SMTP server the application sends to, and
Chromium on the live server for the browser tests."""

from __future__ import annotations

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
def chromium(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Browser, str]]:
    """Chromium and the live server's address."""
    # Playwright's sync API runs an asyncio loop in the test thread, and Django's ORM
    # refuses to run inside one otherwise. Set for these tests only, not at import:
    # the variable would leak into the whole run and its subprocesses (`check
    # --deploy` in test_settings.py rejects it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with browser.open_browser() as chromium:
        try:
            yield chromium, live_server.url
        finally:
            connections.close_all()  # the loop's own connections (PostgreSQL's DROP)
