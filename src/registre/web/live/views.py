"""The meeting console (the clerk's one page) and the public screen (no login).

Open screens follow a state URL with the version they show. Pushed by server-sent
events (`stream`): the same URL asked with `Accept: text/event-stream` streams each
new version's fragment. Polled, as a fallback while the stream is down: 204 while
nothing changed (no query beyond the version), the fresh fragment otherwise. Either
way a fragment is rendered once per version for every screen."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from registre.errors import RegistreError
from registre.record import ChangeKind, Outcome, VoteChoice, item_attendances
from registre.web.clock import system_clock
from registre.web.core.tenancy import (
    EVERYONE,
    STAFF,
    collectivity_view,
    public_view,
    scoped_or_404,
    tenant,
)
from registre.web.live import services, stream
from registre.web.live.models import DeclaredAbsence, ItemVote, Presence, Sitting
from registre.web.live.record import attendance_record, item_number
from registre.web.meetings.models import AgendaItem, Meeting
from registre.web.members.models import Mandate, Member, members_in_office

OUTCOMES = {Outcome.ADOPTED.value: "Adoptée", Outcome.REJECTED.value: "Rejetée"}
CONSOLE_STATE = "registre/live/_state.html"
PUBLIC_STATE = "registre/live/_public_state.html"
ROLL_ROWS = "registre/live/_roll_rows.html"


@dataclass(frozen=True, slots=True)
class Quorum:
    """Members present for the current item against the majority of those in office."""

    present: int
    represented: int
    withdrawn: int
    required: int

    @property
    def reached(self) -> bool:
        """Whether the assembly may deliberate (L2121-17)."""
        return self.present >= self.required


def _quorum(sitting: Sitting, mandates: list[Mandate]) -> Quorum | None:
    item = sitting.current_item
    if item is None:
        return None
    record = attendance_record(sitting, mandates)
    att = item_attendances(record)[item_number(item)]
    in_office = record.meeting.members_in_office or 0
    return Quorum(len(att.present or ()), len(att.represented or ()), len(att.withdrawn or ()),
                  in_office // 2 + 1)  # fmt: skip


def _state(sitting: Sitting | None, meeting: Meeting) -> dict[str, object]:
    """What the console and the public screen show of the meeting now."""
    if sitting is None:
        return {"sitting": None, "meeting": meeting, "version": 0}
    answers = {c.member_id: c.status for c in sitting.roll.all()}
    proxies = list(sitting.proxies.select_related("giver", "holder"))
    holders = {p.giver_id: p.holder.full_name for p in proxies}
    mandates = members_in_office(meeting.assembly, meeting.date)
    votes = ItemVote.objects.filter(item__meeting=meeting).select_related("item")
    closed = [v for v in votes if v.closed_at]
    roll = [(m.member, answers.get(m.member_id, ""), holders.get(m.member_id)) for m in mandates]
    return {
        "sitting": sitting, "meeting": meeting, "version": sitting.version,
        "roll_rows": _roll_rows(meeting, roll),
        "counts": {s: sum(1 for v in answers.values() if v == s) for s in Presence.values},
        "proxies": proxies,
        "quorum": _quorum(sitting, mandates),
        "current_vote": next((v for v in votes if v.item_id == sitting.current_item_id), None),
        "closed": [(v, OUTCOMES.get(v.outcome, v.outcome)) for v in closed],
        "declared": DeclaredAbsence.objects.filter(meeting=meeting).select_related("member", "holder"),
        "last": (closed[-1], OUTCOMES.get(closed[-1].outcome, "")) if closed else None,
    }  # fmt: skip


def _roll_rows(meeting: Meeting, roll: list[tuple[Member, str, str | None]]) -> str:
    """The roll table's rows: 150 members' rows are most of the console's rendering,
    and they change only with the roll call, not with each vote. Kept under what they
    show, so a change of name, answer or proxy renders them anew."""
    action_url = reverse("console_action", kwargs={"cid": meeting.assembly.collectivity_id,
                                                   "meeting_id": meeting.pk})  # fmt: skip
    shown = [(m.pk, m.full_name, status, holder) for m, status, holder in roll]
    key = "live:roll:" + hashlib.sha256(repr((action_url, shown)).encode()).hexdigest()
    rows = cache.get(key)
    if rows is None:
        rows = render_to_string(ROLL_ROWS, {"roll": roll, "action_url": action_url})
        cache.set(key, rows, 3600)
    return mark_safe(rows)  # rendered by the template, which escaped what it shows


def _sitting(meeting: Meeting) -> Sitting | None:
    sitting = Sitting.objects.filter(meeting=meeting).select_related("current_item").first()
    if sitting is not None:
        sitting.meeting = meeting  # read already (with its assembly): not read again
    return sitting


@collectivity_view(STAFF)
def console(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The clerk's console for a meeting."""
    meeting = scoped_or_404(Meeting.objects.select_related("assembly__collectivity"), request,
                            "assembly__collectivity", pk=meeting_id)  # fmt: skip
    members = [m.member for m in members_in_office(meeting.assembly, meeting.date)]
    context = _state(_sitting(meeting), meeting) | {
        "members": members, "items": meeting.items.order_by("position"),
        "kinds": [(ChangeKind.ARRIVAL, "arrive"), (ChangeKind.DEPARTURE, "quitte la séance"),
                  (ChangeKind.PROXY_ON_LEAVING, "quitte la séance et donne pouvoir à"),
                  (ChangeKind.PROXY_ENDS_ON_ARRIVAL, "arrive (fin du pouvoir donné)"),
                  (ChangeKind.WITHDRAWAL, "se retire (intérêt personnel, L2131-11)")],
    }  # fmt: skip
    return render(request, "registre/live/console.html", context)


