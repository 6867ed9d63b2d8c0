"""Loading many acts at once (registre.web.publication.bulk), on the database of the
run; what is found once they are loaded is tests/web/test_publication_search.py."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterator

import pytest
from django.db import DatabaseError, IntegrityError, connection
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from webfactories import make_collectivity

from registre.web.publication import bulk
from registre.web.publication.bulk import _rows, bulk_load
from registre.web.publication.bulk_postgres import lexemes, vectors_of
from registre.web.publication.models import PublishedAct
from registre.web.publication.search import index_text, search_acts

pytestmark = pytest.mark.django_db


def _acts(assembly: object, count: int) -> Iterator[PublishedAct]:
    for n in range(count):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=n % 40)
        yield PublishedAct(collectivity=assembly.collectivity, assembly=assembly,  # type: ignore[attr-defined]
                           number=f"2020_{n:04d}",
                           subject=f"Délibérations n° {n} : subvention Ville/SERM, compte-rendu 100%",
                           statement="Le conseil approuve les conventions.", meeting_date=day,
                           record_json="{}", published_on=day, published_at=timezone.now())  # fmt: skip


def _indexes() -> set[str]:
    """The indexes and triggers of the acts' table (and, on SQLite, the connection's
    mmap and threads; on PostgreSQL, the search's indexes, the acts' foreign keys and
    whether they are checked, both tables' settings): what a deferred load puts off
    and must put back."""
    table = PublishedAct._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') "
                           "AND tbl_name = %s", [table])  # fmt: skip
            found = {name for (name,) in cursor.fetchall()}
            # the connection's settings for the indexing at the end, back to SQLite's
            for pragma in ("mmap_size", "threads"):
                cursor.execute(f"PRAGMA {pragma}")
                found.add(f"{pragma} {cursor.fetchone()[0]}")
            return found
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename IN "
                       "(%s, 'publication_act_search')", [table])  # fmt: skip
        found = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT conname || ' ' || convalidated FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype = 'f'", [table])  # fmt: skip
        found |= {key for (key,) in cursor.fetchall()}
        cursor.execute("SELECT relname || ' ' || coalesce(array_to_string(reloptions, ','), '') "
                       "FROM pg_class WHERE relname IN (%s, 'publication_act_search')", [table])  # fmt: skip
        return found | {options for (options,) in cursor.fetchall()}


def test_worker_processes_stem_the_words_as_the_acts_own_text_does() -> None:
    assembly = make_collectivity().assemblies.get(kind="conseil")
    assert bulk_load(_acts(assembly, 30), progress=None, processes=2, batch_size=7) == 30
    acts = list(PublishedAct.objects.order_by("number"))
    assert len(acts) == 30
    if connection.vendor == "sqlite":  # PostgreSQL computes its own vectors
        assert all(act.search_text == index_text(act) != "" for act in acts)
    found = search_acts(PublishedAct.objects.all(), "délibération subventions")
    assert found.count() == 30


@pytest.mark.django_db(transaction=True)
def test_a_deferred_load_puts_every_index_back_even_when_its_input_fails() -> None:
    """Outside a transaction, as the command and the benchmark load: the writer's
    thread, the worker process, PostgreSQL's indexing threads, the indexes dropped."""
    assembly = make_collectivity().assemblies.get(kind="conseil")
    before = _indexes()

    def failing() -> Iterator[PublishedAct]:
        yield from _acts(assembly, 5)
        raise ValueError("ligne 6 illisible")

    with pytest.raises(ValueError, match="ligne 6"):
        bulk_load(failing(), progress=None, defer_index=True, batch_size=2, processes=1)
    assert _indexes() == before
    assert gc.isenabled()  # off during the load only
    other = make_collectivity("Commune de Saint-Apollinaire").assemblies.get(kind="conseil")
    assert bulk_load(_acts(other, 50), progress=None, defer_index=True, batch_size=7,
                     processes=1) == 50  # fmt: skip
    assert _indexes() == before
    # every act written is found, the batches written before the failure included
    assert search_acts(PublishedAct.objects.all(), "conventions").count() == (
        PublishedAct.objects.count()
    )
    if connection.vendor == "sqlite":  # indexed as read beside: the statement's rows
        every_day = {"first": "'0001-01-01'", "last": "'9999-12-31'"}
        with connection.cursor() as cursor:
            cursor.execute(bulk.DAYS_ROWS.format(**every_day))
            expected = sorted(cursor.fetchall())
            cursor.execute("SELECT rowid, search_text, act FROM publication_act_search")
            assert sorted(cursor.fetchall()) == expected
        assert len(expected) == PublishedAct.objects.count()
    if connection.vendor == "postgresql":  # the load's vectors are the trigger's
        vectors = "SELECT act_id, vector::text FROM publication_act_search ORDER BY act_id"
        with connection.cursor() as cursor:
            cursor.execute(vectors)
            loaded = cursor.fetchall()
            # the trigger computes each vector again, from the same texts
            cursor.execute(f"UPDATE {PublishedAct._meta.db_table} SET subject = subject")
            cursor.execute(vectors)
            rewritten = cursor.fetchall()
        assert len(loaded) == PublishedAct.objects.count()
        assert rewritten == loaded
        with connection.cursor() as cursor:  # signs replaced one by one (migration 0005)
            cursor.execute(
                "SELECT prosrc FROM pg_proc WHERE proname = 'publication_act_search_sync'"
            )
            assert "translate" not in cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_reading_beside_the_indexing_fails_in_the_indexing_thread() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 index only")
    threads = threading.active_count()
    with pytest.raises(DatabaseError, match="no such column"), connection.cursor() as cursor:
        bulk._index_days_beside(
            cursor, "default", "SELECT no_such_column FROM publication_act_search"
        )
    assert threading.active_count() == threads  # the reader ended


