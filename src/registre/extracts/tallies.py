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
* A bare "N votes" counts as `for_` only on a result line: right after a "Vote :"
  label ("Vote : 13 votes"), or alone on its line (Couthenans 2022 writes "13 votes"
  where its other items say "13 votes pour"). Anywhere else it is ignored ("élu avec
  13 voix", "13 votes blancs" are no tally).
* `unanimous` comes from words only: "unanimité" (also OCR'd "unanituité") and
  "adopté unanimement" give True, "à la majorité" False; counts never set it ("12
  votes pour" leaves it None). "la majorité municipale" and "des compétences
  unanimement reconnues" are no vote.
* `adopted` comes from words only ("adopté", "Adoption à", "Le Conseil Adopte",
  "est rejetée", "le conseil refuse"); "6 voix contre, 5 pour" leaves it None.
* "Madame X ne prend pas part au vote" gives the name, not a count: `not_voting` stays
  None unless a number is written.
* "a été reporté", "Point ajourné", "sera réalisée au prochain conseil" give
  `postponed=True`; "Pas de vote" gives `no_vote=True`.
* Votes quoted in a "Vu ..." or "Considérant ..." clause, or "déjà voté à
  l'unanimité", are another body's or an earlier one: ignored.
* "dont N procurations" is kept only after written counts (in a margin it is the
  attendance count, not part of the vote).

`parse_tally` gives the first statement that says how the vote went (counts,
unanimity, majority, names), else the first outcome-only statement; `find_tallies`
gives them all, in order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
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

_FLAGS = re.MULTILINE  # patterns run on lower-cased text: IGNORECASE is slow
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
# The leading test rejects most positions at once: this pattern is tried at each one.
_NUM = rf"\b(?=[0-9zudtqcshnova])(?P<num>{_DIGIT_COUNT}|{_WORDS}|aucune?\b)"
_NUM_AGAIN = _NUM.replace("?P<num>", "?P<line_num>")  # a group name may appear once
_ABSTENTION = r"ab?st?entions?"  # "absentions": a typo found in real minutes
_NOT_VOTING = (
    r"nppv\b|ne\s+(?:prend|prennent)\s+pas\s+part\s+au\s+vote"
    r"|ne\s+se\s+prononcen?t?\s+pas|ne\s+participen?t?\s+pas\s+au\s+vote"
)
# The vote words. The engine skips quickly to their first letters (p, c, a, n): counts
# are found from these words, the number read before or after them.
_SIDE_WORD = re.compile(rf"(?:pour|contre|{_ABSTENTION}|{_NOT_VOTING})\b", _FLAGS)
_SLOT_BY_INITIAL = {"p": "for_", "c": "against", "a": "abstention", "n": "not_voting"}
_LABEL_COUNT = re.compile(rf"{_HS}*[:=]{_SP}{_NUM}")  # "POUR : 84"
_COUNT_BEFORE_SIDE = re.compile(rf"{_NUM}{_SP}(?:(?:voix|votes?|suffrages?){_SP})?\Z")
_VOTE_WORD_BEFORE = re.compile(rf"\b(?:voix|votes?){_HS}+\Z")  # "Voix pour : 12"
_COLON_NEXT = re.compile(rf"{_HS}*[:=]")
# "pour"/"contre" are also prepositions: after the count only an end, a punctuation,
# another number or another vote word may follow ("5 pour la commune" is no vote).
_SIDE_ENDS = re.compile(
    rf"(?![-‐][^\W\d])(?!{_HS}+(?:cent|mille)\b)"
    rf"(?={_HS}*(?:$|[^\w\s]|\d|{_WORDS}"
    rf"|(?:et|ou|voix|votes?|abs\w*|ne|nppv|dont|contre|pour)\b))",
    _FLAGS,
)

# A bare "N votes" is a count for only on a result line: after "Vote :", or alone on
# its line (Couthenans 2022 writes "13 votes" where other items say "13 votes pour").
_BARE_VOTES = re.compile(
    rf"(?<!\w)vo[tr]e{_HS}*[;:]+{_SP}{_NUM}{_HS}+(?:votes?|voix)\b"
    rf"(?!{_SP}(?:pour|contre|blancs?|nuls?|d['’]ab|{_ABSTENTION})\b)"
    rf"|^{_HS}*{_NUM_AGAIN}{_HS}+votes?{_HS}*\.?{_HS}*$",
    _FLAGS,
)
# Patterns that open with a literal let the engine skip to it: the word-boundary tests
# come after it ("dont(?<!\wdont)"), and "à l'" / "à la" are read backwards in Python.
_PROXIES = re.compile(
    rf"dont(?<!\wdont){_SP}{_NUM}{_SP}(?:procurations?|pouvoirs?|mandats?)(?:\(s\))?", _FLAGS
)
# "unanituité": OCR noise in real minutes.
_UNANIMOUS = re.compile(
    r"unani(?<!\wunani)(?:mement\b|\w{0,3}t[ée]s?\b(?:\s+des\s+(?:membres\s+présents"
    r"|suffrages\s+exprimés|voix\s+exprimées|votants|présents)(?:\s+et\s+représentés)?)?)",
    _FLAGS,
)
_MAJORITY = re.compile(
    r"majorit[ée]\b(?:\s+(?:absolue|relative|simple|qualifiée"
    r"|des\s+(?:voix|suffrages(?:\s+exprimés)?|membres\s+présents|présents|votants)))?",
    _FLAGS,
)
_VOTE_VERB = r"(?:adopt|approuv|vot|décid|valid|accept|rejet|refus|délibér)\w*"
_VOTE_VERB_BEFORE = re.compile(rf"\b{_VOTE_VERB},?\s+\Z")
_VOTE_VERB_AFTER = re.compile(rf",?\s+{_VOTE_VERB}")
_TO_THE = re.compile(r"\b[àa]\s+l(?:a\s+|['’]\s*)\Z")  # "à la majorité", "à l'unanimité"
_AFTER_COLON = re.compile(r"[:;][^\S\n]*\Z")  # "Vote : majorité"
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
    rf"(?={_HS}*(?:$|[.,;!)]|:?{_HS}*(?:(?:[àa]|par|avec){_HS}+)?"
    rf"(?:\d|{_WORDS}|l['’]\s*unani|la\s+majorit)))"
)
_OUTCOME_FIRST = re.compile(
    r"(?:^|(?<=[.;:!?]\s))(?:[^\S\n]|[|*•>\-–—])*"
    r"(?P<word>adopt[ée]e?s?|adoption|approuv[ée]e?s?|rejet[ée]?e?s?|refus[ée]e?s?)\b"
    + _OUTCOME_FOLLOW,
    _FLAGS,
)
_OUTCOME_PASSIVE = re.compile(
    r"(?<!\bqui\s)\b(?P<neg>n['’]\s*)?(?:(?:est|sont)(?:\s+(?:donc|pas))?"
    r"|(?:a|ont)\s+(?:(?:donc|pas)\s+)?été)(?:\s+unanimement)?"
    r"\s+(?P<word>adopt|approuv|valid|rejet|refus|repouss)[ée]e?s?\b"
    r"(?!\s+(?:le|du|en\s+date|lors)\b)",
    _FLAGS,
)
_OUTCOME_VERB = re.compile(
    r"\b(?:l[ea]\s+|l['’]\s*)?(?:conseil|assembl[ée]e|comit[ée]|bureau)\b[^.;\n]{0,80}?"
    r"(?P<neg>\bne\s+|\bn['’])?(?:l['’]|la\s+|les?\s+)?"
    r"\b(?P<word>adopte|approuve|valide|rejette|refuse)\b"
    r"(?(neg)\s+pas\b)",
    _FLAGS,
)
_POSTPONED = re.compile(
    r"\b(?:(?:est|sont|a|ont)\s+(?:donc\s+)?(?:été\s+)?"
    r"|(?:point|question|dossier|sujet|vote|décision)s?\s+)(?:report|ajourn)[ée]e?s?\b"
    r"|(?:^|(?<=[.;:!?]\s))[^\S\n]*(?:report|ajourn)[ée]e?s?\b"
    r"(?=[^\S\n]*(?:$|[.,;]|\s+(?:à|au)\s))"
    r"|\bsera\s+\w+[ée]e?\s+(?:au|lors\s+du|lors\s+de\s+la)\s+prochaine?\s+(?:conseil|séance)"
    r"|\battendr\w*\s+(?:donc\s+)?(?:le|la)\s+prochaine?\s+(?:conseil|séance)",
    _FLAGS,
)
# "ce projet déjà voté à l'unanimité": a vote taken before, elsewhere.
_PRIOR_VOTE = re.compile(r"\b(?:déjà|précédemment)\s+(?:été\s+)?(?:vot|adopt|approuv)\w*\s+\Z")
_NO_VOTE = re.compile(
    r"\bpas\s+de\s+vote\b|\bsans\s+vote\b|\bne\s+donnen?t?\s+pas\s+lieu\s+[àa]\s+(?:un\s+)?vote\b"
    r"|\b(?:non|pas)\s+soumise?s?\s+au\s+vote\b",
    _FLAGS,
)
# A label that opens a statement, included in its span: "Vote :", "SCRUTIN", "Par :".
_LABEL_BEFORE = re.compile(
    r"(?<!\w)(?:vo[tr]e[^\S\n]*[;:]+|r[ée]sultats?(?:\s+du\s+vote)?[^\S\n]*:"
    r"|scrutin|par[^\S\n]*:?)"
    r"[^\S\n]*\n?[^\S\n]*\Z",
    re.IGNORECASE,
)
_CITED_HEAD = re.compile(r"(?:vu|considérant|considerant|attendu|rappelant)\b", re.IGNORECASE)
_TABLE_MARGIN = re.compile(r"^\s*\|[^|\n]*\||^[\s|]+")
_BLANK_LINE = re.compile(r"\n[\s|]*\n")
_ALNUM = re.compile(r"[^\W_]")
_SPACES = re.compile(r"[\s|]+")
_MAX_GAP = 80  # "Madame X ne prend pas part au vote, le conseil ... décide à la majorité"
# Words after which "pour" closes a count: "voix pour", "11 pour", "DEUX pour".
_POUR_AFTER_WORDS = frozenset(
    {"voix", "vote", "votes", "aucun", "aucune", "une", "zéro", "vingts", "cent", "cents"}
).union(_UNITS, _TENS.values())


# --- Atoms -------------------------------------------------------------------------

_COUNT_SLOTS = ("for_", "against", "abstention", "not_voting")
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


def _matches(pattern: re.Pattern[str], low: str, windows: _Windows) -> Iterator[re.Match[str]]:
    """The matches of `pattern` in each window of the lower-cased text."""
    for start, end in windows:
        yield from pattern.finditer(low, start, end)


def _counts(text: str, low: str, windows: _Windows) -> Iterator[_Atom]:
    """Counts attached to a vote word, before or after it, and "dont N procurations".

    A number belongs to one word only: "POUR : 12 contre" binds 12 to "pour".
    """
    taken: set[int] = set()
    for m in _matches(_SIDE_WORD, low, windows):
        found = _side_count(low, m) if not low[m.start() - 1 : m.start()].isalnum() else None
        if found is not None and found[2] not in taken:
            taken.add(found[2])
            yield _Atom(found[0], found[1], _SLOT_BY_INITIAL[m[0][0]], found[3])
    for m in _matches(_PROXIES, low, windows):
        value = _count(m["num"])
        if value is not None and m.start("num") not in taken:
            yield _Atom(m.start(), m.end(), "proxies_counted", value)


def _side_count(low: str, side: re.Match[str]) -> tuple[int, int, int, int] | None:
    """The count of a vote word: (start, end, where its number starts, value)."""
    label = _LABEL_COUNT.match(low, side.end())
    if label is not None:  # "POUR : 84", "Voix pour : 12"
        value = _count(label["num"])
        voix = _VOTE_WORD_BEFORE.search(low, max(0, side.start() - 12), side.start())
        start = voix.start() if voix else side.start()
        return None if value is None else (start, label.end(), label.start("num"), value)
    if _COLON_NEXT.match(low, side.end()):  # "84 ABSTENTION : 0": 84 is not abstentions
        return None
    if side[0] in ("pour", "contre") and not _SIDE_ENDS.match(low, side.end()):
        return None
    before = _COUNT_BEFORE_SIDE.search(low, max(0, side.start() - 48), side.start())
    value = None if before is None else _count(before["num"])
    if before is None or value is None:
        return None
    return before.start(), side.end(), before.start("num"), value


def _votes_label(text: str, low: str, windows: _Windows) -> Iterator[_Atom]:
    """ "Vote : 13 votes" (a count for) and "Pas de vote" (no vote)."""
    for m in _matches(_BARE_VOTES, low, windows):
        group = "num" if m["num"] is not None else "line_num"
        value = _count(m[group])
        if value is not None:
            yield _Atom(m.start(group), m.end(), "for_", value)
    for m in _matches(_NO_VOTE, low, windows):
        yield _Atom(m.start(), m.end(), "no_vote", True)


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


def _unanimity(text: str, low: str, windows: _Windows) -> Iterator[_Atom]:
    """ "à l'unanimité" (True) and "à la majorité" (False).

    "majorité" alone is no vote ("la majorité municipale"): it must follow "à la" or
    a label's colon.
    """
    for m in _matches(_UNANIMOUS, low, windows):
        if m[0] == "unanimement" and not _is_voted_unanimously(low, m.start(), m.end()):
            continue
        before = _TO_THE.search(low, max(0, m.start() - 8), m.start())
        yield _Atom(before.start() if before else m.start(), m.end(), "unanimous", True)
    for m in _matches(_MAJORITY, low, windows):
        window = max(0, m.start() - 8)
        before = _TO_THE.search(low, window, m.start()) or _AFTER_COLON.search(
            low, window, m.start()
        )
        if before is not None:
            start = m.start() if before.re is _AFTER_COLON else before.start()
            yield _Atom(start, m.end(), "unanimous", False)


def _is_voted_unanimously(low: str, start: int, end: int) -> bool:
    """Whether "unanimement" qualifies a vote ("adopté unanimement"), not any consensus
    ("des compétences unanimement reconnues")."""
    return bool(
        _VOTE_VERB_BEFORE.search(low, max(0, start - 30), start) or _VOTE_VERB_AFTER.match(low, end)
    )


def _outcomes(text: str, low: str, windows: _Windows) -> Iterator[_Atom]:
    """ "ADOPTÉ", "est rejetée", "Le Conseil Adopte", "n'est pas approuvé"."""
    for pattern in (_OUTCOME_FIRST, _OUTCOME_PASSIVE, _OUTCOME_VERB):
        for m in _matches(pattern, low, windows):
            adopted = not m["word"].startswith(_NEGATIVE_WORDS)
            negated = "neg" in pattern.groupindex and m["neg"] is not None
            start = m.start("word") if pattern is _OUTCOME_FIRST else m.start()
            yield _Atom(start, m.end(), "adopted", adopted != negated)


def _postponements(text: str, low: str, windows: _Windows) -> Iterator[_Atom]:
    """ "a été reporté", "Ajourné."."""
    for m in _matches(_POSTPONED, low, windows):
        yield _Atom(m.start(), m.end(), "postponed", True)


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


def _find_all(low: str, stem: str) -> list[int]:
    """Every position of `stem`; "pour" only where it may close or open a count."""
    found: list[int] = []
    position = low.find(stem)
    while position >= 0:
        if stem != "pour" or _may_count(low, position):
            found.append(position)
        position = low.find(stem, position + 1)
    return found


def _may_count(low: str, position: int) -> bool:
    """Whether the "pour" at `position` follows a number or "voix", or opens "POUR :"."""
    if _COLON_NEXT.match(low, position + 4):
        return True
    before = low[max(0, position - 16) : position].split()
    last = before[-1] if before else ""
    return last[-1:].isdigit() or last.rsplit("-", 1)[-1] in _POUR_AFTER_WORDS


def _windows(low: str, positions: list[int], before: int, after: int) -> _Windows:
    """Whole lines from `before` characters before each position to `after` after, merged."""
    windows: list[tuple[int, int]] = []
    for position in sorted(positions):
        start = low.rfind("\n", 0, max(0, position - before)) + 1
        end = low.find("\n", min(len(low), position + after))
        end = len(low) if end < 0 else end
        if windows and start <= windows[-1][1] + 1:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _atoms(text: str) -> list[_Atom]:
    """Every atom of the text, in reading order, without those of quoted votes.

    Run over a whole page, all the patterns together cost about a microsecond per
    character in Python: each family of patterns runs only near its own words.
    """
    low = _lower(text)
    positions = {stem: _find_all(low, stem) for stem in _STEMS}
    found: list[_Atom] = []
    for extract, family_stems, before, after in _EXTRACTORS:
        near = [p for stem in family_stems for p in positions[stem]]
        if near:
            found.extend(extract(text, low, _windows(low, near, before, after)))
    found.sort(key=lambda a: (a.start, a.end))
    return [
        a
        for a in found
        if not _is_cited(text, a.start)
        and not _PRIOR_VOTE.search(low, max(0, a.start - 30), a.start)
    ]


_Extractor: TypeAlias = Callable[[str, str, _Windows], Iterator[_Atom]]
# Each family of atoms: the words that any of its atoms contains ("entio": abstention,
# absention; "pour" only next to a number or a colon), and how far an atom may reach
# before and after its word.
_EXTRACTORS: tuple[tuple[_Extractor, tuple[str, ...], int, int], ...] = (
    # "QUATRE-VINGT-DIX-NEUF voix\nPOUR" before; "... : 0\n\nDONT 9 PROCURATION(S)" after
    (_counts, ("pour", "contre", "entio", "nppv", "prononc", "particip", "pas part"), 40, 60),
    (_not_voting_names, ("pas part",), 10, 20),
    (_votes_label, ("vote",), 10, 30),
    (_unanimity, ("unani", "majorit"), 30, 60),  # "... des suffrages exprimés" after
    # "Le conseil municipal, après en avoir délibéré, adopte" before
    (_outcomes, ("adopt", "approuv", "valid", "rejet", "refus", "repouss"), 100, 40),
    (_postponements, ("report", "ajourn", "prochain"), 60, 40),
)
_STEMS = frozenset(stem for _, stems, _, _ in _EXTRACTORS for stem in stems)


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
        for value in (
            tally.for_,
            tally.against,
            tally.abstention,
            tally.not_voting,
            tally.unanimous,
        )
    ) or bool(tally.not_voting_names)


def parse_tally(text: str) -> Tally | None:
    """The main vote statement of a passage, or None if it has none.

    That is the first statement that says how the vote went; failing that, the first
    statement of an outcome, a postponement or "no vote" ("Le Conseil Adopte.").
    """
    tallies = find_tallies(text)
    return next((t for t in tallies if is_vote(t)), tallies[0] if tallies else None)
