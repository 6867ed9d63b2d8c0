"""`registre read`: read published documents (PDF, text, Word) into records and check them.

`registre read FICHIER` prints, in French, what was read (the meeting, who was
there, each deliberation, the doubts and the passages not interpreted), then the
rules' findings and the verdict; `--json` prints the public JSON document of
`registre.extracts.output` instead. Exit status as for `check`: 0, 1 when a
finding is an error, 2 when the file cannot be read.

`registre read DOSSIER -o résultats.jsonl` reads every document under DOSSIER in
parallel processes and writes one JSON line per document as soon as it is read.
The run can be interrupted and started again: documents already in the results
file are not read twice.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from registre.cli import (
    EXIT_OK,
    _add_output_options,
    _emit,
    _os_reason,
    _status,
    load_record,
)
from registre.cli_text import SEVERITY_LABEL, FrenchHelpFormatter, text_report
from registre.errors import InputError, RegistreError
from registre.record import (
    Attendance,
    AttendanceChange,
    ChangeKind,
    CollectivityKind,
    DeliberationRecord,
    LifecycleEvent,
    MeetingMode,
    MeetingRecord,
    MemberId,
    Outcome,
    Vote,
    VoteMode,
)
from registre.rules import Finding, Severity, check
from registre.rules.context import french_date, plural

if TYPE_CHECKING:
    from registre.extracts import ReadResult, Span

# The reader (registre.extracts, with its PDF and OCR libraries) is imported only
# when a document is read, so that the other commands start fast.

DOCUMENT_SUFFIXES = (".pdf", ".txt", ".doc", ".docx", ".odt")
EXIT_INTERRUPTED = 130
WIDTH = 100

# --- reading one document ------------------------------------------------------------


def read_document(path: str, *, ocr_page_limit: int | None = None) -> ReadResult:
    """Read a published document; any failure becomes an InputError naming `path`."""
    from registre.extracts import read  # noqa: PLC0415 (see above)

    try:
        return read(path, ocr_page_limit=ocr_page_limit)
    except InputError:
        raise
    except RegistreError as exc:
        raise InputError(f"lecture impossible ({exc})", path=path) from None
    except Exception as exc:  # the reader must never end the command with a traceback
        raise InputError(
            f"erreur inattendue pendant la lecture ({type(exc).__name__} : {exc})", path=path
        ) from None


def is_document(path: str) -> bool:
    """True when `path` is a published document to read, False for a record (JSON).

    A `.json` file, or a file whose first visible character is `{`, is a record.
    """
    if Path(path).suffix.lower() == ".json":
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(256)
    except OSError:
        return Path(path).suffix.lower() in DOCUMENT_SUFFIXES
    return not head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")


def load_checked(path: str) -> tuple[MeetingRecord, list[LifecycleEvent]]:
    """The record to check at `path`, and the lifecycle events the document states.

    A record (JSON) has no events of its own; a published document is read.
    """
    if not is_document(path):
        return load_record(path), []
    result = read_document(path)
    return result.record, list(result.events)


# --- the text report -----------------------------------------------------------------

METHOD_LABEL = {  # registre.extracts.Method values
    "text": "texte",
    "pdf_text": "PDF (couche texte)",
    "ocr": "PDF numérisé (reconnaissance de caractères)",
    "word": "document Word ou OpenDocument",
}
COLLECTIVITY_LABEL = {
    CollectivityKind.COMMUNE: "commune",
    CollectivityKind.COMMUNAUTE_DE_COMMUNES: "communauté de communes",
    CollectivityKind.COMMUNAUTE_D_AGGLOMERATION: "communauté d'agglomération",
    CollectivityKind.COMMUNAUTE_URBAINE: "communauté urbaine",
    CollectivityKind.METROPOLE: "métropole",
    CollectivityKind.SYNDICAT: "syndicat",
    CollectivityKind.DEPARTEMENT: "département",
    CollectivityKind.REGION: "région",
}
MEETING_MODE_LABEL = {
    MeetingMode.IN_PERSON: "en présentiel",
    MeetingMode.VIDEOCONFERENCE: "en visioconférence",
}
VOTE_MODE_LABEL = {
    VoteMode.SHOW_OF_HANDS: "à main levée",
    VoteMode.PUBLIC: "scrutin public",
    VoteMode.SECRET: "scrutin secret",
}
OUTCOME_LABEL = {
    Outcome.ADOPTED: "adoptée",
    Outcome.REJECTED: "rejetée",
    Outcome.POSTPONED: "reportée",
    Outcome.DROPPED: "retirée de l'ordre du jour",
    Outcome.NOTED: "prise d'acte",
}
NOT_GIVEN = "non indiqué"


def _name(record: MeetingRecord, member: MemberId | None) -> str:
    if member is None:
        return NOT_GIVEN
    found = record.member(member)
    return found.display_name if found else member


def _names(record: MeetingRecord, members: Iterable[MemberId]) -> list[str]:
    return [_name(record, member) for member in members]


def _wrapped(items: Sequence[str], indent: str = "    ") -> list[str]:
    """Names separated by commas, wrapped between names (never inside one)."""
    if not items:
        return [f"{indent}(aucun)"]
    lines: list[str] = []
    line = indent
    for index, item in enumerate(items):
        piece = item + ("," if index < len(items) - 1 else "")
        if line != indent and len(line) + 1 + len(piece) > WIDTH:
            lines.append(line)
            line = indent
        line += piece if line == indent else f" {piece}"
    return [*lines, line]


def _lines_text(span: Span) -> str:
    if span.first_line == span.last_line:
        return f"page {span.page}, ligne {span.first_line}"
    return f"page {span.page}, lignes {span.first_line} à {span.last_line}"


def _meeting_lines(result: ReadResult) -> list[str]:
    record = result.record
    meeting = record.meeting
    kind = COLLECTIVITY_LABEL.get(record.collectivity.kind, record.collectivity.kind.value)
    day = french_date(meeting.date) if meeting.date is not None else NOT_GIVEN
    if meeting.time is not None:
        day += f" à {meeting.time.hour} h {meeting.time.minute:02d}"
    if meeting.place:
        day += f", {meeting.place}"
    if meeting.mode is not None:
        day += f" ({MEETING_MODE_LABEL.get(meeting.mode, meeting.mode.value)})"
    convocation = (
        f"envoyée le {french_date(meeting.convocation_date)}"
        if meeting.convocation_date is not None
        else "date non indiquée"
    )
    if meeting.second_convocation:
        convocation += " (seconde convocation, faute de quorum)"
    in_office = meeting.members_in_office
    secretaries = meeting.secretaries
    if secretaries is None:
        secretary = f"Secrétaire de séance : {NOT_GIVEN}"
    elif not secretaries:
        secretary = "Secrétaire de séance : aucun"
    else:
        label = "Secrétaire de séance" if len(secretaries) == 1 else "Secrétaires de séance"
        secretary = f"{label} : {', '.join(_names(record, secretaries))}"
    return [
        "Séance",
        f"  Collectivité : {record.collectivity.name or 'non indiquée'} ({kind})",
        f"  Assemblée : {record.assembly.name or record.assembly.kind.value}",
        f"  Date : {day}",
        f"  Convocation : {convocation}",
        f"  Membres en exercice : {NOT_GIVEN if in_office is None else in_office}",
        f"  Président : {_name(record, meeting.president)}",
        f"  {secretary}",
        "",
    ]


def _represented(att: Attendance) -> list[MemberId]:
    if att.represented is not None:
        return list(att.represented)
    return [proxy.giver for proxy in att.proxies]


def attendance_summary(att: Attendance) -> str:
    """'75 présents, 9 procurations, 2 absents' (a count the document omits is left out)."""
    declared = att.declared
    parts: list[str] = []
    for ids, printed, word in (
        (att.present, declared.present if declared else None, "présent"),
        (
            _represented(att) if att.represented is not None or att.proxies else None,
            declared.represented if declared else None,
            "procuration",
        ),
        (att.absent, declared.absent if declared else None, "absent"),
        (att.withdrawn or None, declared.withdrawn if declared else None, "retiré"),
    ):
        if ids is not None:
            parts.append(plural(len(ids), word))
        elif printed is not None:
            parts.append(f"{plural(printed, word)} (nombre imprimé)")
    return ", ".join(parts) if parts else "non indiquées"


CHANGE_LABEL = {
    ChangeKind.ARRIVAL: "arrivée",
    ChangeKind.DEPARTURE: "départ",
    ChangeKind.PROXY_ON_LEAVING: "départ, procuration à {holder}",
    ChangeKind.PROXY_ENDS_ON_ARRIVAL: "arrivée, fin de la procuration",
    ChangeKind.WITHDRAWAL: "se retire",
    ChangeKind.SUBSTITUTE_SITS: "remplacé(e) par {holder}",
}


def _change_line(record: MeetingRecord, change: AttendanceChange) -> str:
    label = CHANGE_LABEL.get(change.change, change.change.value)
    what = label.format(holder=_name(record, change.holder))
    return f"    {_name(record, change.member)} : {what}, à partir du point {change.from_item}"


def _attendance_lines(record: MeetingRecord) -> list[str]:
    att = record.attendance
    lines = [f"Présences à l'ouverture : {attendance_summary(att)}"]
    if att.present is not None:
        lines += [f"  Présents ({len(att.present)}) :", *_wrapped(_names(record, att.present))]
    else:
        lines.append("  Présents : liste non indiquée")
    represented = _represented(att)
    holders = {proxy.giver: proxy.holder for proxy in att.proxies}
    lines.append(f"  Représentés ({len(represented)}) :")
    for giver in represented:
        holder = holders.get(giver)
        to = f"procuration à {_name(record, holder)}" if holder else "mandataire non indiqué"
        lines.append(f"    {_name(record, giver)} : {to}")
    if not represented:
        lines.append("    (aucun)")
    if att.absent is not None:
        lines += [f"  Absents ({len(att.absent)}) :", *_wrapped(_names(record, att.absent))]
    else:
        lines.append("  Absents : liste non indiquée")
    if att.withdrawn:
        lines += [f"  Retirés ({len(att.withdrawn)}) :", *_wrapped(_names(record, att.withdrawn))]
    for sub in att.substitutes:
        lines.append(
            f"  Suppléant : {_name(record, sub.substitute)} pour {_name(record, sub.titular)}"
        )
    if att.changes:
        lines.append(f"  Mouvements en séance ({len(att.changes)}) :")
        lines += [_change_line(record, change) for change in att.changes]
    return [*lines, ""]


_TALLY = (
    ("for_", "pour", "pour"),
    ("against", "contre", "contre"),
    ("abstention", "abstention", "abstentions"),
    ("not_voting", "ne prenant pas part au vote", "ne prenant pas part au vote"),
    ("blank", "bulletin blanc", "bulletins blancs"),
    ("void", "bulletin nul", "bulletins nuls"),
)


def vote_text(vote: Vote | None) -> str:
    """'84 pour, 0 contre, 0 abstention (dont 9 procurations)', or 'à l'unanimité'."""
    if vote is None:
        return NOT_GIVEN
    counts: list[str] = []
    for name, one, many in _TALLY:
        count: int | None = getattr(vote, name)
        if count is not None:
            counts.append(f"{count} {one if count <= 1 else many}")
    tally = ", ".join(counts)
    if vote.proxies_counted is not None:
        tally += f" (dont {plural(vote.proxies_counted, 'procuration')})"
    if vote.unanimous:
        text = f"à l'unanimité ({tally.strip()})" if tally else "à l'unanimité"
    else:
        text = tally.strip() or "décompte non indiqué"
    if vote.mode is not None:
        text += f" — {VOTE_MODE_LABEL.get(vote.mode, vote.mode.value)}"
    return text


