"""PostgreSQL: the search vector holds its lexemes only, without their positions
(`strip`), as SQLite's FTS5 table does since 0004: the search asks whether an act holds
every word of a query (`plainto_tsquery`'s `&`), never a phrase nor a rank, so the same
acts are found. What this allows: a vector is then the union of the lexemes of the
text's chunks between spaces, each chunk's lexemes given by `to_tsvector` (a token
never spans a space once the signs are spaces), and a large load asks PostgreSQL for
each distinct chunk's lexemes once (`CHUNK_LEXEMES`) instead of parsing every act's
text again (`registre.web.publication.bulk_postgres`). SQLite: nothing."""

from __future__ import annotations

import importlib
from typing import Any

from django.db import migrations

search = importlib.import_module("registre.web.publication.migrations.0002_search")
replaced = importlib.import_module("registre.web.publication.migrations.0005_search_vector_replace")

VECTOR = f"strip({replaced.VECTOR})"
# each chunk of the array parameter, and its lexemes (text[]) by the same configuration
CHUNK_LEXEMES = (
    "SELECT chunk, tsvector_to_array(to_tsvector('registre_fr'::regconfig, "
    f"{replaced.spaced('chunk')})) FROM unnest(%s::text[]) AS chunk"
)


def forwards(apps: Any, schema_editor: Any) -> None:
    """The trigger's function strips its vectors; those already stored are stripped."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(replaced._sync(VECTOR))
        schema_editor.execute(f"UPDATE {search.INDEX} SET vector = strip(vector)")


def backwards(apps: Any, schema_editor: Any) -> None:
    """The trigger's function of 0005 again; the vectors computed again with positions."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(replaced._sync(replaced.VECTOR))
        schema_editor.execute(f"UPDATE {search.TABLE} SET subject = subject")


class Migration(migrations.Migration):
    dependencies = [("publication", "0005_search_vector_replace")]

    operations = [migrations.RunPython(forwards, backwards)]
