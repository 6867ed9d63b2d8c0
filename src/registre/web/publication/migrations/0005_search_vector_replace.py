"""PostgreSQL: the search vector's signs turned into spaces by `replace`, one sign
after the other, instead of one `translate`. The same text comes out (each sign
becomes one space, and a space is no sign), so the vectors already stored stay
right; but `translate` compares each character of the text with each of the 16
signs, in multibyte: 138 µs an act of 1 KB, against 12 µs for the 16 `replace`
(measured over 5,000 generated acts), a third of indexing an act. SQLite: nothing."""

from __future__ import annotations

import importlib
from typing import Any

from django.db import migrations

search = importlib.import_module("registre.web.publication.migrations.0002_search")
TEXTS = ("{p}subject || ' ' || {p}matter_label || ' ' || {p}statement "
         "|| ' ' || {p}operative_part")  # fmt: skip


def spaced(expression: str) -> str:
    """`expression` with each of `SEPARATORS` replaced by a space ('%%': every
    statement goes through psycopg's placeholders)."""
    for sign in search.SEPARATORS:
        expression = f"replace({expression}, '{sign.replace('%', '%%')}', ' ')"
    return expression


VECTOR = f"to_tsvector('registre_fr'::regconfig, {spaced('(' + TEXTS + ')')})"
INDEX_ROWS = (
    f"INSERT INTO {search.INDEX} (act_id, meeting_date, number, vector) "
    f"SELECT id, meeting_date, number, {VECTOR.format(p='')} FROM {search.TABLE} "
    "WHERE id > {after} AND id <= {upto} AND withdrawn_at IS NULL"
)


def _sync(vector: str) -> str:
    """The trigger's function, which indexes an act as it is written."""
    return (
        f"CREATE OR REPLACE FUNCTION {search.INDEX}_sync() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN IF TG_OP <> 'INSERT' THEN DELETE FROM {search.INDEX} WHERE act_id = "
        "OLD.id; END IF; IF TG_OP <> 'DELETE' AND NEW.withdrawn_at IS NULL THEN "
        f"INSERT INTO {search.INDEX} VALUES (NEW.id, NEW.meeting_date, NEW.number, "
        f"{vector.format(p='NEW.')}); END IF; RETURN NULL; END $$"
    )


def forwards(apps: Any, schema_editor: Any) -> None:
    """The trigger's function with `replace`."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_sync(VECTOR))


def backwards(apps: Any, schema_editor: Any) -> None:
    """The trigger's function of 0002_search again."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_sync(search.VECTOR))


class Migration(migrations.Migration):
    dependencies = [("publication", "0004_search_without_positions")]

    operations = [migrations.RunPython(forwards, backwards)]
