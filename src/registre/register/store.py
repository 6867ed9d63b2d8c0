"""The register in SQLite: one table, append-only by triggers, one transaction an entry.

SQLite's atomic commit makes an interrupted append leave the register as it was
before it: the next start continues from the last complete entry.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from registre.register.chain import Entry, EntryKind

# The table and its indexes, the same in SQLite and PostgreSQL but for the payload's type.
TABLE = """
CREATE TABLE IF NOT EXISTS register_entry (
    assembly TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    year_number INTEGER NOT NULL,
    meeting TEXT NOT NULL,
    meeting_number INTEGER NOT NULL,
    entered_at TEXT NOT NULL,
    previous TEXT NOT NULL,
    digest TEXT NOT NULL,
    payload {binary} NOT NULL,
    PRIMARY KEY (assembly, sequence)
);
CREATE INDEX IF NOT EXISTS register_entry_year_number
    ON register_entry (assembly, kind, year, year_number);
CREATE INDEX IF NOT EXISTS register_entry_meeting_number
    ON register_entry (assembly, kind, meeting, meeting_number);
"""
SCHEMA = (
    TABLE.format(binary="BLOB")
    + """
CREATE TRIGGER IF NOT EXISTS register_entry_no_update BEFORE UPDATE ON register_entry
BEGIN SELECT RAISE(ABORT, 'registre : le registre ne se modifie pas (ajout seul)'); END;
CREATE TRIGGER IF NOT EXISTS register_entry_no_delete BEFORE DELETE ON register_entry
BEGIN SELECT RAISE(ABORT, 'registre : le registre ne se supprime pas (ajout seul)'); END;
"""
)
COLUMNS = (
    "assembly, sequence, kind, year, year_number, meeting, meeting_number, entered_at, "
    "previous, digest, payload"
)


class Store(Protocol):
    """Where a register is kept: SQLite here, PostgreSQL in `registre.register.postgres`."""

    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def head(self, assembly: str) -> tuple[int, str] | None: ...
    def last_number(
        self, assembly: str, *, year: int | None = None, meeting: str | None = None
    ) -> int: ...
    def insert(self, entry: Entry) -> None: ...
    def entries(self, assembly: str | None = None) -> Iterator[Entry]: ...


class SqlStore:
    """What SQLite and PostgreSQL share: the same table and queries; `MARK` is the
    driver's placeholder (`?` for sqlite3, `%s` for psycopg)."""

    MARK = "?"
    connection: Any

    def _sql(self, text: str) -> str:
        return text.replace("?", self.MARK)

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def commit(self) -> None:
        """Make the appended entry durable."""
        self.connection.execute("COMMIT")

    def rollback(self) -> None:
        """Abandon the transaction."""
        self.connection.execute("ROLLBACK")

    def head(self, assembly: str) -> tuple[int, str] | None:
        """The last entry's sequence and digest, or None for an empty chain."""
        row = self.connection.execute(
            self._sql("SELECT sequence, digest FROM register_entry WHERE assembly = ? "
                      "ORDER BY sequence DESC LIMIT 1"),
            (assembly,),
        ).fetchone()  # fmt: skip
        return (int(row[0]), str(row[1])) if row else None

    def last_number(
        self, assembly: str, *, year: int | None = None, meeting: str | None = None
    ) -> int:
        """The order number of the assembly's last deliberation in a year, or at a
        meeting (0 before the first); read from an index, so as fast at the
        100,000th entry as at the first."""
        column, value = ("year", year) if year is not None else ("meeting", meeting)
        query = (
            f"SELECT MAX({column}_number) FROM register_entry "
            f"WHERE assembly = ? AND kind = ? AND {column} = ?"
        )
        row = self.connection.execute(
            self._sql(query), (assembly, EntryKind.DELIBERATION.value, value)
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def insert(self, entry: Entry) -> None:
        """Write one entry (inside the caller's transaction)."""
        marks = ", ".join([self.MARK] * 11)
        self.connection.execute(
            f"INSERT INTO register_entry ({COLUMNS}) VALUES ({marks})",
            (entry.assembly, entry.sequence, entry.kind.value, entry.year, entry.year_number,
             entry.meeting, entry.meeting_number, entry.entered_at, entry.previous,
             entry.digest, entry.payload),
        )  # fmt: skip

    def _rows(self, query: str, args: tuple[object, ...]) -> Iterable[Any]:
        return self.connection.execute(query, args)  # type: ignore[no-any-return]

    def entries(self, assembly: str | None = None) -> Iterator[Entry]:
        """Every entry, by assembly then sequence (one assembly's when given)."""
        where, args = ("WHERE assembly = ?", (assembly,)) if assembly else ("", ())
        query = f"SELECT {COLUMNS} FROM register_entry {where} ORDER BY assembly, sequence"
        for row in self._rows(self._sql(query), args):
            yield Entry(
                assembly=row[0], sequence=row[1], kind=EntryKind(row[2]), year=row[3],
                year_number=row[4], meeting=row[5], meeting_number=row[6], entered_at=row[7],
                previous=row[8], digest=row[9], payload=bytes(row[10]),
            )  # fmt: skip


class SqliteStore(SqlStore):
    """A register kept in a SQLite file (the application's database)."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        """Open (and create) a register; `read_only` for auditors: nothing is written,
        and a database without a register is an error (sqlite3.DatabaseError)."""
        if read_only:
            uri = f"{Path(path).resolve().as_uri()}?mode=ro"
            self.connection = sqlite3.connect(uri, uri=True, isolation_level=None)
            self.connection.execute("SELECT 1 FROM register_entry LIMIT 1").fetchall()
            return
        # isolation_level=None: transactions are begun explicitly (BEGIN IMMEDIATE)
        self.connection = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=FULL")
        self.connection.executescript(SCHEMA)

    def begin(self) -> None:
        """Start a write transaction that holds the register until commit."""
        self.connection.execute("BEGIN IMMEDIATE")
