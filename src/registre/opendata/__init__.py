"""Open data from records: SCDL "Délibérations" 2.1.5 CSV and a Popolo-like JSON.

- `published(record, source=...)` gives one `PublishedDeliberation` per item, with
  the events beside it; `with_inferred_matter` fills a missing @CTES matter from the
  subject (`infer_matter`).
- `scdl_rows` / `scdl_row` make the SCDL rows, `csv_text` the file, `gaps` what a
  row leaves empty and why; `validate_csv` checks a file with frictionless against
  the packaged Table Schema and the cross-column checks, in French.
- `popolo_json` keeps what SCDL cannot say (proxies, members not voting, named
  votes, attendance per item, inferred matters).

Imports nothing from the database or the web; frictionless loads only to validate.
"""

from registre.opendata.matter import MatterGuess, fold, infer_matter
from registre.opendata.nomenclature import LEVEL_1, LEVEL_2, Matter, level_2
from registre.opendata.popolo import document as popolo_document
from registre.opendata.popolo import json_text as popolo_json
from registre.opendata.scdl import (
    COLUMNS,
    REQUIRED,
    Column,
    Gap,
    ScdlRow,
    csv_text,
    decided,
    gaps,
)
from registre.opendata.scdl import row as scdl_row
from registre.opendata.scdl import rows as scdl_rows
from registre.opendata.source import PublishedDeliberation, published, with_inferred_matter
from registre.opendata.validate import (
    ROW_CONSTRAINTS,
    Problem,
    RowConstraint,
    column_names,
    schema_descriptor,
    validate_csv,
)

__all__ = [
    "COLUMNS",
    "LEVEL_1",
    "LEVEL_2",
    "REQUIRED",
    "ROW_CONSTRAINTS",
    "Column",
    "Gap",
    "Matter",
    "MatterGuess",
    "Problem",
    "PublishedDeliberation",
    "RowConstraint",
    "ScdlRow",
    "column_names",
    "csv_text",
    "decided",
    "fold",
    "gaps",
    "infer_matter",
    "level_2",
    "popolo_document",
    "popolo_json",
    "published",
    "scdl_row",
    "scdl_rows",
    "schema_descriptor",
    "validate_csv",
    "with_inferred_matter",
]
