"""PostgreSQL's side of `bulk_load`: the acts' search rows written with the acts, their
vectors made of lexemes PostgreSQL gave for each distinct chunk of text, and, around a
large load, what PostgreSQL keeps up to date row by row (indexes, foreign keys,
autovacuum) put off to its end."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import multiprocessing.util as mp_util
import os
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connections

from registre.web.publication.models import PublishedAct

# the indexes are built again as the migration that made them wrote them; the
# vectors are the trigger's (migration 0006)
schema = importlib.import_module("registre.web.publication.migrations.0002_search")
lexemes = importlib.import_module("registre.web.publication.migrations.0006_search_vector_lexemes")
chained = itertools.chain.from_iterable
# a search row without its act's id: (meeting_date, number, vector)
SearchRow = tuple[dt.date, str, bytes]


class Lexemes:
    """The search vector of acts, as the trigger computes it (`strip(to_tsvector(
    'registre_fr', …))`), from the lexemes of each chunk of their text between
    spaces, asked of PostgreSQL once per distinct chunk.

    Why it is the same vector: once the signs are spaces (migration 0005), PostgreSQL's
    parser makes no token across a space, and each token's lexemes depend on it alone,
    so a text's lexemes are the union of its chunks'; without positions (migration
    0006), that union is the vector. Why: `to_tsvector` parses each act's kilobyte
    anew, 220–350 µs; a chunk's lexemes are looked up here in a fraction of a µs, and
    an archive's acts share most of their chunks (tests/web/test_publication_bulk.py
    compares both on generated texts of every kind of character).

    A vector is made in tsvector's binary form, which PostgreSQL reads as it is (its
    text form, each lexeme quoted, cost it 38 µs an act to parse). In the process that
    made it, the lexemes are asked on the thread's connection; in a forked worker
    process, on a connection of its own (the parent's is not shared)."""

    LIMIT = 1 << 18  # chunks kept at most: a bound on memory, the vocabulary asked again

    def __init__(self, using: str) -> None:
        self.using, self.parent = using, os.getpid()
        self.known: dict[str, tuple[bytes, ...]] = {}  # a chunk: its lexemes' entries
        self.own: Any = None  # a worker process's connection

    def vectors(self, texts: Sequence[str]) -> list[bytes]:
        """The vector of each text, in tsvector's binary form."""
        get, vectors = self.known.__getitem__, []
        missed: list[int] = []
        for n, text in enumerate(texts):
            try:  # (each step in C: half the time of `set().union(*…)`)
                vectors.append(_binary(set(chained(map(get, text.split())))))
            except KeyError:  # a chunk never seen: asked with the batch's others
                vectors.append(b"")
                missed.append(n)
        if missed:
            self._learn({chunk for n in missed for chunk in texts[n].split()})
            for n in missed:
                vectors[n] = _binary(set(chained(map(get, texts[n].split()))))
        return vectors

    def _learn(self, chunks: set[str]) -> None:
        if len(self.known) + len(chunks) > self.LIMIT:
            self.known.clear()
        with self._cursor() as cursor:
            cursor.execute(lexemes.CHUNK_LEXEMES, [list(chunks)])
            for chunk, found in cursor.fetchall():
                self.known[chunk] = tuple(map(_entry, found))

    def _cursor(self) -> Any:
        if os.getpid() == self.parent:
            return connections[self.using].cursor()
        if self.own is None:
            wrapper = connections[self.using]
            self.own = wrapper.Database.connect(**wrapper.get_connection_params(), autocommit=True)
            # closed as the worker ends (its exit runs these, not `atexit`)
            mp_util.Finalize(self, self.own.close, exitpriority=0)
        return self.own.cursor()


_LEXEMES: dict[str, Lexemes] = {}  # per database: kept from batch to batch


def vectors_of(using: str, batch: Sequence[Sequence[str]]) -> list[bytes]:
    """The search vector of each act of `batch` (its subject, matter, statement and
    operative part), in tsvector's binary form; what a worker process of `bulk_load`
    is sent."""
    if (found := _LEXEMES.get(using)) is None:
        found = _LEXEMES[using] = Lexemes(using)
    return found.vectors([" ".join(texts) for texts in batch])


def _entry(lexeme: str) -> bytes:
    """A lexeme in tsvector's binary form: its text, a NUL, no positions (a 16-bit 0).
    PostgreSQL sorts the entries as it reads them."""
    return lexeme.encode() + b"\x00\x00\x00"


_COUNT = struct.Struct(">i").pack


def _binary(entries: set[bytes]) -> bytes:
    return _COUNT(len(entries)) + b"".join(entries)


class PostgresIndexing:
    """For the block, the trigger that indexes each act is off; instead the writer
    writes each batch's search rows (`search_rows`) with its acts, in the same
    transaction; then the trigger is back.

    With `defer_index`, what PostgreSQL would otherwise keep up to date row by row is
    put off to the end, where each is made in one pass (`Deferred`): the indexes of
    both tables but the unique ones (the GIN index of the search kept up to date cost
    more than the load's whole writing; the acts' six others, 26 µs an act), the
    acts' foreign keys (checked at each commit row by row: 22 µs an act; checked at
    the end in one join), and autovacuum (the tables are vacuumed at the end)."""

    def __init__(self, using: str, defer_index: bool) -> None:
        # inside a transaction that wrote acts, PostgreSQL refuses to turn a trigger
        # off or to build an index (their foreign keys' checks wait for the commit):
        # the trigger then indexes them, and the indexes stay
        self.toggle = not connections[using].in_atomic_block
        self.using, self.defer_index = using, defer_index and self.toggle
        self.deferred: Deferred | None = None
        self.references: References | None = None

    def __enter__(self) -> PostgresIndexing:
        with connections[self.using].cursor() as cursor:
            if self.toggle:
                cursor.execute(f"ALTER TABLE {schema.TABLE} DISABLE TRIGGER {schema.INDEX}_sync")
            if self.defer_index:
                self.deferred = Deferred.of(cursor)
                self.references = References(self.using)
                self.deferred.drop(cursor)
        return self

    def check(self, acts: Sequence[PublishedAct]) -> None:
        """While the foreign keys are off, raise IntegrityError for an act whose
        reference a key would refuse (before its batch is written)."""
        if self.references is not None:
            self.references.check(acts)

    def __exit__(self, *exc: object) -> None:
        try:
            if self.toggle:
                with connections[self.using].cursor() as cursor:
                    cursor.execute(f"ALTER TABLE {schema.TABLE} ENABLE TRIGGER {schema.INDEX}_sync")
        finally:
            if self.deferred is not None:
                self.deferred.restore(self.using)


class References:
    """The acts' references checked as their foreign keys would, against the ids of
    the tables they point to, read once (and read again for one not found, which may
    have been made since): a bad act stops the load before its batch is written,
    as the key did at the batch's commit, instead of at the key's check at the end."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.fields = [f for f in PublishedAct._meta.concrete_fields if f.is_relation]
        self.known = {f.attname: set(f.related_model._base_manager.using(using)
                                     .values_list("pk", flat=True)) for f in self.fields}  # fmt: skip

    def check(self, acts: Sequence[PublishedAct]) -> None:
        """Raise IntegrityError for the first act of `acts` that points nowhere."""
        for field in self.fields:
            known = self.known[field.attname]
            for act in acts:
                value = getattr(act, field.attname)
                if value in known or value is None:  # None: the column refuses it
                    continue
                if (
                    not field.related_model._base_manager.using(self.using)
                    .filter(pk=value)
                    .exists()
                ):
                    raise IntegrityError(
                        f"Acte n° {act.number} : {field.verbose_name} n° {value} introuvable ; "
                        "le chargement s'arrête sans écrire cet acte ni son lot."
                    )
                known.add(value)


TABLES = (schema.TABLE, schema.INDEX)  # the acts', the search's
# (table, name, definition) of the indexes dropped for a load: not unique, not a key
DROPPABLE = (
    "SELECT t.relname, c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
    "WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace "
    "AND NOT i.indisunique AND NOT i.indisprimary ORDER BY c.relname"
)
FOREIGN_KEYS = (
    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname"
)


@dataclass
class Deferred:
    """What a load puts off: indexes (table, name, definition), the acts' foreign
    keys (name, definition)."""

    indexes: list[tuple[str, str, str]]
    foreign_keys: list[tuple[str, str]]

    @classmethod
    def of(cls, cursor: Any) -> Deferred:
        """What the database has now."""
        cursor.execute(DROPPABLE, [list(TABLES)])
        indexes = list(cursor.fetchall())
        cursor.execute(FOREIGN_KEYS, [schema.TABLE])
        return cls(indexes, list(cursor.fetchall()))

    def drop(self, cursor: Any) -> None:
        """Drop the indexes and foreign keys; autovacuum off on both tables."""
        for table in TABLES:
            cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = off)")
        for _, name, _ in self.indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        for name, _ in self.foreign_keys:
            cursor.execute(f'ALTER TABLE {schema.TABLE} DROP CONSTRAINT IF EXISTS "{name}"')

    def restore(self, using: str) -> None:
        """Build again what `drop` dropped, check the foreign keys, vacuum and analyse
        both tables (pages all-visible for the listing's index-only scans, statistics
        for the planner), autovacuum back: the GIN indexes (the longest, by far) on a
        thread and a connection of their own, the rest here, side by side."""
        gin = [d for _, _, d in self.indexes if " USING gin " in d]
        rest = [d for _, _, d in self.indexes if d not in gin]
        keys = [f'ALTER TABLE {schema.TABLE} ADD CONSTRAINT "{name}" {definition} NOT VALID'
                for name, definition in self.foreign_keys]  # fmt: skip
        # a key is valid for new rows at once; checked for the rows there in one pass,
        # it stays (not valid) if one row fails, and the error is raised
        checks = [f'ALTER TABLE {schema.TABLE} VALIDATE CONSTRAINT "{name}"'
                  for name, _ in self.foreign_keys]  # fmt: skip
        # each table's own statements on one connection: a table's indexes, its
        # vacuum, its settings wait for each other (their locks conflict)
        _side_by_side(
            using,
            [*gin, *_vacuumed(schema.INDEX)],
            [*rest, *keys, *checks, *_vacuumed(schema.TABLE)],
        )


def _vacuumed(table: str) -> list[str]:
    return [f"VACUUM ANALYZE {table}", f"ALTER TABLE {table} RESET (autovacuum_enabled)"]


def search_rows(acts: Sequence[PublishedAct], vectors: Sequence[bytes]) -> list[SearchRow | None]:
    """Each act's search row (None for a withdrawn act, which is not searched)."""
    return [
        None if act.withdrawn_at is not None else (act.meeting_date, act.number, vector)
        for act, vector in zip(acts, vectors, strict=True)
    ]


def copy_acts(cursor: Any, columns: str, rows: Sequence[list[Any]],
              search: Sequence[SearchRow | None] | None) -> None:  # fmt: skip
    """(In the writer's transaction, on a psycopg cursor) write `rows` as new acts by
    COPY; with `search`, each act under an id taken from the table's sequence, and its
    search row beside it."""
    table = schema.TABLE
    if search is None:
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                   "FROM generate_series(1, %s)", [len(rows)])  # fmt: skip
    ids = [id_ for (id_,) in cursor.fetchall()]
    with cursor.copy(f"COPY {table} (id, {columns}) FROM STDIN") as copy:
        for id_, row in zip(ids, rows, strict=True):
            copy.write_row([id_, *row])
    with cursor.copy(f"COPY {schema.INDEX} (act_id, meeting_date, number, vector) "
                     "FROM STDIN (FORMAT BINARY)") as copy:  # fmt: skip
        # the vector's bytes sent as they are, read by tsvector's binary input
        copy.set_types(["int8", "date", "text", "bytea"])
        for id_, found in zip(ids, search, strict=True):
            if found is not None:
                copy.write_row((id_, *found))


def _side_by_side(using: str, there: list[str], here: list[str]) -> None:
    """Run `there` on a thread and a connection of its own, `here` on this one."""
    failures: list[BaseException] = []

    def run_there() -> None:
        try:
            _run(using, there)
        except BaseException as failure:  # given to the caller's thread
            failures.append(failure)
        finally:
            connections[using].close()

    thread = threading.Thread(target=run_there, daemon=True)
    thread.start()
    try:
        _run(using, here)
    finally:
        thread.join()
    if failures:
        raise failures[0]


def _run(using: str, statements: list[str]) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")  # an index in one pass
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("RESET maintenance_work_mem")
