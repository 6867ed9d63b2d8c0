"""Vote statements of French council minutes and extracts, read into a `Tally`.

The parser reads what is written and nothing more: a count, a unanimity, an outcome
that the text does not state stays `None`. It finds small facts ("atoms": a count
attached to a vote word, "à l'unanimité", "à la majorité", "ADOPTÉ", "Madame X ne
prend pas part au vote", "dont 9 procurations", "reporté", "Pas de vote") and groups
the atoms that sit close together into statements.

Decisions worth knowing:

* A number counts only when it is attached to a vote word: "13 voix POUR", "POUR : 84",
  "2 contre", "1 abstention", "dont 9 PROCURATION(S)". Amounts, dates, times, article
  and deliberation numbers never are.
* A bare "N votes" / "N voix" counts as `for_` only right after a "Vote :" label
  ("Vote : 13 votes"): the label says the line is the result, and no other side is
  written. Anywhere else it is ignored ("élu avec 13 voix" is not a tally).
* `unanimous` comes from words only: "unanimité" gives True, "à la majorité" False;
  counts never set it ("12 votes pour" leaves it None).
* `adopted` comes from words only ("adopté", "Adoption à", "Le Conseil Adopte",
  "est rejetée", "le conseil refuse"); "6 voix contre, 5 pour" leaves it None.
* "Madame X ne prend pas part au vote" gives the name, not a count: `not_voting` stays
  None unless a number is written.
* "reporté" / "ajourné" give `postponed=True`; "Pas de vote" gives `no_vote=True`.
* Votes quoted in a "Vu ..." or "Considérant ..." clause are another body's: ignored.
* "dont N procurations" is kept only after written counts (in a margin it is the
  attendance count, not part of the vote).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeAlias


@dataclass(frozen=True, slots=True)
class Tally:
    """One vote statement: what is not written is None (or empty, or False)."""

    for_: int | None = None
    against: int | None = None
    abstention: int | None = None
    not_voting: int | None = None
    unanimous: bool | None = None
    proxies_counted: int | None = None
    adopted: bool | None = None
    not_voting_names: tuple[str, ...] = ()
    span: tuple[int, int] | None = None
    postponed: bool = False
    no_vote: bool = False


# --- French numerals ---------------------------------------------------------------

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


# --- Patterns ----------------------------------------------------------------------

_HS = r"[^\S\n]"  # a space that is not a line break
_SP = rf"{_HS}*\n?{_HS}*"  # spacing inside one statement: at most one line break
_NUMBER_WORDS = (
    r"z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize"
    r"|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?"
)
_WORD_TOKEN = rf"(?:{_NUMBER_WORDS})\b"
_JOIN = rf"(?:[-‐]|{_HS})+"
_WORDS = rf"\b{_WORD_TOKEN}(?:(?:{_JOIN}et)?{_JOIN}{_WORD_TOKEN})*"
# Digits that are not part of a date, an amount, an article number, a time or a unit.
_DIGIT_COUNT = (
    r"(?<![\w.,/°])(?<!\d[-–])(?<!\d[^\S\n])(?<!°\s)[0-9]{1,3}"
    r"(?![0-9]|[.,][0-9]|\s?[0-9]{3}\b)"
    r"(?!\s*(?:€|euros?\b|%|ans?\b|mois\b|jours?\b|heures?\b|h\b|[hH]\s?[0-9]|m\b|m²|km|ha\b))"
)
_NUM = rf"(?P<num>{_DIGIT_COUNT}|{_WORDS}|\baucune?\b)"
_ABSTENTION = r"ab?st?entions?"  # "absentions": a typo found in real minutes
_NOT_VOTING = (
    r"nppv\b|ne\s+(?:prend|prennent)\s+pas\s+part\s+au\s+vote"
    r"|ne\s+se\s+prononcen?t?\s+pas|ne\s+participen?t?\s+pas\s+au\s+vote"
)
_SIDE = rf"(?P<for_>pour)|(?P<against>contre)|(?P<abstention>{_ABSTENTION})|(?P<not_voting>{_NOT_VOTING})"
# "pour"/"contre" are also prepositions: after the count only an end, a punctuation,
# another number or another vote word may follow ("5 pour la commune" is no vote).
_AFTER_SIDE = (
    rf"(?!{_HS}*[:=])(?(abstention)|(?(not_voting)|"
    rf"(?![-‐][^\W\d])(?!{_HS}+(?:cent|mille)\b)"
    rf"(?={_HS}*(?:$|[^\w\s]|\d|(?:et|ou|voix|votes?|abs\w*|ne|nppv|dont|contre|pour)\b|{_WORDS}))))"
)
_FLAGS = re.MULTILINE  # patterns run on lower-cased text: IGNORECASE is slow

_COUNT_AFTER = re.compile(rf"{_NUM}{_SP}(?:(?:voix|votes?|suffrages?){_SP})?(?:{_SIDE})\b{_AFTER_SIDE}", _FLAGS)
_COUNT_BEFORE = re.compile(rf"(?<!\w)(?:(?:voix|votes?){_HS}+)?(?:{_SIDE}){_HS}*[:=]{_SP}{_NUM}", _FLAGS)
_BARE_VOTES = re.compile(
    rf"(?<!\w)vo[tr]e{_HS}*[;:]+{_SP}{_NUM}{_HS}+(?:votes?|voix)\b"
    rf"(?!{_SP}(?:pour|contre|blancs?|nuls?|d['’]ab|{_ABSTENTION})\b)",
    _FLAGS,
)
_PROXIES = re.compile(
    rf"\bdont{_SP}{_NUM}{_SP}(?:procurations?|pouvoirs?|mandats?)(?:\(s\))?", _FLAGS
)
_UNANIMOUS = re.compile(
    r"(?:\b[àa]\s+l['’]\s*)?\bunani\w{0,3}t[ée]s?\b(?:\s+des\s+(?:membres\s+présents"
    r"|suffrages\s+exprimés|voix\s+exprimées|votants|présents)(?:\s+et\s+représentés)?)?"
    r"|\bunanimement\b",
    _FLAGS,
)
_MAJORITY = re.compile(
    r"(?:\b[àa]\s+la\s+|(?<=[:;]\s)|(?<=[:;]))majorit[ée]\b(?:\s+(?:absolue|relative|simple"
    r"|qualifiée|des\s+(?:voix|suffrages(?:\s+exprimés)?|membres\s+présents|présents|votants)))?",
    _FLAGS,
)
_NOT_VOTING_PHRASE = re.compile(r"\bne\s+(?:prend|prennent)\s+pas\s+part\b", _FLAGS)
_CIVILITY = r"(?:Madame|Monsieur|Mademoiselle|Mmes|Mme|Mlle|MM\.|M\.|Mr\.?|Dr\.?)"
_NAME_TOKEN = r"(?:(?:de|du|des)\s+|d['’])?[A-ZÀ-ÖØ-Þ][\w'’\-]*"
_NAME = rf"(?:{_CIVILITY}\s*)?{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,5}}"
_NAMES_AT_END = re.compile(rf"(?P<names>{_NAME}(?:\s*(?:,|\bet\b)\s*{_NAME})*)[\s,]*\Z")
_NAME_SPLIT = re.compile(r"\s*(?:,|\bet\b)\s*")
_CIVILITY_INSIDE = re.compile(rf"\b{_CIVILITY}")
# Outcomes. Written first on a line (or after a sentence), "ADOPTÉ" must be followed by
# an end or a vote ("Adoption du budget" is a heading, not an outcome).
_OUTCOME_FOLLOW = (
    rf"(?={_HS}*(?:$|[.,;!)]|:?{_HS}*(?:(?:[àa]|par|avec){_HS}+)?(?:\d|{_WORDS}|l['’]\s*unani|la\s+majorit)))"
)
_OUTCOME_FIRST = re.compile(
    r"(?:^|(?<=[.;:!?]\s))(?:[^\S\n]|[|*•>\-–—])*"
    r"(?P<word>adopt[ée]e?s?|adoption|approuv[ée]e?s?|rejet[ée]?e?s?|refus[ée]e?s?)\b"
    + _OUTCOME_FOLLOW,
    _FLAGS,
)
_OUTCOME_PASSIVE = re.compile(
    r"(?<!\bqui\s)\b(?P<neg>n['’]\s*)?(?:(?:est|sont)(?:\s+(?:donc|pas))?"
    r"|(?:a|ont)\s+(?:(?:donc|pas)\s+)?été)"
    r"\s+(?P<word>adopt|approuv|valid|rejet|refus|repouss)[ée]e?s?\b"
    r"(?!\s+(?:le|du|en\s+date|lors)\b)",
    _FLAGS,
)
_OUTCOME_VERB = re.compile(
    r"\b(?:l[ea]\s+|l['’]\s*)?(?:conseil|assembl[ée]e|comit[ée]|bureau)\b[^.;\n]{0,80}?"
    r"(?P<neg>\bne\s+|\bn['’])?\b(?P<word>adopte|approuve|valide|rejette|refuse)\b(?(neg)\s+pas\b)",
    _FLAGS,
)
_POSTPONED = re.compile(
    r"\b(?:est|sont|a|ont)\s+(?:donc\s+)?(?:été\s+)?(?:report|ajourn|diff[ée]r)[ée]e?s?\b"
    r"|(?:^|(?<=[.;:!?]\s))[^\S\n]*(?:report[ée]e?s?|ajourn[ée]e?s?)\b(?=[^\S\n]*(?:$|[.,;]|\s+(?:à|au)\s))",
    _FLAGS,
)
_NO_VOTE = re.compile(
    r"\bpas\s+de\s+vote\b|\bsans\s+vote\b|\bne\s+donnen?t?\s+pas\s+lieu\s+[àa]\s+(?:un\s+)?vote\b"
    r"|\b(?:non|pas)\s+soumise?s?\s+au\s+vote\b",
    _FLAGS,
)
# A label that opens a statement, included in its span: "Vote :", "SCRUTIN", "Par :".
_LABEL_BEFORE = re.compile(
    r"(?<!\w)(?:vo[tr]e[^\S\n]*[;:]+|r[ée]sultats?(?:\s+du\s+vote)?[^\S\n]*:|scrutin|par[^\S\n]*:?)"
    r"[^\S\n]*\n?[^\S\n]*\Z",
    re.IGNORECASE,
)
_CITED_HEAD = re.compile(r"(?:vu|considérant|considerant|attendu|rappelant)\b", re.IGNORECASE)
_TABLE_MARGIN = re.compile(r"^\s*\|[^|\n]*\||^[\s|]+")
_BLANK_LINE = re.compile(r"\n[\s|]*\n")
_ALNUM = re.compile(r"[^\W_]")
_SPACES = re.compile(r"[\s|]+")
_MAX_GAP = 80  # "Madame X ne prend pas part au vote, le conseil ... décide à la majorité"
# Words that any atom contains ("entio": abstention, absention); "pour" is tested apart.
_TRIGGERS = (
    "contre", "entio", "nppv", "prononc", "pas part", "particip", "unani", "majorit",
    "adopt", "approuv", "valid", "rejet", "refus", "repouss", "report", "ajourn",
    "différ", "differ", "vote", "vore", "voix", "scrutin",
)  # fmt: skip
_POUR_AFTER = re.compile(r"[^\S\n]*[:=]")
_POUR_BEFORE = re.compile(rf"(?:[0-9]|\b(?:voix|votes?|aucune?|{_NUMBER_WORDS})\b){_SP}\Z")
_BEFORE_TRIGGER = 80  # a count, a name or "Vote :" before the word, maybe a line above
_AFTER_TRIGGER = 160  # the rest of the statement ("... DONT 9 PROCURATION(S)")


# --- Atoms -------------------------------------------------------------------------

_COUNT_SLOTS = ("for_", "against", "abstention", "not_voting")
_STRONG_SLOTS = frozenset({*_COUNT_SLOTS, "unanimous", "not_voting_names"})
_NEGATIVE_WORDS = ("rejet", "refus", "repouss")

_Value: TypeAlias = int | bool | tuple[str, ...]


_Windows: TypeAlias = list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class _Atom:
    """One fact of a statement: which Tally field it fills, with what, and where."""

    start: int
    end: int
    slot: str
    value: _Value


def _count(word: str) -> int | None:
    """The value of a count word: a numeral, or "aucun(e)" for zero."""
    return 0 if _fold(word).startswith("aucun") else parse_number(word)


def _side(match: re.Match[str]) -> str:
    """The Tally field named by the group that matched ("for_", "against", ...)."""
    return next(slot for slot in _COUNT_SLOTS if match.group(slot) is not None)


def _matches(pattern: re.Pattern[str], low: str, windows: _Windows) -> Iterator[re.Match[str]]:
    """The matches of `pattern` in each window of the lower-cased text."""
    for start, end in windows:
        yield from pattern.finditer(low, start, end)


def _counts(low: str, windows: _Windows) -> Iterator[_Atom]:
    """Counts attached to a vote word, before or after it, and "Vote : N votes"."""
    for pattern in (_COUNT_AFTER, _COUNT_BEFORE):
        for m in _matches(pattern, low, windows):
            value = _count(m["num"])
            if value is not None:
                yield _Atom(m.start(), m.end(), _side(m), value)
    for m in _matches(_BARE_VOTES, low, windows):
        value = _count(m["num"])
        if value is not None:
            yield _Atom(m.start("num"), m.end(), "for_", value)
    for m in _matches(_PROXIES, low, windows):
        value = _count(m["num"])
        if value is not None:
            yield _Atom(m.start(), m.end(), "proxies_counted", value)


def _not_voting_names(text: str, low: str, windows: _Windows) -> Iterator[_Atom]:
    """Names written just before "ne prend(nent) pas part (au vote)" on the same line."""
    for m in _matches(_NOT_VOTING_PHRASE, low, windows):
        line_start = max(text.rfind("\n", 0, m.start()), text.rfind("|", 0, m.start())) + 1
        found = _NAMES_AT_END.search(text, max(line_start, m.start() - 200), m.start())
        if found is None:
            continue
        names = tuple(n for raw in _NAME_SPLIT.split(found["names"]) if (n := _clean_name(raw)))
        if names:
            yield _Atom(found.start(), m.end(), "not_voting_names", names)


def _clean_name(raw: str) -> str | None:
    """A person's name: from its civility if any, else at least two words."""
    civility = _CIVILITY_INSIDE.search(raw)
    if civility is not None:
        return raw[civility.start() :].strip()
    return raw.strip() if len(raw.split()) >= 2 else None