@collectivity_view(STAFF)
def console_state(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The console's state: its stream, or its fragment (204 when the shown version is
    current)."""
    meeting = scoped_or_404(Meeting.objects.select_related("assembly__collectivity"), request,
                            "assembly__collectivity", pk=meeting_id)  # fmt: skip
    if stream.wants_stream(request):
        return stream.response(request, meeting.pk, CONSOLE_STATE, state_pages)
    return _fragment(request, meeting, CONSOLE_STATE)


def _fragment(request: HttpRequest, meeting: Meeting, template: str) -> HttpResponse:
    """204 while the screen is current; else the fragment shared by all screens,
    unless this user has a message waiting."""
    version = Sitting.objects.filter(meeting=meeting).values_list("version", flat=True).first()
    if str(version or 0) == request.GET.get("v"):
        return HttpResponse(status=204)
    if len(messages.get_messages(request)):
        return render(request, template, _state(_sitting(meeting), meeting))
    return HttpResponse(state_pages(meeting.pk, [template], version or 0)[1][template])


def state_pages(
    meeting_id: int, templates: Collection[str], version: int
) -> tuple[int, dict[str, str]]:
    """The fragments of the meeting's state at `version` (or a later one, when it has
    moved on) and the version they show: rendered once per version for every screen,
    polled or pushed. A fragment carries no user's data (htmx sends the CSRF token
    in a header)."""
    keys = {template: f"live:{template}:{meeting_id}:{version}" for template in templates}
    found = cache.get_many(keys.values())
    if len(found) == len(keys):
        return version, {template: found[key] for template, key in keys.items()}
    meeting = Meeting.objects.select_related("assembly__collectivity").get(pk=meeting_id)
    state = _state(_sitting(meeting), meeting)  # one reading for all the templates
    shown = int(state["version"])  # type: ignore[call-overload]
    pages = {template: render_to_string(template, state) for template in templates}
    cache.set_many({f"live:{t}:{meeting_id}:{shown}": page for t, page in pages.items()}, 300)
    return shown, pages


@require_POST
@collectivity_view(STAFF)
def console_action(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One action of the clerk (open, roll, proxy, item, event, vote, close, state)."""
    meeting = scoped_or_404(Meeting.objects.select_related("assembly__collectivity"), request,
                            "assembly__collectivity", pk=meeting_id)  # fmt: skip
    try:
        _act(request, meeting)
    except RegistreError as exc:
        messages.error(request, str(exc))
    if not request.headers.get("HX-Request"):
        return redirect("console", cid=meeting.assembly.collectivity_id, meeting_id=meeting.pk)
    if request.headers.get("X-Registre-Direct") and not len(messages.get_messages(request)):
        # the console's stream brings the new state; the version tells which event
        version = Sitting.objects.filter(meeting=meeting).values_list("version", flat=True)
        return _Changed(meeting.pk, headers={"X-Registre-Version": str(version.first())})
    return _fragment(request, meeting, CONSOLE_STATE)  # with the message, or when polling


