"""Writes on meetings, drafts and agendas: the only write path, each with the acting
user and a clock, each in one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from registre.web.clock import Clock
from registre.web.core import audit
from registre.web.core.models import Assembly, Collectivity, Role
from registre.web.core.services import ServiceError, require_role
from registre.web.meetings.models import (
    AgendaItem,
    Attachment,
    DelegatedDecision,
    DraftStatus,
    ItemRevision,
    Meeting,
)
from registre.web.members.models import Member

CLERKS = {Role.ADMINISTRATOR, Role.CLERK}
WRITERS = {Role.ADMINISTRATOR, Role.CLERK, Role.DRAFTER}
MAX_ATTACHMENT = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class MeetingFields:
    """What the clerk types to create a meeting."""

    date: dt.date
    time: dt.time
    place: str
    mode: str
    urgency: bool = False
    second_convocation: bool = False
    first_meeting: Meeting | None = None


@dataclass(frozen=True, slots=True)
class DraftFields:
    """What a drafter types in a draft deliberation."""

    subject: str
    heading: str = ""
    matter_code: str = ""
    rapporteur: Member | None = None
    statement: str = ""
    operative_part: str = ""

    def content(self) -> dict[str, str | int | None]:
        """The fields as JSON values, for the history."""
        values = asdict(self)
        values["rapporteur"] = self.rapporteur.pk if self.rapporteur else None
        return values


@transaction.atomic
def create_meeting(
    actor: AbstractBaseUser, clock: Clock, assembly: Assembly, fields: MeetingFields
) -> Meeting:
    """A meeting of the assembly; a second convocation names the meeting without quorum."""
    require_role(actor, assembly.collectivity, CLERKS)
    if fields.second_convocation and fields.first_meeting is None:
        raise ServiceError("Une seconde convocation renvoie à la séance où le quorum "
                           "n'a pas été atteint : choisissez-la.")  # fmt: skip
    if fields.first_meeting is not None and fields.first_meeting.date >= fields.date:
        raise ServiceError("La seconde convocation suit la séance sans quorum.")
    meeting = Meeting.objects.create(assembly=assembly, **asdict(fields))
    audit.record(actor, clock, assembly.collectivity, "meeting.create", meeting,
                 f"Création de la séance {meeting}", after=audit.snapshot(meeting))  # fmt: skip
    return meeting


@transaction.atomic
def save_draft(
    actor: AbstractBaseUser, clock: Clock, collectivity: Collectivity,
    item: AgendaItem | None, fields: DraftFields,
) -> AgendaItem:  # fmt: skip
    """Create or change a draft; each save is a new version in its history. A drafter
    changes only drafts; a clerk's change keeps the status."""
    role = require_role(actor, collectivity, WRITERS)
    if fields.rapporteur is not None and fields.rapporteur.collectivity_id != collectivity.pk:
        raise ServiceError("Le rapporteur doit être un élu de la collectivité.")
    if item is None:
        item = AgendaItem(collectivity=collectivity, version=0)
        before = None
    else:
        if role is Role.DRAFTER and item.status != DraftStatus.DRAFT:
            raise ServiceError("Ce projet a été soumis au greffe : seul le greffe le modifie.")
        before = audit.snapshot(item)
    for name, value in asdict(fields).items():
        setattr(item, name, value)
    item.version += 1
    item.save()
    _revision(actor, clock, item)
    audit.record(actor, clock, collectivity, "draft.save", item,
                 f"Projet « {item.subject[:80]} » version {item.version}",
                 before=before, after=audit.snapshot(item))  # fmt: skip
    return item


def _revision(actor: AbstractBaseUser, clock: Clock, item: AgendaItem) -> None:
    fields = DraftFields(subject=item.subject, heading=item.heading,
                         matter_code=item.matter_code, rapporteur=item.rapporteur,
                         statement=item.statement, operative_part=item.operative_part)  # fmt: skip
    ItemRevision.objects.create(item=item, version=item.version, at=clock(), actor=actor,
                                status=item.status, content=fields.content())  # fmt: skip


_MOVES = {
    "submit": ({DraftStatus.DRAFT}, DraftStatus.SUBMITTED, WRITERS, "soumis au greffe"),
    "validate": ({DraftStatus.SUBMITTED}, DraftStatus.VALIDATED, CLERKS, "validé"),
    "return": ({DraftStatus.SUBMITTED, DraftStatus.VALIDATED}, DraftStatus.DRAFT, CLERKS,
               "renvoyé au rédacteur"),
}  # fmt: skip


@transaction.atomic
def move_draft(actor: AbstractBaseUser, clock: Clock, item: AgendaItem, move: str) -> AgendaItem:
    """Move a draft in the circuit: submit (drafter), validate or return (clerk)."""
    allowed_from, to, roles, said = _MOVES[move]
    require_role(actor, item.collectivity, roles)
    if item.status not in allowed_from:
        raise ServiceError(f"Ce projet est « {item.get_status_display()} » : il ne peut pas "
                           f"être {said}.")  # fmt: skip
    if to is DraftStatus.DRAFT and item.meeting_id is not None:
        raise ServiceError("Retirez d'abord ce projet de l'ordre du jour.")
    before = audit.snapshot(item)
    item.status = to
    item.version += 1
    item.save(update_fields=["status", "version"])
    _revision(actor, clock, item)
    audit.record(actor, clock, item.collectivity, f"draft.{move}", item,
                 f"Projet « {item.subject[:80]} » {said}", before=before,
                 after=audit.snapshot(item))  # fmt: skip
    return item