def _words(low: str, windows: _Windows) -> Iterator[_Atom]:
    """Unanimity, majority, outcome, postponement and "no vote" written in words."""
    for m in _matches(_UNANIMOUS, low, windows):
        yield _Atom(m.start(), m.end(), "unanimous", True)
    for m in _matches(_MAJORITY, low, windows):
        yield _Atom(m.start(), m.end(), "unanimous", False)
    for pattern in (_OUTCOME_FIRST, _OUTCOME_PASSIVE, _OUTCOME_VERB):
        for m in _matches(pattern, low, windows):
            adopted = not _fold(m["word"]).startswith(_NEGATIVE_WORDS)
            negated = "neg" in pattern.groupindex and m["neg"] is not None
            start = m.start("word") if pattern is _OUTCOME_FIRST else m.start()
            yield _Atom(start, m.end(), "adopted", adopted != negated)
    for m in _matches(_POSTPONED, low, windows):
        yield _Atom(m.start(), m.end(), "postponed", True)
    for m in _matches(_NO_VOTE, low, windows):
        yield _Atom(m.start(), m.end(), "no_vote", True)


def _is_cited(text: str, position: int) -> bool:
    """True inside a "Vu ..." or "Considérant ..." clause: a vote of another body.

    The clause starts at the nearest line above (or at) `position` that does not
    begin with a lower-case letter; a blank line ends the search.
    """
    line_start = text.rfind("\n", 0, position) + 1
    for _ in range(8):
        line_end = text.find("\n", line_start)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        body = _TABLE_MARGIN.sub("", line, count=1).lstrip()
        if not body:
            return False
        if not body[0].islower():
            return _CITED_HEAD.match(body) is not None
        if line_start == 0:
            return False
        line_start = text.rfind("\n", 0, line_start - 1) + 1
    return False


