"""The richer open-data export: vote events modelled on Popolo / Open Civic Data.

It keeps what SCDL cannot say: who was present, represented (and by whom), absent
or withdrawn for each item, the members not voting, the named votes, and whether
the matter was inferred. Shape (`docs/opendata.md` documents each field):

    {"format": "registre-popolo", "version": 1,
     "organizations": [collectivity, assembly], "people": [members],
     "legislative_sessions": [meetings], "vote_events": [one per deliberation]}

Each vote event carries its `motion` (the item), `counts` (options `yes`, `no`,
`abstain`, `not voting`, `absent`, as Open Civic Data names them; an option is
listed only when its number is known), `votes` (named votes, a proxy vote under
the giver with `proxy_holder_id`), `attendance` and `matter`. A value unknown to
the documents is `null` or left out, never zero.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from registre import __version__
from registre.opendata.nomenclature import level_2
from registre.opendata.source import PublishedDeliberation
from registre.record import (
    Attendance,
    MeetingRecord,
    Outcome,
    Vote,
    VoteChoice,
    meeting_attendances,
)

JsonValue = str | int | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
Json = dict[str, JsonValue]

FORMAT, VERSION = "registre-popolo", 1
RESULT = {Outcome.ADOPTED: "pass", Outcome.REJECTED: "fail"}
OPTION = {
    VoteChoice.FOR: "yes",
    VoteChoice.AGAINST: "no",
    VoteChoice.ABSTENTION: "abstain",
    VoteChoice.NOT_VOTING: "not voting",
}


class _Ids:
    """Identifiers: the collectivity by SIREN, the rest under it."""

    def __init__(self, record: MeetingRecord, siret: str | None) -> None:
        siren = record.collectivity.siren or (siret[:9] if siret else None)
        self.organization = f"siren:{siren}" if siren else f"nom:{record.collectivity.name}"
        self.assembly = f"{self.organization}/{record.assembly.kind.value}"
        day = record.meeting.date.isoformat() if record.meeting.date else "date-inconnue"
        self.session = f"{self.assembly}/seance/{day}"

    def person(self, member: str) -> str:
        return f"{self.organization}/elu/{member}"

    def item(self, number: str) -> str:
        return f"{self.session}/deliberation/{number}"


def _organizations(record: MeetingRecord, ids: _Ids, siret: str | None) -> list[Json]:
    coll = record.collectivity
    identifiers: list[JsonValue] = [
        {"scheme": scheme, "identifier": value}
        for scheme, value in (("SIREN", coll.siren), ("SIRET", siret))
        if value
    ]
    return [
        {"id": ids.organization, "name": coll.name, "classification": coll.kind.value,
         "identifiers": identifiers},
        {"id": ids.assembly, "name": record.assembly.name, "parent_id": ids.organization,
         "classification": record.assembly.kind.value},
    ]  # fmt: skip


def _people(record: MeetingRecord, ids: _Ids) -> list[Json]:
    return [
        {"id": ids.person(m.id), "name": m.display_name, "given_name": m.first_name,
         "family_name": m.last_name}
        for m in record.meeting.members
    ]  # fmt: skip


def _session(record: MeetingRecord, ids: _Ids) -> Json:
    meeting = record.meeting
    return {
        "id": ids.session,
        "organization_id": ids.assembly,
        "classification": "seance",
        "start_date": meeting.date.isoformat() if meeting.date else None,
        "members_in_office": meeting.members_in_office,
        "president_id": ids.person(meeting.president) if meeting.president else None,
        "secretary_ids": _members(meeting.secretaries, ids),
    }


def _counts(vote: Vote | None, attendance: Attendance | None) -> list[JsonValue]:
    known = [
        ("yes", vote.for_ if vote else None),
        ("no", vote.against if vote else None),
        ("abstain", vote.abstention if vote else None),
        ("not voting", vote.not_voting if vote else None),
        ("absent", len(attendance.absent) if attendance and attendance.absent is not None else None),
    ]  # fmt: skip
    return [{"option": option, "value": value} for option, value in known if value is not None]


def _votes(vote: Vote | None, ids: _Ids) -> list[JsonValue]:
    out: list[JsonValue] = []
    for named in vote.named_votes if vote else ():
        entry: Json = {"voter_id": ids.person(named.on_behalf_of or named.member),
                       "option": OPTION[named.choice]}  # fmt: skip
        if named.on_behalf_of:
            entry["proxy_holder_id"] = ids.person(named.member)
        out.append(entry)
    return out


def _members(members: Sequence[str] | None, ids: _Ids) -> JsonValue:
    return None if members is None else [ids.person(m) for m in members]


def _attendance(attendance: Attendance | None, ids: _Ids) -> Json | None:
    if attendance is None:
        return None
    holders = {p.giver: ids.person(p.holder) for p in attendance.proxies if p.holder}
    represented: JsonValue = None
    if attendance.represented is not None:
        represented = [
            {"person_id": ids.person(g), "proxy_holder_id": holders.get(g)}
            for g in attendance.represented
        ]
    return {
        "present": _members(attendance.present, ids),
        "represented": represented,
        "absent": _members(attendance.absent, ids),
        "withdrawn": _members(attendance.withdrawn, ids),
        "substitutes": [
            {"titular_id": ids.person(s.titular), "substitute_id": ids.person(s.substitute)}
            for s in attendance.substitutes
        ],
    }


def _matter(item: PublishedDeliberation) -> Json | None:
    matter = level_2(item.deliberation.matter_code)
    if matter is None:
        return None
    found: Json = {"code": item.deliberation.matter_code, "label": matter.scdl_label,
                   "inferred": item.matter_inferred}  # fmt: skip
    if item.matter_evidence:
        found["evidence"] = list(item.matter_evidence)
    return found


def _motion(item: PublishedDeliberation, ids: _Ids) -> Json:
    delib = item.deliberation
    return {
        "id": ids.item(delib.number),
        "identifier": delib.number,
        "text": delib.subject,
        "heading": delib.heading,
        "act_id": delib.act_id,
        "date": item.record.meeting.date.isoformat() if item.record.meeting.date else None,
        "result": RESULT.get(delib.outcome) if delib.outcome else None,
    }


def vote_event(item: PublishedDeliberation, attendance: Attendance | None, ids: _Ids) -> Json:
    """The vote event of one deliberation, with its motion, counts, votes and attendance."""
    delib, vote = item.deliberation, item.deliberation.vote
    sources: list[JsonValue] = [{"url": item.url, "note": item.source}]
    return {
        "id": ids.item(delib.number),
        "identifier": delib.number,
        "organization_id": ids.assembly,
        "legislative_session_id": ids.session,
        "start_date": item.record.meeting.date.isoformat() if item.record.meeting.date else None,
        "motion": _motion(item, ids),
        "result": RESULT.get(delib.outcome) if delib.outcome else None,
        "outcome": delib.outcome.value if delib.outcome else None,
        "vote_mode": vote.mode.value if vote and vote.mode else None,
        "unanimous": vote.unanimous if vote else None,
        "proxies_counted": vote.proxies_counted if vote else None,
        "counts": _counts(vote, attendance),
        "votes": _votes(vote, ids),
        "attendance": _attendance(attendance, ids),
        "matter": _matter(item),
        "matter_inferred": item.matter_inferred,
        "sources": sources,
    }


def _item_attendance(item: PublishedDeliberation) -> Attendance | None:
    if item.deliberation.attendance is not None:
        return item.deliberation.attendance
    # cached for the last meeting asked: its items come one after the other
    return meeting_attendances(item.record)[1].get(item.deliberation.number)


def _append_new(into: list[JsonValue], seen: set[str], entries: Iterable[Json]) -> None:
    for entry in entries:
        key = str(entry["id"])
        if key not in seen:
            seen.add(key)
            into.append(entry)


def document(items: Iterable[PublishedDeliberation], *, siret: str | None) -> Json:
    """The export of `items` (one vote event each), people and meetings listed once."""
    organizations: list[JsonValue] = []
    people: list[JsonValue] = []
    sessions: list[JsonValue] = []
    events: list[JsonValue] = []
    seen: set[str] = set()
    for item in items:
        ids = _Ids(item.record, siret)
        _append_new(organizations, seen, _organizations(item.record, ids, siret))
        _append_new(people, seen, _people(item.record, ids))
        _append_new(sessions, seen, [_session(item.record, ids)])
        events.append(vote_event(item, _item_attendance(item), ids))
    return {
        "format": FORMAT, "version": VERSION, "generator": f"registre {__version__}",
        "organizations": organizations, "people": people,
        "legislative_sessions": sessions, "vote_events": events,
    }  # fmt: skip


def json_text(items: Iterable[PublishedDeliberation], *, siret: str | None) -> str:
    """The export as JSON text (UTF-8, indented, ending with a new line)."""
    return json.dumps(document(items, siret=siret), ensure_ascii=False, indent=2) + "\n"
