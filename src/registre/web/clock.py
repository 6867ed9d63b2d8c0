"""The clock passed to every service: real time in the application, a fake in tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """Now, aware, in UTC."""
    return dt.datetime.now(dt.UTC)
