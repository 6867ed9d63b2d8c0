"""Benchmark of `registre.register` (run with `.venv/bin/python benchmarks/register.py`).

1. Appending: deliberations entered per second, one transaction each, in SQLite
   (a file, WAL, synchronous=FULL) and, when PostgreSQL is installed, in a server
   started for the run (through the application's role); `--inside N` entries each
   (objective on SQLite: 1,000 entries/s).
2. Verifying an exported register of `--entries N` entries of 4 KB each (default
   1,000,000, 4 GB; `--quick` 20,000), with `verify_export`, against
   `openssl dgst -sha256` over the same file (the floor: one SHA-256 over the
   bytes, no chain, no parsing); objective: within 2× of openssl.

Pinned to one core; best of rounds; prints « OK » or « SOUS L'OBJECTIF »; exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "register"))

from registre.register import (
    Entry,
    EntryKind,
    SqliteStore,
    export_lines,
    verify_export,
)
from registre.register.chain import GENESIS, digest_of
from timing import Row, pin_one_core, print_rows

APPEND_TARGET = 1000.0  # entries/s on SQLite
VERIFY_RATIO = 2.0  # verify_export time / openssl time
PAYLOAD = 4096


def write_export(path: Path, count: int) -> None:
    """An exported register of `count` chained entries with 4 KB payloads."""
    previous = GENESIS
    filler = b'{"deliberations":[],"text":"' + b"x" * (PAYLOAD - 40) + b'"}'
    with path.open("wb") as out:
        for sequence in range(1, count + 1):
            entry = Entry(
                assembly="conseil", sequence=sequence, kind=EntryKind.DELIBERATION,
                year=2023, year_number=sequence, meeting="2023-11-23", meeting_number=sequence,
                entered_at="2023-11-23T18:00:00.000000+00:00", previous=previous, digest="",
                payload=filler,
            )  # fmt: skip
            digest = digest_of(previous, entry.header(), filler)
            line = next(export_lines([Entry(**{**_fields(entry), "digest": digest})]))
            out.write(line + b"\n")
            previous = digest


def _fields(entry: Entry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in Entry.__slots__}  # type: ignore[attr-defined]


def best(fn: object, rounds: int) -> float:
    """The best wall time of `rounds` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def append_rate(make_store: object, count: int) -> float:
    """Entries appended per second into a fresh store (the records made before timing)."""
    from factories import FakeClock, register_items  # noqa: PLC0415
    from registre.register import append_deliberation  # noqa: PLC0415

    items, clock = register_items(count), FakeClock()
    store = make_store()  # type: ignore[operator]
    start = time.perf_counter()
    for record, number in items:
        append_deliberation(store, "conseil", record, number, clock)
    elapsed = time.perf_counter() - start
    store.close()
    return count / elapsed


def fsync_floor(folder: Path, count: int, size: int) -> float:
    """Writes of `size` bytes, each made durable by fsync, per second: the ceiling of
    any store that makes each entry durable before the next (SQLite's FULL)."""
    block = os.urandom(size)
    with (folder / "fsync.bin").open("ab") as out:
        start = time.perf_counter()
        for _ in range(count):
            out.write(block)
            out.flush()
            os.fsync(out.fileno())
        elapsed = time.perf_counter() - start
    (folder / "fsync.bin").unlink()
    return count / elapsed


def batch_rate(make_store: object, count: int, batch: int) -> float:
    """Entries appended per second, `batch` to a transaction (an import)."""
    from factories import FakeClock, register_items  # noqa: PLC0415
    from registre.register import append_deliberations  # noqa: PLC0415

    items, clock = register_items(count), FakeClock()
    store = make_store()  # type: ignore[operator]
    start = time.perf_counter()
    for first in range(0, count, batch):
        append_deliberations(store, "conseil", items[first : first + batch], clock)
    elapsed = time.perf_counter() - start
    store.close()
    return count / elapsed


