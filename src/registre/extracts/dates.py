"""French dates as documents write them: "jeudi 23 novembre 2023", "1er juin",
"17/04/2014", and in words: "le vingt trois Juillet deux mille vingt"."""

from __future__ import annotations

import re
from datetime import date

from registre.extracts.names import fold

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
_UNITS = {
    "zero": 0, "un": 1, "une": 1, "premier": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "cent": 100, "mille": 1000,
}  # fmt: skip
_MONTH_RE = "|".join(MONTHS)
_NUMERIC = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})\b")
_WRITTEN = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({_MONTH_RE})\s+((?:19|20)\d{{2}})\b")
_NUM = r"(?:zero|une?|premier|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante|cent|mille|et|\d{1,2})"
_NUMS = rf"{_NUM}(?:[\s-]+{_NUM})*"
_IN_WORDS = re.compile(
    rf"\b({_NUMS})\s+({_MONTH_RE})\s+((?:19|20)\d{{2}}|deux\s+mille(?:[\s-]+{_NUM})*)"
)
_YEAR_FIRST = re.compile(
    rf"\ban\s+(deux\s+mille(?:[\s-]+{_NUM})*)\s*,?\s+le\s+({_NUMS})\s+({_MONTH_RE})\b"
)


def words_to_int(text: str) -> int | None:
    """'vingt-trois' -> 23, 'deux mille vingt et un' -> 2021; None if not a number."""
    total, current = 0, 0
    tokens = [t for t in re.split(r"[\s-]+", fold(text)) if t and t != "et"]
    if not tokens:
        return None
    for token in tokens:
        if token.isdigit():
            current += int(token)
        elif token not in _UNITS:
            return None
        elif token == "mille":
            total, current = total + max(current, 1) * 1000, 0
        elif token == "cent":
            current = max(current, 1) * 100
        elif token == "vingt" and current in (4,):
            current = 80  # quatre-vingt
        else:
            current += _UNITS[token]
    return total + current


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_date(text: str) -> tuple[date, tuple[int, int]] | None:
    """The first date written in `text`, with its character span."""
    folded = fold(text)
    found: list[tuple[int, date, tuple[int, int]]] = []
    for m in _WRITTEN.finditer(folded):
        d = _safe(int(m[3]), MONTHS[m[2]], int(m[1]))
        if d:
            found.append((m.start(), d, m.span()))
    for m in _NUMERIC.finditer(folded):
        d = _safe(int(m[3]), int(m[2]), int(m[1]))
        if d:
            found.append((m.start(), d, m.span()))
    for m in _IN_WORDS.finditer(folded):
        day_words = m[1].split()[-3:]
        day = _day_in_words(day_words)
        year = int(m[3]) if m[3].isdigit() else words_to_int(m[3])
        d = _safe(year, MONTHS[m[2]], day) if day and year else None
        if d:
            found.append((m.start(), d, m.span()))
    for m in _YEAR_FIRST.finditer(folded):
        day, year = _day_in_words(m[2].split()), words_to_int(m[1])
        d = _safe(year, MONTHS[m[3]], day) if day and year else None
        if d:
            found.append((m.start(), d, m.span()))
    if not found:
        return None
    _, d, span = min(found, key=lambda f: f[0])
    return d, span


def _day_in_words(words: list[str]) -> int | None:
    """The longest tail of `words` that is a day number (1..31)."""
    for start in range(len(words)):
        value = words_to_int(" ".join(words[start:]))
        if value is not None and 1 <= value <= 31:
            return value
    return None
