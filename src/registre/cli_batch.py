"""`registre read DOSSIER -o résultats.jsonl`: read every document of a folder.

The documents under the folder are read in parallel processes; each results line
is written as soon as its document is read (`cli_batch_results`), so that an
interrupted run started again does not read twice what is already in the file.
Progress goes to stderr, then the French summary to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Any

from registre.cli import EXIT_OK, _os_reason
from registre.cli_batch_results import (
    Done,
    previous_results,
    summary,
    unique_done,
    write_findings_csv,
)
from registre.cli_document import DOCUMENT_SUFFIXES, EXIT_INTERRUPTED, read_document
from registre.errors import InputError, RegistreError
from registre.rules import check
from registre.rules.context import plural

# --- finding the documents -----------------------------------------------------------


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


# --- reading them in worker processes ------------------------------------------------


Job = tuple[str, str, int | None, bool]  # (file key, path, OCR page limit, use attached record)


def read_entry(job: Job) -> dict[str, Any]:
    """Read and check one document: its results line (never raises for the document)."""
    from registre.extracts.output import result_data  # noqa: PLC0415 (see cli_document)

    key, path, ocr_pages, embedded = job
    try:
        result = read_document(path, ocr_page_limit=ocr_pages, embedded=embedded)
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


# --- the run -------------------------------------------------------------------------


def _check_folder_options(args: argparse.Namespace) -> None:
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


def _folder_documents(folder: Path, out: Path, csv_path: str | None) -> list[Path]:
    """The documents to read, leaving out the results file and the CSV if inside."""
    files = documents(folder, skip=[out, *([Path(csv_path)] if csv_path else [])])
    if not files:
        raise InputError(
            f"aucun document à lire dans ce dossier ({', '.join(DOCUMENT_SUFFIXES)})",
            path=str(folder),
        )
    return files


def _jobs(
    folder: Path, files: Sequence[Path], known: set[str], ocr_pages: int | None, embedded: bool
) -> list[Job]:
    """The documents not yet in the results file, keyed by their path in the folder."""
    keys = [(path.relative_to(folder).as_posix(), path) for path in files]
    return [(key, str(path), ocr_pages, embedded) for key, path in keys if key not in known]


def _announce(jobs: int, skipped: int, out: Path, workers: int) -> None:
    print(
        f"registre : {plural(jobs, 'document')} à lire"
        + (f" ({skipped} déjà dans {out})" if skipped else "")
        + f", {plural(min(workers, max(jobs, 1)), 'processus', 'processus')}",
        file=sys.stderr,
    )


def _run_batch(out: Path, jobs: Sequence[Job], workers: int) -> tuple[list[Done], bool]:
    """Read `jobs` into `out`: the new lines' summaries, and whether Ctrl-C stopped it."""
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
    return batch.new, interrupted


def read_folder(args: argparse.Namespace) -> int:
    """`registre read DOSSIER -o résultats.jsonl`: read what is not read yet, summarise."""
    _check_folder_options(args)
    folder, out = Path(args.path), Path(args.out)
    csv_path = args.findings_csv
    files = _folder_documents(folder, out, csv_path)
    earlier = list(unique_done(previous_results(out)))
    jobs = _jobs(
        folder, files, {entry.file for entry in earlier}, args.ocr_pages, not args.ignore_embedded
    )
    workers = args.workers or os.cpu_count() or 1
    skipped = len(files) - len(jobs)
    _announce(len(jobs), skipped, out, workers)
    new, interrupted = _run_batch(out, jobs, workers)
    every = [*earlier, *new]
    if csv_path:
        write_findings_csv(csv_path, every)
    sys.stdout.write(
        summary(
            str(folder),
            str(out),
            found=len(files),
            skipped=skipped,
            new=new,
            every=every,
            interrupted=interrupted,
        )
    )
    if csv_path:
        print(f"registre : constatations écrites dans {csv_path}", file=sys.stderr)
    return EXIT_INTERRUPTED if interrupted else EXIT_OK
