"""What the `registre` command prints: argparse in French, and the check report.

The report has two forms. The text form groups findings by deliberation (the
meeting first) and ends with a one-line verdict. The JSON form has one stable
shape, documented in `REPORT_SHAPE`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from registre.record import MeetingRecord, ValueStatus
from registre.rules import Finding, Severity
from registre.rules.context import french_date

REPORT_SHAPE = """\
Format JSON du rapport (stable) :
  {"file": "...",
   "verdict": {"errors": n, "warnings": n, "infos": n, "conforme": true|false},
   "findings": [{"code", "severity", "article", "message", "pointer", "deliberation"}]}"""

# argparse's own strings, in French. Several Python versions spell some of them
# differently; each spelling has an entry. Unknown strings pass through unchanged.
_ARGPARSE_FR: dict[str, str] = {
    "usage: ": "Utilisation : ",
    "positional arguments": "arguments positionnels",
    "options": "options",
    "optional arguments": "options",
    "subcommands": "commandes",
    "show this help message and exit": "affiche cette aide et quitte",
    "show program's version number and exit": "affiche le numéro de version et quitte",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix invalide : « %(value)s » (choix possibles : %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "valeur invalide : « %(value)s »",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "au plus une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "expected %s argument": "%s valeur attendue",
    "expected %s arguments": "%s valeurs attendues",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "argument explicite ignoré : %r",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "unexpected option string: %s": "option inattendue : %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "commande inconnue « %(parser_name)s » (choix possibles : %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
}


def french_gettext(message: str) -> str:
    """argparse's `_`: the French text of one of its messages, or the message itself."""
    return _ARGPARSE_FR.get(message, message)


def french_ngettext(singular: str, plural: str, count: int) -> str:
    """argparse's `ngettext`, in French (0 and 1 take the singular)."""
    return french_gettext(singular if count <= 1 else plural)


@contextmanager
def french_argparse() -> Iterator[None]:
    """Make argparse speak French while parsers are built, parse and print help."""
    module: Any = argparse
    saved: tuple[Callable[..., str], Callable[..., str]] = (module._, module.ngettext)
    module._, module.ngettext = french_gettext, french_ngettext
    try:
        yield
    finally:
        module._, module.ngettext = saved


class FrenchHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help layout with French typography: a space before the colon of headings."""

    def start_section(self, heading: str | None) -> None:
        """Open a help section; 'options' is printed 'options :'."""
        super().start_section(f"{heading} " if heading else heading)


SEVERITY_LABEL = {
    Severity.ERROR: "ERREUR",
    Severity.WARNING: "AVERTISSEMENT",
    Severity.INFO: "INFORMATION",
}

STATUS_LABEL = {
    ValueStatus.FACT: "fait",
    ValueStatus.PLACEHOLDER: "valeur provisoire",
    ValueStatus.DEMO_CHOICE: "choix de démonstration",
}


def _count(count: int, word: str) -> str:
    return f"{count} {word if count <= 1 else word + 's'}"


def tally(findings: Sequence[Finding]) -> dict[str, int]:
    """Number of findings of each severity, under the JSON report's keys."""
    severities = [f.severity for f in findings]
    return {
        "errors": severities.count(Severity.ERROR),
        "warnings": severities.count(Severity.WARNING),
        "infos": severities.count(Severity.INFO),
    }


def verdict_line(findings: Sequence[Finding]) -> str:
    """'Verdict : conforme — 0 erreur, 0 avertissement, 1 information.'"""
    counts = tally(findings)
    state = "NON CONFORME" if counts["errors"] else "conforme"
    return (
        f"Verdict : {state} — {_count(counts['errors'], 'erreur')}, "
        f"{_count(counts['warnings'], 'avertissement')}, "
        f"{_count(counts['infos'], 'information')}."
    )


def _group_title(record: MeetingRecord, number: str | None) -> str:
    if number is None:
        return "Séance"
    item = record.deliberation(number)
    return f"Délibération n° {number} — {item.subject}" if item else f"Délibération n° {number}"


def _finding_lines(finding: Finding) -> list[str]:
    label = SEVERITY_LABEL[finding.severity]
    head = f"  {label} {finding.code} (art. {finding.article}) : {finding.message}"
    return [head, f"      champ : {finding.pointer}"] if finding.pointer else [head]


def _groups(record: MeetingRecord, findings: Sequence[Finding]) -> list[str | None]:
    order: list[str | None] = [None, *(item.number for item in record.deliberations)]
    extra = [f.deliberation for f in findings if f.deliberation not in order]
    return [*order, *dict.fromkeys(extra)]


def text_report(path: str, record: MeetingRecord, findings: Sequence[Finding]) -> str:
    """The report as text: findings grouped by deliberation, then the verdict."""
    meeting = record.meeting
    assembly = record.assembly.name or record.assembly.kind.value
    lines = [
        f"Fichier : {path}",
        f"{record.collectivity.name or 'Collectivité non identifiée'} — {assembly}, "
        + (f"séance du {french_date(meeting.date)}" if meeting.date else "date de séance inconnue"),
        "",
    ]
    if not findings:
        lines += ["Aucune constatation.", ""]
    for number in _groups(record, findings):
        chosen = [f for f in findings if f.deliberation == number]
        if chosen:
            lines.append(_group_title(record, number))
            for finding in chosen:
                lines += _finding_lines(finding)
            lines.append("")
    lines.append(verdict_line(findings))
    return "\n".join(lines) + "\n"


def json_report(path: str, findings: Sequence[Finding]) -> str:
    """The report in its stable JSON shape (see REPORT_SHAPE), UTF-8 text."""
    counts = tally(findings)
    data = {
        "file": path,
        "verdict": {**counts, "conforme": counts["errors"] == 0},
        "findings": [
            {
                "code": f.code.value,
                "severity": f.severity.value,
                "article": f.article,
                "message": f.message,
                "pointer": f.pointer,
                "deliberation": f.deliberation,
            }
            for f in findings
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def demo_header(record: MeetingRecord) -> str:
    """What the demo is, and which of its values are placeholders or demo choices."""
    assembly = (record.assembly.name or "assemblée").lower()
    subjects = "; ".join(f"« {item.subject} »" for item in record.deliberations)
    lines = [
        "Démonstration de registre : contrôle d'un registre de délibérations réel.",
        f"{record.collectivity.name}, {assembly} du "
        f"{french_date(record.meeting.date) if record.meeting.date else '(date inconnue)'} ;",
        f"extrait de la délibération {subjects}.",
    ]
    marked = [a for a in record.annotations if a.status is not ValueStatus.FACT]
    if marked:
        lines.append(
            "Attention : les valeurs suivantes (signalées dans « annotations ») "
            "ne viennent pas de l'extrait ; ce sont des valeurs provisoires "
            "ou des choix de démonstration :"
        )
        for note in marked:
            detail = f" : {note.note}" if note.note else ""
            lines.append(f"  - {note.pointer} ({STATUS_LABEL[note.status]}){detail}")
    return "\n".join(lines) + "\n\n"
