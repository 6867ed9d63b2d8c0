"""The prefecture's classification of a collectivity (`RetourClassification`).

Each collectivity receives from its prefecture the nomenclature of matters it must
use (levels 1 and 2 national, 3 to 5 local), with the date of its version, and the
natures of act with their types of attached file. Drafters pick the matter of a
deliberation from it; the act carries that date (`ClassificationDateVersion`).

The message is read by its structure rather than validated against the schema:
real prefecture files do not always fit it (the example shipped with STELA has
natures without any `TypePJNatureActe`, which the schema requires).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lxml import etree

from registre.actes.errors import ClassificationError
from registre.actes.xml import NS, attribute, parse_xml

MAX_LEVEL = 5


@dataclass(frozen=True, slots=True)
class Matter:
    """One matter of the nomenclature: `code` is dotted (`8.6`), `level` 1 to 5."""

    code: str
    label: str
    level: int

    @property
    def parts(self) -> tuple[int, ...]:
        """The code's numbers, level by level (`8.6` -> (8, 6))."""
        return tuple(int(p) for p in self.code.split("."))


@dataclass(frozen=True, slots=True)
class AttachmentType:
    """A type of attached file allowed for a nature (`TypePJNatureActe`)."""

    code: str
    label: str


@dataclass(frozen=True, slots=True)
class NatureEntry:
    """A nature of act as the prefecture lists it."""

    code: int
    label: str
    abbreviation: str
    attachment_types: tuple[AttachmentType, ...] = ()


@dataclass(frozen=True, slots=True)
class Classification:
    """A collectivity's classification: its version date, natures and matters (in
    the order of their codes, each level after its parent)."""

    version: date
    natures: tuple[NatureEntry, ...]
    matters: tuple[Matter, ...]

    def matter(self, code: str) -> Matter | None:
        """The matter of dotted `code`, or None when the classification has none."""
        return next((m for m in self.matters if m.code == code), None)

    def path(self, code: str) -> tuple[Matter, ...]:
        """The matters from level 1 down to `code` (empty when `code` is unknown)."""
        parts = code.split(".")
        found = [self.matter(".".join(parts[: i + 1])) for i in range(len(parts))]
        return tuple(m for m in found if m is not None) if all(found) else ()


def parse_classification(data: bytes) -> Classification:
    """Read a `RetourClassification` message (any XML encoding it declares);
    ClassificationError (French) when it is not one or lacks its date."""
    root = parse_xml(data, what="la classification")
    if etree.QName(root).localname != "RetourClassification":
        name = etree.QName(root).localname
        raise ClassificationError(
            f"ce n'est pas une classification de la préfecture (RetourClassification) mais « {name} »"
        )
    version = _version(root)
    natures = tuple(_nature(e) for e in root.iterfind(f"{{{NS}}}NaturesActes/{{{NS}}}NatureActe"))
    matters: list[Matter] = []
    for element in root.iterfind(f"{{{NS}}}Matieres/{{{NS}}}Matiere1"):
        matters.extend(_matters(element, (), 1))
    if not matters:
        raise ClassificationError("la classification ne contient aucune matière")
    return Classification(version, natures, tuple(sorted(matters, key=lambda m: m.parts)))


def _version(root: etree._Element) -> date:
    text = root.findtext(f"{{{NS}}}DateClassification")
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ClassificationError(
            f"date de la classification (DateClassification) absente ou invalide : « {text or ''} »"
        ) from None


def _nature(element: etree._Element) -> NatureEntry:
    code = attribute(element, "CodeNatureActe")
    types = tuple(
        AttachmentType(attribute(t, "CodeTypePJ"), attribute(t, "Libelle"))
        for t in element.iterfind(f"{{{NS}}}TypePJNatureActe")
    )
    if not code.isdigit():
        raise ClassificationError(f"nature d'acte sans code numérique : « {code} »")
    return NatureEntry(int(code), attribute(element, "Libelle"),
                       attribute(element, "TypeAbrege"), types)  # fmt: skip


def _matters(element: etree._Element, parents: tuple[str, ...], level: int) -> list[Matter]:
    """The matter `element` and, below it, its sub-matters (depth first)."""
    code = attribute(element, "CodeMatiere").strip()
    if not code.isdigit():
        where = ".".join(parents) or "premier niveau"
        raise ClassificationError(f"matière sans code numérique ({where}) : « {code} »")
    path = (*parents, str(int(code)))
    found = [Matter(".".join(path), " ".join(attribute(element, "Libelle").split()), level)]
    if level < MAX_LEVEL:
        for child in element.iterfind(f"{{{NS}}}Matiere{level + 1}"):
            found.extend(_matters(child, path, level + 1))
    return found