def _appointment_line(item: DeliberationRecord) -> list[str]:
    vote = item.vote
    if vote is None or vote.appointment is None:
        return []
    appointment = vote.appointment
    names = {c.id: c.name for c in appointment.candidates}
    elected = [names.get(c, c) for r in appointment.rounds for c in r.elected]
    seats = plural(appointment.seats, "siège")
    rounds = plural(len(appointment.rounds), "tour")
    who = ", ".join(elected) if elected else NOT_GIVEN
    return [f"      Nomination : {seats}, {rounds} ; élus : {who}"]


def _deliberation_lines(record: MeetingRecord) -> list[str]:
    lines = [f"Délibérations ({len(record.deliberations)})"]
    for item in record.deliberations:
        lines.append(f"  n° {item.number} — {item.subject}")
        if item.attendance is not None and item.attendance != record.attendance:
            lines.append(f"      Présences : {attendance_summary(item.attendance)}")
        lines.append(f"      Vote : {vote_text(item.vote)}")
        lines += _appointment_line(item)
        outcome = OUTCOME_LABEL.get(item.outcome, item.outcome.value) if item.outcome else NOT_GIVEN
        lines.append(f"      Résultat : {outcome}")
    if not record.deliberations:
        lines.append("  (aucune délibération lue)")
    return [*lines, ""]


