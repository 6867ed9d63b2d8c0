"""The results file of `registre read DOSSIER` (JSON Lines), its summary and CSV.

Each line is one document: the public JSON of `registre.extracts.output` with
"file", or {"file", "error"} when it could not be read. A run that resumes reads
the lines already written (`previous_results`); the summary and the findings CSV
cover the whole file.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from registre.cli import _os_reason
from registre.cli_document import DOCUMENT_SUFFIXES
from registre.cli_text import SEVERITY_LABEL
from registre.errors import InputError
from registre.rules import Severity
from registre.rules.context import plural

# --- reading the results file --------------------------------------------------------


@dataclass(slots=True)
class Done:
    """What the summary and the CSV need of one line of the results file."""

    file: str
    error: str | None
    findings: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, entry: dict[str, Any]) -> Done:
        """The summary of a results line (`result_data` plus `file`, or an error)."""
        error = entry.get("error")
        found = entry.get("findings")
        findings = [f for f in found if isinstance(f, dict)] if isinstance(found, list) else []
        return cls(str(entry["file"]), str(error) if error is not None else None, findings)


def _not_results(out: Path, detail: str) -> InputError:
    return InputError(
        f"{detail} : ce n'est pas un fichier de résultats de « registre read » (JSON Lines) ; "
        "choisissez un autre fichier de sortie",
        path=str(out),
    )


def previous_results(out: Path) -> list[dict[str, Any]]:
    """The lines already in the results file `out`, for a run that resumes.

    A last line cut short (an interrupted run) is removed from the file, so that
    its document is read again; a file that is not a results file is refused.
    """
    try:
        data = out.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise InputError(_os_reason(exc), path=str(out)) from None
    end = data.rfind(b"\n") + 1
    entries: list[dict[str, Any]] = []
    for number, raw in enumerate(data[:end].splitlines(), start=1):
        if not raw.strip():
            continue
        entry = _entry(raw)
        if entry is None:
            raise _not_results(out, f"ligne {number} illisible")
        entries.append(entry)
    tail = data[end:]
    if tail.strip():
        entry = _entry(tail)
        if entry is not None:  # a complete line without its final newline
            _append(out, b"\n")
            entries.append(entry)
        elif tail.lstrip().startswith(b"{"):  # cut short: forget it, read its file again
            _truncate(out, end)
        else:
            raise _not_results(out, "dernière ligne illisible")
    return entries


def _entry(raw: bytes) -> dict[str, Any] | None:
    try:
        entry = json.loads(raw)
    except ValueError:
        return None
    if isinstance(entry, dict) and isinstance(entry.get("file"), str):
        return entry
    return None


def _append(out: Path, data: bytes) -> None:
    try:
        with out.open("ab") as handle:
            handle.write(data)
    except OSError as exc:
        raise InputError(_os_reason(exc, writing=True), path=str(out)) from None


def _truncate(out: Path, size: int) -> None:
    try:
        with out.open("r+b") as handle:
            handle.truncate(size)
    except OSError as exc:
        raise InputError(_os_reason(exc, writing=True), path=str(out)) from None


def unique_done(entries: Iterable[dict[str, Any]]) -> Iterator[Done]:
    """The summary of each results line, the first line only for a file listed twice."""
    seen: set[str] = set()
    for entry in entries:
        if entry["file"] not in seen:
            seen.add(entry["file"])
            yield Done.of(entry)


# --- the summary and the findings CSV ------------------------------------------------


def findings_by_code(done: Iterable[Done]) -> Counter[tuple[str, str]]:
    """How many findings of each (code, severity) the documents have."""
    return Counter(
        (str(f.get("code")), str(f.get("severity"))) for entry in done for f in entry.findings
    )


def _severity_label(value: str) -> str:
    try:
        return SEVERITY_LABEL[Severity(value)].lower()
    except ValueError:
        return value


_SEVERITY_ORDER = {s.value: i for i, s in enumerate(Severity)}


def summary(
    folder: str,
    out: str,
    *,
    found: int,
    skipped: int,
    new: Sequence[Done],
    every: Sequence[Done],
    interrupted: bool = False,
) -> str:
    """The French summary of a run over a folder (this run, then the whole results file)."""
    failed_now = sum(1 for entry in new if entry.error is not None)
    lines = [
        f"Dossier : {folder} — {plural(found, 'document')} ({', '.join(DOCUMENT_SUFFIXES)})",
    ]
    if skipped:
        lines.append(f"  déjà dans {out}, non relus : {skipped}")
    lines.append(f"  lus par cette exécution : {len(new) - failed_now}, en échec : {failed_now}")
    if interrupted:
        left = found - skipped - len(new)
        lines.append(
            f"  interrompu : {plural(left, 'document')} non lus ; relancez la même commande "
            "pour reprendre là où elle s'est arrêtée"
        )
    failures = [entry for entry in every if entry.error is not None]
    lines += [
        "",
        f"Résultats ({out}) : {plural(len(every) - len(failures), 'document lu', 'documents lus')}, "
        f"{len(failures)} en échec",
    ]
    if failures:
        lines.append("Échecs :")
        lines += [f"  {entry.file} : {entry.error}" for entry in failures]
    lines += _count_lines(every)
    return "\n".join(lines) + "\n"


def _count_lines(every: Sequence[Done]) -> list[str]:
    """How many findings of each code, errors first, then the most frequent."""
    counts = findings_by_code(every)
    if not counts:
        return ["Aucune constatation."]
    lines = [f"Constatations par code ({sum(counts.values())}) :"]
    order = sorted(counts, key=lambda k: (_SEVERITY_ORDER.get(k[1], 9), -counts[k], k[0]))
    for code, severity in order:
        lines.append(f"  {code} ({_severity_label(severity)}) : {counts[(code, severity)]}")
    return lines


CSV_HEADER = ("file", "deliberation", "code", "severity", "article", "message")


def write_findings_csv(path: str, done: Iterable[Done]) -> None:
    """One row per finding, `;`-separated, UTF-8 with BOM (Excel opens it as is)."""
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(CSV_HEADER)
            for entry in done:
                for f in entry.findings:
                    writer.writerow(
                        [
                            entry.file,
                            f.get("deliberation") or "",
                            f.get("code", ""),
                            f.get("severity", ""),
                            f.get("article", ""),
                            f.get("message", ""),
                        ]
                    )
    except OSError as exc:
        raise InputError(
            f"écriture impossible : {_os_reason(exc, writing=True)}", path=path
        ) from None