class _Changed(HttpResponse):
    """A clerk's change answered with no content: once the answer is sent, this
    process's streams read the new version at once rather than at their next reading
    (sooner, their rendering would compete with the answer for the interpreter)."""

    status_code = 204

    def __init__(self, meeting_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.meeting_id = meeting_id

    def close(self) -> None:
        """Called by the server once the answer is sent."""
        super().close()
        stream.nudge(self.meeting_id)


def _member(meeting: Meeting, value: str | None) -> Member | None:
    if not value:
        return None
    return get_object_or_404(Member, pk=value, collectivity=meeting.assembly.collectivity)


def _count(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _act(request: HttpRequest, meeting: Meeting) -> None:
    data, user, clock = request.POST, request.user, system_clock
    action = data.get("action")
    if action == "open":
        services.open_sitting(user, clock, meeting, _member(meeting, data.get("president")),
                              [m for m in [_member(meeting, data.get("secretary"))] if m])  # fmt: skip
        return
    sitting = _sitting(meeting)
    if sitting is None:
        raise RegistreError("Ouvrez d'abord la séance.")
    item = get_object_or_404(AgendaItem, pk=data.get("item") or sitting.current_item_id or 0,
                             meeting=meeting) if action in ("item", "event", "vote", "named", "close") else None  # fmt: skip
    if action == "roll":
        services.call_roll(user, clock, sitting, _member(meeting, data.get("member")),
                           Presence(data.get("status")), seen=data.get("seen"))  # fmt: skip
    elif action == "proxy":
        services.give_proxy(user, clock, sitting, _member(meeting, data.get("giver")),
                            _member(meeting, data.get("holder")))  # fmt: skip
    elif action == "item":
        services.start_item(user, clock, sitting, item)
    elif action == "event":
        services.record_event(user, clock, sitting, ChangeKind(data.get("kind")),
                              _member(meeting, data.get("member")), item,
                              holder=_member(meeting, data.get("holder")))  # fmt: skip
    elif action == "vote":
        _vote(request, sitting, item)  # type: ignore[arg-type]
    elif action == "named":
        exceptions = {int(pk): choice for choice in (VoteChoice.AGAINST, VoteChoice.ABSTENTION,
                                                     VoteChoice.NOT_VOTING)
                      for pk in data.getlist(choice.value) if pk.isdigit()}  # fmt: skip
        services.record_named_votes(user, clock, sitting, item,
                                    default=VoteChoice(data.get("default", "for")),
                                    exceptions=exceptions, mode=data.get("mode", "public"))  # fmt: skip
    elif action == "close":
        services.close_item(user, clock, sitting, item)  # type: ignore[arg-type]
    elif action == "declarations":
        for problem in services.apply_declarations(user, clock, sitting):
            messages.warning(request, problem)
    elif action == "state":
        # one flag a button: a clerk's stale screen never lifts the other one
        flags = {name: data[name] == "1" for name in ("in_camera", "suspended") if name in data}
        services.set_state(user, clock, sitting, **flags)


def _vote(request: HttpRequest, sitting: Sitting, item: AgendaItem) -> None:
    data = request.POST
    if data.get("unanimous") == "1":  # all the voters for, counted by the service
        services.record_vote(request.user, system_clock, sitting, item, unanimous=True,
                             against=0, abstention=0, not_voting=0)  # fmt: skip
        return
    services.record_vote(
        request.user, system_clock, sitting, item,
        for_=_count(data.get("for")), against=_count(data.get("against")),
        abstention=_count(data.get("abstention")), not_voting=_count(data.get("not_voting")),
        president_vote=data.get("president_vote", ""), mode=data.get("mode", ""),
    )  # fmt: skip


@public_view
def public_screen(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The public screen: current item, quorum, last result; only the fact of the
    closed sitting while it is in camera (L2121-18)."""
    meeting = get_object_or_404(Meeting.objects.select_related("assembly"), pk=meeting_id)
    return render(request, "registre/live/public.html", _state(_sitting(meeting), meeting))


@public_view
def public_state(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The public screen's state: its stream, or its fragment (204 when the shown
    version is current)."""
    meeting = get_object_or_404(Meeting.objects.select_related("assembly"), pk=meeting_id)
    if stream.wants_stream(request):
        return stream.response(request, meeting.pk, PUBLIC_STATE, state_pages)
    return _fragment(request, meeting, PUBLIC_STATE)


@collectivity_view(STAFF)
def meeting_documents(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The documents of the closed items, in one zip, ready to sign."""
    from registre.web.live.documents import meeting_documents as produce  # noqa: PLC0415

    meeting = scoped_or_404(Meeting.objects.select_related("assembly__collectivity"), request,
                            "assembly__collectivity", pk=meeting_id)  # fmt: skip
    sitting = _sitting(meeting)
    try:
        if sitting is None:
            raise ValueError("la séance n'est pas ouverte")
        _, data = produce(sitting)
    except ValueError as exc:
        messages.error(request, f"Documents non produits : {exc}.")
        return redirect("console", cid=meeting.assembly.collectivity_id, meeting_id=meeting.pk)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="seance-{meeting.date}.zip"'
    return response


@collectivity_view(EVERYONE)
def declare_absence(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """An elected member declares their absence and gives their proxy in advance."""
    meeting = scoped_or_404(Meeting.objects.select_related("assembly__collectivity"), request,
                            "assembly__collectivity", pk=meeting_id)  # fmt: skip
    member = tenant(request).membership.member
    if member is None:
        raise PermissionDenied("Votre compte n'est pas rattaché à une fiche d'élu.")
    colleagues = [m.member for m in members_in_office(meeting.assembly, meeting.date)
                  if m.member_id != member.pk]  # fmt: skip
    if request.method == "POST":
        try:
            services.declare_absence(request.user, system_clock, meeting, member,
                                     _member(meeting, request.POST.get("holder")))  # fmt: skip
        except RegistreError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, "Votre absence est enregistrée ; le greffe la verra à l'appel."
            )
    declared = DeclaredAbsence.objects.filter(meeting=meeting, member=member).first()
    return render(request, "registre/live/absence.html",
                  {"meeting": meeting, "colleagues": colleagues, "declared": declared})  # fmt: skip
