"""What the ACTES messages share: the namespaces, a safe parser, attributes."""

from __future__ import annotations

from lxml import etree

from registre.actes.errors import ActesError

NS = "http://www.interieur.gouv.fr/ACTES#v1.1-20040216"
INSEE = "http://xml.insee.fr/schema"
NSMAP = {"actes": NS, "insee": INSEE}
ENCODING = "ISO-8859-1"  # what the ministry's platform and the operators use


def parser() -> etree.XMLParser:
    """A parser that reads nothing but the bytes given: no entities expanded, no
    network, no DTD (prefecture and operator messages come from outside)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes, *, what: str) -> etree._Element:
    """The root of the XML document `data`; ActesError (French) naming `what` and
    the line when it is not well-formed."""
    try:
        return etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise ActesError(f"{what} n'est pas un XML lisible (ligne {line}) : {exc.msg}") from None


def attribute(element: etree._Element, name: str) -> str:
    """An ACTES attribute of `element`, qualified (as the schema wants) or not."""
    value = element.get(f"{{{NS}}}{name}")
    if value is None:
        value = element.get(name)
    return str(value) if value is not None else ""


def qualified(name: str) -> str:
    """`name` in the ACTES namespace, in Clark notation."""
    return f"{{{NS}}}{name}"
