"""Publishing an act of the register (L2131-1, R2131-1): the act's row on the portal,
its PDF, a `published` event in the register; each with the acting user and a clock,
each audited. Redacted text never reaches the row nor the PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from registre.record import DocumentKind, EventKind, LifecycleEvent, MeetingRecord, loads
from registre.web.clock import Clock
from registre.web.core import audit
from registre.web.core.models import Assembly, Role
from registre.web.core.services import ServiceError, require_role
from registre.web.live.models import ItemVote
from registre.web.live.record import item_number
from registre.web.live.register import append_event_to_register, assembly_key, open_store
from registre.web.meetings.models import Meeting
from registre.web.publication.acts import act_fields, redact
from registre.web.publication.models import (
    MeetingDocumentKind,
    PublishedAct,
    PublishedDocument,
    Redaction,
)
from registre.web.publication.search import reindex

CLERKS = {Role.ADMINISTRATOR, Role.CLERK}


def act_url(act: PublishedAct | tuple[str, str]) -> str:
    """The stable public address of an act: the collectivity's SIREN and its number."""
    siren, number = (act.collectivity.siren, act.number) if isinstance(act, PublishedAct) else act
    path = reverse("portal_act", kwargs={"siren": siren, "number": number})
    return f"{settings.PUBLIC_URL}{path}"


def frozen_record(assembly: Assembly, sequence: int) -> MeetingRecord:
    """The record entered into the register at `sequence`, as frozen then."""
    store = open_store()
    try:
        for entry in store.entries(assembly_key(assembly)):  # type: ignore[attr-defined]
            if entry.sequence == sequence:
                return loads(entry.payload.decode("utf-8"))
    finally:
        store.close()  # type: ignore[attr-defined]
    raise ServiceError(f"L'écriture n° {sequence} est introuvable dans le registre.")


def publish(
    actor: AbstractBaseUser, clock: Clock, vote: ItemVote, *, pdf: bytes | None = None
) -> PublishedAct:
    """Publish the closed, registered item: its record redacted as marked, its PDF
    (the signed extract given, or, when something is redacted or nothing is given,
    the extract rendered from the redacted record), then a `published` event in the
    register and the act on the portal."""
    item = vote.item
    meeting = item.meeting
    assert meeting is not None
    require_role(actor, meeting.collectivity, CLERKS)
    if vote.register_sequence is None:
        raise ServiceError("Seul un point clos et inscrit au registre se publie.")
    number = item_number(item)
    if PublishedAct.objects.filter(assembly=meeting.assembly, number=number).exists():
        raise ServiceError(f"La délibération {number} est déjà publiée.")
    marks = list(Redaction.objects.filter(assembly=meeting.assembly, number=number)
                 .values_list("text", flat=True))  # fmt: skip
    record = redact(frozen_record(meeting.assembly, vote.register_sequence), marks)
    if marks or pdf is None:
        pdf = render_extract(record, number)
    today = timezone.localdate(clock())
    url = act_url((meeting.collectivity.siren, number))
    pdf = _with_mention(pdf, record, meeting.assembly, url, clock)
    event = LifecycleEvent(kind=EventKind.PUBLISHED, on=today, deliberation=number,
                           document=DocumentKind.EXTRACT, url=url)  # fmt: skip
    append_event_to_register(meeting.assembly, event, clock)
    return store_act(actor, clock, meeting.assembly, record, number, pdf, published_on=today,
                     register_sequence=vote.register_sequence)  # fmt: skip


def _with_mention(pdf: bytes, record: MeetingRecord, assembly: Assembly, url: str,
                  clock: Clock) -> bytes:  # fmt: skip
    """The PDF with the R2131-1 mention (the president's first name, name and
    capacity, the date of publication), signed by the collectivity's publication
    certificate when one is configured."""
    if not settings.PUBLICATION_P12:
        return pdf
    from registre.signatures import PublicationMention, load_pkcs12, publish_mention  # noqa: PLC0415

    president = next((m for m in record.meeting.members if m.id == record.meeting.president), None)
    if president is None:
        raise ServiceError("Le président de séance manque : la mention de publication doit "
                           "nommer l'auteur de l'acte (R2131-1).")  # fmt: skip
    mention = PublicationMention(president.first_name or "", president.last_name,
                                 f"Président(e) de séance, {assembly.name}",
                                 timezone.localdate(clock()), url)  # fmt: skip
    signer = load_pkcs12(Path(settings.PUBLICATION_P12),
                         settings.PUBLICATION_PASSPHRASE.encode() or None)  # fmt: skip
    return publish_mention(pdf, mention, signer, clock())


def render_extract(record: MeetingRecord, number: str) -> bytes:
    """The extract of deliberation `number`, rendered from the record (a redacted
    one for the public, the frozen one for the prefect)."""
    from registre.documents import render  # noqa: PLC0415 (Typst loads on first use)

    return render(record, DocumentKind.EXTRACT, number)


