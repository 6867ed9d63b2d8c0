"""The atoms of vote statements: small facts found near their words (see `tallies`).

An atom is a count attached to a vote word, "à l'unanimité", "à la majorité", "ADOPTÉ",
"Madame X ne prend pas part au vote", "dont 9 procurations", "reporté", "Pas de vote".
`find_atoms` gives them all in reading order, without those of quoted votes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeAlias

from registre.extracts.numerals import ONE_WORD_NUMERALS, parse_count
from registre.extracts.tally_patterns import (
    AFTER_COLON,
    BARE_VOTES,
    CITED_HEAD,
    CIVILITY_INSIDE,
    COLON_NEXT,
    COUNT_BEFORE_SIDE,
    LABEL_COUNT,
    MAJORITY,
    NAME_SPLIT,
    NAMES_AT_END,
    NO_VOTE,
    NOT_VOTING_PHRASE,
    OUTCOME_FIRST,
    OUTCOME_PASSIVE,
    OUTCOME_VERB,
    POSTPONED,
    PRIOR_VOTE,
    PROXIES,
    SIDE_ENDS,
    SIDE_WORD,
    TABLE_MARGIN,
    TO_THE,
    UNANIMOUS,
    VOTE_VERB_AFTER,
    VOTE_VERB_BEFORE,
    VOTE_WORD_BEFORE,
)

COUNT_SLOTS = ("for_", "against", "abstention", "not_voting")  # the slots that hold counts
_SLOT_BY_INITIAL = {"p": "for_", "c": "against", "a": "abstention", "n": "not_voting"}
_NEGATIVE_WORDS = ("rejet", "refus", "repouss")
# Words after which "pour" closes a count: "voix pour", "11 pour", "DEUX pour".
_POUR_AFTER_WORDS = (
    frozenset(
        {"voix", "vote", "votes", "aucun", "aucune", "une", "zéro", "vingts", "cent", "cents"}
    )
    | ONE_WORD_NUMERALS
)

AtomValue: TypeAlias = int | bool | tuple[str, ...]
_Windows: TypeAlias = list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Atom:
    """One fact of a statement: which Tally field it fills, with what, and where."""

    start: int
    end: int
    slot: str
    value: AtomValue


def _matches(pattern: re.Pattern[str], low: str, windows: _Windows) -> Iterator[re.Match[str]]:
    """The matches of `pattern` in each window of the lower-cased text."""
    for start, end in windows:
        yield from pattern.finditer(low, start, end)


def _counts(text: str, low: str, windows: _Windows) -> Iterator[Atom]:
    """Counts attached to a vote word, before or after it, and "dont N procurations".

    A number belongs to one word only: "POUR : 12 contre" binds 12 to "pour".
    """
    taken: set[int] = set()
    for m in _matches(SIDE_WORD, low, windows):
        found = _side_count(low, m) if not low[m.start() - 1 : m.start()].isalnum() else None
        if found is not None and found[2] not in taken:
            taken.add(found[2])
            yield Atom(found[0], found[1], _SLOT_BY_INITIAL[m[0][0]], found[3])
    for m in _matches(PROXIES, low, windows):
        value = parse_count(m["num"])
        if value is not None and m.start("num") not in taken:
            yield Atom(m.start(), m.end(), "proxies_counted", value)


def _side_count(low: str, side: re.Match[str]) -> tuple[int, int, int, int] | None:
    """The count of a vote word: (start, end, where its number starts, value)."""
    label = LABEL_COUNT.match(low, side.end())
    if label is not None:  # "POUR : 84", "Voix pour : 12"
        value = parse_count(label["num"])
        voix = VOTE_WORD_BEFORE.search(low, max(0, side.start() - 12), side.start())
        start = voix.start() if voix else side.start()
        return None if value is None else (start, label.end(), label.start("num"), value)
    if COLON_NEXT.match(low, side.end()):  # "84 ABSTENTION : 0": 84 is not abstentions
        return None
    if side[0] in ("pour", "contre") and not SIDE_ENDS.match(low, side.end()):
        return None
    before = COUNT_BEFORE_SIDE.search(low, max(0, side.start() - 48), side.start())
    value = None if before is None else parse_count(before["num"])
    if before is None or value is None:
        return None
    return before.start(), side.end(), before.start("num"), value


def _votes_label(text: str, low: str, windows: _Windows) -> Iterator[Atom]:
    """ "Vote : 13 votes" (a count for) and "Pas de vote" (no vote)."""
    for m in _matches(BARE_VOTES, low, windows):
        group = "num" if m["num"] is not None else "line_num"
        value = parse_count(m[group])
        if value is not None:
            yield Atom(m.start(group), m.end(), "for_", value)
    for m in _matches(NO_VOTE, low, windows):
        yield Atom(m.start(), m.end(), "no_vote", True)


def _not_voting_names(text: str, low: str, windows: _Windows) -> Iterator[Atom]:
    """Names written just before "ne prend(nent) pas part (au vote)" on the same line."""
    for m in _matches(NOT_VOTING_PHRASE, low, windows):
        line_start = max(text.rfind("\n", 0, m.start()), text.rfind("|", 0, m.start())) + 1
        found = NAMES_AT_END.search(text, max(line_start, m.start() - 200), m.start())
        if found is None:
            continue
        names = tuple(n for raw in NAME_SPLIT.split(found["names"]) if (n := _clean_name(raw)))
        if names:
            yield Atom(found.start(), m.end(), "not_voting_names", names)


def _clean_name(raw: str) -> str | None:
    """A person's name: from its civility if any, else at least two words."""
    civility = CIVILITY_INSIDE.search(raw)
    if civility is not None:
        return raw[civility.start() :].strip()
    return raw.strip() if len(raw.split()) >= 2 else None


