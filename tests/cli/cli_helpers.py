"""Helpers of the CLI tests: the demo record as plain data, and JSON-pointer edits."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

DELETE = object()  # as a value in a perturbation: remove the key

RecordFactory = Callable[..., Path]


def demo_data() -> dict[str, Any]:
    """The bundled Dijon record, as plain JSON data."""
    text = files("registre.demo").joinpath("dijon-2023-11-23.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def set_pointer(data: Any, pointer: str, value: object) -> None:
    """Set (or, with DELETE, remove) the value at a JSON pointer such as '/meeting/date'."""
    *parents, last = pointer.lstrip("/").split("/")
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    key: Any = int(last) if isinstance(data, list) else last
    if value is DELETE:
        del data[key]
    else:
        data[key] = value
