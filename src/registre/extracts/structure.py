"""From a document's lines to a MeetingRecord, with provenance, doubts and unread passages.

The reader records what the document says and never fixes it: totals that do not
add up stay as printed for `registre.rules` to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from registre.extracts import header
from registre.extracts.attendance import (
    Block,
    Entry,
    ListKind,
    entries,
    find_blocks,
    status_entries,
)
from registre.extracts.changes import find_changes
from registre.extracts.document import Document
from registre.extracts.items import Item, find_items
from registre.extracts.names import is_role, parse_name
from registre.extracts.prepare import Text, TextLine, prepare
from registre.extracts.reading import Reading, span
from registre.extracts.records import deliberation_records
from registre.extracts.result import ReadResult, Span, Unread
from registre.record import (
    Assembly,
    AssemblyKind,
    Attendance,
    Collectivity,
    CollectivityKind,
    DeclaredCounts,
    DeliberationRecord,
    Meeting,
    MeetingRecord,
    MemberId,
    Proxy,
    Substitution,
    with_derived_attendance,
)

# Searched in the folded text; a leading \b would make the engine try every
# position (13x slower on a page): the boundary is checked on each match instead.
_NUMBER = re.compile(r"n[°o]\s*(\d{4}\s*/\s*\d{1,5})\b")
_LABELLED_NUMBER = re.compile(r"deliberation\s+n[°o]\s*:?[^\S\n]*([a-z0-9][\w./-]*\d[\w./-]*)")


@dataclass(slots=True)
class Lists:
    """The opening attendance as ids."""

    present: list[MemberId] = field(default_factory=list)
    absent: list[MemberId] = field(default_factory=list)
    represented: list[MemberId] = field(default_factory=list)
    proxies: list[Proxy] = field(default_factory=list)
    substitutes: list[Substitution] = field(default_factory=list)


def structure(doc: Document) -> ReadResult:
    """Read a document's text into a ReadResult."""
    reading = Reading(doc, prepare(doc))
    reading.blocks = find_blocks(reading.lines)
    reading.text = Text.of(reading.lines)
    meeting = _meeting(reading)
    lists = _attendance(reading, meeting)
    reading.president_id = _resolve(reading, meeting.president, "/meeting/president")
    opening = _opening(reading, lists)
    items, deliberations = _deliberations(reading, _body(reading))
    numbers = [d.number for d in deliberations]
    changes = [c for c in find_changes(reading, items, numbers) if c.from_item in numbers]
    opening = replace(opening, changes=tuple(changes))
    collectivity = _collectivity(reading)
    record = MeetingRecord(
        collectivity=collectivity,
        assembly=Assembly(kind=_assembly_kind(collectivity)),
        meeting=_with_members(reading, meeting),
        attendance=opening,
        deliberations=tuple(deliberations),
    )
    record = with_derived_attendance(record)
    return ReadResult(
        source=doc.source, method=doc.method, pages=doc.pages, record=record,
        provenance=tuple(sorted(reading.provenance.items())), doubts=tuple(reading.doubts),
        unread=tuple(reading.unread), events=tuple(reading.events),
    )  # fmt: skip


def _assembly_kind(collectivity: Collectivity) -> AssemblyKind:
    syndicat = collectivity.kind is CollectivityKind.SYNDICAT
    return AssemblyKind.COMITE_SYNDICAL if syndicat else AssemblyKind.CONSEIL


def _collectivity(reading: Reading) -> Collectivity:
    name, kind, _ = header.collectivity(reading.text.raw)
    if name is None:
        reading.doubt("/collectivity/name", "Nom de la collectivité non trouvé dans le document.")
    ids = reading.printed_act_ids()  # "034-213401722-20140405-...": the SIREN is the 2nd part
    siren = str(ids[0].value).split("-")[1] if ids else None
    return Collectivity(name=name, kind=kind, siren=siren)


@dataclass(slots=True)
class MeetingFacts:
    """The meeting's printed facts before the roster is known."""

    day: date | None
    convocation_date: date | None
    in_office: int | None
    president: str | None
    secretaries: str | None
    declared: DeclaredCounts