def _unanimity(text: str, low: str, windows: _Windows) -> Iterator[Atom]:
    """ "à l'unanimité" (True) and "à la majorité" (False).

    "majorité" alone is no vote ("la majorité municipale"): it must follow "à la" or
    a label's colon.
    """
    for m in _matches(UNANIMOUS, low, windows):
        if m[0] == "unanimement" and not _is_voted_unanimously(low, m.start(), m.end()):
            continue
        before = TO_THE.search(low, max(0, m.start() - 8), m.start())
        yield Atom(before.start() if before else m.start(), m.end(), "unanimous", True)
    for m in _matches(MAJORITY, low, windows):
        window = max(0, m.start() - 8)
        before = TO_THE.search(low, window, m.start()) or AFTER_COLON.search(low, window, m.start())
        if before is not None:
            start = m.start() if before.re is AFTER_COLON else before.start()
            yield Atom(start, m.end(), "unanimous", False)


def _is_voted_unanimously(low: str, start: int, end: int) -> bool:
    """Whether "unanimement" qualifies a vote ("adopté unanimement"), not any consensus
    ("des compétences unanimement reconnues")."""
    return bool(
        VOTE_VERB_BEFORE.search(low, max(0, start - 30), start) or VOTE_VERB_AFTER.match(low, end)
    )


def _outcomes(text: str, low: str, windows: _Windows) -> Iterator[Atom]:
    """ "ADOPTÉ", "est rejetée", "Le Conseil Adopte", "n'est pas approuvé"."""
    for pattern in (OUTCOME_FIRST, OUTCOME_PASSIVE, OUTCOME_VERB):
        for m in _matches(pattern, low, windows):
            adopted = not m["word"].startswith(_NEGATIVE_WORDS)
            negated = "neg" in pattern.groupindex and m["neg"] is not None
            start = m.start("word") if pattern is OUTCOME_FIRST else m.start()
            yield Atom(start, m.end(), "adopted", adopted != negated)


def _postponements(text: str, low: str, windows: _Windows) -> Iterator[Atom]:
    """ "a été reporté", "Ajourné."."""
    for m in _matches(POSTPONED, low, windows):
        yield Atom(m.start(), m.end(), "postponed", True)


def _is_cited(text: str, position: int) -> bool:
    """True inside a "Vu ..." or "Considérant ..." clause: a vote of another body.

    The clause starts at the nearest line above (or at) `position` that does not
    begin with a lower-case letter; a blank line ends the search.
    """
    line_start = text.rfind("\n", 0, position) + 1
    for _ in range(8):
        line_end = text.find("\n", line_start)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        body = TABLE_MARGIN.sub("", line, count=1).lstrip()
        if not body:
            return False
        if not body[0].islower():
            return CITED_HEAD.match(body) is not None
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
    if COLON_NEXT.match(low, position + 4):
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


def find_atoms(text: str) -> list[Atom]:
    """Every atom of the text, in reading order, without those of quoted votes.

    Run over a whole page, all the patterns together cost about a microsecond per
    character in Python: each family of patterns runs only near its own words.
    """
    low = _lower(text)
    positions = {stem: _find_all(low, stem) for stem in _STEMS}
    found: list[Atom] = []
    for extract, family_stems, before, after in _EXTRACTORS:
        near = [p for stem in family_stems for p in positions[stem]]
        if near:
            found.extend(extract(text, low, _windows(low, near, before, after)))
    found.sort(key=lambda a: (a.start, a.end))
    return [
        a
        for a in found
        if not _is_cited(text, a.start)
        and not PRIOR_VOTE.search(low, max(0, a.start - 30), a.start)
    ]


_Extractor: TypeAlias = Callable[[str, str, _Windows], Iterator[Atom]]
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