def measure_appends(folder: Path, count: int) -> list[Row]:
    rows = [Row("Ajout SQLite (fichier, WAL, synchronous=FULL)",
                append_rate(lambda: SqliteStore(folder / "r.sqlite"), count), "écritures/s",
                APPEND_TARGET, f"{count} écritures, une transaction chacune")]  # fmt: skip
    rows.append(Row("Ajout SQLite par lots de 100 (import)",
                    batch_rate(lambda: SqliteStore(folder / "lots.sqlite"), count, 100),
                    "écritures/s", note="une transaction durable par lot"))  # fmt: skip
    rows.append(Row("Plancher du disque : écrire 31 ko + fsync", fsync_floor(folder, 2000, 31_000),
                    "écritures/s", note="ce qu'une écriture durable par entrée permet ici"))  # fmt: skip
    import pgserver  # noqa: PLC0415

    server = pgserver.start()
    if server is None:
        return [*rows, Row("Ajout PostgreSQL", None, "écritures/s", note="non installé")]
    try:
        from registre.register.postgres import PostgresStore, install  # noqa: PLC0415

        install(server.dsn(pgserver.OWNER), pgserver.APP)
        rate = append_rate(lambda: PostgresStore(server.dsn(pgserver.APP)), count)
        rows.append(Row("Ajout PostgreSQL 15 (rôle applicatif)", rate, "écritures/s",
                        note=f"{count} écritures, serveur local, fsync=off"))  # fmt: skip
    finally:
        server.stop()
    return rows


def measure_verify(folder: Path, count: int, rounds: int) -> tuple[list[Row], float | None]:
    path = folder / "registre.jsonl"
    write_export(path, count)
    size = path.stat().st_size
    ours = best(lambda: _must_verify(path), rounds)
    rows = [Row("Vérification verify_export", count / ours, "écritures/s",
                note=f"{count} écritures de 4 ko, {size / 1e9:.2f} Go, {size / ours / 1e6:.0f} Mo/s")]  # fmt: skip
    if shutil.which("openssl") is None:
        return [*rows, Row("openssl dgst -sha256", None, "écritures/s", note="non installé")], None
    floor = best(lambda: subprocess.run(["openssl", "dgst", "-sha256", str(path)], check=True,
                                        capture_output=True), rounds)  # fmt: skip
    rows.append(Row("openssl dgst -sha256 (le plancher)", count / floor, "écritures/s",
                    note=f"{size / floor / 1e6:.0f} Mo/s, mêmes octets"))  # fmt: skip
    return rows, ours / floor


def _must_verify(path: Path) -> None:
    result = verify_export(path)
    if not result.ok:
        raise SystemExit(f"registre exporté rompu : {result.broken}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 000 écritures, un tour")
    parser.add_argument("--entries", type=int, default=1_000_000, help="écritures vérifiées")
    parser.add_argument("--inside", type=int, default=2000, help="écritures ajoutées par base")
    args = parser.parse_args(argv)
    entries, inside, rounds = (20_000, 500, 1) if args.quick else (args.entries, args.inside, 3)
    core = pin_one_core()
    with tempfile.TemporaryDirectory(prefix="registre-bench-") as tmp:
        rows = measure_appends(Path(tmp), inside)
        verify_rows, ratio = measure_verify(Path(tmp), entries, rounds)
    print(f"Registre : 1 cœur = {core} ; meilleur de {rounds} ; charge moyenne "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    print_rows(rows + verify_rows)
    state = (
        "NON MESURÉ" if ratio is None else ("OK" if ratio <= VERIFY_RATIO else "SOUS L'OBJECTIF")
    )
    shown = "—" if ratio is None else f"{ratio:.2f}×"
    print(
        f"Rapport temps verify_export / openssl : {shown} (objectif <= {VERIFY_RATIO:g}×) — {state}"
    )
    for row in rows[:2]:  # one durable commit per entry, then per batch of 100
        rate = row.rate or 0.0
        print(f"Objectif ajout SQLite (>= {APPEND_TARGET:g} écritures/s), {row.label} : "
              f"{rate:.0f} — {'OK' if rate >= APPEND_TARGET else 'SOUS L’OBJECTIF'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
