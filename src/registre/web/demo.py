"""The demonstration data: Dijon métropole, its 86 members and the meeting of
23 November 2023 with the SIECO item, loaded from the bundled record through the
services (so the demo's audit log shows how it was built)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from importlib.resources import files

from django.db import transaction

from registre.record import MeetingRecord, loads
from registre.web.clock import Clock
from registre.web.core.models import Role
from registre.web.core.services import create_collectivity, grant_role
from registre.web.meetings import services as meetings
from registre.web.meetings.models import Meeting
from registre.web.members.models import STORED_CIVILITY, Mandate
from registre.web.members.services import NewMember, add_member

DEMO_FILE = "dijon-2023-11-23.json"
CLERK = "greffe"
# The record does not say when the mandates began, nor the meeting's time and place:
# the demo seats the members from the 2020 installation and sits at 18:00.
MANDATES_FROM = dt.date(2020, 7, 15)
MEETING_TIME = dt.time(18, 0)


@dataclass(frozen=True, slots=True)
class Demo:
    """What the demo created: the collectivity's id and the clerk's credentials."""

    collectivity_id: int
    meeting_id: int
    username: str
    password: str


def demo_record() -> MeetingRecord:
    """The bundled Dijon record."""
    return loads(files("registre.demo").joinpath(DEMO_FILE).read_text(encoding="utf-8"))


@transaction.atomic
def load_demo(clock: Clock) -> Demo:
    """Create Dijon métropole with its members, the meeting and its agenda, and a
    clerk account with a fresh password."""
    record = demo_record()
    password = secrets.token_urlsafe(9)
    collectivity = create_collectivity(
        None, clock, name=record.collectivity.name or "Dijon métropole",
        kind=record.collectivity.kind, siren=record.collectivity.siren or "242100410",
        population=record.collectivity.population,
    )  # fmt: skip
    clerk = grant_role(None, clock, collectivity, username=CLERK, role=Role.CLERK,
                       password=password).user  # fmt: skip
    assembly = collectivity.assemblies.get()
    mandates = {
        m.id: add_member(clerk, clock, assembly, NewMember(
            first_name=m.first_name or "", last_name=m.last_name,
            civility=STORED_CIVILITY.get(m.civility, "") if m.civility else "",
            birth_date=m.birth_date, start=m.mandate_start or MANDATES_FROM,
        ))
        for m in record.meeting.members
    }  # fmt: skip
    meeting = meetings.create_meeting(clerk, clock, assembly, meetings.MeetingFields(
        date=record.meeting.date or dt.date(2023, 11, 23), time=MEETING_TIME,
        place=record.meeting.place or "Salle du conseil métropolitain, Dijon",
        mode="in_person",
    ))  # fmt: skip
    for item in record.deliberations:
        _agenda_item(clerk, clock, meeting, item, mandates)
    return Demo(collectivity.pk, meeting.pk, CLERK, password)


def _agenda_item(
    clerk: object, clock: Clock, meeting: Meeting, item: object,
    mandates: dict[str, Mandate],
) -> None:  # fmt: skip
    from registre.record import DeliberationRecord  # noqa: PLC0415

    assert isinstance(item, DeliberationRecord)
    rapporteur = mandates[item.rapporteur].member if item.rapporteur in mandates else None
    draft = meetings.save_draft(clerk, clock, meeting.collectivity, None, meetings.DraftFields(
        subject=item.subject, heading=item.heading or "", matter_code=item.matter_code or "",
        rapporteur=rapporteur, statement=item.statement or "",
        operative_part=item.operative_part or "",
    ))  # fmt: skip
    meetings.move_draft(clerk, clock, draft, "submit")
    meetings.move_draft(clerk, clock, draft, "validate")
    meetings.add_to_agenda(clerk, clock, meeting, draft)
