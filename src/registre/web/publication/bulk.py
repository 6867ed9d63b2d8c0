"""Loading many published acts at once (an archive's import, the portal's benchmark).

`bulk_load` writes the acts in batches, one transaction and one `executemany` each
(what `bulk_create` does, without its SQLite limit of 999 parameters a statement,
which cuts a batch into INSERTs of 30 rows; `COPY` on PostgreSQL), and builds their
search index in bulk. On SQLite the stemmed words are computed by worker processes
(`registre.web.publication.words`) while the batches are written, and the FTS5
index of the days loaded is built at the end, in the days' order (outside a
transaction, the rows read by a second connection while the first indexes them; the
triggers that index a day at each write are off meanwhile: a write by someone else
during the load is indexed only if its day is among them). On PostgreSQL, the
trigger that indexes each act is off, and each batch's search rows are written with
its acts, their vectors made of each distinct chunk's lexemes, asked of PostgreSQL
once (`bulk_postgres`; an act another writer changes during the load is not indexed
again). With
`defer_index=True`, what follows the rows (SQLite: the table's own indexes;
PostgreSQL: both tables' indexes but the unique ones, the acts' foreign keys,
autovacuum) is off for the load and made again once at the end (much faster than
keeping it up to date row by row, but the portal is slow until it is back: for a
first load or a quiet night). A progress bar goes to stderr.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import gc
import itertools
import os
import queue
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from typing import Any, TextIO

from django.db import connections, models, transaction

from registre.web.publication.bulk_postgres import (
    PostgresIndexing,
    SearchRow,
    copy_acts,
    schema,
    search_rows,
    vectors_of,
)
from registre.web.publication.models import PublishedAct
from registre.web.publication.words import Words, index_words_of


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
    processes: int | None = None,
) -> int:  # fmt: skip
    """Write `acts` (new, unsaved) in batches and index them for the search; the
    number written. `total`, when known, sizes the progress bar.

    Outside a transaction, a second thread writes each batch (on its own
    connection, one transaction a batch) while this one prepares the next: the
    database's work (FTS5, `COPY`, indexes) runs beside Python's. Inside one, the
    batches are written here, in the caller's transaction. The search's words
    (SQLite) or vectors (PostgreSQL, outside a transaction) are computed by
    `processes` worker processes (by default, for 20,000 acts or more, one per core
    but one), so that they are made beside the rest rather than in turn with it.
    With `defer_index` on PostgreSQL, an act whose collectivity or assembly does not
    exist raises IntegrityError before its batch is written."""
    connection = connections[using]
    sqlite = connection.vendor == "sqlite"
    bar = Progress(total, progress)
    days: set[dt.date] = set()
    deferred: contextlib.AbstractContextManager[object]
    indexing: PostgresIndexing | None = None
    if sqlite:
        deferred = _days_indexed_after(using, days, defer_index)
    else:
        deferred = indexing = PostgresIndexing(using, defer_index)
    # SQLite's words, or PostgreSQL's vectors while the trigger is off
    searched = sqlite or (indexing is not None and indexing.toggle)
    # the workers fork before the writer's thread starts: a fork copies no thread
    count = _processes(processes, total) if searched else 0
    words: Words[str] | Words[bytes] = (
        Words(count, index_words_of)
        if sqlite
        else Words(count, functools.partial(vectors_of, using))
    )
    writer = _Writer(using, threaded=not connection.in_atomic_block)
    # the batches make no reference cycle; a full collection would scan every object
    # of the process (a million acts held by the caller: seconds each time)
    collecting = gc.isenabled()
    gc.disable()
    try:
        with words, deferred, writer:
            pending: collections.deque[_Prepared] = collections.deque()
            for batch in batched(acts, batch_size):
                if sqlite:
                    days.update(act.meeting_date for act in batch)
                if indexing is not None:
                    indexing.check(batch)
                found = words.submit(batch) if searched else None
                pending.append((batch, _rows(connection, batch), found))
                while len(pending) > 2 or (pending and pending[0][2] is None):
                    _write(pending.popleft(), writer, bar)
            while pending:
                _write(pending.popleft(), writer, bar)
    finally:
        if collecting:
            gc.enable()
        bar.close()
    return bar.done


def _processes(asked: int | None, total: int | None) -> int:
    if asked is not None:
        return asked
    if total is None or total < 20_000:
        return 0  # starting a process costs more than stemming a few thousand acts
    return max(1, min(4, (os.cpu_count() or 1) - 1))


# a batch's rows and, with PostgreSQL's trigger off, their search rows
_Rows = tuple[list[list[Any]], list[SearchRow | None] | None]
# a batch, its rows, and its search words (SQLite) or vectors (PostgreSQL) to come
_Prepared = tuple[list[PublishedAct], list[list[Any]], Future[list[Any]] | None]


def _write(
    prepared: _Prepared,
    writer: _Writer, bar: Progress,
) -> None:  # fmt: skip
    """Hand a batch's rows to the writer, once its search words or vectors are there."""
    batch, rows, found = prepared
    search = None
    if found is not None and writer.vendor == "sqlite":
        for act, row, text in zip(batch, rows, found.result(), strict=True):
            act.search_text = row[_SEARCH_TEXT] = text
    elif found is not None:
        search = search_rows(batch, found.result())
    writer.put((rows, search))
    bar.advance(len(batch))


