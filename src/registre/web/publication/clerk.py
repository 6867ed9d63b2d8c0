"""The clerk's publication page for a meeting: each registered item, the texts to
redact (a private person's name), the signed PDF, and « Publier »."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from registre.errors import RegistreError
from registre.web.clock import system_clock
from registre.web.core.tenancy import STAFF, collectivity_view, scoped_or_404
from registre.web.live.models import ItemVote
from registre.web.live.record import item_number
from registre.web.meetings.models import Meeting
from registre.web.publication import services
from registre.web.publication.models import (
    MeetingDocumentKind,
    PublishedAct,
    PublishedDocument,
    Redaction,
)

MAX_PDF = 30 * 1024 * 1024


@collectivity_view(STAFF)
def meeting_publication(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Publish the meeting's registered items, with their redactions."""
    meeting = scoped_or_404(Meeting.objects.select_related("assembly__collectivity"), request,
                            "assembly__collectivity", pk=meeting_id)  # fmt: skip
    if request.method == "POST" and request.POST.get("action") == "document":
        _publish_document(request, meeting)
        return redirect("meeting_publication", cid=meeting.assembly.collectivity_id,
                        meeting_id=meeting.pk)  # fmt: skip
    if request.method == "POST":
        vote = get_object_or_404(ItemVote, pk=request.POST.get("vote") or 0, item__meeting=meeting)
        try:
            _act(request, vote)
        except RegistreError as exc:
            messages.error(request, str(exc))
        return redirect("meeting_publication", cid=meeting.assembly.collectivity_id,
                        meeting_id=meeting.pk)  # fmt: skip
    votes = ItemVote.objects.filter(item__meeting=meeting, register_sequence__isnull=False)
    rows = []
    for vote in votes.select_related("item", "item__meeting").order_by("item__position"):
        number = item_number(vote.item)
        rows.append((vote, number,
                     PublishedAct.objects.filter(assembly=meeting.assembly, number=number).first(),
                     Redaction.objects.filter(assembly=meeting.assembly, number=number)))  # fmt: skip
    documents = PublishedDocument.objects.filter(
        assembly=meeting.assembly, meeting_date=meeting.date
    )
    return render(request, "registre/portal/clerk.html", {
        "meeting": meeting, "rows": rows, "documents": {d.kind: d for d in documents},
        "kinds": MeetingDocumentKind.choices})  # fmt: skip


def _publish_document(request: HttpRequest, meeting: Meeting) -> None:
    kind = request.POST.get("kind", "")
    if kind not in MeetingDocumentKind.values:
        messages.error(request, "Choisissez la liste des délibérations ou le procès-verbal.")
        return
    upload = request.FILES.get("pdf")
    pdf = upload.read() if upload else None
    try:
        if pdf is not None and (len(pdf) > MAX_PDF or not pdf.startswith(b"%PDF-")):
            raise RegistreError("Le fichier joint n'est pas un PDF de 30 Mo au plus.")
        done = services.publish_meeting_document(request.user, system_clock, meeting, kind, pdf=pdf)
    except RegistreError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{done.get_kind_display()} publié.")


def _act(request: HttpRequest, vote: ItemVote) -> None:
    if request.POST.get("action") == "redact":
        services.mark_redaction(request.user, system_clock, vote, request.POST.get("text", ""))
        messages.success(request, "Texte marqué : il sera remplacé par « [occulté] ».")
        return
    upload = request.FILES.get("pdf")
    pdf = upload.read() if upload else None
    if pdf is not None and (len(pdf) > MAX_PDF or not pdf.startswith(b"%PDF-")):
        raise RegistreError(f"« {upload.name} » n'est pas un PDF de 30 Mo au plus : joignez "
                            "l'extrait signé.")  # fmt: skip
    act = services.publish(request.user, system_clock, vote, pdf=pdf)
    messages.success(request, f"Délibération {act.number} publiée le {act.published_on:%d/%m/%Y}.")