@transaction.atomic
def add_to_agenda(
    actor: AbstractBaseUser, clock: Clock, meeting: Meeting, item: AgendaItem
) -> AgendaItem:
    """Place a validated draft last on the meeting's agenda."""
    require_role(actor, meeting.collectivity, CLERKS)
    if item.collectivity_id != meeting.assembly.collectivity_id:
        raise ServiceError("Ce projet n'appartient pas à la collectivité de la séance.")
    if item.status != DraftStatus.VALIDATED:
        raise ServiceError("Seul un projet validé par le greffe entre à l'ordre du jour.")
    if item.meeting_id is not None:
        raise ServiceError("Ce projet est déjà à l'ordre du jour d'une séance.")
    before = audit.snapshot(item)
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    item.meeting, item.position = meeting, last + 1
    item.save(update_fields=["meeting", "position"])
    audit.record(actor, clock, meeting.collectivity, "agenda.add", item,
                 f"« {item.subject[:80]} » inscrit au rang {item.position} de la séance "
                 f"du {meeting.date:%d/%m/%Y}", before=before, after=audit.snapshot(item))  # fmt: skip
    return item


@transaction.atomic
def remove_from_agenda(actor: AbstractBaseUser, clock: Clock, item: AgendaItem) -> None:
    """Take an item off its meeting's agenda; the following items move up."""
    meeting = item.meeting
    if meeting is None:
        raise ServiceError("Ce projet n'est à l'ordre du jour d'aucune séance.")
    require_role(actor, meeting.collectivity, CLERKS)
    before, position = audit.snapshot(item), item.position or 0
    item.meeting, item.position = None, None
    item.save(update_fields=["meeting", "position"])
    for later in meeting.items.filter(position__gt=position).order_by("position"):
        later.position = (later.position or 1) - 1
        later.save(update_fields=["position"])
    audit.record(actor, clock, meeting.collectivity, "agenda.remove", item,
                 f"« {item.subject[:80]} » retiré de l'ordre du jour", before=before,
                 after=audit.snapshot(item))  # fmt: skip


@transaction.atomic
def reorder_agenda(
    actor: AbstractBaseUser, clock: Clock, meeting: Meeting, item: AgendaItem, offset: int
) -> None:
    """Move an item up (-1) or down (+1) in its meeting's agenda."""
    require_role(actor, meeting.collectivity, CLERKS)
    items = list(meeting.items.order_by("position"))
    index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
    if index is None:
        raise ServiceError("Ce projet n'est pas à l'ordre du jour de cette séance.")
    target = index + offset
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    before = [it.pk for it in meeting.items.order_by("position")]
    # two passes: the unique (meeting, position) constraint forbids a swap in place
    for offset_rank, it in enumerate(items, start=len(items) + 1):
        it.position = offset_rank
        it.save(update_fields=["position"])
    for rank, it in enumerate(items, start=1):
        it.position = rank
        it.save(update_fields=["position"])
    audit.record(actor, clock, meeting.collectivity, "agenda.reorder", meeting,
                 f"Ordre du jour du {meeting.date:%d/%m/%Y} réordonné",
                 before={"order": str(before)}, after={"order": str([it.pk for it in items])})  # fmt: skip


@transaction.atomic
def attach_file(
    actor: AbstractBaseUser, clock: Clock, item: AgendaItem, name: str, data: bytes
) -> Attachment:
    """Annex a file to a draft (kept with its SHA-256)."""
    require_role(actor, item.collectivity, WRITERS)
    if len(data) > MAX_ATTACHMENT:
        raise ServiceError(f"L'annexe « {name} » dépasse 20 Mo : réduisez-la ou scindez-la.")
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(item=item, name=name, size=len(data), sha256=digest)
    attachment.file.save(f"{digest[:16]}-{name}", ContentFile(data), save=True)
    audit.record(actor, clock, item.collectivity, "draft.attach", attachment,
                 f"Annexe « {name} » jointe au projet « {item.subject[:60]} »",
                 after=audit.snapshot(attachment))  # fmt: skip
    return attachment


@transaction.atomic
def add_delegated_decision(
    actor: AbstractBaseUser, clock: Clock, collectivity: Collectivity, *, number: str,
    taken_on: dt.date, subject: str, reported_at: Meeting | None = None,
) -> DelegatedDecision:  # fmt: skip
    """A decision of the executive under delegation (L2122-22), to report (L2122-23)."""
    require_role(actor, collectivity, CLERKS)
    if reported_at is not None and reported_at.collectivity.pk != collectivity.pk:
        raise ServiceError("Cette séance n'appartient pas à la collectivité.")
    if reported_at is not None and reported_at.date < taken_on:
        raise ServiceError("Une décision est rendue compte à une séance qui la suit.")
    decision = DelegatedDecision.objects.create(
        collectivity=collectivity, number=number, taken_on=taken_on, subject=subject,
        reported_at=reported_at,
    )  # fmt: skip
    audit.record(actor, clock, collectivity, "decision.add", decision,
                 f"Décision {number} prise par délégation", after=audit.snapshot(decision))  # fmt: skip
    return decision
