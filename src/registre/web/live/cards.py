"""Two cards of the console that load on their own: the opening (substitutes,
written proxies with their scan, standing proxies, postponement and second
convocation) and the appointment by secret ballot with its rounds. Each posts to
itself and is shown again with its message; the live state follows by its version."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from registre.errors import RegistreError
from registre.web.clock import system_clock
from registre.web.core.tenancy import STAFF, collectivity_view, scoped_or_404
from registre.web.live import adjournment, appointments, opening, services
from registre.web.live.models import Ballot, ItemVote, Sitting
from registre.web.meetings.models import AgendaItem, Meeting
from registre.web.members.models import Mandate, Member, members_in_office


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return scoped_or_404(Meeting.objects.select_related("assembly__collectivity"), request,
                         "assembly__collectivity", pk=meeting_id)  # fmt: skip


def _member(meeting: Meeting, value: str | None) -> Member | None:
    if not value or not value.isdigit():
        return None
    return get_object_or_404(Member, pk=value, collectivity=meeting.assembly.collectivity)


def _chosen(meeting: Meeting, value: str | None, what: str) -> Member:
    """The member chosen in a list; a missing choice is said, not a crash."""
    member = _member(meeting, value)
    if member is None:
        raise RegistreError(f"Choisissez {what}.")
    return member


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise RegistreError(f"Date illisible : « {value} » (attendu AAAA-MM-JJ).") from None


def _count(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_http_methods(["GET", "POST"])
@collectivity_view(STAFF)
def opening_card(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Substitutes, written proxies (scan, date, meetings covered), standing proxies,
    postponement and the second convocation."""
    meeting = _meeting(request, meeting_id)
    sitting = Sitting.objects.filter(meeting=meeting).select_related("current_item").first()
    if request.method == "POST" and sitting is not None:
        try:
            _opening_action(request, meeting, sitting)
        except RegistreError as exc:
            messages.error(request, str(exc))
        if not request.headers.get("HX-Request"):
            return redirect("console", cid=meeting.assembly.collectivity_id, meeting_id=meeting.pk)
    return render(request, "registre/live/_opening.html", _opening_context(meeting, sitting))


def _opening_action(request: HttpRequest, meeting: Meeting, sitting: Sitting) -> None:
    data, user, clock = request.POST, request.user, system_clock
    action = data.get("action")
    if action == "substitute":
        substitute, _, titular = data.get("pair", "").partition(":")
        opening.seat_substitute(user, clock, sitting, _chosen(meeting, titular, "le titulaire"),
                                _chosen(meeting, substitute, "le suppléant"))  # fmt: skip
        messages.success(request, "Le suppléant siège.")
    elif action == "paper_proxy":
        upload = request.FILES.get("scan")
        covers = [d for d in (_date(v) for v in data.getlist("covers")) if d]
        opening.written_proxy(user, clock, sitting, _chosen(meeting, data.get("giver"), "le mandant"),
                              _chosen(meeting, data.get("holder"), "le mandataire"),
                              given_on=_date(data.get("given_on")), covers=covers,
                              scan=(upload.name, upload.read()) if upload else None)  # fmt: skip
        messages.success(request, "Pouvoir enregistré" + (" avec son scan." if upload else "."))
    elif action == "standing":
        problems = opening.apply_standing_proxies(user, clock, sitting)
        for problem in problems:
            messages.warning(request, problem)
    elif action == "postpone":
        item = get_object_or_404(AgendaItem, pk=data.get("item") or 0, meeting=meeting)
        services.postpone_item(user, clock, sitting, item, for_quorum=data.get("why") == "quorum")
        messages.success(request, f"Point {item.position} reporté.")
    elif action == "second":
        second = adjournment.prepare_second_convocation(user, clock, sitting,
                                                        on=_date(data.get("on")))  # fmt: skip
        messages.success(request, f"Seconde convocation préparée pour le {second.date:%d/%m/%Y} "
                                  "(sans condition de quorum pour les points reportés).")  # fmt: skip


def _opening_context(meeting: Meeting, sitting: Sitting | None) -> dict[str, object]:
    members = [m.member for m in members_in_office(meeting.assembly, meeting.date)]
    substitutes = Mandate.objects.in_office(meeting.date).filter(
        assembly=meeting.assembly, substitute_for__isnull=False).select_related(
        "member", "substitute_for")  # fmt: skip
    postponed = ItemVote.objects.filter(item__meeting=meeting, postponement="quorum").exists()
    second = Meeting.objects.filter(first_meeting=meeting, second_convocation=True).first()
    return {
        "meeting": meeting, "sitting": sitting, "members": members,
        "substitutes": list(substitutes),
        "seated": list(sitting.substitutes.select_related("titular", "substitute")) if sitting else [],
        "standing": opening.standing_proxies(sitting) if sitting else [],
        "items": meeting.items.order_by("position"), "postponed": postponed, "second": second,
        "earliest": adjournment.earliest_second_meeting(sitting) if sitting else None,
        "allows_substitutes": meeting.collectivity.kind_enum.allows_substitutes,
    }  # fmt: skip


@require_http_methods(["GET", "POST"])
@collectivity_view(STAFF)
def ballot_card(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The appointment of the item in discussion: open the ballot, then each round."""
    meeting = _meeting(request, meeting_id)
    sitting = Sitting.objects.filter(meeting=meeting).select_related("current_item").first()
    item = sitting.current_item if sitting else None
    if request.method == "POST" and sitting is not None and item is not None:
        try:
            _ballot_action(request, meeting, sitting, item)
        except RegistreError as exc:
            messages.error(request, str(exc))
        if not request.headers.get("HX-Request"):
            return redirect("console", cid=meeting.assembly.collectivity_id, meeting_id=meeting.pk)
    ballot = Ballot.objects.filter(vote__item=item).first() if item else None
    return render(request, "registre/live/_ballot.html", {
        "meeting": meeting, "item": item, "ballot": ballot,
        "candidates": list(ballot.candidates.all()) if ballot else [],
        "rounds": list(ballot.rounds.prefetch_related("votes", "elected")) if ballot else [],
        "members": [m.member for m in members_in_office(meeting.assembly, meeting.date)],
        "url": reverse("console_ballot", kwargs={"cid": meeting.assembly.collectivity_id,
                                                 "meeting_id": meeting.pk}),
    })  # fmt: skip


def _ballot_action(
    request: HttpRequest, meeting: Meeting, sitting: Sitting, item: AgendaItem
) -> None:
    data, user, clock = request.POST, request.user, system_clock
    if data.get("action") == "ballot":
        candidates: list[Member | appointments.Outsider] = [
            m for m in (_member(meeting, v) for v in data.getlist("candidates")) if m]  # fmt: skip
        if name := data.get("outsider", "").strip():
            candidates.append(appointments.Outsider(name, _date(data.get("outsider_birth"))))
        seats = _count(data.get("seats")) or 1
        appointments.open_ballot(user, clock, sitting, item, seats, candidates)
    elif data.get("action") == "round":
        votes = {int(k.removeprefix("c")): int(v) for k, v in data.items()
                 if k.startswith("c") and k[1:].isdigit() and v.isdigit()}  # fmt: skip
        done = appointments.record_round(user, clock, sitting, item, votes,
                                         blank=_count(data.get("blank")) or 0,
                                         void=_count(data.get("void")) or 0,
                                         expressed=_count(data.get("expressed")))  # fmt: skip
        names = ", ".join(c.name for c in done.elected.all()) or "personne"
        messages.success(request, f"Tour n° {done.number} : élu(s) {names}.")
