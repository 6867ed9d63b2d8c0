"""Arrivals and departures during the meeting, bound to the item they count from.

"Nelly arrivée à 18H45. Départ à 19H25.", "M. X quitte la séance et donne pouvoir à
Mme Y", "Arrivée de M. Z au point 4", "Mme W rejoint la séance". When the text says
from which item (or the sentence sits inside an item), the change is recorded;
otherwise the document does not say, and the reader says so in its doubts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registre.extracts.items import Item
from registre.extracts.names import parse_name
from registre.extracts.prepare import TextLine
from registre.extracts.reading import Reading, span
from registre.extracts.result import Unread
from registre.record import AttendanceChange, ChangeKind, MemberId

_NAME = r"(?:(?:M\.|Mme|Monsieur|Madame)\s*)?[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,3}"
_EVENTS = (
    # an interested member who leaves for one item only (L2131-11), said as such
    (ChangeKind.WITHDRAWAL, re.compile(rf"(?P<name>{_NAME}),?\s+(?:int[ée]ress[ée]e?(?:\s+[àa]\s+l['’]affaire)?\s*,?\s+)?(?:se\s+retire|quitte\s+la\s+salle|sort\s+de\s+la\s+salle)(?:\s+de\s+la\s+s[ée]ance)?\s*,?\s+(?:et\s+ne\s+(?:prend|participe)\s+pas|pour\s+ce\s+point|pendant\s+(?:le|la|les)\s+(?:d[ée]bat|vote|d[ée]lib[ée]ration))")),
    (ChangeKind.PROXY_ON_LEAVING, re.compile(rf"(?P<name>{_NAME})\s+(?:quitte|a\s+quitt[ée])\s+la\s+s[ée]ance\s+et\s+(?:donne|a\s+donn[ée])\s+(?:pouvoir|procuration)\s+[àa]\s+(?P<holder>{_NAME})")),
    (ChangeKind.DEPARTURE, re.compile(rf"(?P<name>{_NAME})\s+(?:quitte|a\s+quitt[ée]|se\s+retire\s+de)\s+la\s+s[ée]ance|d[ée]part\s+de\s+(?P<name2>{_NAME})")),
    (ChangeKind.ARRIVAL, re.compile(rf"(?P<name>{_NAME})\s+(?:est\s+)?(?:arriv[ée]e?s?|rejoint\s+la\s+s[ée]ance|entre\s+en\s+s[ée]ance)\b|arriv[ée]e\s+de\s+(?P<name2>{_NAME})")),
)  # fmt: skip
_MAYBE = re.compile(
    r"arriv|quitt|\bdepart\b|rejoint|entre\s+en\s+s|se\s+retire|sort\s+de\s+la"
)  # on folded text
_LATER_DEPARTURE = re.compile(
    r"\bd[ée]part\s+(?:à|a)\s+\d", re.IGNORECASE
)  # "arrivée à 18H45. Départ à 19H25."
_ITEM_REF = re.compile(
    r"(?:au|du|à\s+partir\s+du|avant\s+le\s+vote\s+du)\s+point\s+(?:n[°o]\s*)?(?P<n>[\w./-]+)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Event:
    """A change found in a line, before it is bound to an item."""

    member: MemberId
    kind: ChangeKind
    holder: MemberId | None
    line: TextLine
    item: str | None


def find_changes(reading: Reading, items: list[Item], numbers: list[str]) -> list[AttendanceChange]:
    """The attendance changes the text states; unbound ones become doubts."""
    owner = {id(line): numbers[i] for i, item in enumerate(items) for line in item.lines}
    changes: list[AttendanceChange] = []
    for event in _events(reading, owner):
        if event.item is None:
            _unbound(reading, event)
            continue
        changes.append(
            AttendanceChange(
                member=event.member, change=event.kind, from_item=event.item, holder=event.holder
            )
        )
    return changes


def _events(reading: Reading, owner: dict[int, str]) -> list[Event]:
    found: list[Event] = []
    text = reading.text
    # one pass over the whole text finds the few lines worth the costly patterns
    candidates = {
        id(ln): ln for m in _MAYBE.finditer(text.folded) for ln in text.slice(m.start(), m.end())
    }
    for line in candidates.values():
        for kind, pattern in _EVENTS:
            match = pattern.search(line.text)
            if not match:
                continue
            who = match["name"] or match.groupdict().get("name2")
            member = _member(reading, who, add=kind is ChangeKind.ARRIVAL)
            if member is None:
                break
            holder = (
                _member(reading, match.groupdict().get("holder"))
                if "holder" in match.groupdict()
                else None
            )
            ref = _ITEM_REF.search(line.text)
            item = ref["n"].rstrip(".") if ref else owner.get(id(line))
            found.append(Event(member, kind, holder, line, item))
            if kind is ChangeKind.ARRIVAL and _LATER_DEPARTURE.search(line.text[match.end() :]):
                found.append(Event(member, ChangeKind.DEPARTURE, None, line, item))
            break
    return found


def _member(reading: Reading, text: str | None, *, add: bool = False) -> MemberId | None:
    """The member named; one who arrives is a member even if no list names them."""
    name = parse_name(text) if text else None
    if name is None or len(name.display) < 3:
        return None
    return reading.roster.add(name) if add else reading.roster.find(name)


def _unbound(reading: Reading, event: Event) -> None:
    names = {m.id: m.display_name for m in reading.roster.members.values()}
    what = {
        ChangeKind.ARRIVAL: "arrivée",
        ChangeKind.DEPARTURE: "départ",
        ChangeKind.WITHDRAWAL: "retrait",
    }.get(event.kind, "départ avec pouvoir")
    reason = f"{what.capitalize()} de {names.get(event.member, event.member)} : le document ne dit pas à partir de quel point ; la présence point par point n'est pas connue."
    reading.doubt("/attendance/changes", reason)
    reading.unread.append(Unread(span([event.line]), event.line.text, reason))
