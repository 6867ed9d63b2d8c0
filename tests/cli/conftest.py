"""Fixtures of the CLI tests: a factory of perturbed copies of the demo record."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from cli_helpers import RecordFactory, demo_data, set_pointer


@pytest.fixture
def write_record(tmp_path: Path) -> RecordFactory:
    """Write the demo record, changed by `{pointer: value}`, to a file; return its path."""

    def write(changes: Mapping[str, object] | None = None, name: str = "seance.json") -> Path:
        data = demo_data()
        for pointer, value in (changes or {}).items():
            set_pointer(data, pointer, value)
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write
