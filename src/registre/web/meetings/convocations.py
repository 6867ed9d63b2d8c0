"""Convocations: the meeting as a record (for the rules and the documents), the
sending deadline from `registre.rules`, and the sending with its proof."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.db import transaction
from django.utils import timezone

from registre import record as r
from registre.rules import Deadline, convocation_deadline
from registre.web.clock import Clock
from registre.web.core import audit
from registre.web.core.models import Role
from registre.web.core.services import ServiceError, require_role
from registre.web.meetings.models import Convocation, Meeting, RecipientKind
from registre.web.members.models import RECORD_CIVILITY, Member, members_in_office

SYNTHESIS_FROM = 3500  # inhabitants: the note of synthesis (L2121-12)


@dataclass(frozen=True, slots=True)
class Timing:
    """Whether sending today is on time, and the deadline that says so."""

    deadline: Deadline | None
    today: dt.date
    late: bool


def _member(member: Member, mandate_start: dt.date | None = None) -> r.Member:
    return r.Member(
        id=r.MemberId(f"m{member.pk}"), last_name=member.last_name.upper(),
        first_name=member.first_name,
        civility=RECORD_CIVILITY.get(member.civility),
        birth_date=member.birth_date, mandate_start=mandate_start,
    )  # fmt: skip


def needs_synthesis_note(meeting: Meeting) -> bool:
    """Communes of 3,500 inhabitants or more, and EPCI, send a note of synthesis."""
    collectivity = meeting.collectivity
    kind = collectivity.kind_enum
    return kind.is_epci or (collectivity.population or 0) >= SYNTHESIS_FROM


def meeting_record(meeting: Meeting, convocation_date: dt.date | None = None) -> r.MeetingRecord:
    """The meeting as registre's record, before it is held: roster, agenda, delays."""
    collectivity, assembly = meeting.collectivity, meeting.assembly
    mandates = members_in_office(assembly, meeting.date)
    items = tuple(
        r.DeliberationRecord(
            number=str(item.position), subject=item.subject, heading=item.heading or None,
            matter_code=item.matter_code or None, statement=item.statement or None,
            operative_part=item.operative_part or None,
            rapporteur=r.MemberId(f"m{item.rapporteur_id}") if item.rapporteur_id else None,
        )
        for item in meeting.items.order_by("position")
    )  # fmt: skip
    return r.MeetingRecord(
        collectivity=r.Collectivity(name=collectivity.name, kind=collectivity.kind_enum,
                                    siren=collectivity.siren, population=collectivity.population),
        assembly=r.Assembly(kind=r.AssemblyKind(assembly.kind), name=assembly.name),
        meeting=r.Meeting(
            date=meeting.date, time=meeting.time, place=meeting.place,
            members_in_office=len(mandates),
            members=tuple(_member(m.member, m.start) for m in mandates),
            convocation_date=convocation_date, urgency=meeting.urgency,
            second_convocation=meeting.second_convocation,
            synthesis_note_sent=needs_synthesis_note(meeting) or None,
            mode=r.MeetingMode.VIDEOCONFERENCE if meeting.mode == "videoconference" else None,
        ),
        attendance=r.Attendance(),
        deliberations=items,
    )  # fmt: skip


def timing(meeting: Meeting, clock: Clock) -> Timing:
    """The deadline and whether sending today would be late."""
    today = timezone.localdate(clock())
    deadline = convocation_deadline(_delay_record(meeting))
    late = today > meeting.date or bool(deadline and deadline.latest and today > deadline.latest)
    return Timing(deadline, today, late)


def _delay_record(meeting: Meeting) -> r.MeetingRecord:
    """What the delay depends on (kind, population, date, urgency, second
    convocation), without the roster and the agenda that a full record reads: the
    meeting's page shows the deadline on every load."""
    collectivity = meeting.collectivity
    return r.MeetingRecord(
        collectivity=r.Collectivity(name=collectivity.name, kind=collectivity.kind_enum,
                                    population=collectivity.population),
        assembly=r.Assembly(kind=r.AssemblyKind(meeting.assembly.kind)),
        meeting=r.Meeting(date=meeting.date, members_in_office=None, urgency=meeting.urgency,
                          second_convocation=meeting.second_convocation),
        attendance=r.Attendance(), deliberations=(),
    )  # fmt: skip


def convocation_pdf(meeting: Meeting, sent_on: dt.date) -> bytes:
    """The convocation (with its note of synthesis when due), as PDF/A."""
    from registre.documents import render  # noqa: PLC0415 (Typst loads on first use)

    return render(meeting_record(meeting, sent_on), r.DocumentKind.CONVOCATION)


