"""Loading many published acts at once (an archive's import, the portal's benchmark).

`bulk_load` writes the acts in batches, one transaction and one `executemany` each
(what `bulk_create` does, without its SQLite limit of 999 parameters a statement,
which cuts a batch into INSERTs of 30 rows; `COPY` on PostgreSQL), and builds their
search index in bulk. On SQLite the stemmed words are computed here, and the FTS5
index of the days loaded is built in one statement at the end (the triggers that
index a day at each write are off meanwhile: a write by someone else during the load
is indexed only if its day is among them). On PostgreSQL likewise, the trigger that
indexes each act is off and the acts loaded are indexed in one statement at the end
(an act another writer changes during the load is not); with `defer_index=True`,
the GIN and listing indexes are also dropped for the load and built once at the end
(much faster than keeping them up to date row by row, but the search is slow until
they are back: for a first load or a quiet night). A progress bar goes to stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import itertools
import queue
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from django.db import connections, models, transaction

from registre.web.publication.models import PublishedAct
from registre.web.publication.search import index_text

# the indexes are built again as the migration that made them wrote them
schema = importlib.import_module("registre.web.publication.migrations.0002_search")


class Progress:
    """A one-line progress bar: count, share of the total, rate; redrawn at most
    every half second, on a stream (None: silent)."""

    def __init__(self, total: int | None, stream: TextIO | None, label: str = "chargement") -> None:
        self.total, self.stream, self.label = total, stream, label
        self.done, self.start, self.drawn = 0, time.perf_counter(), 0.0

    def advance(self, count: int) -> None:
        """`count` more done."""
        self.done += count
        now = time.perf_counter()
        if now - self.drawn >= 0.5 or self.done == self.total:
            self.drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        if self.stream is None:
            return
        rate = self.done / max(now - self.start, 1e-9)
        share = f" / {self.total:,} ({self.done / self.total:.0%})" if self.total else ""
        line = f"\r{self.label} : {self.done:,}{share} — {rate:,.0f} actes/s".replace(",", " ")
        self.stream.write(line)
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.stream is not None and self.done:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()


def batched(items: Iterable[PublishedAct], size: int) -> Iterator[list[PublishedAct]]:
    """`items` in lists of `size` (the last one shorter)."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def bulk_load(
    acts: Iterable[PublishedAct], *, total: int | None = None, batch_size: int = 2000,
    defer_index: bool = False, progress: TextIO | None = sys.stderr, using: str = "default",
) -> int:  # fmt: skip
    """Write `acts` (new, unsaved) in batches and index them for the search; the
    number written. `total`, when known, sizes the progress bar.

    Outside a transaction, a second thread writes each batch (on its own
    connection, one transaction a batch) while this one prepares the next: the
    database's work (FTS5 or `to_tsvector`, indexes) runs beside Python's. Inside
    one, the batches are written here, in the caller's transaction."""
    connection = connections[using]
    sqlite = connection.vendor == "sqlite"
    bar = Progress(total, progress)
    days: set[dt.date] = set()
    deferred: contextlib.AbstractContextManager[None]
    if sqlite:
        deferred = _days_indexed_after(using, days)
    else:
        deferred = _rows_indexed_after(using, defer_index)
    writer = _Writer(using, threaded=not connection.in_atomic_block)
    try:
        with deferred, writer:
            for batch in batched(acts, batch_size):
                if sqlite:
                    for act in batch:
                        act.search_text = index_text(act)
                        days.add(act.meeting_date)
                writer.put(_rows(connection, batch))
                bar.advance(len(batch))
    finally:
        bar.close()
    return bar.done


_FIELDS = [f for f in PublishedAct._meta.concrete_fields if not f.primary_key]
# fields whose value, when of a plain type, is written as it is (Django's own
# conversion returns it unchanged): skipping that conversion is most of a row's cost
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
          models.ForeignKey)  # fmt: skip
_PLAIN = frozenset({str, int, bool, type(None)})
_TAKEN_AS_IS = [isinstance(f, _AS_IS) and type(f).pre_save is models.Field.pre_save
                for f in _FIELDS]  # fmt: skip


def _rows(connection: Any, acts: list[PublishedAct]) -> list[list[Any]]:
    """The acts' rows as Django would write them (each field's own conversion, but
    for a plain value of a plain field, which that conversion leaves as it is)."""
    plan = list(zip(_FIELDS, _TAKEN_AS_IS, strict=True))
    rows = []
    for act in acts:
        values = act.__dict__
        rows.append([
            value if as_is and type(value := values[f.attname]) in _PLAIN
            else f.get_db_prep_save(f.pre_save(act, True), connection)
            for f, as_is in plan
        ])  # fmt: skip
    return rows


