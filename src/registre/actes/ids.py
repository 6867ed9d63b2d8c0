"""The @CTES act identifier: `DDD-SIREN-YYYYMMDD-NUMBER-NN`.

The ACTES v1.1 schema (attribute `IDActe`) gives its pattern:
`[0|9]{1}[0-9]{1}[A|B|0-9]{1}-[0-9]{9}-[0-9]{8}-[a-zA-Z0-9_]{1,15}-[\\p{Lu}]{2}`:
the département on three characters (`021`, `02A`, `974`), the emitter's SIREN,
the date of the decision, the collectivity's own number of the act (1 to 15
letters without accent, digits or `_`), and the nature's two letters (`DE` for a
deliberation). Parsing here is a little stricter than the schema, whose `[0|9]`
also admits a `|`: a département starts with 0 or 9.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from registre.actes.errors import ActIdError

NUMBER_CHARACTERS = "lettres sans accent, chiffres et « _ »"
NUMBER_MAX = 15
_NUMBER = re.compile(r"[A-Za-z0-9_]{1,15}")
_DEPARTEMENT = re.compile(r"[09][0-9][AB0-9]")
_ID = re.compile(
    r"(?P<dep>[09][0-9][AB0-9])-(?P<siren>[0-9]{9})-(?P<date>[0-9]{8})"
    r"-(?P<number>[A-Za-z0-9_]{1,15})-(?P<nature>[A-Z]{2})"
)


class ActNature(IntEnum):
    """The natures of act (`CodeNatureActe`), with their two-letter abbreviation."""

    DELIBERATION = 1
    REGULATORY = 2
    INDIVIDUAL = 3
    CONTRACT = 4
    BUDGET = 5
    OTHER = 6

    @property
    def abbreviation(self) -> str:
        """The `TypeAbrege` that ends the act identifier (DE, AR, AI, CC, BF, AU)."""
        return _ABBREVIATIONS[self]

    @classmethod
    def from_abbreviation(cls, text: str) -> ActNature:
        """The nature whose abbreviation is `text`; ActIdError when there is none."""
        for nature, abbreviation in _ABBREVIATIONS.items():
            if abbreviation == text:
                return nature
        known = ", ".join(_ABBREVIATIONS.values())
        raise ActIdError(f"nature d'acte « {text} » inconnue (attendu : {known})")


_ABBREVIATIONS = {
    ActNature.DELIBERATION: "DE",
    ActNature.REGULATORY: "AR",
    ActNature.INDIVIDUAL: "AI",
    ActNature.CONTRACT: "CC",
    ActNature.BUDGET: "BF",
    ActNature.OTHER: "AU",
}


@dataclass(frozen=True, slots=True)
class ActId:
    """An act identifier, part by part; `str()` gives its text."""

    departement: str
    siren: str
    decision_date: date
    number: str
    nature: ActNature = ActNature.DELIBERATION

    def __str__(self) -> str:
        day = self.decision_date.strftime("%Y%m%d")
        return f"{self.departement}-{self.siren}-{day}-{self.number}-{self.nature.abbreviation}"


def departement_code(code: str) -> str:
    """The département on the three characters of ACTES: `21` -> `021`, `2A` -> `02A`,
    `974` stays; ActIdError (French) for anything else."""
    text = code.strip().upper()
    padded = text.zfill(3) if len(text) < 3 else text
    if not _DEPARTEMENT.fullmatch(padded):
        raise ActIdError(
            f"département « {code} » invalide : trois caractères, par exemple 021, 02A ou 974"
        )
    return padded


def check_number(number: str) -> str:
    """`number` when it can be an act's number in ACTES (1 to 15 letters without
    accent, digits or `_`); otherwise ActIdError naming the first character refused
    and suggesting a number that fits."""
    if _NUMBER.fullmatch(number):
        return number
    if not number:
        raise ActIdError("le numéro de l'acte est vide")
    bad = next((c for c in number if not _NUMBER.fullmatch(c)), None)
    hint = suggested_number(number)
    advice = f" ; par exemple « {hint} »" if hint else ""
    if bad is None:
        raise ActIdError(
            f"le numéro « {number} » compte {len(number)} caractères : "
            f"{NUMBER_MAX} au plus dans l'identifiant @CTES{advice}"
        )
    raise ActIdError(
        f"le numéro « {number} » contient {_describe(bad)} : l'identifiant @CTES n'admet que "
        f"les {NUMBER_CHARACTERS}, {NUMBER_MAX} au plus{advice}"
    )


def suggested_number(number: str) -> str | None:
    """A number that fits the pattern, made from `number`: separators become `_`,
    accents are dropped; None when nothing usable remains or it is too long."""
    plain = "".join(_unaccented(c) for c in number)
    parts = re.split(r"[^A-Za-z0-9]+", plain)
    candidate = "_".join(p for p in parts if p)
    return candidate if candidate and len(candidate) <= NUMBER_MAX else None


def _unaccented(char: str) -> str:
    return unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode() or char


def _describe(char: str) -> str:
    names = {" ": "une espace", "\u00a0": "une espace insécable", "\t": "une tabulation"}
    return names.get(char, f"le caractère « {char} »")


def build_act_id(
    departement: str, siren: str, decision_date: date, number: str,
    nature: ActNature = ActNature.DELIBERATION,
) -> ActId:  # fmt: skip
    """The identifier of an act from its parts; ActIdError (French) naming the part
    that does not fit (département, SIREN, number)."""
    if not re.fullmatch(r"[0-9]{9}", siren or ""):
        raise ActIdError(f"SIREN « {siren} » invalide : neuf chiffres")
    return ActId(departement_code(departement), siren, decision_date, check_number(number), nature)


def parse_act_id(text: str) -> ActId:
    """The parts of an act identifier such as `034-213401722-20140405-2014196-DE`;
    ActIdError (French) saying which part is wrong."""
    found = _ID.fullmatch(text.strip())
    if found is None:
        raise ActIdError(_why_not(text.strip()))
    raw = found["date"]
    try:
        day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        raise ActIdError(f"identifiant « {text} » : la date {raw} n'existe pas") from None
    nature = ActNature.from_abbreviation(found["nature"])
    return ActId(found["dep"], found["siren"], day, found["number"], nature)


def _why_not(text: str) -> str:
    """Which part of a would-be identifier does not fit, for the message."""
    parts = text.split("-")
    head = f"identifiant @CTES « {text} » invalide"
    if len(parts) != 5:
        return f"{head} : cinq parties séparées par « - » attendues (DDD-SIREN-AAAAMMJJ-NUMÉRO-NN)"
    checks = (
        (_DEPARTEMENT, "le département (trois caractères, par exemple 021)"),
        (re.compile(r"[0-9]{9}"), "le SIREN (neuf chiffres)"),
        (re.compile(r"[0-9]{8}"), "la date (AAAAMMJJ)"),
        (_NUMBER, f"le numéro ({NUMBER_CHARACTERS}, {NUMBER_MAX} au plus)"),
        (re.compile(r"[A-Z]{2}"), "la nature (deux majuscules, DE pour une délibération)"),
    )
    for index, (part, (pattern, label)) in enumerate(zip(parts, checks, strict=True)):
        if index == 3 and not pattern.fullmatch(part):
            try:
                check_number(part)
            except ActIdError as exc:
                return f"{head} : {exc}"
        if not pattern.fullmatch(part):
            return f"{head} : « {part} » n'est pas {label}"
    return head
