"""The public JSON form of a reading: the record, where each field came from, the
doubts, the passages not interpreted, the events and the rules' findings.

`result_data(result, findings)` is what `registre read --json` prints and what
each line of `registre read DOSSIER -o résultats.jsonl` holds (with a `file`
key in front). `read_schema()` is its JSON Schema; `docs/read.schema.json` is
that function's output, and a test fails when they drift.

The `record` member is exactly the canonical MeetingRecord JSON
(`registre.record.to_data`), described by `docs/record.schema.json`, whose
definitions the read schema embeds.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any

from registre.extracts.document import Method
from registre.extracts.result import ReadResult, Span
from registre.record import to_data
from registre.record.schema import json_schema
from registre.rules import Code, Finding, Severity

__all__ = ["READ_SCHEMA_VERSION", "finding_data", "read_schema", "read_schema_text", "result_data"]

# Version of the document below (not of the record, which has its own).
READ_SCHEMA_VERSION = 1

KEYS = (
    "schema_version",
    "source",
    "method",
    "pages",
    "record",
    "provenance",
    "doubts",
    "unread",
    "events",
    "findings",
)


def _span_data(span: Span) -> dict[str, Any]:
    return {"page": span.page, "lines": [span.first_line, span.last_line]}


def finding_data(finding: Finding) -> dict[str, Any]:
    """A finding as JSON data, in the shape of `registre check --json`."""
    return {
        "code": finding.code.value,
        "severity": finding.severity.value,
        "article": finding.article,
        "message": finding.message,
        "pointer": finding.pointer,
        "deliberation": finding.deliberation,
    }


def result_data(result: ReadResult, findings: Sequence[Finding]) -> dict[str, Any]:
    """The public JSON data of a reading and of the findings on its record."""
    return {
        "schema_version": READ_SCHEMA_VERSION,
        "source": result.source,
        "method": result.method.value,
        "pages": result.pages,
        "record": to_data(result.record),
        "provenance": {pointer: _span_data(span) for pointer, span in result.provenance},
        "doubts": [{"pointer": d.pointer, "reason": d.reason} for d in result.doubts],
        "unread": [
            {**_span_data(u.span), "text": u.text, "reason": u.reason} for u in result.unread
        ],
        "events": [to_data(event) for event in result.events],
        "findings": [finding_data(f) for f in findings],
    }


# --- the schema ----------------------------------------------------------------------

_STRING: dict[str, Any] = {"type": "string"}
_POSITIVE: dict[str, Any] = {"type": "integer", "minimum": 1}
_POINTER: dict[str, Any] = {
    "type": "string",
    "pattern": "^(/([^~/]|~[01])*)*$",
    "description": "JSON pointer (RFC 6901) into `record`",
}


def _object(description: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


_LINES: dict[str, Any] = {
    "type": "array",
    "description": "first and last line numbers (counted from 1 across the document)",
    "items": _POSITIVE,
    "minItems": 2,
    "maxItems": 2,
}

_OWN_DEFS: dict[str, Any] = {
    "Span": _object(
        "Where a value was read: a page and its first and last lines.",
        {"page": _POSITIVE, "lines": _LINES},
    ),
    "Doubt": _object(
        "A field read with low confidence, and why (French).",
        {"pointer": _POINTER, "reason": _STRING},
    ),
    "Unread": _object(
        "A passage that could not be interpreted, and why (French).",
        {"page": _POSITIVE, "lines": _LINES, "text": _STRING, "reason": _STRING},
    ),
    "Finding": _object(
        "What a rule found, as in `registre check --json`.",
        {
            "code": {"enum": [c.value for c in Code]},
            "severity": {"enum": [s.value for s in Severity]},
            "article": _STRING,
            "message": _STRING,
            "pointer": {"type": "string", "description": "JSON pointer into `record`"},
            "deliberation": {
                "anyOf": [_STRING, {"type": "null"}],
                "description": "number of the item concerned; null for the meeting",
            },
        },
    ),
}


def read_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `result_data`'s document.

    Its `record` property is the MeetingRecord schema; the definitions of
    `registre.record.schema.json_schema()` are embedded in `$defs`.
    """
    record = json_schema()
    record_defs: dict[str, Any] = record.pop("$defs")
    for key in ("$schema", "$id"):
        record.pop(key)
    clash = set(record_defs) & {*_OWN_DEFS, "MeetingRecord"}
    assert not clash, f"definitions named twice: {sorted(clash)}"
    properties: dict[str, Any] = {
        "schema_version": {"const": READ_SCHEMA_VERSION},
        "source": {"type": "string", "description": "the file read, as given"},
        "method": {
            "enum": [m.value for m in Method],
            "description": "how the text was obtained",
        },
        "pages": {"type": "integer", "minimum": 0},
        "record": {"$ref": "#/$defs/MeetingRecord"},
        "provenance": {
            "type": "object",
            "description": "where each field of `record` was read, by JSON pointer",
            "propertyNames": _POINTER,
            "additionalProperties": {"$ref": "#/$defs/Span"},
        },
        "doubts": {"type": "array", "items": {"$ref": "#/$defs/Doubt"}},
        "unread": {"type": "array", "items": {"$ref": "#/$defs/Unread"}},
        "events": {
            "type": "array",
            "description": "lifecycle events the document states (signature, publication...)",
            "items": {"$ref": "#/$defs/LifecycleEvent"},
        },
        "findings": {"type": "array", "items": {"$ref": "#/$defs/Finding"}},
    }
    assert tuple(properties) == KEYS
    defs = {**record_defs, "MeetingRecord": record, **copy.deepcopy(_OWN_DEFS)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://registre.example/schema/read-result-v{READ_SCHEMA_VERSION}.json",
        "title": "ReadResult",
        "description": (
            "A published document read by registre: the record, the provenance of its "
            "fields, the doubts, the passages not interpreted and the rules' findings."
        ),
        "type": "object",
        "properties": properties,
        "required": list(KEYS),
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def read_schema_text() -> str:
    """The schema as the text stored in docs/read.schema.json."""
    return json.dumps(read_schema(), ensure_ascii=False, indent=2) + "\n"