def _recipients(meeting: Meeting) -> list[tuple[RecipientKind, Member | None, str, str]]:
    found: list[tuple[RecipientKind, Member | None, str, str]] = []
    for mandate in members_in_office(meeting.assembly, meeting.date):
        member = mandate.member
        found.append((RecipientKind.MEMBER, member, member.full_name, member.email))
    if meeting.collectivity.kind_enum.is_epci:  # copies to the communes' councillors
        for c in meeting.collectivity.councillors.all():
            name = f"{c.first_name} {c.last_name.upper()} ({c.commune})"
            found.append((RecipientKind.COMMUNE_COUNCILLOR, None, name, c.email))
    return found


@dataclass(frozen=True, slots=True)
class Sending:
    """What a sending did: convocations sent, and the members without an address."""

    sent: tuple[Convocation, ...]
    without_email: tuple[str, ...]


def send_convocations(
    actor: AbstractBaseUser, clock: Clock, meeting: Meeting, *, accept_late: bool = False
) -> Sending:
    """E-mail the convocation to each member in office (and, for an EPCI, a copy to
    the municipal councillors of its communes) not yet convened; each sent message is
    recorded with its id and time as soon as the server accepted it.

    A late sending is refused unless `accept_late` (the clerk confirmed the warning).
    """
    require_role(actor, meeting.collectivity, {Role.ADMINISTRATOR, Role.CLERK})
    if not meeting.items.exists():
        raise ServiceError("L'ordre du jour est vide : inscrivez au moins un projet.")
    when = timing(meeting, clock)
    if when.late and not accept_late:
        raise ServiceError(
            late_message(meeting, when)
            + " Pour l'envoyer quand même, cochez « J'envoie malgré le délai dépassé »."
        )
    pdf = convocation_pdf(meeting, when.today)
    done = set(meeting.convocations.values_list("email", flat=True))
    sent, missing = [], []
    with get_connection() as connection:
        for kind, member, name, email in _recipients(meeting):
            if not email:
                missing.append(name)
            elif email not in done:
                sent.append(_send_one(actor, clock, meeting, pdf, (kind, member, name, email),
                                      connection, when.late))  # fmt: skip
                done.add(email)
    return Sending(tuple(sent), tuple(missing))


def late_message(meeting: Meeting, when: Timing) -> str:
    """The warning shown before a late sending (French, with the article)."""
    deadline = when.deadline
    if when.today > meeting.date:
        return f"La séance du {meeting.date:%d/%m/%Y} est passée."
    if deadline is None or deadline.latest is None:
        return "Délai de convocation indéterminé."
    return (f"Envoi tardif : pour la séance du {meeting.date:%d/%m/%Y}, la convocation devait "
            f"partir au plus tard le {deadline.latest:%d/%m/%Y} ({deadline.reason}).")  # fmt: skip


def _send_one(
    actor: AbstractBaseUser, clock: Clock, meeting: Meeting, pdf: bytes,
    recipient: tuple[RecipientKind, Member | None, str, str], connection: object, late: bool,
) -> Convocation:  # fmt: skip
    kind, member, name, email = recipient
    message_id = make_msgid(domain="registre.local")
    copy = (
        " (copie, article L5211-40-2 du CGCT)" if kind is RecipientKind.COMMUNE_COUNCILLOR else ""
    )
    message = EmailMessage(
        subject=f"Convocation{copy} — {meeting.assembly.name} du {meeting.date:%d/%m/%Y}",
        body=(f"Madame, Monsieur,\n\nVeuillez trouver ci-joint la convocation à la séance du "
              f"{meeting.assembly.name} du {meeting.date:%d/%m/%Y} à {meeting.time:%H:%M}, "
              f"{meeting.place}{copy}.\n"),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[email], connection=connection,
        headers={"Message-ID": message_id},
    )  # fmt: skip
    message.attach(f"convocation-{meeting.date:%Y-%m-%d}.pdf", pdf, "application/pdf")
    try:
        message.send()
    except OSError as exc:
        raise ServiceError(f"Le serveur de courriel a refusé l'envoi à {name} <{email}> "
                           f"({exc}) : les convocations déjà parties sont enregistrées, "
                           "relancez l'envoi pour les autres.") from None  # fmt: skip
    with transaction.atomic():
        convocation = Convocation.objects.create(
            meeting=meeting, kind=kind, member=member, name=name, email=email, sent_at=clock(),
            message_id=message_id, document_sha256=hashlib.sha256(pdf).hexdigest(), late=late,
        )  # fmt: skip
        audit.record(actor, clock, meeting.collectivity, "convocation.send", convocation,
                     f"Convocation envoyée à {name} <{email}>", after=audit.snapshot(convocation))  # fmt: skip
    return convocation
