"""Attendance lists: present, absent, represented, and every way of writing a proxy.

A list starts at its label ("Présents :", "Membres absents :", "Absents ayant voté
par procuration ... :", "Procurations :", "Excusés :") and runs while the lines
look like names. Entries are separated by commas, semicolons, slashes, spaced
dashes or, in lists without commas, by line breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from registre.extracts.names import fold
from registre.extracts.prepare import TextLine


class ListKind(StrEnum):
    """What a labelled list holds."""

    PRESENT = "present"
    ABSENT = "absent"
    PROXIES = "proxies"
    SUBSTITUTE = "substitute"


_LABELS = (
    (
        ListKind.PROXIES,
        re.compile(
            r"^(?:absents?\s+ayant\s+vote\s+par\s+procuration|procurations?|pouvoirs?|(?:membres\s+)?representes?|absents?\s+representes?)\b[^:]{0,140}:"
        ),
    ),
    (
        ListKind.PRESENT,
        re.compile(
            r"^(?:(?:etaient|sont)\s+)?(?:membres\s+|conseillers\s+)?presents?(?:\s+a\s+la\s+seance)?\s*:"
        ),
    ),
    (
        ListKind.ABSENT,
        re.compile(
            r"^(?:membres\s+|conseillers\s+)?(?:absents?|absentes?|excuses?|excusees?)(?:\s+(?:non\s+)?excus\w*)?\s*:"
        ),
    ),
)
_ROLE_WORDS = re.compile(
    r"\b(?:maire|adjoints?|adjointes?|1[èe]re?\s+adjointe?|\d[èe]me\s+adjointe?|d[ée]l[ée]gu[ée]e?s?|conseill[eè]re?s?(?:\s+municipa(?:l|le|ux))?)\b\.?",
    re.IGNORECASE,
)
_PROXY = re.compile(
    r"^(?P<giver>.+?)\s*[(,]?\s*(?:qui\s+)?(?:a\s+donn[ée]\s+|donne\s+|ayant\s+donn[ée]\s+)?(?:pouvoir|procuration|mandat)(?:\s+donn[ée]e?)?\s*(?:[àa]|au)?\s+(?P<holder>[^)]+?)\s*\)?$",
    re.IGNORECASE,
)
_REPRESENTED_BY = re.compile(
    r"^(?P<giver>.+?)\s*[(,]?\s*(?:repr[ée]sent[ée]e?\s+)?par\s+(?P<holder>[^)]+?)\s*\)?$",
    re.IGNORECASE,
)
_SUBSTITUTE = re.compile(
    r"^(?P<sub>.+?)\s*\(?\s*(?:remplace|rempla[çc]ant(?:e)?\s+de|suppl[ée]ant(?:e)?\s+de)\s+(?P<titular>[^)]+?)\s*\)?$",
    re.IGNORECASE,
)
_PROXY_WORDS = re.compile(r"pouvoir|procuration|mandat")
_MARKER = re.compile(r"\(\s*(?:pr|p)\s*(?P<stars>\*+)\s*\)", re.IGNORECASE)
_NO_PROXY = re.compile(r"\(\s*pas\s+de\s+pouvoir[^)]*\)|\(\s*sans\s+pouvoir\s*\)", re.IGNORECASE)
# separators lead with a literal so the split does not try a pattern at every space;
# the parts are stripped afterwards ("JUVIN - Catherine", "UPPHOFF- Philippe", "A, B")
_SEPARATORS = re.compile(r"[,;/–—]+|\s-+|-+\s|\set\s+(?=(?:M\.|Mme|Monsieur|Madame|[A-ZÀ-Ý]))")
_BROKEN_NAME = re.compile(r"-[ \t]*\n\s*")  # patterns start with a literal: fast to scan
_WRAPPED_NAME = re.compile(r"\n(?=[ \t]*[A-ZÀ-Ý]{2,})")
_PLAIN_SEPARATORS = re.compile(r"[,;/–—]+")
_INNER_CIVILITY = re.compile(r"(?<=\S)\s+(?=(?:Monsieur|Madame|Mademoiselle|M\.|Mme|Mlle)\s)")
_LABEL_WORDS = (
    ("procurations", ListKind.PROXIES), ("procuration", ListKind.PROXIES), ("pouvoirs", ListKind.PROXIES),
    ("presents", ListKind.PRESENT), ("absents", ListKind.ABSENT), ("excuses", ListKind.ABSENT),
)  # fmt: skip
_NOT_LABELS = {"president", "presidente", "presidence", "presentation", "absence", "procedure"}
_STATUS_WORD = re.compile(r"absent|excus|pr[ée]sent", re.IGNORECASE)
_NAME_STATUS = re.compile(
    r"^(?P<name>[A-ZÀ-Ý][\w'’ -]{1,40}?)\s*:\s*(?P<status>(?:absente?s?|excus[ée]e?s?|pr[ée]sente?s?)(?:\s+non)?(?:\s+excus[ée]e?s?)?)\s*\.?$",
    re.IGNORECASE,
)
_LOWER_OK = {
    "d", "d'", "van", "von", "da", "di", "del", "dos", "excuse", "excusee", "excuses", "excusees",
    "absent", "absente", "absents", "adjoint", "adjointe", "adjoints", "maire", "delegue",
    "deleguee", "conseiller", "conseillere", "municipal", "municipale", "donnee", "procuration",
}  # fmt: skip
_NAMEISH = re.compile(r"^[\w'’.\-–—()*,;/ ]+$")


class Entry(NamedTuple):
    """One entry of a list: a name, or a proxy (giver, holder)."""

    kind: ListKind
    name: str
    holder: str | None = None
    marker: str | None = None
    line: TextLine | None = None


@dataclass(slots=True)
class Block:
    """A labelled list and its lines."""

    kind: ListKind
    label_line: int
    lines: list[TextLine] = field(default_factory=list)
    first_text: str = ""


@lru_cache(maxsize=1 << 14)
def label_of(text: str) -> tuple[ListKind, int] | None:
    """The list kind a line's label announces, and where the list text starts."""
    folded = fold(text)
    for kind, pattern in _LABELS:
        match = pattern.match(folded)
        if match:
            return kind, match.end()
    return _garbled_label(folded)


