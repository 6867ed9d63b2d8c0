"""The acts' indexes of their collectivity alone and of their assembly alone dropped:
the indexes (collectivity, -meeting_date) and (assembly, -meeting_date), and the unique
(assembly, number), begin with the same column and serve the same lookups (a
collectivity's acts, the check that an assembly deleted has none). Each was kept up to
date at every write, and rebuilt at the end of a large load (1.4–1.8 s each at a
million acts on SQLite). The same names on both databases; the tables are not remade
(SQLite's would lose the search's triggers)."""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "collectivity": "publication_publishedact_collectivity_id_ff3813ce",
    "assembly": "publication_publishedact_assembly_id_e60f842f",
}
TARGETS = {"collectivity": "core.collectivity", "assembly": "core.assembly"}


def _field(name: str) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="acts",
        to=TARGETS[name],
    )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("publication", "0006_search_vector_lexemes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name="publishedact", name=name, field=_field(name))
                for name in INDEXES
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "publication_publishedact" '
                    f'("{name}_id")',
                )
                for name, index in INDEXES.items()
            ],
        )
    ]
