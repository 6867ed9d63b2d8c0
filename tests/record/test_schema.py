"""docs/record.schema.json is the generated schema, and it accepts what the codec accepts.

A tiny validator for the subset of JSON Schema the generator uses lives here, so
that no dependency is added; it refuses any keyword it does not know, so a change
of the generator cannot silently escape these tests.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from factories import DELETE, set_pointer
from registre.errors import RecordFormatError
from registre.record import loads
from registre.record.schema import json_schema, json_schema_text

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "record.schema.json"
RECORD_MD = ROOT / "docs" / "record.md"

_ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description"}
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


class Validator:
    """Validates instances against `root` for the keywords the generator uses."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.keywords: dict[str, Callable[[Any, Any, dict[str, Any], str], list[str]]] = {
            "$ref": self._ref,
            "type": self._type,
            "enum": self._enum,
            "const": self._const,
            "anyOf": self._any_of,
            "required": self._required,
            "properties": self._properties,
            "additionalProperties": self._additional,
            "items": self._items,
            "minimum": self._minimum,
            "minLength": self._min_length,
            "pattern": self._pattern,
            "format": self._format,
        }

    def errors(self, instance: Any, schema: dict[str, Any], path: str = "") -> list[str]:
        """The errors of `instance` against `schema`: JSON pointer, then the reason."""
        out: list[str] = []
        for key, rule in schema.items():
            if key in _ANNOTATIONS:
                continue
            check = self.keywords.get(key)
            assert check is not None, f"mot-clé non pris en charge par le validateur : {key}"
            out += check(instance, rule, schema, path)
        return out

    def resolve(self, ref: str) -> dict[str, Any]:
        """The schema a local reference (#/...) points to."""
        assert ref.startswith("#/"), f"référence non locale : {ref}"
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return dict(node)

    def _ref(self, instance: Any, ref: str, _: dict[str, Any], path: str) -> list[str]:
        return self.errors(instance, self.resolve(ref), path)

    def _type(self, instance: Any, kind: str, _: dict[str, Any], path: str) -> list[str]:
        return [] if _TYPES[kind](instance) else [f"{path}: type {kind} attendu"]

    def _enum(self, instance: Any, values: list[Any], _: dict[str, Any], path: str) -> list[str]:
        ok = isinstance(instance, str) and instance in values
        return [] if ok else [f"{path}: {instance!r} hors de {values}"]

    def _const(self, instance: Any, value: Any, _: dict[str, Any], path: str) -> list[str]:
        ok = instance == value and type(instance) is type(value)
        return [] if ok else [f"{path}: {value!r} attendu"]

    def _any_of(
        self, instance: Any, options: list[dict[str, Any]], _: dict[str, Any], path: str
    ) -> list[str]:
        """No error if one option fits; for a nullable value (X or null), X's errors."""
        found = [self.errors(instance, option, path) for option in options]
        if not all(found):
            return []
        not_null = [e for o, e in zip(options, found, strict=True) if o != {"type": "null"}]
        if len(not_null) == 1 and instance is not None:
            return not_null[0]
        return [f"{path}: aucune des formes admises"]

    def _required(self, instance: Any, names: list[str], _: dict[str, Any], path: str) -> list[str]:
        if not isinstance(instance, dict):
            return []
        return [f"{path}/{name}: manquant" for name in names if name not in instance]

    def _properties(
        self, instance: Any, props: dict[str, Any], _: dict[str, Any], path: str
    ) -> list[str]:
        if not isinstance(instance, dict):
            return []
        out: list[str] = []
        for name, sub in props.items():
            if name in instance:
                out += self.errors(instance[name], sub, f"{path}/{name}")
        return out

    def _additional(
        self, instance: Any, allowed: bool, schema: dict[str, Any], path: str
    ) -> list[str]:
        assert allowed is False, "seul additionalProperties: false est pris en charge"
        if not isinstance(instance, dict):
            return []
        known = schema.get("properties", {})
        return [f"{path}/{name}: champ en trop" for name in instance if name not in known]

    def _items(self, instance: Any, sub: dict[str, Any], _: dict[str, Any], path: str) -> list[str]:
        if not isinstance(instance, list):
            return []
        out: list[str] = []
        for i, item in enumerate(instance):
            out += self.errors(item, sub, f"{path}/{i}")
        return out

    def _minimum(self, instance: Any, low: int, _: dict[str, Any], path: str) -> list[str]:
        if _TYPES["integer"](instance) and instance < low:
            return [f"{path}: {instance} < {low}"]
        return []

    def _min_length(self, instance: Any, low: int, _: dict[str, Any], path: str) -> list[str]:
        if isinstance(instance, str) and len(instance) < low:
            return [f"{path}: chaîne trop courte"]
        return []

    def _pattern(self, instance: Any, pattern: str, _: dict[str, Any], path: str) -> list[str]:
        if isinstance(instance, str) and not re.search(pattern, instance):
            return [f"{path}: {instance!r} ne suit pas {pattern}"]
        return []

    def _format(self, instance: Any, name: str, _: dict[str, Any], path: str) -> list[str]:
        assert name == "date", f"format non pris en charge : {name}"
        if isinstance(instance, str) and not _is_date(instance):
            return [f"{path}: date invalide {instance!r}"]
        return []