def _lower(text: str) -> str:
    """The text in lower case, each character at the same position as in `text`."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)  # "İ" grows


def _trigger_positions(low: str) -> Iterator[int]:
    """Where a vote word occurs; "pour" only where it may close or open a count."""
    for stem in _TRIGGERS:
        position = low.find(stem)
        while position >= 0:
            yield position
            position = low.find(stem, position + 1)
    position = low.find("pour")
    while position >= 0:
        if _POUR_AFTER.match(low, position + 4) or _POUR_BEFORE.search(
            low, max(0, position - 16), position
        ):
            yield position
        position = low.find("pour", position + 1)


def _windows(low: str) -> _Windows:
    """Whole lines around the vote words, merged: the only places worth matching.

    Python's regular expressions cost about a microsecond per character for all the
    patterns together; scanning only near a vote word keeps a page well under 1 ms.
    """
    windows: list[tuple[int, int]] = []
    for position in sorted(_trigger_positions(low)):
        start = low.rfind("\n", 0, max(0, position - _BEFORE_TRIGGER)) + 1
        end = low.find("\n", min(len(low), position + _AFTER_TRIGGER))
        end = len(low) if end < 0 else end
        if windows and start <= windows[-1][1] + 1:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _atoms(text: str) -> list[_Atom]:
    """Every atom of the text, in reading order, without those of quoted votes."""
    low = _lower(text)
    windows = _windows(low)
    found = [*_counts(low, windows), *_not_voting_names(text, low, windows), *_words(low, windows)]
    found.sort(key=lambda a: (a.start, a.end))
    return [a for a in found if not _is_cited(text, a.start)]


# --- Statements --------------------------------------------------------------------


def _gap_ok(gap: str) -> bool:
    """Two atoms belong to one statement when little text separates them."""
    if _BLANK_LINE.search(gap) and _ALNUM.search(gap):
        return False
    return len(_SPACES.sub(" ", gap).strip()) <= _MAX_GAP


def _joins(group: list[_Atom], atom: _Atom, text: str) -> bool:
    """Whether `atom` continues the statement `group` (same slot twice: a new one)."""
    if any(a.slot == atom.slot for a in group):
        return False
    if atom.slot == "proxies_counted" and not any(a.slot in _COUNT_SLOTS for a in group):
        return False
    end = max(a.end for a in group)
    return _gap_ok(text[end : atom.start]) if atom.start > end else True


def _groups(atoms: list[_Atom], text: str) -> list[list[_Atom]]:
    """Atoms grouped into statements; a lone "dont N procurations" is no statement."""
    groups: list[list[_Atom]] = []
    for atom in atoms:
        if groups and _joins(groups[-1], atom, text):
            groups[-1].append(atom)
        elif atom.slot != "proxies_counted":
            groups.append([atom])
    return groups


def _span(group: list[_Atom], text: str, floor: int) -> tuple[int, int]:
    """The statement's span, widened to an opening label ("Vote :", "SCRUTIN", "Par :")."""
    start, end = group[0].start, max(a.end for a in group)
    label = _LABEL_BEFORE.search(text, max(floor, start - 40), start)
    return (label.start() if label else start), end


