"""Deliberations inside a document: where each item starts, its number, subject,
rapporteur and vote.

Items start at headings ("2020-038 SUBVENTION ...", "I Convention ...", "1/ ...",
"OBJET : ..."); headings that follow each other without text between them are an
agenda, not items. An item whose text holds several separate votes is several
decisions. Documents without headings are cut at their vote statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registre.extracts.names import fold
from registre.extracts.prepare import Text, TextLine
from registre.extracts.tallies import Tally, find_tallies, is_vote, parse_tally

_HEADING = re.compile(
    r"^(?:(?:d[ée]lib[ée]ration\s+)?n[°o]\s*(?P<n1>\d{4}\s*[-_/]\s*\d{1,4})\s*[:.-]?\s*(?P<t1>.*)"
    r"|(?P<n2>\d{4}\s*-\s*\d{2,4})\s+(?P<t2>[A-ZÀ-Ý].*)"
    r"|(?P<n3>[IVX]{1,5})\s*[-.)/]?\s+(?P<t3>[A-ZÀ-Ý].*)"
    r"|(?P<n4>\d{1,2})\s*(?:[/.)]|\s-)\s*(?P<t4>[A-ZÀ-Ýa-zà-ÿ].*)"
    r"|objet\s*:\s*(?P<t5>.+))$",
    re.IGNORECASE,
)
_RAPPORTEUR = re.compile(
    r"^(?P<name>(?:Monsieur|Madame|M\.|Mme)\b.+?),?\s+rapporte\b", re.IGNORECASE
)
_DECIDES = re.compile(
    r"\b(?:d[ée]cide|d[ée]signe|sont\s+d[ée]sign[ée]s|est\s+d[ée]sign[ée]e?|approuve|accepte|autorise|fixe|adopte)\b",
    re.IGNORECASE,
)
_NOT_DECIDED = re.compile(
    r"\b(?:report[ée]e?|pas\s+de\s+vote|sera\s+(?:r[ée]alis[ée]e|vot[ée]e|examin[ée]e)\s+(?:au|lors))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Item:
    """One decision found in the text."""

    number: str | None
    subject: str | None
    rapporteur: str | None
    tally: Tally | None
    postponed: bool
    lines: tuple[TextLine, ...]


def heading(text: str) -> tuple[str | None, str] | None:
    """(number, title) when a line is an item heading."""
    match = _HEADING.match(text)
    if not match or len(text) > 200:
        return None
    number = next((match[g] for g in ("n1", "n2", "n3", "n4") if match[g]), None)
    title = next((match[g] for g in ("t1", "t2", "t3", "t4", "t5") if match[g] is not None), "")
    if number and re.fullmatch(r"\d{1,2}", number) and int(number) > 60:
        return None
    return (re.sub(r"\s+", "", number) if number else None), title.strip(" :.-")


def find_items(body: list[TextLine], single: bool) -> list[Item]:
    """The decisions of a document's body; one item when `single` (an extract)."""
    if single:
        return [_single(body)]
    starts = _item_starts(body)
    if not starts:
        return _by_votes(body, None, None)
    items: list[Item] = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(body)
        found = heading(body[start].text)
        assert found is not None
        items.extend(_by_votes(body[start + 1 : end], found[0], found[1]))
    return items


def _style(text: str) -> int:
    """Which numbering a heading uses: registers' "2020-038" (0), roman (1), "1/" (2), OBJET (3)."""
    match = _HEADING.match(text)
    assert match is not None
    groups = (("n1", "n2"), ("n3",), ("n4",), ("t5",))
    return next(i for i, names in enumerate(groups) if any(match[g] is not None for g in names))


def _item_starts(body: list[TextLine]) -> list[int]:
    """Heading lines that open an item, in the document's main numbering style.

    Sub-lists ("1) tarifs enfants") inside a numbered item are not items.
    """
    marks = [i for i, ln in enumerate(body) if ln.text and heading(ln.text)]
    styles = [_style(body[i].text) for i in marks]
    main = next((s for s in range(4) if styles.count(s) >= 2), None)
    if main is not None:
        marks = [i for i, s in zip(marks, styles, strict=True) if s == main]
    starts = []
    for position, index in enumerate(marks):
        following = next((j for j in range(index + 1, len(body)) if body[j].text), None)
        is_agenda = (
            following is not None and position + 1 < len(marks) and marks[position + 1] == following
        )
        if not is_agenda:
            starts.append(index)
    return starts


def _single(body: list[TextLine]) -> Item:
    text = "\n".join(ln.text for ln in body)
    found = next(
        (heading(ln.text) for ln in body if ln.text and fold(ln.text).startswith("objet")), None
    )
    rapporteur = next((m["name"] for ln in body if (m := _RAPPORTEUR.match(ln.text))), None)
    return Item(
        None, found[1] if found else None, rapporteur, parse_tally(text), False, tuple(body)
    )


def _by_votes(lines: list[TextLine], number: str | None, title: str | None) -> list[Item]:
    """Cut a passage at its vote statements: one decision per statement."""
    text = Text.of(lines)
    items: list[Item] = []
    start = 0
    for tally in find_tallies(text.raw):
        if tally.span is None or not (
            is_vote(tally) or tally.adopted is not None or tally.postponed or tally.no_vote
        ):
            continue
        chunk = text.slice(start, tally.span[1])
        subject = title if title and not items else _local_subject(chunk) or title
        postponed = (tally.postponed or tally.no_vote) and not is_vote(tally)
        items.append(
            Item(number, subject, None, None if postponed else tally, postponed, tuple(chunk))
        )
        start = tally.span[1]
    if not items and title is not None and _NOT_DECIDED.search(text.raw):
        items.append(Item(number, title, None, None, True, tuple(lines)))
    elif not items and number is not None and _DECIDES.search(text.raw):
        # a numbered item whose decision is written without a vote statement
        items.append(Item(number, title, None, None, False, tuple(lines)))
    return items


def _local_subject(chunk: list[TextLine]) -> str | None:
    """The title of the paragraph holding a decision: the last short line that opens
    a paragraph (after a blank line) and does not end a sentence."""
    best = None
    previous = ""
    for line in chunk:
        text = line.text
        opens = not previous
        if (
            opens
            and 3 < len(text) < 120
            and not text.endswith((".", ",", ";"))
            and text[:1].isupper()
        ):
            best = text.strip(" :")
        previous = text
    return best
