"""The full-text search of published acts (registre.web.publication.search), which
Django's model does not describe: one schema per database.

- PostgreSQL: the `unaccent` extension (trusted since PostgreSQL 13: the database's
  owner creates it, no superuser needed), the configuration `registre_fr` (`french`
  with `unaccent` before the stemmer), the table `publication_act_search` (one row
  per visible act: its tsvector and its place in the portal's order) with its GIN
  index, and the triggers that keep it in step.
- SQLite: the FTS5 table `publication_act_search` of the visible acts' `search_text`,
  keyed in the portal's order, and the triggers that keep it in step; `search_text`
  computed for the acts already there.

Both: an index of the visible acts newest first, which the portal's listing walks
and counts. Django remakes a SQLite table for most later changes of its fields, and
the triggers go with the old table: such a migration must run `SQLITE_TRIGGERS`
again (a test checks they are there).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, transaction
from django.db.utils import ProgrammingError

TABLE = "publication_publishedact"
# PostgreSQL's parser reads « Ville/SERM », « compte-rendu », « 2014-05-22 » or « a.b@c.fr »
# as one token (a file, a compound, numbers with signs, an e-mail) that Python's
# tokeniser splits; these signs become spaces first, so both read the same words.
# registre.web.publication.search.SEPARATORS is this same string (the query's side).
SEPARATORS = "/._-@:+\\~#?=&%<>"
BLANKS = " " * len(SEPARATORS)
TEXTS = "subject || ' ' || matter_label || ' ' || statement || ' ' || operative_part"
VISIBLE_NEWEST = (
    f"CREATE INDEX act_visible_newest ON {TABLE} (meeting_date DESC, number DESC) "
    "WHERE withdrawn_at IS NULL"
)
INDEX = "publication_act_search"  # the search's own table, on both databases
# PostgreSQL: one row per visible act (its place in the portal's order and its
# tsvector), kept by triggers: a count or a page of a search reads these rows, not the
# acts'. (`toast_tuple_target = 128` was meant to move the vector out of line and keep
# the rows narrow; it does not: PostgreSQL only toasts a row over its 2 KB threshold,
# and a vector without positions (0006) is about 1 KB, so it stays inline: measured.)
# ('%%': every statement goes through psycopg's placeholders.)
VECTOR = (
    "to_tsvector('registre_fr'::regconfig, translate({p}subject || ' ' || {p}matter_label "
    "|| ' ' || {p}statement || ' ' || {p}operative_part, "
    f"'{SEPARATORS.replace('%', '%%')}', '{BLANKS}'))"
)
INDEX_ROWS = (
    f"INSERT INTO {INDEX} (act_id, meeting_date, number, vector) "
    f"SELECT id, meeting_date, number, {VECTOR.format(p='')} FROM {TABLE} "
    "WHERE id > {after} AND id <= {upto} AND withdrawn_at IS NULL"
)
POSTGRES_INDEXES = [
    f"CREATE INDEX act_search_vector ON {INDEX} USING gin (vector)",
    f"CREATE INDEX act_search_newest ON {INDEX} (meeting_date DESC, number DESC, act_id DESC)",
    VISIBLE_NEWEST,
]
POSTGRES_TRIGGERS = [
    f"CREATE TRIGGER {INDEX}_sync AFTER INSERT OR DELETE OR UPDATE OF subject, statement, "
    f"operative_part, matter_label, withdrawn_at, meeting_date, number ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {INDEX}_sync()",
    # Django's test flush empties the tables by TRUNCATE, which row triggers miss
    f"CREATE TRIGGER {INDEX}_truncate AFTER TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {INDEX}_truncate()",
]
POSTGRES = [
    "CREATE TEXT SEARCH CONFIGURATION registre_fr (COPY = pg_catalog.french)",
    "ALTER TEXT SEARCH CONFIGURATION registre_fr ALTER MAPPING FOR asciiword, asciihword, "
    "hword_asciipart, word, hword, hword_part WITH unaccent, french_stem",
    # words with digits (« 2ème », « x0001 ») are not stemmed, but lose their accents
    "ALTER TEXT SEARCH CONFIGURATION registre_fr ALTER MAPPING FOR numword, numhword, "
    "hword_numpart WITH unaccent, simple",
    f"CREATE TABLE {INDEX} (act_id bigint PRIMARY KEY, meeting_date date NOT NULL, "
    "number varchar(60) NOT NULL, vector tsvector NOT NULL) WITH (toast_tuple_target = 128)",
    f"CREATE FUNCTION {INDEX}_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP <> 'INSERT' THEN DELETE FROM {INDEX} WHERE act_id = OLD.id; END IF; "
    "IF TG_OP <> 'DELETE' AND NEW.withdrawn_at IS NULL THEN "
    f"INSERT INTO {INDEX} VALUES (NEW.id, NEW.meeting_date, NEW.number, "
    f"{VECTOR.format(p='NEW.')}); END IF; RETURN NULL; END $$",
    f"CREATE FUNCTION {INDEX}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"TRUNCATE {INDEX}; RETURN NULL; END $$",
    INDEX_ROWS.format(after=0, upto=2**63 - 1),
    *POSTGRES_TRIGGERS,
    *POSTGRES_INDEXES,
]
POSTGRES_BACK = [
    "DROP INDEX IF EXISTS act_visible_newest",
    f"DROP TABLE IF EXISTS {INDEX}",
    f"DROP TRIGGER IF EXISTS {INDEX}_sync ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {INDEX}_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {INDEX}_sync()",
    f"DROP FUNCTION IF EXISTS {INDEX}_truncate()",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS registre_fr",
]
FTS = INDEX
# An FTS5 row's rowid is the act's place in the portal's order: its meeting day times
# 2**24, plus its rank in that day by (number, id). Newest first is then FTS5's own
# `ORDER BY rowid DESC`, and a page or a count needs no other table. A change to an
# act indexes its whole day again (a few dozen acts): rows are written rarely.
DAY = "CAST(julianday({date}) AS INTEGER) * 16777216"
INDEX_DAYS = (
    f"INSERT INTO {FTS}(rowid, search_text, act) "
    f"SELECT {DAY.format(date='meeting_date')} + row_number() OVER "
    "(PARTITION BY meeting_date ORDER BY number, id), search_text, id "
    f"FROM {TABLE} WHERE meeting_date BETWEEN {{first}} AND {{last}} AND withdrawn_at IS NULL"
)
UNINDEX_DAYS = (
    f"DELETE FROM {FTS} WHERE rowid BETWEEN {DAY.format(date='{first}')} "
    f"AND {DAY.format(date='{last}')} + 16777215"
)


def reindex_day(date: str) -> str:
    """The statements that index the acts of the day `date` (an SQL expression) again."""
    return (f"{UNINDEX_DAYS.format(first=date, last=date)}; "
            f"{INDEX_DAYS.format(first=date, last=date)};")  # fmt: skip


SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON {TABLE} "
    f"BEGIN {reindex_day('new.meeting_date')} END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON {TABLE} "
    f"BEGIN {reindex_day('old.meeting_date')} END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_update AFTER UPDATE OF search_text, withdrawn_at, "
    f"meeting_date, number ON {TABLE} "
    f"BEGIN {reindex_day('old.meeting_date')} {reindex_day('new.meeting_date')} END",
]
SQLITE_DROP_TRIGGERS = [
    f"DROP TRIGGER IF EXISTS {FTS}_{event}" for event in ("insert", "delete", "update")
]
SQLITE = [
    # the words are stemmed and folded before they get here; remove_diacritics is the
    # safety net for a letter Python's folding would have left accented. Only the
    # visible acts are indexed: a withdrawn act's day is indexed again without it.
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, act UNINDEXED, "
    "tokenize='unicode61 remove_diacritics 2')",
]
SQLITE_BACK = [*SQLITE_DROP_TRIGGERS, f"DROP TABLE IF EXISTS {FTS}",
               "DROP INDEX IF EXISTS act_visible_newest"]  # fmt: skip


def _create_unaccent(schema_editor: Any) -> None:
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except ProgrammingError as exc:
        raise RuntimeError(
            "L'extension PostgreSQL « unaccent » manque et ce rôle ne peut pas la créer : "
            "faites « CREATE EXTENSION unaccent; » dans la base en tant que propriétaire de "
            f"la base ou superutilisateur, puis relancez la migration ({exc})."
        ) from exc


def forwards(apps: Any, schema_editor: Any) -> None:
    """Create the search's schema for this database, and index the acts already there."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _create_unaccent(schema_editor)
        for statement in POSTGRES:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
        _index_existing(apps, schema_editor.connection.alias)
        every_day = INDEX_DAYS.format(first="'0001-01-01'", last="'9999-12-31'")
        for statement in [every_day, *SQLITE_TRIGGERS, VISIBLE_NEWEST]:
            schema_editor.execute(statement)


def _index_existing(apps: Any, alias: str) -> None:
    from registre.web.publication.search import index_text  # noqa: PLC0415

    model = apps.get_model("publication", "PublishedAct")
    acts = list(model.objects.using(alias).all())
    for act in acts:
        act.search_text = index_text(act)
    model.objects.using(alias).bulk_update(acts, ["search_text"], batch_size=500)


def backwards(apps: Any, schema_editor: Any) -> None:
    """Drop what `forwards` created (the extension stays: others may use it)."""
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_BACK, "sqlite": SQLITE_BACK}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("publication", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
