"""Canonical JSON form of records: encode, decode with French errors, round-trip.

The canonical form keeps the declaration order of fields, writes every key
(unknown values as `null`), UTF-8 without escapes, two-space indentation and a
final newline, so that JSON -> record -> JSON gives back the same text.
"""

from __future__ import annotations

import json
import re
from datetime import date, time
from enum import StrEnum
from typing import Any, TypeVar

from registre.errors import RecordFormatError
from registre.record.fields import FieldSpec, Shape, specs
from registre.record.integrity import check_integrity
from registre.record.model import SCHEMA_VERSION, MeetingRecord

T = TypeVar("T")

_KIND_FR = {
    "str": "une chaîne de caractères",
    "int": "un nombre entier positif ou nul",
    "bool": "true ou false",
    "date": "une date (AAAA-MM-JJ)",
    "time": "une heure (HH:MM)",
    "enum": "une valeur de la liste admise",
    "object": "un objet JSON ({...})",
    "array": "une liste JSON ([...])",
}


def to_data(obj: object) -> Any:
    """Encode a record value into plain JSON data, in canonical key order."""
    kind = type(obj)
    # exact types first: member ids and texts are most of a record (StrEnum is a str too)
    if kind is str or kind is int or kind is bool or obj is None:
        return obj
    if kind is tuple:
        items: tuple[object, ...] = obj  # type: ignore[assignment]
        return list(items) if all(type(v) is str for v in items) else [to_data(v) for v in items]
    if isinstance(obj, (bool, int, str)):
        return obj.value if isinstance(obj, StrEnum) else obj
    if isinstance(obj, (date, time)):
        return _moment(obj)
    if isinstance(obj, tuple):
        return [to_data(v) for v in obj]
    return {s.json_name: to_data(getattr(obj, s.name)) for s in specs(kind)}