def _excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _doubt_lines(result: ReadResult) -> list[str]:
    lines = [f"Doutes ({len(result.doubts)})"]
    for doubt in result.doubts:
        span = result.span_of(doubt.pointer)
        where = f" ({_lines_text(span)})" if span else ""
        lines.append(f"  {doubt.pointer}{where} : {doubt.reason}")
    if not result.doubts:
        lines.append("  (aucun)")
    return [*lines, ""]


def _unread_lines(result: ReadResult) -> list[str]:
    lines = [f"Passages non interprétés ({len(result.unread)})"]
    for unread in result.unread:
        lines.append(f"  {_lines_text(unread.span)} : {unread.reason}")
        lines.append(f"      « {_excerpt(unread.text)} »")
    if not result.unread:
        lines.append("  (aucun)")
    return [*lines, ""]


def read_report(path: str, result: ReadResult, findings: Sequence[Finding]) -> str:
    """What was read, in French, then the check report (findings and verdict)."""
    report = text_report(path, result.record, findings)
    header, _, checked = report.partition("\n\n")
    method = METHOD_LABEL.get(result.method.value, result.method.value)
    lines = [
        header,
        f"Lu comme : {method}, {plural(result.pages, 'page')}",
        "",
        *_meeting_lines(result),
        *_attendance_lines(result.record),
        *_deliberation_lines(result.record),
        *_doubt_lines(result),
        *_unread_lines(result),
        "Contrôle au regard du CGCT",
    ]
    return "\n".join(lines) + "\n" + checked