def _meeting(reading: Reading) -> MeetingFacts:
    lines = reading.text
    day = reading.note("/meeting/date", header.meeting_date(lines))
    if day is None:
        reading.doubt("/meeting/date", "Date de la séance non trouvée.")
    represented = reading.note(
        "/attendance/declared/represented", header.count(lines, "represented")
    )
    declared = DeclaredCounts(
        present=_int(reading.note("/attendance/declared/present", header.count(lines, "present"))),
        represented=_int(represented),
    )
    return MeetingFacts(
        day=day if isinstance(day, date) else None,
        convocation_date=_date(
            reading.note("/meeting/convocation_date", header.convocation_date(lines))
        ),
        in_office=_int(
            reading.note("/meeting/members_in_office", header.count(lines, "in_office"))
        ),
        president=_str(reading.note("/meeting/president", header.president(lines))),
        secretaries=_str(reading.note("/meeting/secretaries", header.secretaries(lines))),
        declared=declared,
    )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _date(value: object) -> date | None:
    return value if isinstance(value, date) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _attendance(reading: Reading, facts: MeetingFacts) -> Lists:
    lists = Lists()
    blocks = reading.blocks
    pending: list[tuple[Entry, Block]] = []
    for block in blocks:
        found, problems = entries(block)
        where = span([reading.lines[block.label_line], *block.lines])
        for problem in problems:
            reading.unread.append(Unread(where, _block_text(reading, block), problem))
            reading.doubt(
                f"/attendance/{block.kind.value}", f"Liste page {where.page} : {problem}."
            )
        for entry in found:
            if entry.kind is ListKind.PRESENT:
                _add_unique(reading, lists.present, entry.name, "present", where)
            else:
                pending.append((entry, block))
    for entry, block in pending:
        _place(reading, lists, entry, span([reading.lines[block.label_line], *block.lines]))
    for entry, line in status_entries(reading.lines):
        target = lists.present if entry.kind is ListKind.PRESENT else lists.absent
        _add_unique(reading, target, entry.name, entry.kind.value, span([line]))
    _pair_markers(reading, lists, pending)
    # "Absents excusés : X" and then "Procuration : X donne procuration à Y": one person, represented
    lists.absent = [m for m in lists.absent if m not in lists.represented]
    return lists


def _block_text(reading: Reading, block: Block) -> str:
    return " ".join([reading.lines[block.label_line].text, *(ln.text for ln in block.lines)])


def _add_unique(
    reading: Reading, target: list[MemberId], text: str, status: str, where: Span
) -> MemberId | None:
    name = parse_name(text)
    if name is None:
        return None
    member = reading.roster.add(name)
    if member in target:
        reading.doubt(
            f"/attendance/{status}",
            f"{name.display} est cité deux fois dans la liste ; compté une fois.",
        )
        return member
    target.append(member)
    reading.provenance.setdefault(f"/attendance/{status}/{len(target) - 1}", where)
    return member


def _place(reading: Reading, lists: Lists, entry: Entry, where: Span) -> None:
    if entry.kind is ListKind.SUBSTITUTE:
        _substitute(reading, lists, entry, where)
        return
    if entry.kind is ListKind.ABSENT and entry.marker is None:
        _add_unique(reading, lists.absent, entry.name, "absent", where)
        return
    if entry.marker is not None and entry.holder is None:
        return  # paired by its marker below
    giver = _add_unique(reading, lists.represented, entry.name, "represented", where)
    if giver is not None:
        lists.proxies.append(
            Proxy(giver=giver, holder=_holder(reading, entry.holder, len(lists.proxies)))
        )


def _substitute(reading: Reading, lists: Lists, entry: Entry, where: Span) -> None:
    """The titular's seat is filled: titular counted present, the substitute marked."""
    titular = _add_unique(reading, lists.present, entry.holder or "", "present", where)
    name = parse_name(entry.name)
    if titular is None or name is None:
        return
    substitute = reading.roster.add(name)
    reading.roster.mark_substitute(substitute, titular)
    if substitute in lists.present:  # listed as present under their own name too
        lists.present.remove(substitute)
    lists.substitutes.append(Substitution(titular=titular, substitute=substitute))


