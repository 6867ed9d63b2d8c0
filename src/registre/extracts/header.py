"""The facts of a meeting printed around the lists: dates, counts, officers,
collectivity, act identifier, transmission and publication.

Each search runs once over the whole (folded) text and maps its match back to the
lines it covers, for provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registre.extracts.dates import find_date
from registre.extracts.names import fold
from registre.extracts.prepare import Text, TextLine
from registre.record import AssemblyKind, CollectivityKind


@dataclass(frozen=True, slots=True)
class Found:
    """A value and the lines it was read from."""

    value: object
    lines: tuple[TextLine, ...]


_MONTHS = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
_ACT_ID = re.compile(r"\b(\d{3}-\d{9}-\d{8}-[A-Z0-9_]{1,15}-(?:DE|AR|AI|CC|AU))\b")
_COUNTS = {
    "in_office": re.compile(r"en\s+exercice\s*:?\s*(\d{1,3})\b"),
    "present": re.compile(
        rf"(?:nombre\s+de\s+presents?(?:\s+participant\s+au\s+vote)?\s*:?|\bpresents?[ \t]*:?)[ \t]*(\d{{1,3}})\b(?!\s*(?:/|h\b|{_MONTHS}))"
    ),
    "represented": re.compile(
        r"(?:nombre\s+de\s+procurations?\s*:?\s*(\d{1,3})|dont\s+(\d{1,3})\s+procurations?)"
    ),
    "voters": re.compile(
        r"(?:votants\s*:?\s*(\d{1,3})|pris\s+part\s+a\s+la\s+deliberation\s*:?\s*(\d{1,3}))"
    ),
}
_IN_WORDS_ANCHOR = re.compile(
    r"l[’']an\s+deux\s+mille|\ble\s+\w+(?:[\s-]\w+)?\s+\w+\s+deux\s+mille"
)
_DATE_ANCHORS = re.compile(
    r"seance\s+(?:publique\s+)?d[ue]|l[’']an\s+deux\s+mille|\ble\s+\w+(?:[\s-]\w+)?\s+\w+\s+deux\s+mille|s[’']est\s+reuni|conseil\s+municipal\s+du"
)
_PRESIDENT = re.compile(
    r"(?:^pr[ée]sident(?:e)?(?:\s+de\s+s[ée]ance)?\s*:\s*|sous\s+la\s+pr[ée]sidence\s+de\s+)(?P<name>[^,\n]+(?:,\s*[A-ZÀ-Ý][\w'’-]+\s+[A-ZÀ-Ý][\w'’ -]+)?)",
    re.IGNORECASE | re.MULTILINE,
)
_SECRETARY = re.compile(
    r"(?:secr[ée]taires?\s+de\s+s[ée]ance\s*:\s*(?P<a>[^.\n]+)|(?P<b>(?-i:(?:M\.|Mme|Monsieur|Madame)?\s*[A-ZÀ-Ý][\w'’-]+(?:[ \t]+[A-ZÀ-Ý][\w'’-]+){0,3}))\s+(?:a\s+)?(?:été\s+)?(?:nommée?|désignée?|élue?)\s+(?:comme\s+)?secr[ée]taire)",
    re.IGNORECASE,
)


def _found(text: Text, value: object, start: int, end: int) -> Found:
    return Found(value, text.lines_between(start, end))


def _date_after(text: Text, anchors: re.Pattern[str], reach: int) -> Found | None:
    """The first date within `reach` characters after an anchor."""
    for anchor in anchors.finditer(text.folded):
        found = find_date(text.raw[anchor.start() : anchor.start() + reach])
        if found:
            return _found(text, found[0], anchor.start(), anchor.start() + found[1][1])
    return None


def meeting_date(text: Text) -> Found | None:
    """The date of the meeting: "Séance du ...", "L'an ... le ...", "réuni ... le ..."."""
    # a date written in words survives OCR better than "Séance du {7 novembre"
    in_words = _date_after(text, _IN_WORDS_ANCHOR, 160) if "deux mille" in text.folded else None
    met = _date_after(text, re.compile(r"s[’']est\s+(?:legalement\s+)?reuni"), 160)
    return in_words or met or _date_after(text, _DATE_ANCHORS, 160) or _early_date(text)


def _early_date(text: Text) -> Found | None:
    """Minutes that open with their date ("Vendredi 29 janvier 2021, 18:30.")."""
    early = [ln for ln in text.lines if ln.text][:8]
    for line in early:
        found = find_date(line.text)
        if found:
            return Found(found[0], (line,))
    return None


def convocation_date(text: Text) -> Found | None:
    """The date the convocation was sent."""
    return _date_after(text, re.compile(r"convo(?:cation|que)"), 110)


def count(text: Text, name: str) -> Found | None:
    """A count printed by the document (members in office, present, proxies, voters)."""
    match = _COUNTS[name].search(text.folded)
    if not match:
        return None
    value = int(next(g for g in match.groups() if g is not None))
    return _found(text, value, match.start(), match.end())


def _clean_officer(name: str) -> str | None:
    # the next label joined to the name's line ("Monsieur X Secrétaire de séance : ...")
    name = re.split(r"\s+[A-ZÀ-Ý][a-zà-ÿ'’]+(?:\s+[a-zà-ÿ'’]+){0,4}\s*:", name)[0]
    if "," in name:  # "Monsieur le doyen d'âge de l'Assemblée, Max LEVITA"
        tail = name.rsplit(",", 1)[1].strip(" .")
        if re.fullmatch(r"[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*){1,4}", tail):
            name = tail
    name = re.sub(
        r"^(?:Monsieur|Madame)\s+l[ea]\s+(?:Maire|Pr[ée]sidente?)\s*,?\s*", "", name.strip()
    )
    name = re.split(r"\s+[-–]\s+(?:Maire|Pr[ée]sident)|\s*,\s*(?:Maire|Pr[ée]sident)", name)[0]
    return name.strip(" .,") or None


def president(text: Text) -> Found | None:
    """Who presides, as printed ("Président : Monsieur X", "sous la présidence de X")."""
    for anchor in re.finditer(r"presiden", text.folded):
        start = max(0, anchor.start() - 20)
        # a name may wrap onto the next line ("Monsieur le\nMaire, Philippe Saurel"); same length
        # (only after the anchor: "Président :" must stay at the start of its line)
        after = re.sub(r"(?<!\n)\n(?!\n)", " ", text.raw[anchor.start() : anchor.end() + 250])
        window = text.raw[start : anchor.start()] + after
        match = _PRESIDENT.search(window)
        if match and (name := _clean_officer(match["name"])):
            return _found(text, name, start + match.start(), start + match.end())
    return None


def secretaries(text: Text) -> Found | None:
    """The secretary of the meeting, as printed."""
    for anchor in re.finditer(r"secretaire", text.folded):
        start = max(0, anchor.start() - 90)
        match = _SECRETARY.search(text.raw, start, anchor.end() + 120)
        if match:
            name = (match["a"] or match["b"] or "").strip(" .,")
            return _found(text, name, match.start(), match.end()) if name else None
    return None


def act_ids(text: Text) -> list[Found]:
    """Every @CTES act identifier printed (an acknowledgement may stamp two)."""
    return [_found(text, m[1], m.start(), m.end()) for m in _ACT_ID.finditer(text.raw)]


def act_id(text: Text) -> Found | None:
    """The @CTES act identifier of the document: the last one printed, as a later
    transmission's acknowledgement replaces an earlier one."""
    found = act_ids(text)
    return found[-1] if found else None