@pytest.mark.django_db(transaction=True)
def test_an_act_pointing_nowhere_stops_a_deferred_load_before_its_batch() -> None:
    """PostgreSQL's foreign keys are off during a deferred load: the loader checks
    the references as they would, and the keys are back, checked, after."""
    assembly = make_collectivity().assemblies.get(kind="conseil")
    before = _indexes()
    acts = list(_acts(assembly, 9))
    acts[7].assembly_id = 999_999  # no such assembly
    with pytest.raises(IntegrityError) as raised:
        bulk_load(acts, progress=None, defer_index=True, batch_size=3, processes=0)
    if connection.vendor == "postgresql":  # the loader's own message
        assert "Acte n° 2020_0007" in str(raised.value)
        assert "999999 introuvable" in str(raised.value)
    assert _indexes() == before
    # whole batches before the bad one (those already handed to the writer), nothing
    # of its own batch
    assert PublishedAct.objects.count() in (0, 3, 6)
    assert not PublishedAct.objects.filter(number__in=["2020_0006", "2020_0008"]).exists()


def test_plain_values_are_written_as_django_converts_them() -> None:
    assembly = make_collectivity().assemblies.get(kind="conseil")
    acts = list(_acts(assembly, 3))
    acts[1].withdrawn_at, acts[2].matter_inferred = timezone.now(), True
    acts[0].transmitted_on = acts[2].transmitted_on = dt.date(2020, 2, 1)  # one date, twice
    from registre.web.publication.bulk import _FIELDS  # noqa: PLC0415

    expected = [[f.get_db_prep_save(f.pre_save(a, True), connection) for f in _FIELDS]
                for a in acts]  # fmt: skip
    assert _rows(connection, acts) == expected


# what could make a chunk's lexemes differ from the text's: every kind of space
# (Python splits on more than ASCII's), the signs PostgreSQL's parser keeps in a token
# (an e-mail, a URL, a compound, a number, an XML tag or entity), apostrophes,
# letters unaccent changes, digits of other scripts, ligatures, fractions
_PIECES = st.one_of(
    st.sampled_from(
        [
            "délibérations",
            "L'Œuvre",
            "aujourd\u2019hui",
            "compte-rendu",
            "2014-05-22",
            "a.b@c.fr",
            "http://x.fr/a?b=1",
            "<b>x</b>",
            "&amp;",
            "1,5",
            "3.14",
            "1e5",
            "x0001",
            "2ème",
            "½",
            "ʼn",
            "ÆSOP",
            "straße",
            "Ville/SERM",
            "100%",
            "n°",
            "_x0001_",
            "Élu(e)s",
            "«",
            "»",
            "-",
            ".",
        ]
    ),
    st.sampled_from(
        [
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\x0b",
            "\x0c",
            "\x1c",
            "\x85",
            "\xa0",
            "\u2009",
            "\u2028",
            "\u3000",
            "\u202f",
        ]
    ),
    st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=8),
)
_TEXTS = st.lists(_PIECES, max_size=12).map("".join)


@settings(deadline=None)
@given(st.lists(st.tuples(_TEXTS, _TEXTS, _TEXTS, _TEXTS), min_size=1, max_size=6))
def test_vectors_made_of_chunks_are_the_triggers(acts: list[tuple[str, str, str, str]]) -> None:
    """The large load's vectors, each chunk's lexemes asked of PostgreSQL once, are
    those the trigger computes from the whole text (migration 0006's expression)."""
    if connection.vendor != "postgresql":
        pytest.skip("les vecteurs de recherche sont ceux de PostgreSQL")
    loaded = vectors_of(connection.alias, acts)  # in tsvector's binary form
    columns = list(zip(*acts, strict=True))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE loaded (n int, v tsvector)")
        with cursor.cursor.copy("COPY loaded FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int4", "bytea"])  # as the load sends it
            for n, vector in enumerate(loaded, 1):
                copy.write_row((n, vector))
        cursor.execute(
            f"SELECT {lexemes.VECTOR.format(p='x.')}::text, loaded.v::text "
            "FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) "
            "WITH ORDINALITY AS x(subject, matter_label, statement, operative_part, n) "
            "JOIN loaded USING (n) ORDER BY n",
            list(map(list, columns)),
        )  # fmt: skip
        compared = cursor.fetchall()
        cursor.execute("DROP TABLE loaded")
    assert len(compared) == len(acts)
    for whole, chunked in compared:
        assert chunked == whole