def _holder(reading: Reading, text: str | None, index: int) -> MemberId | None:
    if text is None:
        return None
    pointer = f"/attendance/proxies/{index}/holder"
    if is_role(text):
        reading.doubt(
            pointer,
            f"Le mandataire est désigné par sa fonction (« {text} ») ; rapproché du président de séance.",
        )
        return _president_id(reading)
    name = parse_name(text)
    found = reading.roster.find(name) if name else None
    if found is None:
        reading.doubt(pointer, f"Le mandataire « {text} » ne figure pas parmi les présents.")
        return reading.roster.add(name) if name else None
    return found


def _president_id(reading: Reading) -> MemberId | None:
    facts = header.president(reading.text)
    name = parse_name(str(facts.value)) if facts else None
    return reading.roster.find(name) if name else None


def _pair_markers(reading: Reading, lists: Lists, pending: list[tuple[Entry, Block]]) -> None:
    """Asterisk markers: "Jean-Pierre (Pr*)" present, "David (Pr*)" excused."""
    holders: dict[str, MemberId] = {}
    for block in reading.blocks:
        if block.kind is ListKind.PRESENT and "*" in block.first_text + "".join(
            ln.text for ln in block.lines
        ):
            for entry in entries(block)[0]:
                name = parse_name(entry.name)
                if entry.marker and name and (member := reading.roster.find(name)):
                    holders[entry.marker] = member
    for entry, block in pending:
        if entry.marker is None or entry.holder is not None:
            continue
        where = span([reading.lines[block.label_line], *block.lines])
        giver = _add_unique(reading, lists.represented, entry.name, "represented", where)
        if giver is not None:
            holder = holders.get(entry.marker)
            if holder is None:
                reading.doubt(
                    "/attendance/proxies",
                    f"Marque {entry.marker} sans mandataire correspondant parmi les présents.",
                )
            lists.proxies.append(Proxy(giver=giver, holder=holder))


def _opening(reading: Reading, lists: Lists) -> Attendance:
    return Attendance(
        present=tuple(lists.present), absent=tuple(lists.absent),
        represented=tuple(lists.represented), withdrawn=(), proxies=tuple(lists.proxies),
        substitutes=tuple(lists.substitutes),
    )  # fmt: skip


def _with_members(reading: Reading, facts: MeetingFacts) -> Meeting:
    president = reading.president_id
    secretary = _resolve(reading, facts.secretaries, "/meeting/secretaries")
    return Meeting(
        date=facts.day, members_in_office=facts.in_office,
        members=tuple(reading.roster.members.values()), convocation_date=facts.convocation_date,
        president=president, secretaries=(secretary,) if secretary else None,
    )  # fmt: skip


def _resolve(reading: Reading, text: str | None, pointer: str) -> MemberId | None:
    if text is None:
        return None
    name = parse_name(text)
    found = reading.roster.find(name) if name else None
    if found is None and name is not None:
        reading.doubt(pointer, f"« {text} » ne correspond à aucun membre listé.")
    return found


def _body(reading: Reading) -> list[TextLine]:
    """The lines after the attendance lists (the whole text if there are none)."""
    blocks = reading.blocks
    if not blocks:
        return reading.lines
    last = blocks[-1]
    end = (reading.lines.index(last.lines[-1]) if last.lines else last.label_line) + 1
    return reading.lines[end:]


def _printed_number(text: Text) -> str | None:
    """The first "n° 2014 / 196" of the document (a word of its own), else the
    number after "Délibération n°" ("Délibération n° : 2023-045", "DE_2021_12")."""
    for match in _NUMBER.finditer(text.folded):
        if match.start() == 0 or not text.folded[match.start() - 1].isalnum():
            return text.raw[match.start(1) : match.end(1)]
    labelled = _LABELLED_NUMBER.search(text.folded)
    return text.raw[labelled.start(1) : labelled.end(1)] if labelled else None


def _deliberations(
    reading: Reading, body: list[TextLine]
) -> tuple[list[Item], list[DeliberationRecord]]:
    text = reading.text.folded
    single = "extrait du registre" in text or "extrait du proces" in text
    items: list[Item] = find_items(body, single)
    number = _printed_number(reading.text) if single else None
    printed = re.sub(r"\s+", " ", number) if number else None
    return items, deliberation_records(reading, items, printed)