def _garbled_label(folded: str) -> tuple[ListKind, int] | None:
    """A label misread by OCR ("Procutations.:"): one word close to a label, then ":"."""
    match = re.match(r"^([a-z]{6,14})[\s.,;]*:", folded)
    if not match or match[1] in _NOT_LABELS:
        return None
    for word, kind in _LABEL_WORDS:
        if SequenceMatcher(None, match[1], word).ratio() >= 0.88:
            return kind, match.end()
    return None


def status_entries(lines: list[TextLine]) -> list[tuple[Entry, TextLine]]:
    """Lines that give one member's status after the name ("Maryline : absente non excusée")."""
    found = []
    for line in lines:
        if ":" not in line.text or not _STATUS_WORD.search(line.text):
            continue
        match = _NAME_STATUS.match(line.text)
        if match and _looks_like_names(match["name"]):
            kind = (
                ListKind.PRESENT if fold(match["status"]).startswith("present") else ListKind.ABSENT
            )
            found.append((Entry(kind, match["name"].strip()), line))
    return found


_STARTS_LABEL = re.compile(
    r"^(?:absents?|procurations?|pouvoirs?|membres|excuses?|ordre\s+du\s+jour)\b(?!.*:)"
)
_CIVILITY_START = re.compile(r"^(?:Monsieur|Madame|Mademoiselle|M\.|Mme|Mlle)\s", re.IGNORECASE)
_LINKS = {
    "pouvoir", "pouvoirs", "procuration", "procurations", "donne", "donnee", "a", "au", "par",
    "represente", "representee", "de", "du", "des", "le", "la", "et", "pas", "ayant", "mandat", "qui",
}  # fmt: skip


