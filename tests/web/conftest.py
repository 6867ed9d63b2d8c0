"""Fixtures of the web tests: a local SMTP server the application sends to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from smtp import Mailbox, running_smtp


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """A real SMTP server on loopback; Django's SMTP backend sends to it."""
    with running_smtp() as (box, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = False
        yield box