_FIELDS = [f for f in PublishedAct._meta.concrete_fields if not f.primary_key]
# fields whose value, when of a plain type, is written as it is (Django's own
# conversion returns it unchanged): skipping that conversion is most of a row's cost
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
          models.ForeignKey)  # fmt: skip
_PLAIN = frozenset({str, int, bool, type(None)})
_DATES = frozenset({dt.date, dt.datetime})
_TAKEN_AS_IS = [isinstance(f, _AS_IS) and type(f).pre_save is models.Field.pre_save
                for f in _FIELDS]  # fmt: skip
_SEARCH_TEXT = next(i for i, f in enumerate(_FIELDS) if f.attname == "search_text")
# a field that sets its value as it is saved (auto_now) is always converted
_FROM_VALUE = [not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
               for f in _FIELDS]  # fmt: skip


def _rows(connection: Any, acts: list[PublishedAct]) -> list[list[Any]]:
    """The acts' rows as Django would write them (each field's own conversion, but
    for a plain value of a plain field, which that conversion leaves as it is, and
    for an empty value; a date's conversion is made once per batch)."""
    plan = list(zip(_FIELDS, _TAKEN_AS_IS, _FROM_VALUE, strict=True))
    dates: dict[tuple[int, object], Any] = {}  # acts of one meeting share its dates
    rows = []
    for act in acts:
        values = act.__dict__
        row = []
        for n, (f, as_is, alone) in enumerate(plan):
            value = values[f.attname]
            if alone and (value is None or (as_is and type(value) in _PLAIN)):
                row.append(value)
            elif alone and type(value) in _DATES:
                if (converted := dates.get((n, value), dates)) is dates:
                    converted = dates[n, value] = f.get_db_prep_save(value, connection)
                row.append(converted)
            else:
                row.append(f.get_db_prep_save(f.pre_save(act, True), connection))
        rows.append(row)
    return rows


class _Writer:
    """Writes batches of rows: in a thread of its own (at most two batches waiting),
    or in the caller's thread; a failure is raised in the caller's."""

    def __init__(self, using: str, *, threaded: bool) -> None:
        self.using, self.vendor = using, connections[using].vendor
        self.failure: BaseException | None = None
        self.queue: queue.Queue[_Rows | None] = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._run, daemon=True) if threaded else None

    def __enter__(self) -> _Writer:
        if self.thread:
            self.thread.start()
        return self

    def put(self, rows: _Rows) -> None:
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

    def _write(self, batch: _Rows) -> None:
        rows, search = batch
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
                copy_acts(cursor.cursor, columns, rows, search)
            else:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


MAPPED = 8 << 30  # bytes of the database file mapped while it is indexed (at most)
FTS_HASH_LOAD, FTS_HASH_DEFAULT = 64 << 20, 1 << 20  # FTS5's pending words, in bytes


def _fts_hash(cursor: Any, size: int) -> None:
    """Set how many bytes of words FTS5 keeps in memory before writing a segment (a
    setting kept in the table: 1 MB, SQLite's default, outside a load)."""
    cursor.execute(f"INSERT INTO {schema.FTS}({schema.FTS}, rank) VALUES ('hashsize', {size})")


