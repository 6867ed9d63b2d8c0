"""PostgreSQL's side of `bulk_load`: the acts' search vectors computed while the load
goes on, and the search's indexes dropped and built again around a large load."""

from __future__ import annotations

import importlib
import queue
import threading

from django.db import connections, transaction

from registre.web.publication.models import PublishedAct

# the indexes are built again as the migration that made them wrote them; the
# vectors computed as the trigger computes them
schema = importlib.import_module("registre.web.publication.migrations.0002_search")
vectors = importlib.import_module("registre.web.publication.migrations.0005_search_vector_replace")
# with `defer_index`, the listing's indexes; the GIN index stays, kept up to date by
# the indexing threads as they go (beside the writing, on both cores), which measured
# faster than building it alone at the end (4,212 against 3,777 acts/s over 100,000)
DEFERRED = {name: statement for statement in schema.POSTGRES_INDEXES
            if (name := statement.split()[2]) in ("act_search_newest", "act_visible_newest")}  # fmt: skip


class PostgresIndexing:
    """For the block, the trigger that indexes each act is off; instead, `parts`
    threads (a connection and a core each: `to_tsvector` is most of a load's cost)
    index each batch once written (`written`, called by the writer after each commit),
    beside the writing of the next ones; then the trigger is back. With
    `defer_index`, the listing's indexes are dropped for the block and built again
    after, each in one pass, and the tables vacuumed (pages all-visible, the GIN
    index's pending entries merged) and analysed for the planner."""

    def __init__(self, using: str, defer_index: bool, parts: int = 2) -> None:
        # inside a transaction that wrote acts, PostgreSQL refuses to turn a trigger
        # off or to build an index (their foreign keys' checks wait for the commit):
        # the trigger then indexes them, and the indexes stay
        self.toggle = not connections[using].in_atomic_block
        self.using, self.defer_index, self.parts = using, defer_index and self.toggle, parts
        self.ranges: queue.Queue[tuple[int, int] | None] = queue.Queue()
        self.threads: list[threading.Thread] = []
        self.failures: list[BaseException] = []
        self.indexed_upto = 0

    def __enter__(self) -> PostgresIndexing:
        table, index = PublishedAct._meta.db_table, schema.INDEX
        with connections[self.using].cursor() as cursor:
            self.indexed_upto = _last_id(cursor)
            if self.toggle:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {index}_sync")
            if self.defer_index:
                for name in DEFERRED:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
        if self.toggle:
            self.threads = [threading.Thread(target=self._run, daemon=True)
                            for _ in range(self.parts)]  # fmt: skip
            for thread in self.threads:
                thread.start()
        return self

    def written(self) -> None:
        """A batch is committed (called on the writer's connection): index it."""
        if not self.toggle:
            return
        with connections[self.using].cursor() as cursor:
            last = _last_id(cursor)
        if last > self.indexed_upto:
            self.ranges.put((self.indexed_upto, last))
            self.indexed_upto = last

    def __exit__(self, *exc: object) -> None:
        try:
            if self.toggle:
                self.written()  # a batch written in the caller's thread, if any
                self._finish()
                with connections[self.using].cursor() as cursor:
                    cursor.execute(f"ALTER TABLE {PublishedAct._meta.db_table} "
                                   f"ENABLE TRIGGER {schema.INDEX}_sync")  # fmt: skip
        finally:
            if self.defer_index:
                _build_indexes(self.using)
        if self.failures and not exc[0]:
            raise self.failures[0]

    def _finish(self) -> None:
        for _ in self.threads:
            self.ranges.put(None)
        for thread in self.threads:
            thread.join()

    def _run(self) -> None:
        try:
            while (ids := self.ranges.get()) is not None:
                if self.failures:
                    continue
                try:
                    with transaction.atomic(using=self.using), \
                            connections[self.using].cursor() as cursor:  # fmt: skip
                        # [] has psycopg read the statement's '%%' as '%'
                        cursor.execute(vectors.INDEX_ROWS.format(after=ids[0], upto=ids[1]), [])
                except BaseException as failure:  # given to the caller's thread
                    self.failures.append(failure)
        finally:
            connections[self.using].close()


def _last_id(cursor: object) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {PublishedAct._meta.db_table}")  # type: ignore[attr-defined]
    return int(cursor.fetchone()[0])  # type: ignore[attr-defined]


def _build_indexes(using: str) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")  # an index in one pass
        for statement in DEFERRED.values():
            cursor.execute(statement)
        cursor.execute("RESET maintenance_work_mem")
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        for table in (schema.INDEX, PublishedAct._meta.db_table):
            cursor.execute(f"{vacuum} {table}")
