"""Run frictionless on an SCDL CSV and say each error in French.

Kept apart from `validate` so that frictionless (slow to import) loads only when a
file is validated.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

import frictionless
from frictionless import Dialect, Resource, Schema, formats
from frictionless.checks.row.row_constraint import row_constraint

from registre.opendata.validate import Problem, RowConstraint

# What a pattern asks, in words, for the columns that have one.
PATTERN_HINTS = {
    "COLL_SIRET": "14 chiffres",
    "DELIB_MATIERE_CODE": "un code de matière N.N, par exemple 8.4",
    "BUDGET_ANNEE": "AAAA ou AAAA/AAAA",
    "PREF_ID": "PREFNNN, SPREFNNNM ou SGARNNN, par exemple PREF034",
}
TYPE_HINTS = {
    "date": "une date au format AAAA-MM-JJ",
    "integer": "un nombre entier",
    "string": "du texte",
}
HEADER = "en-tête (17 colonnes séparées par des virgules, dans l'ordre du schéma)"


def _expected(field: dict[str, Any]) -> str:
    if field.get("format") == "uri":
        return "une adresse web (URI) valide"
    return TYPE_HINTS.get(str(field["type"]), str(field["type"]))


def _constraint(error: Any) -> str:
    found = re.search(r'constraint "(\w+)"', error.note or "")
    return found.group(1) if found else ""


def _constraint_message(error: Any, field: dict[str, Any]) -> str:
    constraint = _constraint(error)
    if constraint == "required":
        return "valeur obligatoire manquante"
    if constraint == "pattern":
        hint = PATTERN_HINTS.get(error.field_name, field["constraints"]["pattern"])
        return f"« {error.cell} » ne respecte pas le format attendu ({hint})"
    return f"« {error.cell} » ne respecte pas la contrainte {constraint}"


def _cell_problem(error: Any, fields: dict[str, dict[str, Any]]) -> Problem:
    name = error.field_name
    field = fields.get(name, {"type": "string", "constraints": {}})
    if error.type == "type-error":
        message = f"« {error.cell} » n'est pas {_expected(field)}"
    elif error.type == "constraint-error":
        message = _constraint_message(error, field)
    else:
        message = error.note or error.type
    # a required cell left empty has its own code: the export reports it as not said
    code = "required" if _constraint(error) == "required" else error.type
    return Problem(
        error.row_number, (name,), code, f"ligne {error.row_number}, colonne {name} : {message}"
    )


def _label_problem(error: Any, expected: Sequence[str]) -> Problem:
    position = error.field_number
    want = expected[position - 1] if 0 < position <= len(expected) else None
    label = error.label or ""
    messages = {
        "missing-label": f"colonne {want} absente (position {position})",
        "incorrect-label": f"colonne {position} nommée « {label} » au lieu de {want}",
        "extra-label": f"colonne en trop en position {position} (« {label} »)",
        "duplicate-label": f"colonne « {label} » en double (position {position})",
        "blank-label": f"colonne {position} sans nom",
    }
    detail = messages.get(error.type, error.note or error.type)
    return Problem(None, (want or label,), error.type, f"{HEADER} : {detail}")


def _row_problem(error: Any, by_formula: dict[str, RowConstraint]) -> Problem:
    line = error.row_number
    if error.type == "blank-row":
        return Problem(line, (), error.type, f"ligne {line} : ligne vide")
    if error.type in ("missing-cell", "extra-cell"):
        what = "cellule manquante" if error.type == "missing-cell" else "cellule en trop"
        return Problem(
            line,
            (error.field_name,),
            error.type,
            f"ligne {line} : {what} (colonne {error.field_name or error.field_number})",
        )
    found = re.search(r'conform is "(.*)"$', error.note or "")
    constraint = by_formula.get(found.group(1)) if found else None
    if constraint is None:
        return Problem(line, (), error.type, f"ligne {line} : {error.note or error.type}")
    return Problem(
        line, constraint.columns, constraint.name, f"ligne {line} : {constraint.message}"
    )


def _problem(error: Any, schema: dict[str, Any], by_formula: dict[str, RowConstraint]) -> Problem:
    fields = {str(f["name"]): f for f in schema["fields"]}
    if error.type.endswith("-label"):
        return _label_problem(error, list(fields))
    if getattr(error, "field_name", None) and error.type in ("type-error", "constraint-error"):
        return _cell_problem(error, fields)
    if getattr(error, "row_number", None) is not None:
        return _row_problem(error, by_formula)
    return Problem(
        None, (), error.type, f"fichier illisible comme CSV ({error.note or error.type})"
    )


def run(data: bytes, schema: dict[str, Any], constraints: Sequence[RowConstraint]) -> list[Problem]:
    """Validate CSV `data` (UTF-8, comma-separated) against the Table Schema and the
    row constraints; the problems in French, in line order."""
    resource = Resource(
        data=data,
        format="csv",
        encoding="utf-8",
        # frictionless may normalise the descriptor it is given: not the cached one
        schema=Schema.from_descriptor(copy.deepcopy(schema)),
        dialect=Dialect(header_rows=[1], controls=[formats.CsvControl(delimiter=",")]),
    )
    report = frictionless.validate(
        resource,
        checks=[row_constraint(formula=c.formula) for c in constraints],
        limit_errors=100_000,
    )
    by_formula = {c.formula: c for c in constraints}
    problems = [_problem(e, schema, by_formula) for task in report.tasks for e in task.errors]
    problems += [_problem(e, schema, by_formula) for e in report.errors]
    return sorted(problems, key=lambda p: p.line or 0)
