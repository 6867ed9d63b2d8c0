"""Validation of ACTES messages against the ministry's XML Schema (ACTES v1.1).

The schemas ship in `registre/actes/xsd/` (actesv1_1.xsd and the INSEE schemas it
imports). libxml2 (through lxml) checks them; its English reasons are said again
in French, with the line, for the clerk and the operator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib.resources import as_file, files

from lxml import etree

from registre.actes.xml import parser

SCHEMA_FILE = "actesv1_1.xsd"


@cache
def _schema() -> etree.XMLSchema:
    """The ACTES v1.1 schema, loaded once (its imports are read beside it)."""
    resource = files("registre.actes").joinpath("xsd", SCHEMA_FILE)
    with as_file(resource) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def validate(xml: bytes) -> list[str]:
    """What makes `xml` invalid against ACTES v1.1, one French line each starting
    with its line number (`ligne 12 : ...`); an empty list when it is valid."""
    try:
        document = etree.fromstring(xml, parser())
    except etree.XMLSyntaxError as exc:
        return [f"ligne {exc.lineno or 1} : XML mal formé ({exc.msg})"]
    schema = _schema()
    if schema.validate(document):
        return []
    return [f"ligne {error.line} : {french_reason(error.message)}" for error in schema.error_log]


def _local(name: str) -> str:
    """`{namespace}Name` -> `Name`."""
    return re.sub(r"\{[^}]*\}", "", name)


def _names(text: str) -> str:
    return ", ".join(_local(n.strip()) for n in text.strip(" ()").split(","))


# libxml2's reasons, most frequent first, and how to say them in French.
_REASONS: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
    (r"Element '(?P<e>[^']+)': The attribute '(?P<a>[^']+)' is required but missing\.",
     lambda m: f"élément {_local(m['e'])} : l'attribut obligatoire {_local(m['a'])} manque"),
    (r"Element '(?P<e>[^']+)': Missing child element\(s\)\. Expected is (?P<x>.+)\.",
     lambda m: f"élément {_local(m['e'])} : il manque l'élément {_names(m['x'])}"),
    (r"Element '(?P<e>[^']+)': This element is not expected\. Expected is (?P<x>.+)\.",
     lambda m: f"élément {_local(m['e'])} inattendu à cet endroit (attendu : {_names(m['x'])})"),
    (r"Element '(?P<e>[^']+)': This element is not expected\.",
     lambda m: f"élément {_local(m['e'])} inattendu à cet endroit"),
    (r"(?:Element|attribute) '(?P<e>[^']+)'(?:, attribute '(?P<a>[^']+)')?: \[facet 'pattern'\] The value '(?P<v>[^']*)' is not accepted by the pattern '(?P<p>[^']*)'\.",
     lambda m: f"{_where(m)} : la valeur « {m['v']} » ne respecte pas le motif {m['p']}"),
    (r"(?:Element|attribute) '(?P<e>[^']+)'(?:, attribute '(?P<a>[^']+)')?: \[facet 'maxLength'\] The value (?:'[^']*' )?has a length of '(?P<n>\d+)'; this exceeds the allowed maximum length of '(?P<m>\d+)'\.",
     lambda m: f"{_where(m)} : {m['n']} caractères, pour {m['m']} au plus"),
    (r"(?:Element|attribute) '(?P<e>[^']+)'(?:, attribute '(?P<a>[^']+)')?: \[facet 'length'\] The value (?:'[^']*' )?has a length of '(?P<n>\d+)'; this differs from the allowed length of '(?P<m>\d+)'\.",
     lambda m: f"{_where(m)} : {m['n']} caractères au lieu de {m['m']}"),
    (r"(?:Element|attribute) '(?P<e>[^']+)'(?:, attribute '(?P<a>[^']+)')?: '(?P<v>[^']*)' is not a valid value of the (?:atomic|local atomic) type(?: '(?P<t>[^']+)')?\.",
     lambda m: f"{_where(m)} : « {m['v']} » n'est pas une valeur admise ({_type(m['t'])})"),
    (r"Element '(?P<e>[^']+)', attribute '(?P<a>[^']+)': The attribute '[^']+' is not allowed\.",
     lambda m: f"élément {_local(m['e'])} : l'attribut {_local(m['a'])} n'est pas admis"),
    (r"Element '(?P<e>[^']+)': No matching global declaration available for the validation root\.",
     lambda m: f"{_local(m['e'])} n'est pas un message ACTES v1.1 (élément racine inconnu)"),
    (r"Element '(?P<e>[^']+)': Character content other than whitespace is not allowed because the content type is 'element-only'\.",
     lambda m: f"élément {_local(m['e'])} : du texte là où seuls des éléments sont admis"),
)  # fmt: skip


def _where(found: re.Match[str]) -> str:
    element = _local(found["e"])
    return (
        f"élément {element}, attribut {_local(found['a'])}" if found["a"] else f"élément {element}"
    )


def _type(name: str | None) -> str:
    if name is None:  # a type declared in place: libxml2 does not name it
        return "valeur hors du type attendu"
    plain = _local(name).removeprefix("xs:")
    known = {"date": "une date AAAA-MM-JJ", "integer": "un nombre entier",
             "nonNegativeInteger": "un entier positif ou nul"}  # fmt: skip
    return known.get(plain, f"type {plain}")


def french_reason(message: str) -> str:
    """libxml2's reason for a validation error, in French when it is a known one
    (otherwise kept as it is, after a French lead)."""
    for pattern, say in _REASONS:
        found = re.fullmatch(pattern, message.strip())
        if found:
            return say(found)
    return f"non conforme au schéma ACTES : {_local(message.strip())}"
