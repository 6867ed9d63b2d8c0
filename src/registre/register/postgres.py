"""The register in PostgreSQL: the same table, append-only twice over.

- Triggers refuse UPDATE and DELETE, whoever runs them.
- The application connects with a role that is not the table's owner and is
  granted only SELECT and INSERT: it cannot drop the triggers either.
Appends take an advisory lock so that two writers never chain onto the same head.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg

from registre.register.chain import Entry, EntryKind
from registre.register.store import COLUMNS

_APPEND_LOCK = 0x72656769  # "regi": the key of the appenders' advisory lock
SCHEMA = """
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
    payload BYTEA NOT NULL,
    PRIMARY KEY (assembly, sequence)
);
CREATE INDEX IF NOT EXISTS register_entry_year ON register_entry (assembly, kind, year);
CREATE INDEX IF NOT EXISTS register_entry_meeting ON register_entry (assembly, kind, meeting);
CREATE OR REPLACE FUNCTION register_entry_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'registre : le registre ne se modifie ni ne se supprime (ajout seul)';
END $$;
DROP TRIGGER IF EXISTS register_entry_append_only ON register_entry;
CREATE TRIGGER register_entry_append_only BEFORE UPDATE OR DELETE ON register_entry
    FOR EACH ROW EXECUTE FUNCTION register_entry_refuse();
DROP TRIGGER IF EXISTS register_entry_no_truncate ON register_entry;
CREATE TRIGGER register_entry_no_truncate BEFORE TRUNCATE ON register_entry
    FOR EACH STATEMENT EXECUTE FUNCTION register_entry_refuse();
"""


def install(owner_dsn: str, app_role: str) -> None:
    """Create the table as its owner, and let `app_role` read and append only."""
    with psycopg.connect(owner_dsn, autocommit=True) as connection:
        connection.execute(SCHEMA)
        connection.execute(f'REVOKE ALL ON register_entry FROM "{app_role}"')
        connection.execute(f'GRANT SELECT, INSERT ON register_entry TO "{app_role}"')


class PostgresStore:
    """A register kept in PostgreSQL, used through the application's role."""

    def __init__(self, dsn: str) -> None:
        self.connection = psycopg.connect(dsn, autocommit=True)

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def begin(self) -> None:
        """Start a transaction holding the right to append until commit."""
        self.connection.execute("BEGIN")
        # an advisory lock: LOCK TABLE in a mode that excludes other writers needs the
        # UPDATE or DELETE privilege, which the application's role must not have
        self.connection.execute("SELECT pg_advisory_xact_lock(%s)", (_APPEND_LOCK,))

    def commit(self) -> None:
        """Make the appended entry durable."""
        self.connection.execute("COMMIT")

    def rollback(self) -> None:
        """Abandon the transaction."""
        self.connection.execute("ROLLBACK")

    def head(self, assembly: str) -> tuple[int, str] | None:
        """The last entry's sequence and digest, or None for an empty chain."""
        row = self.connection.execute(
            "SELECT sequence, digest FROM register_entry WHERE assembly = %s "
            "ORDER BY sequence DESC LIMIT 1",
            (assembly,),
        ).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def count(self, assembly: str, *, year: int | None = None, meeting: str | None = None) -> int:
        """How many deliberations the assembly has entered in a year, or at a meeting."""
        column, value = ("year", year) if year is not None else ("meeting", meeting)
        row = self.connection.execute(
            f"SELECT COUNT(*) FROM register_entry WHERE assembly = %s AND kind = %s AND {column} = %s",
            (assembly, EntryKind.DELIBERATION.value, value),
        ).fetchone()
        return int(row[0]) if row else 0

    def insert(self, entry: Entry) -> None:
        """Write one entry (inside the caller's transaction)."""
        self.connection.execute(
            f"INSERT INTO register_entry ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (entry.assembly, entry.sequence, entry.kind.value, entry.year, entry.year_number,
             entry.meeting, entry.meeting_number, entry.entered_at, entry.previous,
             entry.digest, entry.payload),
        )  # fmt: skip

    def entries(self, assembly: str | None = None) -> Iterator[Entry]:
        """Every entry, by assembly then sequence (one assembly's when given)."""
        where, args = ("WHERE assembly = %s", (assembly,)) if assembly else ("", ())
        query = f"SELECT {COLUMNS} FROM register_entry {where} ORDER BY assembly, sequence"
        # streamed row by row: a register of a million entries is not held in memory
        for row in self.connection.cursor().stream(query, args):
            yield Entry(
                assembly=row[0], sequence=row[1], kind=EntryKind(row[2]), year=row[3],
                year_number=row[4], meeting=row[5], meeting_number=row[6],
                entered_at=row[7], previous=row[8], digest=row[9], payload=bytes(row[10]),
            )  # fmt: skip
