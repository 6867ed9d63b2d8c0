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

The numbers are read by `numerals`, the atoms found by `tally_atoms` (with the patterns
of `tally_patterns`); this module groups them into statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from registre.extracts.numerals import parse_number
from registre.extracts.tally_atoms import COUNT_SLOTS, Atom, AtomValue, find_atoms

__all__ = ["Tally", "find_tallies", "is_vote", "parse_number", "parse_tally"]


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


# --- Statements --------------------------------------------------------------------

# A label that opens a statement, included in its span: "Vote :", "SCRUTIN", "Par :".
_LABEL_BEFORE = re.compile(
    r"(?<!\w)(?:vo[tr]e[^\S\n]*[;:]+|r[ée]sultats?(?:\s+du\s+vote)?[^\S\n]*:"
    r"|scrutin|par[^\S\n]*:?)"
    r"[^\S\n]*\n?[^\S\n]*\Z",
    re.IGNORECASE,
)
_BLANK_LINE = re.compile(r"\n[\s|]*\n")
_ALNUM = re.compile(r"[^\W_]")
_SPACES = re.compile(r"[\s|]+")
_MAX_GAP = 80  # "Madame X ne prend pas part au vote, le conseil ... décide à la majorité"


def _gap_ok(gap: str) -> bool:
    """Two atoms belong to one statement when little text separates them."""
    if _BLANK_LINE.search(gap) and _ALNUM.search(gap):
        return False
    return len(_SPACES.sub(" ", gap).strip()) <= _MAX_GAP


def _joins(group: list[Atom], atom: Atom, text: str) -> bool:
    """Whether `atom` continues the statement `group` (same slot twice: a new one)."""
    if any(a.slot == atom.slot for a in group):
        return False
    if atom.slot == "proxies_counted" and not any(a.slot in COUNT_SLOTS for a in group):
        return False
    end = max(a.end for a in group)
    return _gap_ok(text[end : atom.start]) if atom.start > end else True


def _groups(atoms: list[Atom], text: str) -> list[list[Atom]]:
    """Atoms grouped into statements; a lone "dont N procurations" is no statement."""
    groups: list[list[Atom]] = []
    for atom in atoms:
        if groups and _joins(groups[-1], atom, text):
            groups[-1].append(atom)
        elif atom.slot != "proxies_counted":
            groups.append([atom])
    return groups


def _span(group: list[Atom], text: str, floor: int) -> tuple[int, int]:
    """The statement's span, widened to an opening label ("Vote :", "SCRUTIN", "Par :")."""
    start, end = group[0].start, max(a.end for a in group)
    label = _LABEL_BEFORE.search(text, max(floor, start - 40), start)
    return (label.start() if label else start), end


def _tally(group: list[Atom], span: tuple[int, int]) -> Tally:
    """The Tally that a statement's atoms describe."""
    values: dict[str, AtomValue] = {a.slot: a.value for a in group}

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
    for group in _groups(find_atoms(text), text):
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

    That is the first statement that gives the numbers (or unanimity); failing that,
    the first that says how the vote went ("X ne prend pas part au vote"), then the
    first statement of an outcome, a postponement or "no vote" ("Le Conseil Adopte.").
    """
    tallies = find_tallies(text)
    counted = next((t for t in tallies if _counts(t)), None)
    if counted is not None:
        # "X ne prend pas part au vote" then the tally: the tally, with X's name
        names = next((t.not_voting_names for t in tallies if t.not_voting_names), ())
        return (
            counted
            if counted.not_voting_names or not names
            else replace(counted, not_voting_names=names)
        )
    return next((t for t in tallies if is_vote(t)), tallies[0] if tallies else None)


def _counts(tally: Tally) -> bool:
    """Whether a statement gives the numbers of the vote, or its unanimity."""
    numbers = (tally.for_, tally.against, tally.abstention, tally.unanimous)
    return any(value is not None for value in numbers)