class _Writer:
    """Writes batches of rows: in a thread of its own (at most two batches waiting),
    or in the caller's thread; a failure is raised in the caller's."""

    def __init__(self, using: str, *, threaded: bool) -> None:
        self.using = using
        self.failure: BaseException | None = None
        self.queue: queue.Queue[list[list[Any]] | None] = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._run, daemon=True) if threaded else None

    def __enter__(self) -> _Writer:
        if self.thread:
            self.thread.start()
        return self

    def put(self, rows: list[list[Any]]) -> None:
        """Write `rows` (now, or once the thread gets to them)."""
        if self.failure:
            raise self.failure
        if self.thread:
            self.queue.put(rows)
        else:
            self._write(rows)

    def __exit__(self, *exc: object) -> None:
        if self.thread:
            self.queue.put(None)
            self.thread.join()
        if self.failure and not exc[0]:
            raise self.failure

    def _run(self) -> None:
        try:
            while (rows := self.queue.get()) is not None:
                if not self.failure:
                    self._write(rows)
        except BaseException as failure:  # given to the caller's thread
            self.failure = failure
            while self.queue.get() is not None:  # let the caller finish putting
                pass
        finally:
            connections[self.using].close()

    def _write(self, rows: list[list[Any]]) -> None:
        connection = connections[self.using]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in _FIELDS)
        marks = ", ".join(["%s"] * len(_FIELDS))
        table = quote(PublishedAct._meta.db_table)
        if connection.vendor == "sqlite":  # the indexes' pages stay in memory (256 MB)
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        with transaction.atomic(using=self.using), connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: no statement per row
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


@contextlib.contextmanager
def _days_indexed_after(using: str, days: set[dt.date]) -> Iterator[None]:
    """SQLite: the triggers that index an act's day at each write are off for the
    block; then every day from the first to the last of `days` is indexed again, in
    one statement, in the index's order, and the triggers are back."""
    with connections[using].cursor() as cursor:
        for statement in schema.SQLITE_DROP_TRIGGERS:
            cursor.execute(statement)
    try:
        yield
    finally:
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            if days:
                first, last = f"'{min(days).isoformat()}'", f"'{max(days).isoformat()}'"
                cursor.execute(schema.UNINDEX_DAYS.format(first=first, last=last))
                cursor.execute(schema.INDEX_DAYS.format(first=first, last=last))
            for statement in schema.SQLITE_TRIGGERS:
                cursor.execute(statement)


@contextlib.contextmanager
def _rows_indexed_after(using: str, defer_index: bool) -> Iterator[None]:
    """PostgreSQL: the trigger that indexes each act is off for the block; then the
    acts written meanwhile are indexed in one statement and the trigger is back.
    With `defer_index`, the search's and the listing's indexes are dropped for the
    block and built again after, each in one pass, and the tables vacuumed (pages
    all-visible) and analysed for the planner."""
    connection = connections[using]
    table, index = PublishedAct._meta.db_table, schema.INDEX
    # inside a transaction that wrote acts, PostgreSQL refuses to turn a trigger off
    # (their foreign keys' checks wait for the commit): the trigger then indexes them
    toggle = not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        after = int(cursor.fetchone()[0])
        if toggle:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {index}_sync")
        if defer_index:
            for name in ("act_search_vector", "act_search_newest", "act_visible_newest"):
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        if toggle:
            _index_rows(using, after)
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {index}_sync")
        if defer_index:
            _build_indexes(using)


def _index_rows(using: str, after: int, parts: int = 2) -> None:
    """PostgreSQL: index the acts of id above `after`, in `parts` ranges of ids at
    once (a connection and a core each: `to_tsvector` is most of a load's time)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {PublishedAct._meta.db_table}")
        last = int(cursor.fetchone()[0])
    bounds = [after + (last - after) * i // parts for i in range(parts + 1)]
    failures: list[BaseException] = []

    def index(first: int, upto: int) -> None:
        try:
            with transaction.atomic(using=using), connections[using].cursor() as cursor:
                # [] has psycopg read the statement's '%%' as '%'
                cursor.execute(schema.INDEX_ROWS.format(after=first, upto=upto), [])
        except BaseException as failure:  # given to the caller's thread
            failures.append(failure)
        finally:
            connections[using].close()

    threads = [threading.Thread(target=index, args=pair) for pair in itertools.pairwise(bounds)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def _build_indexes(using: str) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")  # a big GIN index in one pass
        for statement in schema.POSTGRES_INDEXES:
            cursor.execute(statement)
        cursor.execute("RESET maintenance_work_mem")
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        for table in (schema.INDEX, PublishedAct._meta.db_table):
            cursor.execute(f"{vacuum} {table}")
