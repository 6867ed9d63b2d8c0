"""The JSON API (django-ninja, OpenAPI at /api/openapi.json): read access to a
collectivity's members, meetings and agendas for its signed-in users, behind the
same tenancy guard as the pages (404 without membership, 403 for a role)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from registre.web.core.models import Collectivity, Membership, Role
from registre.web.core.tenancy import READERS_OF_WORK
from registre.web.meetings.models import Meeting
from registre.web.members.models import Mandate

# no interactive docs page: it would load scripts from a third-party CDN
api = NinjaAPI(title="registre", version="1", docs_url=None, auth=django_auth,
               urls_namespace="api")  # fmt: skip


class ErrorOut(Schema):
    """The one error shape: {"detail": "message en français"}."""

    detail: str


class MemberOut(Schema):
    """A member in office and their mandate."""

    id: int
    civility: str
    first_name: str
    last_name: str
    assembly: str
    mandate_start: dt.date
    role: str
    substitute_for: int | None


class ItemOut(Schema):
    """An agenda item."""

    position: int
    subject: str
    heading: str
    matter_code: str


class MeetingOut(Schema):
    """A meeting, with its agenda."""

    id: int
    assembly: str
    date: dt.date
    time: dt.time
    place: str
    urgency: bool
    second_convocation: bool
    agenda: list[ItemOut]


def guard(request: HttpRequest, cid: int) -> Collectivity:
    """The collectivity, when the user belongs to it with a role that may read."""
    membership = Membership.objects.filter(user=request.user, collectivity_id=cid).first()
    if membership is None:
        raise HttpError(404, "Collectivité introuvable.")
    if Role(membership.role) not in READERS_OF_WORK:
        raise HttpError(403, "Votre rôle ne permet pas cette lecture.")
    return membership.collectivity


@api.get("/collectivites/{cid}/elus", response={200: list[MemberOut], 403: ErrorOut, 404: ErrorOut})
def members(request: HttpRequest, cid: int, date: dt.date | None = None) -> list[MemberOut]:
    """Members in office on a date (today by default), derived from the mandates."""
    collectivity = guard(request, cid)
    mandates = (
        Mandate.objects.in_office(date or timezone.localdate())
        .filter(assembly__collectivity=collectivity)
        .select_related("member", "assembly")
    )
    return [MemberOut(id=m.member_id, civility=m.member.civility, first_name=m.member.first_name,
                      last_name=m.member.last_name, assembly=m.assembly.name,
                      mandate_start=m.start, role=m.role, substitute_for=m.substitute_for_id)
            for m in mandates]  # fmt: skip


@api.get(
    "/collectivites/{cid}/seances", response={200: list[MeetingOut], 403: ErrorOut, 404: ErrorOut}
)
def meetings(request: HttpRequest, cid: int) -> list[MeetingOut]:
    """The collectivity's meetings, newest first, with their agendas."""
    collectivity = guard(request, cid)
    found = Meeting.objects.filter(assembly__collectivity=collectivity).select_related("assembly")
    return [_meeting(m) for m in found.prefetch_related("items")]


@api.get("/collectivites/{cid}/seances/{meeting_id}",
         response={200: MeetingOut, 403: ErrorOut, 404: ErrorOut})  # fmt: skip
def meeting(request: HttpRequest, cid: int, meeting_id: int) -> MeetingOut:
    """One meeting of the collectivity."""
    collectivity = guard(request, cid)
    found = Meeting.objects.filter(assembly__collectivity=collectivity, pk=meeting_id).first()
    if found is None:
        raise HttpError(404, "Séance introuvable dans cette collectivité.")
    return _meeting(found)


def _meeting(m: Meeting) -> MeetingOut:
    agenda = [ItemOut(position=i.position or 0, subject=i.subject, heading=i.heading,
                      matter_code=i.matter_code)
              for i in sorted(m.items.all(), key=lambda i: i.position or 0)]  # fmt: skip
    return MeetingOut(id=m.pk, assembly=m.assembly.name, date=m.date, time=m.time, place=m.place,
                      urgency=m.urgency, second_convocation=m.second_convocation, agenda=agenda)  # fmt: skip