# --- one file ------------------------------------------------------------------------


def _read_file(args: argparse.Namespace) -> int:
    for option, value in (("--workers", args.workers), ("--findings-csv", args.findings_csv)):
        if value is not None:
            raise RegistreError(f"l'option {option} ne s'applique qu'à un dossier")
    try:
        result = read_document(args.path, ocr_page_limit=args.ocr_pages)
    except KeyboardInterrupt:
        print(f"registre : lecture de {args.path} interrompue", file=sys.stderr)
        return EXIT_INTERRUPTED
    findings = check(result.record, events=result.events)
    if args.format == "json":
        from registre.extracts.output import result_data  # noqa: PLC0415 (see above)

        data = result_data(result, findings)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        text = read_report(args.path, result, findings)
    _emit(text, args.out)
    return _status(findings)


# --- a folder: one JSON line per document --------------------------------------------


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


def documents(folder: Path, skip: Iterable[Path] = ()) -> list[Path]:
    """The readable documents under `folder` (recursive), in name order."""
    excluded = {path.resolve() for path in skip}
    names = {path.name for path in excluded}
    found = [
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in DOCUMENT_SUFFIXES
        and path.is_file()
        and not (path.name in names and path.resolve() in excluded)
    ]
    return sorted(found, key=lambda path: path.relative_to(folder).as_posix())


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


Job = tuple[str, str, int | None]  # (file key, path to read, OCR page limit)


def read_entry(job: Job) -> dict[str, Any]:
    """Read and check one document: its results line (never raises for the document)."""
    from registre.extracts.output import result_data  # noqa: PLC0415 (see above)

    key, path, ocr_pages = job
    try:
        result = read_document(path, ocr_page_limit=ocr_pages)
        findings = check(result.record, events=result.events)
        return {"file": key, **result_data(result, findings)}
    except InputError as exc:
        return {"file": key, "error": _reason(exc, path)}
    except Exception as exc:  # a rule or the encoder failed: say so on the line
        return {"file": key, "error": f"erreur inattendue ({type(exc).__name__} : {exc})"}


