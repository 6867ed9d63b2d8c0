"""The register on a real PostgreSQL 15: appends through the application's role,
which can neither update, delete nor drop the triggers; an owner who disables them
(session_replication_role = replica) is still caught by `verify`."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from pgserver import APP, OWNER, PgServer, start

from factories import fill_register
from registre.register import anchor, verify
from registre.register.chain import digest_of
from registre.register.postgres import PostgresStore, install


@pytest.fixture(scope="module")
def server() -> Iterator[PgServer]:
    started = start()
    if started is None:
        pytest.skip(
            "PostgreSQL n'est pas installé (apt-get install postgresql) : make test l'installe"
        )
    try:
        install(started.dsn(OWNER), APP)
        store = PostgresStore(started.dsn(APP))
        fill_register(store, 1000)
        store.close()
        yield started
    finally:
        started.stop()


def test_thousand_entries_verify_through_the_app_role(server: PgServer) -> None:
    store = PostgresStore(server.dsn(APP))
    try:
        result = verify(store.entries())
        assert result.ok and result.entries == 1000
        assert store.head("conseil") == (1000, result.heads["conseil"][1])
    finally:
        store.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE register_entry SET year = 1999",
        "DELETE FROM register_entry WHERE sequence = 5",
        "TRUNCATE register_entry",
        "DROP TRIGGER register_entry_append_only ON register_entry",
        "ALTER TABLE register_entry DISABLE TRIGGER ALL",
    ],
)
def test_app_role_cannot_change_the_register(server: PgServer, statement: str) -> None:
    with (
        psycopg.connect(server.dsn(APP), autocommit=True) as db,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        db.execute(statement)


def test_triggers_refuse_even_the_owner(server: PgServer) -> None:
    with psycopg.connect(server.dsn(OWNER), autocommit=True) as db:
        with pytest.raises(psycopg.errors.RaiseException, match="ajout seul"):
            db.execute("UPDATE register_entry SET year = 1999 WHERE sequence = 3")
        with pytest.raises(psycopg.errors.RaiseException, match="ajout seul"):
            db.execute("DELETE FROM register_entry WHERE sequence = 3")


def _as_attacker(server: PgServer, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Run statements as the owner with triggers off (session_replication_role = replica),
    in a transaction that is rolled back by the caller's `restore`."""
    db = psycopg.connect(server.dsn("postgres"), autocommit=False)
    db.execute("SET session_replication_role = replica")
    for sql, args in statements:
        db.execute(sql, args)
    return db  # type: ignore[return-value]


def test_tampering_with_triggers_off_is_located(server: PgServer) -> None:
    store = PostgresStore(server.dsn("postgres"))
    published = anchor(store, "conseil", "la liste des délibérations du 28 janvier 2023")
    entries = {e.sequence: e for e in store.entries()}
    store.close()
    cases = []
    changed = entries[421].payload.replace(b'"for":', b'"for":1', 1)
    cases.append(([("UPDATE register_entry SET payload = %s WHERE sequence = 421", (changed,))],
                  421, "contenu a été modifié"))  # fmt: skip
    cases.append(([("DELETE FROM register_entry WHERE sequence = 500", ())], 501, "n° 500 manque"))
    rehashed = digest_of(entries[1000].previous, entries[1000].header(), changed)
    cases.append(([("UPDATE register_entry SET payload = %s, digest = %s WHERE sequence = 1000",
                    (changed, rehashed))], 1000, "réécrit"))  # fmt: skip
    swap = [("UPDATE register_entry SET sequence = -1 WHERE sequence = 300", ()),
            ("UPDATE register_entry SET sequence = 300 WHERE sequence = 301", ()),
            ("UPDATE register_entry SET sequence = 301 WHERE sequence = -1", ())]  # fmt: skip
    cases.append((swap, 300, "lien vers l'écriture précédente"))
    cases.append((_rewrite_from(entries, 900), 1000, "réécrit"))
    for statements, sequence, problem in cases:
        db = _as_attacker(server, *statements)
        try:
            rows = PostgresStore.__new__(PostgresStore)
            rows.connection = db  # type: ignore[assignment]
            broken = verify(rows.entries(), (published,)).broken  # type: ignore[arg-type]
            assert broken is not None and broken.sequence == sequence and problem in broken.problem
        finally:
            db.rollback()
            db.close()


def _rewrite_from(entries: dict[int, object], start: int) -> list[tuple[str, tuple[object, ...]]]:
    """An attacker's rewrite: entry `start` changed, it and every later entry re-hashed."""
    statements = []
    previous = entries[start - 1].digest  # type: ignore[attr-defined]
    for sequence in range(start, max(entries) + 1):
        entry = entries[sequence]
        payload = entry.payload  # type: ignore[attr-defined]
        if sequence == start:
            payload = payload.replace(b'"for":', b'"for":1', 1)
        digest = digest_of(previous, entry.header(), payload)  # type: ignore[attr-defined]
        statements.append(("UPDATE register_entry SET payload = %s, previous = %s, digest = %s "
                           "WHERE sequence = %s", (payload, previous, digest, sequence)))  # fmt: skip
        previous = digest
    return statements
