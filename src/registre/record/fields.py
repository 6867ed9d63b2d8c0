"""Introspection of the record's dataclasses, shared by the codec and the schema.

Each field is described once (`FieldSpec`): its JSON name, its type shape, whether
it may be omitted, and its constraints. The codec and the JSON Schema both read
these specs, so they cannot disagree.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Shape:
    """The type of a value: a scalar, an enum, a dataclass, or a tuple of shapes."""

    kind: str  # "str" | "int" | "bool" | "date" | "time" | "enum" | "object" | "array"
    nullable: bool = False
    item: Shape | None = None
    enum: type[StrEnum] | None = None
    cls: type | None = None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One dataclass field as it appears in JSON."""

    name: str
    json_name: str
    shape: Shape
    required: bool
    default: object
    pattern: str | None
    doc: str | None


_SCALARS: dict[object, str] = {str: "str", int: "int", bool: "bool", date: "date", time: "time"}


def shape_of(hint: object) -> Shape:
    """Translate a resolved type hint into a Shape."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"unsupported union {hint!r}")
        return dataclasses.replace(shape_of(args[0]), nullable=True)
    if origin is tuple:
        return Shape("array", item=shape_of(typing.get_args(hint)[0]))
    if hint in _SCALARS:
        return Shape(_SCALARS[hint])
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return Shape("enum", enum=hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return Shape("object", cls=hint)
    raise TypeError(f"unsupported type {hint!r}")


_SPECS: dict[type, tuple[FieldSpec, ...]] = {}


def specs(cls: type) -> tuple[FieldSpec, ...]:
    """The FieldSpecs of a record dataclass, in declaration order (computed once)."""
    known = _SPECS.get(cls)
    if known is None:
        known = _SPECS[cls] = _compute_specs(cls)
    return known


def _compute_specs(cls: type) -> tuple[FieldSpec, ...]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        has_default = f.default is not dataclasses.MISSING
        out.append(
            FieldSpec(
                name=f.name,
                json_name=f.metadata.get("json", f.name),
                shape=shape_of(hints[f.name]),
                required=not has_default,
                default=f.default if has_default else None,
                pattern=f.metadata.get("pattern"),
                doc=f.metadata.get("doc"),
            )
        )
    return tuple(out)
