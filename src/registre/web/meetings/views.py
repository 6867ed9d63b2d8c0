"""Meetings and their agendas, drafts and their circuit, decisions under delegation,
convocations."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from registre.errors import RegistreError
from registre.web.clock import system_clock
from registre.web.core.models import Role
from registre.web.core.tenancy import (
    EVERYONE,
    READERS_OF_WORK,
    STAFF,
    WRITERS,
    collectivity_view,
    scoped_or_404,
    tenant,
)
from registre.web.forms import DecisionForm, DraftForm, MeetingForm
from registre.web.meetings import convocations, services
from registre.web.meetings.models import (
    AgendaItem,
    Convocation,
    DelegatedDecision,
    DraftStatus,
    Meeting,
)

MEETINGS = Meeting.objects.select_related("assembly", "assembly__collectivity")
ITEMS = AgendaItem.objects.select_related("rapporteur", "meeting")


@collectivity_view(READERS_OF_WORK)
def meeting_list(request: HttpRequest) -> HttpResponse:
    """The collectivity's meetings, newest first."""
    meetings = MEETINGS.filter(assembly__collectivity=tenant(request).collectivity)
    return render(request, "registre/meetings/list.html", {"meetings": meetings})


@collectivity_view(STAFF)
def meeting_add(request: HttpRequest) -> HttpResponse:
    """Create a meeting."""
    collectivity = tenant(request).collectivity
    form = MeetingForm(collectivity, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(request.user, system_clock,
                                              form.cleaned_data["assembly"], form.fields_value())  # fmt: skip
        except RegistreError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Séance du {meeting.date:%d/%m/%Y} créée.")
            return redirect("meeting_detail", cid=collectivity.pk, meeting_id=meeting.pk)
    return render(request, "registre/meetings/add.html", {"form": form})


@collectivity_view(READERS_OF_WORK)
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A meeting: its agenda (reordered in place with htmx), the validated drafts to
    add, the decisions to report, and the convocations with their deadline."""
    collectivity = tenant(request).collectivity
    # every write goes through a service and leaves an audit entry: the last entry's id
    # is the collectivity's version, and the page is kept until it changes (or a minute)
    version = collectivity.audit_entries.aggregate(last=Max("id"))["last"]
    key = (f"seance:{collectivity.pk}:{meeting_id}:{request.user.pk}:{version}:"
           f"{timezone.localdate(system_clock())}:{request.COOKIES.get('csrftoken', '')}")  # fmt: skip
    page = cache.get(key)
    if page is None:
        meeting = scoped_or_404(MEETINGS, request, "assembly__collectivity", pk=meeting_id)
        context = _detail_context(request, meeting)
        page = (meeting.date, render_to_string("registre/meetings/_detail.html", context, request))
        cache.set(key, page, 60)
    return render(
        request, "registre/meetings/detail.html", {"date": page[0], "content": mark_safe(page[1])}
    )


def _detail_context(request: HttpRequest, meeting: Meeting) -> dict[str, object]:
    collectivity = tenant(request).collectivity
    when = convocations.timing(meeting, system_clock)
    # the agenda and the validated drafts that may join it, in one query
    drafts = ITEMS.filter(
        Q(meeting=meeting) | Q(meeting__isnull=True, status=DraftStatus.VALIDATED),
        collectivity=collectivity,
    ).order_by("position", "id")
    items = [d for d in drafts if d.meeting_id == meeting.pk]
    return {
        "meeting": meeting,
        "items": items,
        "available": [d for d in drafts if d.meeting_id is None],
        "decisions": meeting.reported_decisions.all(),
        "convocations": meeting.convocations.all(),
        "timing": when,
        "late_message": convocations.late_message(meeting, when) if when.late else "",
        "can_edit": tenant(request).can(STAFF),
    }


@require_POST
@collectivity_view(STAFF)
def agenda_change(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Add, remove or move an agenda item; answers the agenda fragment to htmx."""
    meeting = scoped_or_404(MEETINGS, request, "assembly__collectivity", pk=meeting_id)
    item = scoped_or_404(AgendaItem.objects.all(), request, "collectivity",
                         pk=request.POST.get("item", 0))  # fmt: skip
    action, user = request.POST.get("action"), request.user
    try:
        if action == "add":
            services.add_to_agenda(user, system_clock, meeting, item)
        elif action == "remove":
            services.remove_from_agenda(user, system_clock, item)
        elif action in ("up", "down"):
            services.reorder_agenda(user, system_clock, meeting, item, -1 if action == "up" else 1)
    except RegistreError as exc:
        messages.error(request, str(exc))
    if request.headers.get("HX-Request"):
        return render(request, "registre/meetings/_agenda.html", _detail_context(request, meeting))
    return redirect("meeting_detail", cid=meeting.assembly.collectivity_id, meeting_id=meeting.pk)


@require_POST
@collectivity_view(STAFF)
def convocations_send(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Send the convocations; a late sending needs the clerk's confirmation."""
    meeting = scoped_or_404(MEETINGS, request, "assembly__collectivity", pk=meeting_id)
    try:
        sending = convocations.send_convocations(
            request.user,
            system_clock,
            meeting,
            accept_late=request.POST.get("accept_late") == "1",
        )
    except RegistreError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{len(sending.sent)} convocation(s) envoyée(s).")
        if sending.without_email:
            messages.warning(request, "Sans adresse électronique (à remettre autrement) : "
                             + ", ".join(sending.without_email))  # fmt: skip
    return redirect("meeting_detail", cid=meeting.assembly.collectivity_id, meeting_id=meeting.pk)


@collectivity_view(EVERYONE)
def convocation_document(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The convocation (PDF/A): for an elected member, only of a meeting they were
    convened to."""
    meeting = scoped_or_404(MEETINGS, request, "assembly__collectivity", pk=meeting_id)
    membership = tenant(request).membership
    if (
        tenant(request).role is Role.MEMBER
        and not meeting.convocations.filter(
            member_id=membership.member_id, member__isnull=False
        ).exists()
    ):
        raise PermissionDenied("Vous n'êtes pas convoqué(e) à cette séance.")
    pdf = convocations.convocation_pdf(meeting, convocations.timing(meeting, system_clock).today)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="convocation-{meeting.date}.pdf"'
    return response


@collectivity_view(EVERYONE)
def my_convocations(request: HttpRequest) -> HttpResponse:
    """An elected member's convocations (the member linked to their account)."""
    member_id = tenant(request).membership.member_id
    found = Convocation.objects.filter(member_id=member_id, member__isnull=False).select_related(
        "meeting", "meeting__assembly"
    )
    return render(request, "registre/meetings/mine.html", {"convocations": found,
                                                           "linked": member_id is not None})  # fmt: skip


@collectivity_view(WRITERS)
def draft_attach(request: HttpRequest, item_id: int) -> HttpResponse:
    """Annex a file to a draft (POST, multipart)."""
    item = scoped_or_404(ITEMS, request, "collectivity", pk=item_id)
    upload = request.FILES.get("file")
    if request.method != "POST" or upload is None:
        messages.error(request, "Choisissez le fichier à annexer.")
    else:
        try:
            services.attach_file(request.user, system_clock, item, upload.name, upload.read())
        except RegistreError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Annexe « {upload.name} » jointe.")
    return redirect("draft_detail", cid=item.collectivity_id, item_id=item.pk)


@collectivity_view(WRITERS | READERS_OF_WORK)
def draft_list(request: HttpRequest) -> HttpResponse:
    """Drafts by status."""
    items = ITEMS.filter(collectivity=tenant(request).collectivity).order_by("-id")
    return render(request, "registre/drafts/list.html", {"items": items})


@collectivity_view(WRITERS)
def draft_edit(request: HttpRequest, item_id: int | None = None) -> HttpResponse:
    """Create or change a draft; each save is a version in its history."""
    collectivity = tenant(request).collectivity
    item = None
    if item_id is not None:
        item = scoped_or_404(ITEMS, request, "collectivity", pk=item_id)
    initial = DraftForm.initial_of(item) if item else None
    form = DraftForm(collectivity, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.save_draft(request.user, system_clock, collectivity, item,
                                       form.fields_value())  # fmt: skip
        except RegistreError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Projet enregistré (version {item.version}).")
            if request.headers.get("HX-Request"):
                return render(request, "registre/drafts/_saved.html", {"item": item})
            return redirect("draft_detail", cid=collectivity.pk, item_id=item.pk)
    return render(request, "registre/drafts/edit.html", {"form": form, "item": item})


@collectivity_view(WRITERS | READERS_OF_WORK)
def draft_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    """A draft, its circuit actions and its history."""
    item = scoped_or_404(ITEMS, request, "collectivity", pk=item_id)
    revisions = item.revisions.select_related("actor")
    return render(request, "registre/drafts/detail.html", {
        "item": item, "revisions": revisions, "role": tenant(request).role,
        "attachments": item.attachments.all(),
    })  # fmt: skip


@require_POST
@collectivity_view(WRITERS)
def draft_move(request: HttpRequest, item_id: int) -> HttpResponse:
    """Submit, validate or return a draft."""
    item = scoped_or_404(ITEMS, request, "collectivity", pk=item_id)
    move = request.POST.get("move", "")
    if move not in ("submit", "validate", "return"):
        messages.error(request, "Action inconnue.")
    else:
        try:
            services.move_draft(request.user, system_clock, item, move)
        except RegistreError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"Projet « {item.subject[:60]} » : {item.get_status_display()}."
            )
    return redirect("draft_detail", cid=item.collectivity_id, item_id=item.pk)


@collectivity_view(READERS_OF_WORK)
def decision_list(request: HttpRequest) -> HttpResponse:
    """Decisions under delegation, and the form to add one."""
    collectivity = tenant(request).collectivity
    form = DecisionForm(collectivity, request.POST or None)
    if request.method == "POST":
        if not tenant(request).can(STAFF):
            messages.error(request, "Votre rôle ne permet pas cette action.")
        elif form.is_valid():
            try:
                services.add_delegated_decision(request.user, system_clock, collectivity,
                                                **form.cleaned_data)  # fmt: skip
            except RegistreError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Décision enregistrée.")
                return redirect("decision_list", cid=collectivity.pk)
    decisions = DelegatedDecision.objects.filter(collectivity=collectivity).select_related(
        "reported_at"
    )
    return render(request, "registre/decisions.html", {"form": form, "decisions": decisions})