@lru_cache(maxsize=1 << 14)
def _looks_like_names(text: str) -> bool:
    """Whether a line can belong to a list of names: no digits, no sentence, mostly
    capitalised words; lower-case words only those that link names ("pouvoir à")."""
    if not text or len(text) > 400 or not _NAMEISH.match(text) or re.search(r"\d", text):
        return False
    words = [w for w in re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]*", text) if fold(w) not in _LINKS]
    if any(w[:1].islower() and fold(w) not in _LOWER_OK for w in words):
        return False  # a sentence ("Luc PETIT arrive.") or a title ("Election d'un Adjoint")
    capital = sum(1 for w in words if w[:1].isupper())
    return bool(words) and capital >= 0.6 * len(words)


def _broken_after_hyphen(block: Block) -> bool:
    """The list's last line ends inside a name ("JUILLARD-"), continued after a blank."""
    last = block.lines[-1].text if block.lines else block.first_text
    return last.rstrip().endswith("-")


def _resumes_list(text: str) -> bool:
    """After a blank line a list goes on only with lines that can only be names: a
    civility ("Monsieur François REBSAMEN", columns of one list) or several names
    separated by commas. A title after a list ("Association FESTIVAL RADIO
    FRANCE") does not."""
    return bool(_CIVILITY_START.match(text)) or text.count(",") >= 2


