"""`registre serve`'s preparation of its workers."""

from __future__ import annotations

import gc

from registre.cli_web import _freeze_loaded


def test_the_loaded_application_is_moved_out_of_the_collectors_reach() -> None:
    """What the server loads before forking (Django, the URL patterns, registre's
    modules) is frozen: a full collection no longer scans it, so its pause stays off
    the requests (`benchmarks/live.py`)."""
    gc.unfreeze()
    try:
        _freeze_loaded()
        frozen = gc.get_freeze_count()
        assert frozen > 50_000
        gc.collect()
        assert gc.get_freeze_count() == frozen  # a collection leaves them frozen
    finally:
        gc.unfreeze()
