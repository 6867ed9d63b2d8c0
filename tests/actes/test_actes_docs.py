"""docs/actes.md documents every command and option of `registre actes`."""

from __future__ import annotations

import argparse
from pathlib import Path

from registre.cli import build_parser
from registre.cli_text import french_argparse

DOC = (Path(__file__).parents[2] / "docs" / "actes.md").read_text(encoding="utf-8")


def _commands() -> dict[str, argparse.ArgumentParser]:
    with french_argparse():
        parser = build_parser()
    top = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    actes = top.choices["actes"]
    sub = next(a for a in actes._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_command_and_option_is_documented() -> None:
    commands = _commands()
    assert set(commands) == {"build", "send", "classification"}
    for name, parser in commands.items():
        assert f"`registre actes {name}`" in DOC, name
        options = [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
        missing = [o for o in options if f"`{o}" not in DOC and o != "--help"]
        assert not missing, f"{name} : options absentes de docs/actes.md : {missing}"
