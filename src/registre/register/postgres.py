"""The register in PostgreSQL: the same table, append-only twice over.

- Triggers refuse UPDATE and DELETE, whoever runs them.
- The application connects with a role that is not the table's owner and is
  granted only SELECT and INSERT: it cannot drop the triggers either.
Appends take an advisory lock so that two writers never chain onto the same head.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg

from registre.register.store import TABLE, SqlStore

_APPEND_LOCK = 0x72656769  # "regi": the key of the appenders' advisory lock
SCHEMA = (
    TABLE.format(binary="BYTEA")
    + """
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
)


def install(owner_dsn: str, app_role: str) -> None:
    """Create the table as its owner, and let `app_role` read and append only."""
    with psycopg.connect(owner_dsn, autocommit=True) as connection:
        connection.execute(SCHEMA)
        connection.execute(f'REVOKE ALL ON register_entry FROM "{app_role}"')
        connection.execute(f'GRANT SELECT, INSERT ON register_entry TO "{app_role}"')


class PostgresStore(SqlStore):
    """A register kept in PostgreSQL, used through the application's role."""

    MARK = "%s"

    def __init__(self, dsn: str) -> None:
        self.connection = psycopg.connect(dsn, autocommit=True)

    def begin(self) -> None:
        """Start a transaction holding the right to append until commit."""
        self.connection.execute("BEGIN")
        # an advisory lock: LOCK TABLE in a mode that excludes other writers needs the
        # UPDATE or DELETE privilege, which the application's role must not have
        self.connection.execute("SELECT pg_advisory_xact_lock(%s)", (_APPEND_LOCK,))

    def _rows(self, query: str, args: tuple[object, ...]) -> Iterable[Any]:
        # streamed row by row: a register of a million entries is not held in memory
        return self.connection.cursor().stream(query, args)  # type: ignore[no-any-return]