def _reason(exc: InputError, path: str) -> str:
    """The message without the file name in front (the line names the file)."""
    return str(exc).removeprefix(f"{exc.path or path} : ")


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the main process, which stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _workers_ignore_interrupts() -> Iterator[None]:
    """Ignore Ctrl-C while workers start (they are started on submit and inherit it),
    so that a worker still starting does not print a traceback; then restore it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Progress:
    """'[ 37/123]  30 %' on stderr: updated in place on a terminal, else a final line."""

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.live = stream.isatty()

    def _text(self) -> str:
        width = len(str(self.total))
        share = 100 * self.done // self.total if self.total else 100
        return f"[{self.done:>{width}}/{self.total}] {share:>3} %"

    def step(self) -> None:
        """One more document done."""
        self.done += 1
        if self.live:
            self.stream.write(f"\r{self._text()}")
            self.stream.flush()

    def close(self) -> None:
        """End the bar with its final state, on its own line."""
        self.stream.write(f"\r{self._text()}\n" if self.live else f"{self._text()}\n")
        self.stream.flush()


class Batch:
    """One run over a folder: writes each results line as soon as it is known."""

    def __init__(self, handle: IO[str], progress: Progress) -> None:
        self.handle = handle
        self.progress = progress
        self.new: list[Done] = []

    def write(self, entry: dict[str, Any]) -> None:
        """Append one line, flushed at once (an interruption loses nothing written)."""
        self.handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.handle.flush()
        self.new.append(Done.of(entry))
        self.progress.step()

    def run(self, jobs: Sequence[Job], workers: int) -> None:
        """Read `jobs` with `workers` processes; a document that kills its worker is
        read again alone, and recorded as a failure if it kills that one too."""
        broken = self._pool(jobs, workers)
        for job in broken:
            if self._pool([job], 1):
                self.write(
                    {
                        "file": job[0],
                        "error": "la lecture de ce document a arrêté brutalement le processus "
                        "de lecture (document endommagé, ou mémoire insuffisante)",
                    }
                )

    def _pool(self, jobs: Sequence[Job], workers: int) -> list[Job]:
        if not jobs:
            return []
        broken: list[Job] = []
        executor = ProcessPoolExecutor(
            max_workers=max(1, min(workers, len(jobs))),
            mp_context=get_context("spawn"),
            initializer=_ignore_interrupts,
        )
        try:
            with _workers_ignore_interrupts():
                futures: dict[Future[dict[str, Any]], Job] = {
                    executor.submit(read_entry, job): job for job in jobs
                }
            for future in as_completed(futures):
                try:
                    entry = future.result()
                except BrokenProcessPool:
                    broken.append(futures[future])
                    continue
                self.write(entry)
        except BaseException:
            _stop(executor)
            raise
        executor.shutdown()
        return broken


def _stop(executor: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the workers now (Ctrl-C)."""
    workers = dict(getattr(executor, "_processes", None) or {})
    executor.shutdown(wait=False, cancel_futures=True)
    for process in workers.values():
        if process.is_alive():
            process.terminate()


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
    counts = findings_by_code(every)
    if counts:
        lines.append(f"Constatations par code ({sum(counts.values())}) :")
        order = sorted(counts, key=lambda k: (_SEVERITY_ORDER.get(k[1], 9), -counts[k], k[0]))
        for code, severity in order:
            lines.append(f"  {code} ({_severity_label(severity)}) : {counts[(code, severity)]}")
    else:
        lines.append("Aucune constatation.")
    return "\n".join(lines) + "\n"


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


def _unique(entries: Iterable[dict[str, Any]]) -> Iterator[Done]:
    seen: set[str] = set()
    for entry in entries:
        if entry["file"] not in seen:
            seen.add(entry["file"])
            yield Done.of(entry)