def validate(instance: Any, schema: dict[str, Any], root: dict[str, Any]) -> list[str]:
    """The errors of `instance` against `schema`, whose references point into `root`."""
    return Validator(root).errors(instance, schema)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json_schema()


@pytest.fixture(scope="module")
def demo_text() -> str:
    return files("registre").joinpath("demo/dijon-2023-11-23.json").read_text(encoding="utf-8")


@pytest.fixture
def demo(demo_text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(demo_text)
    return data


def test_schema_file_is_generated() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema_text(), (
        "docs/record.schema.json ne correspond plus au modèle : lancer `make schema` "
        "pour le régénérer, puis le committer."
    )


def test_schema_text_is_the_schema() -> None:
    assert json.loads(json_schema_text()) == json_schema()


def test_every_ref_resolves(schema: dict[str, Any]) -> None:
    refs = re.findall(r'"\$ref": "([^"]+)"', json_schema_text())
    assert refs
    for ref in set(refs):
        assert Validator(schema).resolve(ref)["type"] == "object"


def test_schema_validates_the_dijon_demo(
    schema: dict[str, Any], demo: dict[str, Any], demo_text: str
) -> None:
    loads(demo_text)  # the codec accepts it too
    assert validate(demo, schema, schema) == []


def test_record_md_example_is_a_record(schema: dict[str, Any]) -> None:
    """The example of docs/record.md follows the schema and is read by the codec."""
    blocks = re.findall(r"```json\n(.*?)```", RECORD_MD.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1
    assert validate(json.loads(blocks[0]), schema, schema) == []
    record = loads(blocks[0])
    assert record.deliberations[0].vote is not None
    assert record.deliberations[0].vote.for_ == 84


def test_schema_validates_lifecycle_events(schema: dict[str, Any]) -> None:
    event_schema = {"$ref": "#/$defs/LifecycleEvent"}
    good = {
        "kind": "signed",
        "on": "2023-11-24",
        "deliberation": "20231123_01",
        "capacity": "president",
    }
    assert validate(good, event_schema, schema) == []
    assert validate({"kind": "signed"}, event_schema, schema) == ["/on: manquant"]
    assert validate({**good, "on": "2023-02-30"}, event_schema, schema) == [
        "/on: date invalide '2023-02-30'"
    ]


# (what is wrong, JSON pointer changed, new value or DELETE, the expected error)
_BROKEN: list[tuple[str, str, Any, str]] = [
    ("missing required key", "/meeting/date", DELETE, "/meeting/date: manquant"),
    ("missing nested key", "/deliberations/0/subject", DELETE, "/deliberations/0/subject: manquant"),
    ("extra key", "/deliberations/0/vote/pour", 84, "/deliberations/0/vote/pour: champ en trop"),
    ("extra top-level key", "/commentaire", "x", "/commentaire: champ en trop"),
    ("negative integer", "/deliberations/0/vote/against", -1, "/deliberations/0/vote/against: -1 < 0"),
    ("bad enum value", "/deliberations/0/outcome", "adoptee", "/deliberations/0/outcome: 'adoptee' hors de"),
    ("null where required", "/collectivity/kind", None, "/collectivity/kind: None hors de"),
    ("wrong type", "/meeting/members_in_office", "86", "/meeting/members_in_office: type integer attendu"),
    ("boolean for integer", "/deliberations/0/vote/for", True, "/deliberations/0/vote/for: type integer attendu"),
    ("empty string", "/deliberations/0/subject", "", "/deliberations/0/subject: chaîne trop courte"),
    ("pattern", "/collectivity/siren", "24210041", "/collectivity/siren: '24210041' ne suit pas"),
    ("impossible date", "/meeting/date", "2023-11-31", "/meeting/date: date invalide"),
    ("schema version", "/schema_version", 2, "/schema_version: 1 attendu"),
    ("member id not a string", "/deliberations/0/attendance/present/0", 7,
     "/deliberations/0/attendance/present/0: type string attendu"),
]  # fmt: skip


def _broken(demo: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    """A copy of `demo` with the value at `pointer` replaced (or deleted)."""
    doc = copy.deepcopy(demo)
    set_pointer(doc, pointer, value)
    return doc


@pytest.mark.parametrize(
    ("pointer", "value", "expected"),
    [pytest.param(p, v, e, id=name) for name, p, v, e in _BROKEN],
)
def test_schema_rejects_wrong_documents(
    schema: dict[str, Any], demo: dict[str, Any], pointer: str, value: Any, expected: str
) -> None:
    doc = _broken(demo, pointer, value)
    errors = validate(doc, schema, schema)
    assert len(errors) == 1, errors
    assert errors[0].startswith(expected), errors
    with pytest.raises(RecordFormatError):  # the codec refuses it as well
        loads(json.dumps(doc, ensure_ascii=False))


def test_null_and_alternatives(schema: dict[str, Any], demo: dict[str, Any]) -> None:
    vote_schema = {"$ref": "#/$defs/Vote"}
    assert (
        validate({**demo["deliberations"][0]["vote"], "against": None}, vote_schema, schema) == []
    )
    either = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    assert validate("x", either, schema) == validate(3, either, schema) == []
    assert validate(None, either, schema) == [": aucune des formes admises"]
    assert validate(-1, {"type": "integer", "minimum": 0}, schema) == [": -1 < 0"]
    with pytest.raises(AssertionError, match="non pris en charge"):
        validate(1, {"maximum": 3}, schema)
