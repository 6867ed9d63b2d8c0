"""`registre import résultats.jsonl`: an archive read from published documents (by
`registre read DOSSIER`) put on the portal, each act marked as read from a document,
with the rules' findings on it. Idempotent: an act already there is left as it is."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from registre.record import (
    AssemblyKind,
    EventKind,
    LifecycleEvent,
    MeetingRecord,
    from_data,
)
from registre.web.clock import Clock
from registre.web.core.models import ASSEMBLY_LABELS, Assembly, Collectivity
from registre.web.publication.models import PublishedAct, Source
from registre.web.publication.services import store_act

ACT_ID = re.compile(r"^\d{3}-(\d{9})-")


@dataclass
class ImportReport:
    """What an import did, line by line, in French."""

    added: int = 0
    already: int = 0
    problems: list[str] = field(default_factory=list)


def url_number(number: str) -> str:
    """A deliberation number usable in a URL: "2014 / 219" -> "2014-219"."""
    return re.sub(r"\s*/\s*", "-", number.strip()).replace(" ", "-")


def import_results(lines: Iterable[str], clock: Clock, *, base: Path | None = None,
                   siren: str | None = None) -> ImportReport:  # fmt: skip
    """Put each read document of a results file on the portal."""
    report = ImportReport()
    for index, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            report.problems.append(f"ligne {index} : ce n'est pas du JSON (le fichier vient-il "
                                   "de `registre read DOSSIER -o résultats.jsonl` ?)")  # fmt: skip
            continue
        _import_entry(entry, index, clock, report, base=base, siren=siren)
    return report


def _import_entry(entry: dict[str, Any], index: int, clock: Clock, report: ImportReport, *,
                  base: Path | None, siren: str | None) -> None:  # fmt: skip
    where = f"ligne {index} ({entry.get('file', '?')})"
    if "error" in entry or "record" not in entry:
        report.problems.append(f"{where} : non lu ({entry.get('error', 'pas d’enregistrement')})")
        return
    try:
        record = from_data(MeetingRecord, entry["record"])
        events = [from_data(LifecycleEvent, e) for e in entry.get("events", [])]
    except (ValueError, TypeError, KeyError) as exc:
        report.problems.append(f"{where} : enregistrement illisible ({exc})")
        return
    assembly = _assembly(record, siren)
    if assembly is None:
        report.problems.append(f"{where} : SIREN de la collectivité inconnu ; relancez avec "
                               "--siren NNNNNNNNN")  # fmt: skip
        return
    pdf = _source_pdf(entry.get("file"), base)
    for item in record.deliberations:
        _import_item(record, item.number, events, assembly, pdf, clock, report)


def _import_item(record: MeetingRecord, number: str, events: list[LifecycleEvent],
                 assembly: Assembly, pdf: bytes | None, clock: Clock,
                 report: ImportReport) -> None:  # fmt: skip
    # the act id is unique where printed numbers are not (Montpellier printed "2014 /
    # 137" on three acts of one meeting)
    act_id = next((d.act_id for d in record.deliberations if d.number == number), None)
    shown = act_id or url_number(number)
    if PublishedAct.objects.filter(assembly=assembly, number=shown).exists():
        report.already += 1
        return
    mine = [e for e in events if e.deliberation in (None, number)]
    published = next((e.on for e in mine if e.kind is EventKind.PUBLISHED), None)
    transmitted = next((e.on for e in mine if e.kind is EventKind.TRANSMITTED), None)
    single = replace(record, deliberations=tuple(
        replace(d, number=shown) for d in record.deliberations if d.number == number))  # fmt: skip
    # what the document does not say stays unknown (None), never today
    store_act(None, clock, assembly, single, shown, pdf, published_on=published,
              source=str(Source.DOCUMENTS), transmitted_on=transmitted)  # fmt: skip
    report.added += 1


def _assembly(record: MeetingRecord, siren: str | None) -> Assembly | None:
    """The collectivity (created on first sight) and its assembly for this record."""
    ids = [d.act_id for d in record.deliberations if d.act_id]
    found = siren or record.collectivity.siren
    if not found and ids and (match := ACT_ID.match(ids[0])):
        found = match.group(1)
    if not found:
        return None
    collectivity, _ = Collectivity.objects.get_or_create(siren=found, defaults={
        "name": record.collectivity.name or f"Collectivité {found}",
        "kind": record.collectivity.kind.value})  # fmt: skip
    kind = record.assembly.kind if record.assembly else AssemblyKind.CONSEIL
    assembly, _ = Assembly.objects.get_or_create(collectivity=collectivity, kind=kind.value,
                                                 defaults={"name": record.assembly.name
                                                           or ASSEMBLY_LABELS[kind]})  # fmt: skip
    return assembly


def _source_pdf(name: str | None, base: Path | None) -> bytes | None:
    """The document read, when it is a PDF still where the results file says."""
    if not name or not name.lower().endswith(".pdf"):
        return None
    path = Path(name) if base is None else base / name
    return path.read_bytes() if path.is_file() else None
