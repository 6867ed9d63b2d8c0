"""docs/opendata.md documents every option of `registre export`, every column and
every cross-column check."""

from __future__ import annotations

import argparse
from pathlib import Path

from registre.cli import build_parser
from registre.cli_text import french_argparse
from registre.opendata import COLUMNS, ROW_CONSTRAINTS

DOC = (Path(__file__).parents[2] / "docs" / "opendata.md").read_text(encoding="utf-8")


def _export_options() -> list[str]:
    with french_argparse():
        parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    export = commands.choices["export"]
    return [o for a in export._actions for o in a.option_strings if o.startswith("--")]


def test_every_option_is_documented() -> None:
    options = _export_options()
    assert "--infer-matter" in options
    missing = [o for o in options if f"`{o}" not in DOC and o != "--help"]
    assert not missing, f"options absentes de docs/opendata.md : {missing}"


def test_every_column_and_check_is_documented() -> None:
    assert all(f"`{c.value}`" in DOC for c in COLUMNS)
    assert all(f"`{c.name}`" in DOC for c in ROW_CONSTRAINTS)