@transaction.atomic
def store_act(
    actor: AbstractBaseUser | None, clock: Clock, assembly: Assembly, record: MeetingRecord,
    number: str, pdf: bytes | None, *, published_on: dt.date | None,
    register_sequence: int | None = None, source: str = "register",
    transmitted_on: dt.date | None = None,
) -> PublishedAct:  # fmt: skip
    """Write the act's row (and its PDF), index it for the search, audit it."""
    now = clock()
    fields = dataclasses.asdict(act_fields(record, number, as_of=timezone.localdate(now)))
    act = PublishedAct(collectivity=assembly.collectivity, assembly=assembly,
                       published_on=published_on, transmitted_on=transmitted_on,
                       published_at=now, register_sequence=register_sequence, source=source,
                       author=_author(record), **fields)  # fmt: skip
    if pdf is not None:
        act.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        act.pdf.save(f"{assembly.collectivity.siren}-{number}.pdf", ContentFile(pdf), save=False)
    act.save()
    reindex([act])
    # the portal's year filter is cached: a new act may open a year
    cache.delete_many([f"portal:years:{assembly.collectivity.siren}", "portal:years:all"])
    audit.record(actor, clock, assembly.collectivity, "act.publish", act,
                 f"Délibération {number} publiée : « {act.subject[:80]} »",
                 after=audit.snapshot(act))  # fmt: skip
    return act


def _author(record: MeetingRecord) -> str:
    """The president who signs the act, as R2131-1 asks it named: first name, name,
    capacity."""
    president = record.meeting.president
    member = next((m for m in record.meeting.members if m.id == president), None)
    if member is None:
        return ""
    names = " ".join(p for p in (member.first_name, member.last_name) if p)
    return f"{names}, président(e) de séance"


@transaction.atomic
def mark_redaction(actor: AbstractBaseUser, clock: Clock, vote: ItemVote, text: str) -> Redaction:
    """Mark a text of an item (a private person's name) to be replaced by the mask
    wherever the act is published; before publication only (a published act is
    withdrawn and published again)."""
    item = vote.item
    meeting = item.meeting
    assert meeting is not None
    require_role(actor, meeting.collectivity, CLERKS)
    text = text.strip()
    if len(text) < 3:
        raise ServiceError("Indiquez le texte à occulter (trois caractères au moins).")
    number = item_number(item)
    if PublishedAct.objects.filter(assembly=meeting.assembly, number=number).exists():
        raise ServiceError("Cet acte est déjà publié : retirez-le, puis publiez-le à nouveau "
                           "avec l'occultation.")  # fmt: skip
    mark, _ = Redaction.objects.get_or_create(
        collectivity=meeting.collectivity, assembly=meeting.assembly, number=number, text=text,
        defaults={"marked_at": clock()})  # fmt: skip
    audit.record(actor, clock, meeting.collectivity, "act.redact", mark,
                 f"Occultation marquée dans {number}", after={"number": number})  # fmt: skip
    return mark


def publish_meeting_document(
    actor: AbstractBaseUser, clock: Clock, meeting: Meeting, kind: str, *, pdf: bytes | None = None
) -> PublishedDocument:
    """Publish the meeting's list of deliberations (rendered from its registered
    items, with the register's head digest) or its adopted minutes (the PDF given);
    a `published` event about the meeting goes into the register."""
    require_role(actor, meeting.collectivity, CLERKS)
    if PublishedDocument.objects.filter(assembly=meeting.assembly, meeting_date=meeting.date,
                                        kind=kind).exists():  # fmt: skip
        raise ServiceError("Ce document de la séance est déjà publié.")
    if kind == str(MeetingDocumentKind.MINUTES) and pdf is None:
        raise ServiceError("Joignez le procès-verbal adopté et signé (PDF).")
    if pdf is None:
        pdf = _render_list(meeting)
    now = clock()
    document = (
        DocumentKind.MINUTES
        if kind == str(MeetingDocumentKind.MINUTES)
        else DocumentKind.DELIBERATION_LIST
    )
    append_event_to_register(meeting.assembly, LifecycleEvent(
        kind=EventKind.PUBLISHED, on=timezone.localdate(now), document=document), clock)  # fmt: skip
    with transaction.atomic():
        published = PublishedDocument(collectivity=meeting.collectivity, assembly=meeting.assembly,
                                      meeting_date=meeting.date, kind=kind,
                                      pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                                      published_on=timezone.localdate(now), published_at=now)  # fmt: skip
        published.pdf.save(f"{meeting.collectivity.siren}-{meeting.date}-{kind}.pdf",
                           ContentFile(pdf), save=True)  # fmt: skip
        audit.record(actor, clock, meeting.collectivity, "meeting.publish", published,
                     f"{published.get_kind_display()} du {meeting.date:%d/%m/%Y} publié",
                     after={"kind": kind})  # fmt: skip
    return published


def _render_list(meeting: Meeting) -> bytes:
    """The list of the meeting's registered deliberations, anchored to the register."""
    from registre.documents import render  # noqa: PLC0415
    from registre.web.live.documents import list_anchor  # noqa: PLC0415
    from registre.web.live.record import sitting_record  # noqa: PLC0415

    sitting = getattr(meeting, "sitting", None)
    if sitting is None:
        raise ServiceError("La séance n'a pas été tenue dans registre : joignez la liste en PDF.")
    record = sitting_record(sitting)
    if not record.deliberations:
        raise ServiceError("Aucun point de la séance n'est inscrit au registre.")
    return render(record, DocumentKind.DELIBERATION_LIST, anchor=list_anchor(meeting.assembly))
