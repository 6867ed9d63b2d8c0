"""French numbers as written in vote statements: digits or words, 0 to 999."""

from __future__ import annotations

import re
import unicodedata

_UNITS = (
    "zero", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
    "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize",
)  # fmt: skip
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int) -> str:
    """French words for 0..99, hyphenated (1990 spelling), "un" for 1."""
    if n < 17:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    if n < 70:
        tens, unit = divmod(n, 10)
        if unit == 0:
            return _TENS[tens]
        return _TENS[tens] + ("-et-un" if unit == 1 else "-" + _UNITS[unit])
    if n < 80:
        return "soixante-" + ("et-onze" if n == 71 else _below_100(n - 60))
    return "quatre-vingt" + ("" if n == 80 else "-" + _below_100(n - 80))


def _french(n: int) -> str:
    """French words for 0..999."""
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _below_100(n)
    head = "cent" if hundreds == 1 else _UNITS[hundreds] + "-cent"
    return head if not rest else f"{head}-{_below_100(rest)}"


def _numeral_table() -> dict[str, int]:
    """Every numeral 0..999 in normal form; "vingt-un" (no "et") is accepted too."""
    table: dict[str, int] = {}
    for n in range(1000):
        words = _french(n)
        table[words] = n
        table.setdefault(words.replace("-et-", "-"), n)
    return table


_NUMERALS = _numeral_table()
_SEPARATORS = re.compile(r"[\s\-‐‑–]+")
_DIGITS = re.compile(r"[0-9]+")
_PLURALS = {"une": "un", "vingts": "vingt", "cents": "cent"}


def _fold(word: str) -> str:
    """Lower case without accents: "Zéro" and "ZERO" are the same word."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_number(word: str) -> int | None:
    """An integer written in digits or in French words ("84", "DEUX", "vingt-et-un").

    Words cover 0 to 999, in any case, with hyphens or spaces, "une" for "un" and
    the plurals "quatre-vingts", "deux cents". Anything else gives None.
    """
    word = word.strip()
    if _DIGITS.fullmatch(word):
        return int(word)
    tokens = [_PLURALS.get(t, t) for t in _SEPARATORS.split(_fold(word)) if t]
    return _NUMERALS.get("-".join(tokens)) if tokens else None


def parse_count(word: str) -> int | None:
    """The value of a count word: a numeral, or "aucun(e)" for zero."""
    return 0 if _fold(word).startswith("aucun") else parse_number(word)


# The numerals written in one word ("zero", "un" ... "seize", "vingt" ... "soixante").
ONE_WORD_NUMERALS = frozenset(_UNITS).union(_TENS.values())
