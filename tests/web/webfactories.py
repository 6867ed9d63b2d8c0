"""Factories for the web tests: one per concept, each through the services (so the
data is what the application itself would have written)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.test import Client

from factories import FakeClock
from registre.record import AssemblyKind, CollectivityKind
from registre.web.core.models import Collectivity, Role
from registre.web.core.services import create_collectivity, grant_role
from registre.web.meetings import services as meetings
from registre.web.members.services import NewMember, add_member

CLOCK = FakeClock("2026-11-20T09:00:00+00:00")
PASSWORD = "motdepasse-de-test"
_sirens = itertools.count(200000001)


def make_collectivity(
    name: str = "Commune de Test", kind: CollectivityKind = CollectivityKind.COMMUNE,
    population: int | None = 5000,
) -> Collectivity:  # fmt: skip
    """A collectivity with a council and a bureau."""
    return create_collectivity(None, CLOCK, name=name, kind=kind, siren=str(next(_sirens)),
                               population=population,
                               assemblies=(AssemblyKind.CONSEIL, AssemblyKind.BUREAU))  # fmt: skip


def make_user(collectivity: Collectivity, role: Role = Role.CLERK, username: str = "") -> Any:
    """A user with a role in the collectivity (password PASSWORD)."""
    username = username or f"{role.value}-{collectivity.pk}"
    return grant_role(None, CLOCK, collectivity, username=username, role=role,
                      password=PASSWORD).user  # fmt: skip


def make_member(clerk: Any, collectivity: Collectivity, last: str = "DUPONT",
                first: str = "Marie", **extra: Any) -> Any:  # fmt: skip
    """A member of the collectivity's council, in office since 2020."""
    assembly = collectivity.assemblies.get(kind=AssemblyKind.CONSEIL.value)
    new = NewMember(first_name=first, last_name=last, start=dt.date(2020, 7, 1),
                    email=extra.pop("email", f"{first}.{last}@example.org".lower()), **extra)  # fmt: skip
    return add_member(clerk, CLOCK, assembly, new)


def make_meeting(
    clerk: Any, collectivity: Collectivity, day: dt.date | None = None, **extra: Any
) -> Any:
    """A council meeting (in a month by default)."""
    assembly = collectivity.assemblies.get(kind=AssemblyKind.CONSEIL.value)
    fields = meetings.MeetingFields(date=day or dt.date(2026, 12, 20), time=dt.time(18, 30),
                                    place="Salle du conseil", mode="in_person", **extra)  # fmt: skip
    return meetings.create_meeting(clerk, CLOCK, assembly, fields)


def make_item(clerk: Any, collectivity: Collectivity, subject: str = "Budget primitif",
              validated: bool = True, meeting: Any = None) -> Any:  # fmt: skip
    """A draft, validated (and placed on `meeting`'s agenda) unless told otherwise."""
    item = meetings.save_draft(clerk, CLOCK, collectivity, None, meetings.DraftFields(
        subject=subject, statement="Exposé.", operative_part="Article 1 : approuve.",
    ))  # fmt: skip
    if validated:
        meetings.move_draft(clerk, CLOCK, item, "submit")
        meetings.move_draft(clerk, CLOCK, item, "validate")
    if meeting is not None:
        meetings.add_to_agenda(clerk, CLOCK, meeting, item)
    return item


@dataclass
class Council:
    """A commune, its clerk (logged in on `client`), members in office, a meeting with
    one item on its agenda: what the live meeting's tests start from."""

    town: Collectivity
    clerk: Any
    members: list[Any]
    meeting: Any
    client: Client

    @property
    def console(self) -> str:
        """The meeting's console (its actions at `console + "action/"`)."""
        return f"/c/{self.town.pk}/seances/{self.meeting.pk}/console/"


def make_council(count: int = 5, subject: str = "Budget primitif", **member: Any) -> Council:
    """A `Council` of `count` members « Zoé ELU0 »… (`member`: their other fields, each
    a function of the member's rank)."""
    town = make_collectivity()
    clerk = make_user(town)
    members = [make_member(clerk, town, last=f"ELU{i}", first="Zoé",
                           **{k: f(i) for k, f in member.items()}).member for i in range(count)]  # fmt: skip
    meeting = make_meeting(clerk, town)
    make_item(clerk, town, subject, meeting=meeting)
    client = Client()
    assert client.login(username=clerk.username, password=PASSWORD)
    return Council(town, clerk, members, meeting, client)


def two_collectivities() -> dict[str, Any]:
    """Collectivities A and B, each with a clerk, members, a meeting, items, a
    decision: the tenancy test calls B's ids as A's users."""
    out: dict[str, Any] = {}
    for key in ("a", "b"):
        collectivity = make_collectivity(f"Commune {key.upper()}")
        clerk = make_user(collectivity, Role.CLERK)
        mandate = make_member(clerk, collectivity, last=f"ELU{key.upper()}")
        meeting = make_meeting(clerk, collectivity)
        item = make_item(clerk, collectivity, meeting=meeting)
        draft = make_item(clerk, collectivity, subject="Projet libre", validated=False)
        decision = meetings.add_delegated_decision(clerk, CLOCK, collectivity, number="D1",
                                                   taken_on=dt.date(2026, 10, 1), subject="Bail")  # fmt: skip
        out[key] = {"collectivity": collectivity, "clerk": clerk, "mandate": mandate,
                    "meeting": meeting, "item": item, "draft": draft, "decision": decision}  # fmt: skip
    return out
