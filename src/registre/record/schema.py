"""The JSON Schema of the canonical record, generated from the dataclasses.

`docs/record.schema.json` is this function's output; a test fails when they drift.
"""

from __future__ import annotations

import json
from typing import Any

from registre.record.fields import Shape, specs
from registre.record.lifecycle import LifecycleEvent
from registre.record.model import SCHEMA_VERSION, MeetingRecord

_SCALAR: dict[str, dict[str, Any]] = {
    "str": {"type": "string", "minLength": 1},
    "int": {"type": "integer", "minimum": 0},
    "bool": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "time": {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$"},
}


def _shape(shape: Shape, defs: dict[str, Any]) -> dict[str, Any]:
    if shape.kind == "array":
        assert shape.item is not None
        out: dict[str, Any] = {"type": "array", "items": _shape(shape.item, defs)}
    elif shape.kind == "object":
        assert shape.cls is not None
        _define(shape.cls, defs)
        out = {"$ref": f"#/$defs/{shape.cls.__name__}"}
    elif shape.kind == "enum":
        assert shape.enum is not None
        out = {"enum": [m.value for m in shape.enum]}
    else:
        out = dict(_SCALAR[shape.kind])
    if shape.nullable:
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def _define(cls: type, defs: dict[str, Any]) -> None:
    name = cls.__name__
    if name in defs:
        return
    defs[name] = {}  # placeholder against recursion
    props: dict[str, Any] = {}
    for spec in specs(cls):
        prop = _shape(spec.shape, defs)
        if spec.pattern:
            prop = _with_pattern(prop, spec.pattern)
        if spec.doc:
            prop = {"description": spec.doc, **prop}
        props[spec.json_name] = prop
    defs[name] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": props,
        "required": [s.json_name for s in specs(cls) if s.required],
        "additionalProperties": False,
    }


def _with_pattern(prop: dict[str, Any], pattern: str) -> dict[str, Any]:
    if "anyOf" in prop:
        return {"anyOf": [{**prop["anyOf"][0], "pattern": pattern}, prop["anyOf"][1]]}
    return {**prop, "pattern": pattern}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a MeetingRecord and of lifecycle events."""
    defs: dict[str, Any] = {}
    _define(MeetingRecord, defs)
    _define(LifecycleEvent, defs)
    root = dict(defs.pop("MeetingRecord"))
    root["properties"] = {**root["properties"], "schema_version": {"const": SCHEMA_VERSION}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://registre.example/schema/meeting-record-v{SCHEMA_VERSION}.json",
        "title": "MeetingRecord",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def json_schema_text() -> str:
    """The schema as the text stored in docs/record.schema.json."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