def _moment(value: date | time) -> str:
    if isinstance(value, time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    return value.isoformat()


def dumps(obj: object) -> str:
    """The canonical JSON text of a record value."""
    return json.dumps(to_data(obj), ensure_ascii=False, indent=2) + "\n"


def canonical_bytes(obj: object) -> bytes:
    """Compact, key-sorted UTF-8 JSON: the form to hash and sign."""
    text = json.dumps(to_data(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise RecordFormatError(f"la clé « {key} » apparaît deux fois dans le même objet")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise RecordFormatError(f"la valeur {name} n'est pas admise en JSON")


def parse_json(text: str) -> Any:
    """Parse JSON text, refusing duplicate keys, NaN and Infinity, in French."""
    if not text.strip():
        raise RecordFormatError("le document est vide ; un objet JSON est attendu", pointer="")
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise RecordFormatError(
            f"JSON invalide à la ligne {exc.lineno}, colonne {exc.colno} ({_json_reason(exc)})",
            pointer="",
        ) from None


def _json_reason(exc: json.JSONDecodeError) -> str:
    reasons = {
        "Expecting value": "valeur attendue",
        "Expecting property name enclosed in double quotes": "nom de champ entre guillemets attendu",
        "Expecting ',' delimiter": "virgule attendue",
        "Expecting ':' delimiter": "deux-points attendu",
        "Extra data": "texte en trop après l'objet",
        "Unterminated string starting at": "chaîne non terminée",
        "Invalid control character at": "caractère de contrôle dans une chaîne",
    }
    return reasons.get(exc.msg, exc.msg)


def from_data(cls: type[T], data: Any, pointer: str = "") -> T:
    """Decode plain JSON data into the dataclass `cls`, or raise RecordFormatError."""
    if not isinstance(data, dict):
        raise RecordFormatError(
            f"doit être {_KIND_FR['object']}, trouvé : {_kind(data)}", pointer=pointer
        )
    fields = specs(cls)
    known = {s.json_name for s in fields}
    for key in data:
        if key not in known:
            raise RecordFormatError(
                f"champ inconnu « {key} » ; champs admis : {', '.join(sorted(known))}",
                pointer=f"{pointer}/{_escape(key)}",
            )
    kwargs = {}
    for spec in fields:
        here = f"{pointer}/{spec.json_name}"
        if spec.json_name not in data:
            if spec.required:
                raise RecordFormatError(
                    f"champ obligatoire « {spec.json_name} » manquant", pointer=here
                )
            kwargs[spec.name] = spec.default
            continue
        kwargs[spec.name] = _value(spec.shape, data[spec.json_name], here, spec)
    return cls(**kwargs)


def _value(shape: Shape, data: Any, pointer: str, spec: FieldSpec | None) -> Any:
    if data is None:
        if shape.nullable:
            return None
        raise RecordFormatError("ne peut pas être null (valeur obligatoire)", pointer=pointer)
    if shape.kind == "array":
        if not isinstance(data, list):
            raise RecordFormatError(
                f"doit être {_KIND_FR['array']}, trouvé : {_kind(data)}", pointer=pointer
            )
        assert shape.item is not None
        return tuple(_value(shape.item, v, f"{pointer}/{i}", None) for i, v in enumerate(data))
    if shape.kind == "object":
        assert shape.cls is not None
        return from_data(shape.cls, data, pointer)
    return _scalar(shape, data, pointer, spec.pattern if spec else None)


def _scalar(shape: Shape, data: Any, pointer: str, pattern: str | None) -> Any:
    kind = shape.kind
    if kind == "bool" and isinstance(data, bool):
        return data
    if kind == "int" and isinstance(data, int) and not isinstance(data, bool):
        if data < 0:
            raise RecordFormatError(
                f"doit être un nombre positif ou nul, trouvé : {data}", pointer=pointer
            )
        return data
    if kind in ("str", "date", "time", "enum") and isinstance(data, str):
        return _from_string(shape, data, pointer, pattern)
    raise RecordFormatError(f"doit être {_KIND_FR[kind]}, trouvé : {_kind(data)}", pointer=pointer)


def _from_string(shape: Shape, text: str, pointer: str, pattern: str | None) -> Any:
    if shape.kind == "enum":
        assert shape.enum is not None
        try:
            return shape.enum(text)
        except ValueError:
            allowed = ", ".join(m.value for m in shape.enum)
            raise RecordFormatError(
                f"« {text} » n'est pas une valeur admise ; valeurs admises : {allowed}",
                pointer=pointer,
            ) from None
    if shape.kind == "date":
        return _date(text, pointer)
    if shape.kind == "time":
        try:
            return time.fromisoformat(text)
        except ValueError:
            raise RecordFormatError(
                f"« {text} » n'est pas une heure valide (HH:MM)", pointer=pointer
            ) from None
    if not text.strip():
        raise RecordFormatError(
            "ne peut pas être une chaîne vide ; mettre null si inconnu", pointer=pointer
        )
    if pattern and not re.fullmatch(pattern, text):
        raise RecordFormatError(
            f"« {text} » n'a pas le format attendu ({pattern})", pointer=pointer
        )
    return text


def _date(text: str, pointer: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise RecordFormatError(
            f"« {text} » n'est pas une date au format AAAA-MM-JJ", pointer=pointer
        )
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RecordFormatError(f"la date « {text} » n'existe pas", pointer=pointer) from None


def _kind(data: Any) -> str:
    if data is None or isinstance(data, bool):
        return "null" if data is None else "un booléen"
    if isinstance(data, int | float):
        return f"le nombre {data}"
    if isinstance(data, str):
        return f"le texte « {data[:40]} »"
    return "une liste" if isinstance(data, list) else "un objet"


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def loads(text: str) -> MeetingRecord:
    """Decode a MeetingRecord from its JSON text, checking shape and integrity."""
    data = parse_json(text)
    if isinstance(data, dict) and "schema_version" in data:
        version = data["schema_version"]
        if version != SCHEMA_VERSION:
            raise RecordFormatError(
                f"version de schéma {version!r} non prise en charge (attendue : {SCHEMA_VERSION})",
                pointer="/schema_version",
            )
    record = from_data(MeetingRecord, data)
    check_integrity(record)
    return record
