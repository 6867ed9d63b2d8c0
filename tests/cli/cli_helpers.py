"""Helpers of the CLI tests: the demo record as plain data (pointer edits live in factories)."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

from factories import DELETE, set_pointer  # re-exported for the CLI tests

RecordFactory = Callable[..., Path]


def demo_data() -> dict[str, Any]:
    """The bundled Dijon record, as plain JSON data."""
    text = files("registre.demo").joinpath("dijon-2023-11-23.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


__all__ = ["DELETE", "RecordFactory", "demo_data", "set_pointer"]
