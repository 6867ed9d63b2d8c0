"""argparse speaks French: help, usage and its own error messages."""

from __future__ import annotations

import argparse

import pytest

from registre import cli
from registre.cli_text import french_argparse

ENGLISH = (
    "usage:",
    "show this help message",
    "positional arguments",
    "error:",
    "required",
    "invalid choice",
    "unrecognized arguments",
    "choose from",
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    for text in ENGLISH:
        assert text not in out + err
    return status, out, err


@pytest.mark.parametrize("argv", [["--help"], ["-h"]])
def test_main_help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    status, out, _ = run(capsys, *argv)
    assert status == 0
    assert out.startswith("Utilisation : registre")
    assert "options :" in out
    assert "commandes :" in out
    assert "affiche cette aide et quitte" in out
    assert "affiche le numéro de version et quitte" in out
    for command in ("check", "demo", "schema", "rules"):
        assert command in out


@pytest.mark.parametrize("command", ["check", "demo", "schema", "rules"])
def test_subcommand_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    status, out, _ = run(capsys, command, "--help")
    assert status == 0
    assert out.startswith(f"Utilisation : registre {command}")
    assert "options :" in out
    assert "--format {text,json}" in out
    assert "raccourci de --format json" in out
    assert "-o CHEMIN, --out CHEMIN" in out


def test_check_help_documents_the_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "--help")
    assert "arguments positionnels :" in out
    assert '"verdict": {"errors": n, "warnings": n, "infos": n, "conforme": true|false}' in out


def test_unknown_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "verifier")
    assert status == 2
    assert out == ""
    assert "registre : erreur : argument COMMANDE : choix invalide : « verifier »" in err
    assert "Utilisation :" in err


def test_no_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys)
    assert status == 2
    assert "registre : erreur : arguments obligatoires manquants : COMMANDE" in err


def test_check_without_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "check")
    assert status == 2
    assert "registre check : erreur : arguments obligatoires manquants : FICHIER" in err


def test_unrecognized_argument(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "demo", "--vite")
    assert status == 2
    assert "arguments non reconnus : --vite" in err


def test_bad_format_choice(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "demo", "--format", "xml")
    assert status == 2
    assert "argument --format : choix invalide : « xml »" in err


def test_option_without_value(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "demo", "-o")
    assert status == 2
    assert "une valeur est attendue" in err


def test_argparse_is_restored_after_use() -> None:
    with french_argparse():
        assert argparse._("usage: ") == "Utilisation : "  # type: ignore[attr-defined]
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]