def dated_after(text: Text, label: str) -> Found | None:
    """A date printed after a label ("Envoi Préfecture", "Publiée le")."""
    return _date_after(text, re.compile(label), 70)


def collectivity(raw: str) -> tuple[str | None, CollectivityKind, AssemblyKind]:
    """The collectivity's name and kind, and the assembly, from the document's words."""
    folded = fold(raw[:4000])
    kinds = (
        ("metropole", CollectivityKind.METROPOLE), ("communaute urbaine", CollectivityKind.COMMUNAUTE_URBAINE),
        ("communaute d'agglomeration", CollectivityKind.COMMUNAUTE_D_AGGLOMERATION),
        ("communaute de communes", CollectivityKind.COMMUNAUTE_DE_COMMUNES),
        ("conseil departemental", CollectivityKind.DEPARTEMENT), ("conseil regional", CollectivityKind.REGION),
        ("comite syndical", CollectivityKind.SYNDICAT),
    )  # fmt: skip
    kind = next((k for word, k in kinds if word in folded), CollectivityKind.COMMUNE)
    assembly = (
        AssemblyKind.COMITE_SYNDICAL if kind is CollectivityKind.SYNDICAT else AssemblyKind.CONSEIL
    )
    return _collectivity_name(raw[:4000]), kind, assembly


def _collectivity_name(raw: str) -> str | None:
    patterns = (
        r"\b((?:Ville|Commune)\s+d[e']\s*[A-ZÀ-Ý][\w'’ -]+?)(?:\s*[,.\n]|\s+s['’]est|\s+\(|$)",
        r"\bde\s+([A-ZÀ-Ý][\w'’-]+\s+m[ée]tropole)\b",
        r"\b(?:COMMUNE|commune)\s+(?:de|DE)\s+([A-ZÀ-Ý][A-ZÀ-Ý'’ -]+[A-ZÀ-Ý])",
        r"\bde\s+([A-ZÀ-Ý]{3,}(?:[ -][A-ZÀ-Ý]{2,})*)\b",
    )
    for pattern in patterns:
        match = re.search(pattern, raw, re.MULTILINE)
        if match:
            return re.sub(r"\s+", " ", match[1]).strip()
    return None