def _read_folder(args: argparse.Namespace) -> int:
    if args.out is None:
        raise RegistreError(
            "pour lire un dossier, indiquez le fichier de résultats : "
            f"registre read {args.path} -o resultats.jsonl"
        )
    if args.format == "json":
        raise RegistreError(
            "--json ne s'applique qu'à un fichier ; pour un dossier, les résultats sont "
            "écrits en JSON Lines dans le fichier donné par -o"
        )
    folder, out = Path(args.path), Path(args.out)
    csv_path = args.findings_csv
    files = documents(folder, skip=[out, *([Path(csv_path)] if csv_path else [])])
    if not files:
        raise InputError(
            f"aucun document à lire dans ce dossier ({', '.join(DOCUMENT_SUFFIXES)})",
            path=str(folder),
        )
    earlier = list(_unique(previous_results(out)))
    known = {entry.file for entry in earlier}
    keys = [(path.relative_to(folder).as_posix(), path) for path in files]
    jobs: list[Job] = [(key, str(path), args.ocr_pages) for key, path in keys if key not in known]
    workers = args.workers or os.cpu_count() or 1
    skipped = len(files) - len(jobs)
    print(
        f"registre : {plural(len(jobs), 'document')} à lire"
        + (f" ({skipped} déjà dans {out})" if skipped else "")
        + f", {plural(min(workers, max(len(jobs), 1)), 'processus', 'processus')}",
        file=sys.stderr,
    )
    progress = Progress(len(jobs), sys.stderr)
    interrupted = False
    try:
        with out.open("a", encoding="utf-8", newline="\n") as handle:
            batch = Batch(handle, progress)
            try:
                batch.run(jobs, workers)
            except KeyboardInterrupt:
                interrupted = True
    except OSError as exc:
        raise InputError(
            f"écriture impossible : {_os_reason(exc, writing=True)}", path=str(out)
        ) from None
    if jobs:
        progress.close()
    every = [*earlier, *batch.new]
    if csv_path:
        write_findings_csv(csv_path, every)
    sys.stdout.write(
        summary(
            str(folder),
            str(out),
            found=len(files),
            skipped=skipped,
            new=batch.new,
            every=every,
            interrupted=interrupted,
        )
    )
    if csv_path:
        print(f"registre : constatations écrites dans {csv_path}", file=sys.stderr)
    return EXIT_INTERRUPTED if interrupted else EXIT_OK


# --- the command ---------------------------------------------------------------------


def run_read(args: argparse.Namespace) -> int:
    """`registre read`: read a document (report or JSON), or every document of a folder."""
    if os.path.isdir(args.path):
        return _read_folder(args)
    return _read_file(args)


def _count(minimum: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"« {text} » n'est pas un nombre entier") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} : au moins {minimum} attendu")
        return value

    return parse


READ_EPILOG = """\
Un fichier : le rapport en français (séance, présences, délibérations, doutes,
passages non interprétés, constatations, verdict), ou avec --json le document JSON
décrit par docs/read.schema.json (registre schema --read).
Code de sortie : 0 sans erreur, 1 si au moins une erreur, 2 si le document est illisible.

Un dossier (avec -o résultats.jsonl) : chaque document .pdf, .txt, .doc, .docx ou
.odt du dossier et de ses sous-dossiers, une ligne JSON par document (le même document
avec "file", chemin relatif au dossier ; ou {"file", "error"} s'il est illisible).
Chaque ligne est écrite dès que son document est lu : une exécution interrompue
reprend là où elle s'est arrêtée, sans relire ce qui est déjà dans le fichier.
Code de sortie : 0 (les échecs sont dans le fichier et le résumé), 2 si le dossier ou
le fichier de résultats est inutilisable, 130 si interrompu."""


def add_read(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `registre read` to the command's subparsers."""
    parser = commands.add_parser(
        "read",
        help="lit un document publié (PDF, texte, Word) ou un dossier, et le contrôle",
        description=(
            "Lit un extrait ou un procès-verbal publié (PDF, texte, Word .doc/.docx, .odt),\n"
            "ou tous ceux d'un dossier, et contrôle les séances lues au regard du CGCT."
        ),
        epilog=READ_EPILOG,
        formatter_class=FrenchHelpFormatter,
    )
    parser.add_argument("path", metavar="FICHIER|DOSSIER", help="le document, ou un dossier")
    _add_output_options(
        parser,
        "un fichier : écrit le rapport dans CHEMIN ; un dossier : le fichier de résultats "
        "(JSON Lines), complété s'il existe",
    )
    parser.add_argument(
        "--ocr-pages",
        metavar="N",
        type=_count(0),
        help="au plus N pages numérisées passées à la reconnaissance de caractères (défaut : toutes)",
    )
    parser.add_argument(
        "--workers",
        metavar="N",
        type=_count(1),
        help="dossier : nombre de processus de lecture (défaut : nombre de processeurs)",
    )
    parser.add_argument(
        "--findings-csv",
        metavar="CHEMIN",
        help="dossier : écrit aussi les constatations en CSV (une ligne par constatation, "
        "séparateur ;, UTF-8 avec BOM pour Excel)",
    )
    parser.set_defaults(run=run_read)
