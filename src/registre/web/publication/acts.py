"""From a record to a published act's row: its redaction, its counts, its findings.
Shared by publication from the register and import from read documents."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace

from registre.extracts.output import finding_data
from registre.record import DeliberationRecord, MeetingRecord, dumps, item_attendances
from registre.rules import check

MASK = "[occulté]"


@dataclass(frozen=True, slots=True)
class ActFields:
    """What a published act shows, taken from its (redacted) record."""

    meeting_date: dt.date
    number: str
    act_id: str
    subject: str
    statement: str
    operative_part: str
    matter_code: str
    matter_label: str
    outcome: str
    votes_for: int | None
    against: int | None
    abstention: int | None
    not_voting: int | None
    members_in_office: int | None
    present: int | None
    represented: int | None
    in_camera: bool
    record_json: str
    findings_json: str


def redact(record: MeetingRecord, texts: list[str]) -> MeetingRecord:
    """The record with each marked text replaced by the mask in the subject, the
    statement and the operative part of each deliberation."""
    if not texts:
        return record

    def mask(value: str | None) -> str | None:
        for text in texts:
            value = value.replace(text, MASK) if value else value
        return value

    items = tuple(replace(d, subject=mask(d.subject) or "", statement=mask(d.statement),
                          operative_part=mask(d.operative_part)) for d in record.deliberations)  # fmt: skip
    return replace(record, deliberations=items)


def act_fields(record: MeetingRecord, number: str, *, as_of: dt.date | None = None) -> ActFields:
    """The row of deliberation `number` of the (already redacted) record, with the
    rules' findings on the record as published."""
    item = next(d for d in record.deliberations if d.number == number)
    vote, att = item.vote, item.attendance or item_attendances(record).get(number)
    findings = [
        finding_data(f) for f in check(record, as_of=as_of) if f.deliberation in (None, number)
    ]
    return ActFields(
        meeting_date=record.meeting.date or dt.date.min, number=number, act_id=item.act_id or "",
        subject=item.subject, statement=item.statement or "",
        operative_part=item.operative_part or "", matter_code=item.matter_code or "",
        matter_label=item.matter_label or "", outcome=item.outcome.value if item.outcome else "",
        votes_for=vote.for_ if vote else None, against=vote.against if vote else None,
        abstention=vote.abstention if vote else None,
        not_voting=vote.not_voting if vote else None,
        members_in_office=record.meeting.members_in_office,
        present=_count(att.present if att else None),
        represented=_count(att.represented if att else None),
        in_camera=bool(item.in_camera), record_json=dumps(record),
        findings_json=json.dumps(findings, ensure_ascii=False),
    )  # fmt: skip


def _count(members: tuple[str, ...] | None) -> int | None:
    return len(members) if members is not None else None


def deliberation(record: MeetingRecord, number: str) -> DeliberationRecord:
    """The deliberation `number` of the record (KeyError when absent)."""
    for item in record.deliberations:
        if item.number == number:
            return item
    raise KeyError(number)