def _is_surname(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def find_blocks(lines: list[TextLine]) -> list[Block]:
    """The attendance lists of a document, with the lines that belong to each."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        text, used = lines[index].text, 1
        found = label_of(text)
        if found is None and index + 1 < len(lines) and _STARTS_LABEL.match(fold(text)):
            text, used = f"{text} {lines[index + 1].text}", 2  # a label broken over two lines
            found = label_of(text)
        if found is None:
            index += 1
            continue
        kind, start = found
        block = Block(kind, index, first_text=text[start:].strip())
        label = index
        index = _collect(lines, index + used, block)
        if not block.lines and not block.first_text:
            block.lines = _orphaned(lines, label, blocks)
        blocks.append(block)
    return blocks


def _orphaned(lines: list[TextLine], label: int, before: list[Block]) -> list[TextLine]:
    """A list printed just above its own label (extraction order): the comma-separated
    name lines that end right before the label, when no other list holds them."""
    taken = {id(ln) for block in before for ln in block.lines}
    found: list[TextLine] = []
    index = label - 1
    while index >= 0 and not lines[index].text:
        index -= 1
    while index >= 0 and lines[index].text and id(lines[index]) not in taken:
        if label_of(lines[index].text) or not _looks_like_names(lines[index].text):
            break
        found.insert(0, lines[index])
        index -= 1
    return found if sum(ln.text.count(",") for ln in found) >= 3 else []


def _collect(lines: list[TextLine], index: int, block: Block) -> int:
    """Add following name lines to `block`; blank lines are allowed between columns."""
    blanks = 0
    while index < len(lines):
        text = lines[index].text
        if not text:
            blanks += 1
            if blanks > 3:
                break
        elif (
            label_of(text)
            or _STARTS_LABEL.match(fold(text))
            or not _looks_like_names(text)
            or (blanks > 2 and not block.lines and not block.first_text)
            or (blanks and not _resumes_list(text) and not _broken_after_hyphen(block))
        ):
            break
        else:
            blanks = 0
            block.lines.append(lines[index])
        index += 1
    return index


def entries(block: Block) -> tuple[list[Entry], list[str]]:
    """The entries of a list, and the problems met (empty slots)."""
    texts = ([block.first_text] if block.first_text else []) + [ln.text for ln in block.lines]
    raw = "\n".join(texts)
    if "-\n" in raw or "- \n" in raw:  # a name broken after its hyphen ("JUILLARD-")
        raw = _BROKEN_NAME.sub(lambda m: "-" if raw[m.start() - 1].isalnum() else m[0], raw)
    newline_separates = raw.count(",") < 2 and raw.count(";") < 2
    if newline_separates:
        # a line ending on a first name ("Alessandra") wraps its name onto the next line
        raw = _WRAPPED_NAME.sub(lambda m: " " if raw[m.start() - 1].islower() else m[0], raw)
    raw = raw.replace("\n", " ; " if newline_separates else " ")
    raw = re.sub(r"\((?:[^()]*)\)", lambda m: m[0].replace(",", " ").replace("/", " "), raw)
    parts = [
        name
        for chunk in _PLAIN_SEPARATORS.split(raw)
        for piece in (_SEPARATORS.split(chunk) if "-" in chunk or " et " in chunk else (chunk,))
        for name in _split_civilities(piece)
    ]
    problems = []
    out: list[Entry] = []
    for index, raw_part in enumerate(parts):
        part = raw_part.strip().strip(" .:")
        if part.startswith("et "):
            part = part[3:].strip()
        if not part:
            if 0 < index < len(parts) - 1 and not newline_separates:
                problems.append("un nom est vide entre deux virgules")
            continue
        out.extend(_entry(block.kind, part))
    return _rejoin_split_names(out), problems


def _split_civilities(part: str) -> list[str]:
    """Names printed side by side in columns, read as one line ("Monsieur A B
    Madame C D"): cut before each civility that no link word ("pouvoir à
    Monsieur X") introduces."""
    starts = [m.start() for m in _INNER_CIVILITY.finditer(part)]
    cuts = [i for i in starts if fold(part[:i].rsplit(maxsplit=1)[-1]) not in _LINKS]
    if not cuts:
        return [part]
    bounds = [0, *cuts, len(part)]
    return [part[a:b] for a, b in pairwise(bounds)]


def _rejoin_split_names(found: list[Entry]) -> list[Entry]:
    """Rejoin "Philippe ROUVIER - COROUGE": a lone upper-case word after a full name."""
    out: list[Entry] = []
    for entry in found:
        lone = " " not in entry.name and entry.name.isupper() and len(entry.name) > 2
        if lone and out and out[-1].holder is None and " " in out[-1].name:
            kind = entry.kind if entry.holder else out[-1].kind
            out[-1] = Entry(kind, f"{out[-1].name}-{entry.name}", entry.holder, out[-1].marker)
        else:
            out.append(entry)
    return out


def _entry(kind: ListKind, text: str) -> list[Entry]:
    """One entry of a list; the regular expressions run only where their words are."""
    low = fold(text)
    star = None
    if "*" in text:
        marker = _MARKER.search(text)
        star = marker["stars"] if marker else None
        text = _MARKER.sub("", text)
    replaces = _SUBSTITUTE.match(text) if "rempla" in low or "suppl" in low else None
    if replaces:  # "X remplace Y", "X (suppléant de Y)": X sits for the titular Y (L5211-6)
        return [
            Entry(ListKind.SUBSTITUTE, _strip_roles(replaces["sub"]), replaces["titular"].strip())
        ]
    if "pas de pouvoir" in low or "sans pouvoir" in low:
        return [Entry(ListKind.ABSENT, _strip_roles(_NO_PROXY.sub("", text)))]
    proxy = _PROXY.match(text) if _PROXY_WORDS.search(low) else None
    if proxy is None and kind is ListKind.PROXIES and " par " in low:
        proxy = _REPRESENTED_BY.match(text)
    if proxy:
        return [
            Entry(ListKind.PROXIES, _strip_roles(proxy["giver"]), proxy["holder"].strip(), star)
        ]
    name = _strip_roles(text)
    return [Entry(kind, name, None, star)] if name else []


@lru_cache(maxsize=1 << 14)
def _strip_roles(text: str) -> str:
    return re.sub(r"\s+", " ", _ROLE_WORDS.sub("", text)).strip(" ,.-–")