def _tally(group: list[_Atom], span: tuple[int, int]) -> Tally:
    """The Tally that a statement's atoms describe."""
    values: dict[str, _Value] = {a.slot: a.value for a in group}

    def number(slot: str) -> int | None:
        value = values.get(slot)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def flag(slot: str) -> bool | None:
        value = values.get(slot)
        return value if isinstance(value, bool) else None

    names = values.get("not_voting_names")
    return Tally(
        for_=number("for_"), against=number("against"), abstention=number("abstention"),
        not_voting=number("not_voting"), unanimous=flag("unanimous"),
        proxies_counted=number("proxies_counted"), adopted=flag("adopted"),
        not_voting_names=names if isinstance(names, tuple) else (), span=span,
        postponed=flag("postponed") is True, no_vote=flag("no_vote") is True,
    )  # fmt: skip


def find_tallies(text: str) -> tuple[Tally, ...]:
    """Every vote statement of `text`, in reading order."""
    tallies: list[Tally] = []
    floor = 0
    for group in _groups(_atoms(text), text):
        span = _span(group, text, floor)
        tallies.append(_tally(group, span))
        floor = span[1]
    return tuple(tallies)


def is_vote(tally: Tally) -> bool:
    """Whether a statement says how the vote went (counts, unanimity, majority, names).

    "ADOPTÉ", "reporté" or "Pas de vote" alone are statements, but not a vote.
    """
    return any(
        value is not None
        for value in (tally.for_, tally.against, tally.abstention, tally.not_voting, tally.unanimous)
    ) or bool(tally.not_voting_names)


def parse_tally(text: str) -> Tally | None:
    """The main vote statement of a passage, or None if it has none.

    That is the first statement that says how the vote went; failing that, the first
    statement of an outcome, a postponement or "no vote" ("Le Conseil Adopte.").
    """
    tallies = find_tallies(text)
    return next((t for t in tallies if is_vote(t)), tallies[0] if tallies else None)
