"""The clerk's transmission pages: a meeting's registered items sent to the
prefecture (« Transmission au préfet »), and the collectivity's operator settings
and classification."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from registre.errors import RegistreError
from registre.web.clock import system_clock
from registre.web.core.tenancy import STAFF, collectivity_view, scoped_or_404, tenant
from registre.web.live.models import ItemVote
from registre.web.meetings.models import Meeting
from registre.web.transmission import services, status
from registre.web.transmission.forms import MAX_PDF, ClassificationForm, OperatorForm
from registre.web.transmission.models import (
    Classification,
    OperatorSettings,
    Transmission,
    TransmissionStatus,
)

MEETINGS = Meeting.objects.select_related("assembly__collectivity")


@collectivity_view(STAFF)
def meeting_transmission(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Each registered item of the meeting: its act id, its transmission, whether it
    is enforceable; « Transmettre » / « Relancer »."""
    meeting = scoped_or_404(MEETINGS, request, "assembly__collectivity", pk=meeting_id)
    if request.method == "POST":
        _transmit(request, _vote(meeting, request.POST.get("vote", "")))
        return redirect("meeting_transmission", cid=meeting.assembly.collectivity_id,
                        meeting_id=meeting.pk)  # fmt: skip
    collectivity = meeting.assembly.collectivity
    return render(request, "registre/transmission/meeting.html", {
        "meeting": meeting, "rows": status.rows(meeting, timezone.localdate(system_clock())),
        "settings": OperatorSettings.objects.filter(collectivity=collectivity).first(),
        "classification": Classification.objects.filter(collectivity=collectivity).first(),
    })  # fmt: skip


def _vote(meeting: Meeting, given: str) -> ItemVote:
    """The meeting's registered item named by the form (404 otherwise)."""
    found = None
    if given.isdigit():
        found = (ItemVote.objects.select_related("item", "item__meeting__assembly__collectivity")
                 .filter(pk=int(given), item__meeting=meeting, register_sequence__isnull=False)
                 .first())  # fmt: skip
    if found is None:
        raise Http404("Point introuvable dans cette séance.")
    return found


def _transmit(request: HttpRequest, vote: ItemVote) -> None:
    upload = request.FILES.get("pdf")
    pdf = upload.read() if upload else None
    if pdf is not None and (len(pdf) > MAX_PDF or not pdf.startswith(b"%PDF-")):
        messages.error(request, "Le fichier joint n'est pas un PDF de 30 Mo au plus : joignez "
                       "l'extrait signé, ou rien (l'acte publié ou l'extrait du registre).")  # fmt: skip
        return
    try:
        done = services.transmit(request.user, system_clock, vote, pdf=pdf)
    except RegistreError as exc:
        messages.error(request, str(exc))
        return
    _outcome_message(request, done)


def _outcome_message(request: HttpRequest, done: Transmission) -> None:
    act, message = done.act_id, done.message
    match TransmissionStatus(done.status):
        case TransmissionStatus.ACKNOWLEDGED:
            day = f" le {done.acknowledged_on:%d/%m/%Y}" if done.acknowledged_on else ""
            messages.success(request, f"Acte {act} acquitté par la préfecture{day}.")
        case TransmissionStatus.PENDING:
            messages.info(request, f"Acte {act} remis à l'opérateur, en attente de l'accusé de "
                          "réception : relancez plus tard (il ne sera pas renvoyé).")  # fmt: skip
        case TransmissionStatus.REFUSED:
            messages.error(request, f"Acte {act} refusé : {message}")
        case TransmissionStatus.UNREACHABLE:
            messages.error(request, f"Acte {act} non transmis : {message}. Relancez : l'acte "
                           "n'est jamais envoyé deux fois.")  # fmt: skip
        case TransmissionStatus.ELSEWHERE:
            messages.warning(request, f"Acte {act} : {message}")


@collectivity_view(STAFF)
def transmission_settings(request: HttpRequest) -> HttpResponse:
    """The collectivity's operator (URL, certificate, how the envelope names it) and
    the prefecture's classification."""
    collectivity = tenant(request).collectivity
    settings = OperatorSettings.objects.filter(collectivity=collectivity).first()
    action = request.POST.get("action") if request.method == "POST" else None
    operator = OperatorForm(request.POST if action == "operator" else None,
                            initial=OperatorForm.initial_of(settings))  # fmt: skip
    upload = ClassificationForm(request.POST if action == "classification" else None,
                                request.FILES if action == "classification" else None)  # fmt: skip
    try:
        if action == "operator" and operator.is_valid():
            services.configure_operator(request.user, system_clock, collectivity,
                                        operator.fields_value())  # fmt: skip
            messages.success(request, "Réglages de l'opérateur enregistrés.")
            return redirect("transmission_settings", cid=collectivity.pk)
        if action == "classification" and upload.is_valid():
            done = services.import_classification(request.user, system_clock, collectivity,
                                                  upload.cleaned_data["file"])  # fmt: skip
            messages.success(request, f"Classification du {done.version:%d/%m/%Y} importée "
                             f"({done.matters.count()} matières).")  # fmt: skip
            return redirect("transmission_settings", cid=collectivity.pk)
    except RegistreError as exc:
        (operator if action == "operator" else upload).add_error(None, str(exc))
    classification = Classification.objects.filter(collectivity=collectivity).first()
    return render(request, "registre/transmission/settings.html", {
        "operator": operator, "upload": upload, "settings": settings,
        "classification": classification,
        "matters": classification.matters.all() if classification else [],
    })  # fmt: skip
