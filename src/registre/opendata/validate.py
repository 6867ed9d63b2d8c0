"""Validate an SCDL "Délibérations" CSV with frictionless, in French.

Two layers, as Validata (the national validator, built on frictionless) applies
them: the Table Schema (`schema/deliberations-2.1.5.json`: the 17 columns in order,
their types, required fields and patterns), then the cross-column checks the
schema lists as `custom_checks`, run here as frictionless row constraints, plus
two of registre's (the matter code exists, and the label's level 1 is the code's).
As in Validata, a cross-column check is skipped when one of its cells is empty.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from registre.opendata.nomenclature import LEVEL_1, LEVEL_2

SCHEMA_FILE = "deliberations-2.1.5.json"


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation error: `line` is the CSV line (the header is line 1; None for
    the whole file), `columns` the columns concerned, `code` frictionless's error
    type, "required" for a required cell left empty, or the row constraint's name;
    `message` French."""

    line: int | None
    columns: tuple[str, ...]
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class RowConstraint:
    """A cross-column check: its name, columns, formula (simpleeval, on one row
    whose empty cells are None) and what the French message says is wrong."""

    name: str
    columns: tuple[str, ...]
    formula: str
    message: str


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _level_1_labels(digit: str) -> str:
    """The accepted spellings of a level-1 label: accented or not (any case)."""
    label = LEVEL_1[digit]
    return repr(tuple(dict.fromkeys((label, _plain(label)))))


def _label_prefix(column: str) -> str:
    return f"{column}.lower().split('/')[0].strip()"


_PREFIXES = tuple(s for d in LEVEL_1 for s in dict.fromkeys((LEVEL_1[d], _plain(LEVEL_1[d]))))
_CODE_MATCHES_LABEL = " or ".join(
    f"(DELIB_MATIERE_CODE.split('.')[0] == '{d}' and "
    f"{_label_prefix('DELIB_MATIERE_NOM')} in {_level_1_labels(d)})"
    for d in LEVEL_1
)

# a code not written N.N is the schema's pattern to report, not registre's checks
_CODE_MALFORMED = "DELIB_MATIERE_CODE == None or DELIB_MATIERE_CODE.find('.') != 1"

ROW_CONSTRAINTS: tuple[RowConstraint, ...] = (
    RowConstraint(
        "sum-columns-value", ("VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"),
        "VOTE_REEL == None or VOTE_POUR == None or VOTE_CONTRE == None or "
        "VOTE_ABSTENTION == None or VOTE_REEL == VOTE_POUR + VOTE_CONTRE + VOTE_ABSTENTION",
        "VOTE_REEL doit être égal à VOTE_POUR + VOTE_CONTRE + VOTE_ABSTENTION",
    ),
    RowConstraint(
        "compare-columns-value", ("PREF_DATE", "DELIB_DATE"),
        "PREF_DATE == None or DELIB_DATE == None or PREF_DATE >= DELIB_DATE",
        "PREF_DATE (réception en préfecture) ne peut précéder DELIB_DATE (la séance)",
    ),
    RowConstraint(
        "cohesive-columns-value", ("BUDGET_ANNEE", "BUDGET_NOM"),
        "(BUDGET_ANNEE == None) == (BUDGET_NOM == None)",
        "BUDGET_ANNEE et BUDGET_NOM sont tous deux remplis, ou tous deux vides",
    ),
    RowConstraint(
        "year-interval-value", ("BUDGET_ANNEE",),
        "BUDGET_ANNEE == None or BUDGET_ANNEE.find('/') == -1 or "
        "int(BUDGET_ANNEE[5:]) > int(BUDGET_ANNEE[:4])",
        "BUDGET_ANNEE AAAA/AAAA : la seconde année doit suivre la première",
    ),
    RowConstraint(
        "nomenclature-actes-value", ("DELIB_MATIERE_NOM",),
        f"DELIB_MATIERE_NOM == None or {_label_prefix('DELIB_MATIERE_NOM')} in {_PREFIXES!r}",
        "DELIB_MATIERE_NOM doit commencer par un libellé de niveau 1 de la nomenclature "
        "@CTES suivi de « / » (par exemple « finances locales/subventions »)",
    ),
    RowConstraint(
        "registre-matter-code", ("DELIB_MATIERE_CODE",),
        f"{_CODE_MALFORMED} or DELIB_MATIERE_CODE in {tuple(LEVEL_2)!r}",
        "DELIB_MATIERE_CODE n'est pas un code de niveau 2 de la nomenclature @CTES "
        "(1.1 à 1.7, 2.1 à 2.3, 3.1 à 3.6, 4.1 à 4.5, 5.1 à 5.8, 6.1 à 6.5, 7.1 à 7.10, "
        "8.1 à 8.9, 9.1 à 9.4)",
    ),
    RowConstraint(
        "registre-matter-label", ("DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM"),
        # an unknown level-1 label is nomenclature-actes-value's to report, not this one's
        f"{_CODE_MALFORMED} or DELIB_MATIERE_NOM == None or "
        f"{_label_prefix('DELIB_MATIERE_NOM')} not in {_PREFIXES!r} or {_CODE_MATCHES_LABEL}",
        "le libellé de niveau 1 de DELIB_MATIERE_NOM ne correspond pas au code "
        "DELIB_MATIERE_CODE",
    ),
)  # fmt: skip


@cache
def schema_descriptor() -> dict[str, Any]:
    """The packaged Table Schema of SCDL "Délibérations" 2.1.5 (JSON data)."""
    text = files("registre.opendata").joinpath("schema", SCHEMA_FILE).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def column_names() -> tuple[str, ...]:
    """The schema's column names, in order."""
    return tuple(str(field["name"]) for field in schema_descriptor()["fields"])


def validate_csv(data: bytes) -> list[Problem]:
    """Every problem of an SCDL CSV file's content, in line order (empty: valid).

    The file must be UTF-8 (a byte order mark is tolerated) and comma-separated.
    """
    from registre.opendata.runner import run  # noqa: PLC0415 (frictionless loads slowly)

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [Problem(None, (), "encoding-error",
                        f"le fichier doit être encodé en UTF-8 (octet invalide en position {exc.start})")]  # fmt: skip
    return run(text.encode("utf-8"), schema_descriptor(), ROW_CONSTRAINTS)