@contextlib.contextmanager
def _days_indexed_after(using: str, days: set[dt.date], defer_index: bool) -> Iterator[None]:
    """SQLite: the triggers that index an act's day at each write are off for the
    block; then every day from the first to the last of `days` is indexed again, in
    the index's order (`_index_again`), and the triggers are back. With
    `defer_index`, the table's own indexes are dropped for the block too and built
    again after, each in one sorted pass (kept up to date row by row, they were half
    of the writing's time)."""
    table = PublishedAct._meta.db_table
    with connections[using].cursor() as cursor:
        for statement in schema.SQLITE_DROP_TRIGGERS:
            cursor.execute(statement)
        dropped: list[tuple[str, str]] = []
        if defer_index:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "AND tbl_name = %s AND sql IS NOT NULL", [table])  # fmt: skip
            dropped = list(cursor.fetchall())
            for name, _ in dropped:
                cursor.execute(f"DROP INDEX {connections[using].ops.quote_name(name)}")
    try:
        yield
    finally:
        _index_again(using, days, dropped)


def _index_again(using: str, days: set[dt.date], dropped: list[tuple[str, str]]) -> None:
    """The indexes dropped made again, and committed (outside a caller's transaction)
    so that a second connection reads through them; then the days' acts indexed for
    the search again, and its triggers back."""
    connection = connections[using]
    # outside a transaction, the acts written are there for a second connection
    beside = not connection.in_atomic_block
    with connection.cursor() as cursor:
        # the rows are read in the days' order, not the table's: mapped, a page
        # costs no read call
        cursor.execute(f"PRAGMA mmap_size = {MAPPED}")
        # an index's keys sorted by as many threads as cores (2: 1.5 s against
        # 2.2 s an index of a million acts)
        cursor.execute(f"PRAGMA threads = {os.cpu_count() or 1}")
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for _, sql in dropped:  # first: the day's index serves the ordering below
                cursor.execute(sql)
        with transaction.atomic(using=using), connection.cursor() as cursor:
            if days:
                first, last = f"'{min(days).isoformat()}'", f"'{max(days).isoformat()}'"
                cursor.execute(schema.UNINDEX_DAYS.format(first=first, last=last))
                _fts_hash(cursor, FTS_HASH_LOAD)  # fewer, larger segments to merge
                if beside:
                    _index_days_beside(cursor, using, DAYS_ROWS.format(first=first, last=last))
                else:
                    cursor.execute(schema.INDEX_DAYS.format(first=first, last=last))
                _fts_hash(cursor, FTS_HASH_DEFAULT)
            for statement in schema.SQLITE_TRIGGERS:
                cursor.execute(statement)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size = 0")
            cursor.execute("PRAGMA threads = 0")


# the rows of INDEX_DAYS (rowid, words, act), in the index's order
DAYS_ROWS = schema.INDEX_DAYS[schema.INDEX_DAYS.index("SELECT ") :]
INDEX_ROW = f"INSERT INTO {schema.FTS}(rowid, search_text, act) VALUES (%s, %s, %s)"


def _index_days_beside(cursor: Any, using: str, rows_sql: str) -> None:
    """INDEX_DAYS, its rows read by a second connection on a thread of its own while
    this one indexes them: the reading (10 s for a million acts, in the day's index
    order) runs beside FTS5's indexing (35 s) rather than before it."""
    rows: queue.Queue[list[Any] | BaseException | None] = queue.Queue(maxsize=4)
    stop = threading.Event()
    reader = threading.Thread(target=_read_rows, args=(using, rows_sql, rows, stop), daemon=True)
    reader.start()
    try:
        while (chunk := rows.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            cursor.executemany(INDEX_ROW, chunk)
    finally:
        stop.set()
        while reader.is_alive():  # a reader waiting to put a chunk: take it
            with contextlib.suppress(queue.Empty):
                rows.get(timeout=0.05)
        reader.join()


def _read_rows(using: str, sql: str, rows: queue.Queue[Any], stop: threading.Event) -> None:
    """(A thread) `sql`'s rows, by chunks, into `rows`; then None, or the failure."""
    try:
        with connections[using].cursor() as cursor:
            cursor.execute(f"PRAGMA mmap_size = {MAPPED}")
            cursor.execute(sql)
            while not stop.is_set() and (chunk := cursor.fetchmany(5000)):
                rows.put(chunk)
        rows.put(None)
    except BaseException as failure:  # given to the indexing thread
        rows.put(failure)
    finally:
        connections[using].close()
