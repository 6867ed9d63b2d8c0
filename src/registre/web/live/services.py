"""Writes during the meeting, each with the acting user and a clock, each audited;
what the law does not allow is refused at once, with its article."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from registre.record import (
    ChangeKind,
    EventKind,
    LifecycleEvent,
    MeetingRecord,
    Vote,
    VoteChoice,
    VoteMode,
    item_attendances,
    single_deliberation,
)
from registre.record import (
    NamedVote as NamedVoteRecord,
)
from registre.rules import Code, Severity, check, decide
from registre.web.clock import Clock
from registre.web.core import audit
from registre.web.core.models import Membership, Role
from registre.web.core.services import ServiceError, require_role
from registre.web.live.models import (
    Ballot,
    Correction,
    DeclaredAbsence,
    ItemVote,
    NamedVote,
    OpeningProxy,
    OpeningSubstitute,
    Presence,
    RollCall,
    Sitting,
    SittingEvent,
)
from registre.web.live.record import (
    appointment,
    attendance_and_references,
    item_number,
    sitting_record,
)
from registre.web.live.register import append_event_to_register, append_to_register
from registre.web.meetings.models import AgendaItem, Meeting
from registre.web.members.models import Member, members_in_office

CLERKS = {Role.ADMINISTRATOR, Role.CLERK}
# findings that stop an item from being voted or closed
BLOCKING = {Code.QUORUM_NOT_REACHED, Code.TALLY_EXCEEDS_VOTERS, Code.PROXY_HOLDER_ABSENT,
            Code.PROXY_HOLDER_OVERLOADED, Code.NAMED_VOTES_INCONSISTENT}  # fmt: skip


def touch(actor: AbstractBaseUser, clock: Clock, sitting: Sitting, action: str, target: object,
           summary: str, *, vote_only: bool = False) -> None:  # fmt: skip
    """Move the sitting's version on (the screens show the change) and audit the write;
    `vote_only` for a write of a vote, which leaves the attendance as it was."""
    # counted in the database: two clerks acting at once both move it on
    moved = {"version": F("version") + 1}
    if not vote_only:
        moved["attendance_version"] = F("attendance_version") + 1
    Sitting.objects.filter(pk=sitting.pk).update(**moved)
    sitting.version, sitting.attendance_version = Sitting.objects.values_list(
        "version", "attendance_version").get(pk=sitting.pk)  # fmt: skip
    audit.record(actor, clock, sitting.meeting.collectivity, action, target, summary,
                 after=audit.snapshot(target))  # fmt: skip


@transaction.atomic
def open_sitting(
    actor: AbstractBaseUser, clock: Clock, meeting: Meeting, president: Member,
    secretaries: list[Member],
) -> Sitting:  # fmt: skip
    """Open the meeting: its president and secretary (or secretaries)."""
    require_role(actor, meeting.collectivity, CLERKS)
    if hasattr(meeting, "sitting"):
        raise ServiceError("Cette séance est déjà ouverte.")
    if not secretaries:
        raise ServiceError("Désignez le secrétaire de séance (L2121-15).")
    sitting = Sitting.objects.create(meeting=meeting, opened_at=clock(), president=president)
    sitting.secretaries.set(secretaries)
    touch(actor, clock, sitting, "sitting.open", sitting, f"Ouverture de la séance {meeting}")
    return sitting


@transaction.atomic
def call_roll(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, member: Member, status: Presence,
    *, seen: str | None = None,
) -> RollCall:  # fmt: skip
    """A member's answer at the roll call (present, absent, excused). `seen` is the
    answer the clerk's screen showed ("" for none): when another clerk changed it
    since, the change is refused, never silently overwritten."""
    require_role(actor, sitting.meeting.collectivity, CLERKS)
    current = RollCall.objects.select_for_update().filter(sitting=sitting, member=member).first()
    if seen is not None and (current.status if current else "") != seen:
        raise ServiceError(f"La présence de {member} vient d'être modifiée sur un autre poste "
                           f"({Presence(current.status).label if current else 'non renseignée'}) : "
                           "vérifiez avant de la changer.")  # fmt: skip
    answer, _ = RollCall.objects.update_or_create(sitting=sitting, member=member,
                                                  defaults={"status": status})  # fmt: skip
    if status == Presence.PRESENT:  # present in person: no proxy, no substitute
        OpeningProxy.objects.filter(sitting=sitting, giver=member).delete()
        OpeningSubstitute.objects.filter(sitting=sitting, titular=member).delete()
    touch(actor, clock, sitting, "sitting.roll", answer, f"{member} : {status.label}")
    return answer


@transaction.atomic
def give_proxy(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, giver: Member, holder: Member
) -> OpeningProxy:
    """A written proxy from an absent member to a present one; one per holder."""
    require_role(actor, sitting.meeting.collectivity, CLERKS)
    present = set(sitting.roll.filter(status=Presence.PRESENT).values_list("member_id", flat=True))
    if giver.pk in present:
        raise ServiceError(f"{giver} est présent(e) : il ou elle vote en personne (L2121-20).")
    if holder.pk not in present:
        raise ServiceError(f"Le pouvoir de {giver} ne peut être donné à {holder}, absent(e) : "
                           "le mandataire doit être présent (L2121-20).")  # fmt: skip
    if OpeningSubstitute.objects.filter(sitting=sitting, titular=giver).exists():
        raise ServiceError(f"Le suppléant de {giver} siège à sa place : il n'y a pas de pouvoir "
                           "à donner (L5211-6).")  # fmt: skip
    if sitting.proxies.filter(holder=holder).exclude(giver=giver).exists():
        raise ServiceError(f"{holder} porte déjà un pouvoir : un même conseiller ne peut être "
                           "porteur que d'un seul pouvoir (L2121-20).")  # fmt: skip
    proxy, _ = OpeningProxy.objects.update_or_create(sitting=sitting, giver=giver,
                                                     defaults={"holder": holder})  # fmt: skip
    RollCall.objects.update_or_create(sitting=sitting, member=giver,
                                      defaults={"status": Presence.ABSENT})  # fmt: skip
    touch(actor, clock, sitting, "sitting.proxy", proxy, f"{giver} donne pouvoir à {holder}")
    return proxy


@transaction.atomic
def record_event(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, kind: ChangeKind, member: Member,
    item: AgendaItem, holder: Member | None = None,
) -> SittingEvent:  # fmt: skip
    """An arrival, departure (with a proxy given on leaving), or withdrawal for a
    personal interest (L2131-11), counted from `item`; refused when the record with it
    breaks a proxy rule."""
    require_role(actor, sitting.meeting.collectivity, CLERKS)
    if item.meeting_id != sitting.meeting_id or _closed(item):
        raise ServiceError("L'événement doit porter sur un point à venir de cette séance.")
    event = SittingEvent.objects.create(sitting=sitting, kind=kind.value, member=member,
                                        holder=holder, item=item, at=clock())  # fmt: skip
    _refuse(sitting_record(sitting, item), item_number(item), {Code.PROXY_HOLDER_ABSENT,
            Code.PROXY_HOLDER_OVERLOADED})  # fmt: skip
    touch(actor, clock, sitting, "sitting.event", event, f"{member} : {kind.value} au point "
           f"{item.position}")  # fmt: skip
    return event


def _ballot_finished(vote: ItemVote) -> None:
    """An appointment closes once its seats are filled or its three rounds held."""
    ballot = Ballot.objects.filter(vote=vote).first()
    if ballot is None:
        return
    rounds = list(ballot.rounds.prefetch_related("elected"))
    if len(rounds) < 3 and sum(len(r.elected.all()) for r in rounds) < ballot.seats:
        raise ServiceError("Des sièges restent à pourvoir : procédez au tour suivant avant de "
                           "clore la nomination (L2121-21).")  # fmt: skip


def _closed(item: AgendaItem) -> bool:
    return ItemVote.objects.filter(item=item, closed_at__isnull=False).exists()


def _refuse(record: object, number: str, codes: set[Code]) -> None:
    """ServiceError (rolling the write back) with the first blocking finding's message
    and article, for this item."""
    single = single_deliberation(record, number)  # type: ignore[arg-type]
    for finding in check(single):
        if finding.code in codes and finding.severity is Severity.ERROR:
            raise ServiceError(f"{finding.message} ({finding.article})")


@transaction.atomic
def record_vote(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, item: AgendaItem, *,
    unanimous: bool = False, for_: int | None = None, against: int | None = None,
    abstention: int | None = None, not_voting: int | None = None,
    president_vote: str = "", mode: str = "",
) -> ItemVote:  # fmt: skip
    """The vote of the current item, checked against its voters and its quorum; the
    outcome is computed when the item closes, never typed."""
    require_role(actor, sitting.meeting.collectivity, CLERKS)
    vote = _write_vote(sitting, item, {
        "unanimous": unanimous, "votes_for": for_, "against": against, "abstention": abstention,
        "not_voting": not_voting, "president_vote": president_vote, "mode": mode,
    })  # fmt: skip
    record = sitting_record(sitting, item)
    if unanimous and for_ is None:  # all the voters for: counted on the record checked
        record = _all_voters_for(record, item_number(item), vote)
    _refuse(record, item_number(item), BLOCKING)
    _voted(actor, clock, sitting, item, vote)
    return vote


def _voted(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, item: AgendaItem, vote: ItemVote
) -> None:
    """A vote written: the screens follow, the audit keeps it; attendance unchanged."""
    touch(actor, clock, sitting, "sitting.vote", vote, f"Vote du point {item.position}",
          vote_only=True)  # fmt: skip


def _write_vote(sitting: Sitting, item: AgendaItem, fields: dict[str, object]) -> ItemVote:
    """The item's vote written (created on its first vote), unless the item is closed;
    inside the caller's transaction."""
    vote = ItemVote.objects.filter(item=item).first()
    if vote is not None and vote.closed_at is not None:
        raise ServiceError(
            "Ce point est clos : une correction passe par une écriture rectificative."
        )
    fields = {**fields, "in_camera": sitting.in_camera}
    if vote is None:  # two clerks' first votes at once: one creates, the other updates
        vote, _ = ItemVote.objects.update_or_create(item=item, defaults=fields)
    else:
        for name, value in fields.items():
            setattr(vote, name, value)
        vote.save(update_fields=list(fields))
    item.vote = vote
    return vote


def _all_voters_for(record: MeetingRecord, number: str, vote: ItemVote) -> MeetingRecord:
    """A unanimous vote whose count was not given: the voters of the item (present
    and represented) counted on the record, written to the vote and put in the record
    (which is not read again)."""
    att = item_attendances(record)[number]
    vote.votes_for = len(att.present or ()) + len(att.represented or ())
    vote.save(update_fields=["votes_for"])
    return replace(record, deliberations=tuple(
        replace(d, vote=replace(d.vote, for_=vote.votes_for))
        if d.number == number and d.vote is not None else d
        for d in record.deliberations))  # fmt: skip


def close_item(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, item: AgendaItem
) -> ItemVote:
    """Freeze the item's record and enter it into the register, then mark it closed.

    Not one transaction with the application's tables: the register keeps its own
    (durable first); the mark follows, and a retry finds the entry already there."""
    require_role(actor, sitting.meeting.collectivity, CLERKS)
    vote = ItemVote.objects.filter(item=item).first()
    if vote is None or vote.closed_at is not None:
        raise ServiceError("Ce point n'a pas de vote à clore, ou il est déjà clos.")
    _ballot_finished(vote)
    record = sitting_record(sitting, item)
    number = item_number(item)
    _refuse(record, number, BLOCKING)
    entry = append_to_register(sitting.meeting.assembly, record, number, clock)
    with transaction.atomic():
        outcome = next(d.outcome for d in record.deliberations if d.number == number)
        ItemVote.objects.filter(pk=vote.pk).update(
            closed_at=clock(),
            register_sequence=entry.sequence,
            outcome=outcome.value if outcome else "",
        )
        vote.refresh_from_db()
        touch(actor, clock, sitting, "sitting.close_item", vote,
               f"Point {item.position} clos : {vote.outcome}, écriture n° {entry.sequence}")  # fmt: skip
    return vote


@transaction.atomic
def start_item(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, item: AgendaItem
) -> Sitting:
    """Bring an item of the agenda up for debate."""
    require_role(actor, sitting.meeting.collectivity, CLERKS)
    if item.meeting_id != sitting.meeting_id or _closed(item):
        raise ServiceError("Choisissez un point de l'ordre du jour qui n'est pas clos.")
    sitting.current_item = item
    sitting.save(update_fields=["current_item"])
    touch(actor, clock, sitting, "sitting.item", sitting, f"Point {item.position} en discussion")
    return sitting


@transaction.atomic
def set_state(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, *, in_camera: bool | None = None,
    suspended: bool | None = None,
) -> Sitting:  # fmt: skip
    """Close the sitting to the public (huis clos, L2121-18) or reopen it; suspend or
    resume it."""
    require_role(actor, sitting.meeting.collectivity, CLERKS)
    if in_camera is not None:
        sitting.in_camera = in_camera
    if suspended is not None:
        sitting.suspended = suspended
    sitting.save(update_fields=["in_camera", "suspended"])
    said = ("huis clos" if sitting.in_camera else "publique") + (
        ", suspendue" if sitting.suspended else ""
    )
    touch(actor, clock, sitting, "sitting.state", sitting, f"Séance {said}")
    return sitting


@transaction.atomic
def record_named_votes(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, item: AgendaItem, *,
    default: VoteChoice, exceptions: dict[int, VoteChoice], mode: str = "public",
) -> ItemVote:  # fmt: skip
    """Each voter's vote: `default` for all ("tous pour sauf…") but the members in
    `exceptions` (by id); a represented member votes with their holder unless listed.
    A withdrawn member may not vote (L2131-11)."""
    require_role(actor, sitting.meeting.collectivity, CLERKS)
    # the previous named votes go first, so that the record is read without them (a
    # refused vote rolls their deletion back)
    NamedVote.objects.filter(vote__item=item).delete()
    record, refs = attendance_and_references(sitting, item)
    number = item_number(item)
    att = item_attendances(record)[number]
    by_ref = {ref: pk for pk, ref in refs.items()}
    withdrawn = {by_ref[ref] for ref in att.withdrawn or ()}
    if voted := withdrawn & set(exceptions):
        names = ", ".join(str(m) for m in Member.objects.filter(pk__in=voted))
        raise ServiceError(f"{names} s'est retiré(e) de ce point pour un intérêt personnel : "
                           "il ou elle ne vote pas (L2131-11, L1111-6).")  # fmt: skip
    rows: list[tuple[int, VoteChoice, int | None]] = [
        (by_ref[ref], exceptions.get(by_ref[ref], default), None) for ref in att.present or ()
    ]
    own = {pk: choice for pk, choice, _ in rows}
    rows += [(by_ref[p.holder], exceptions.get(by_ref[p.giver], own.get(by_ref[p.holder], default)),
              by_ref[p.giver]) for p in att.proxies if p.holder in by_ref]  # fmt: skip
    tally = {c: sum(1 for _, choice, _ in rows if choice is c) for c in VoteChoice}
    vote = _write_vote(sitting, item, {
        "unanimous": False, "votes_for": tally[VoteChoice.FOR], "against": tally[VoteChoice.AGAINST],
        "abstention": tally[VoteChoice.ABSTENTION], "not_voting": tally[VoteChoice.NOT_VOTING],
        "president_vote": "", "mode": mode,
    })  # fmt: skip
    NamedVote.objects.bulk_create(NamedVote(vote=vote, member_id=pk, choice=c.value,
                                            on_behalf_of_id=giver) for pk, c, giver in rows)  # fmt: skip
    # the record read above, with this vote: neither the meeting nor the named votes
    # just written are read again (but for an item's first vote, the one read is none)
    refs_of = {pk: ref for ref, pk in by_ref.items()}
    named = tuple(NamedVoteRecord(member=refs_of[pk], choice=c,
                                  on_behalf_of=refs_of[giver] if giver else None)
                  for pk, c, giver in rows)  # fmt: skip
    counted = Vote(mode=VoteMode(mode) if mode else None, for_=vote.votes_for,
                   against=vote.against, abstention=vote.abstention, not_voting=vote.not_voting,
                   named_votes=named, appointment=appointment(vote, refs))  # fmt: skip
    voted_record = replace(record, deliberations=tuple(
        replace(d, vote=counted, outcome=decide(counted)) if d.number == number else d
        for d in record.deliberations))  # fmt: skip
    _refuse(voted_record, number, BLOCKING)
    _voted(actor, clock, sitting, item, vote)
    return vote


@transaction.atomic
def declare_absence(
    actor: AbstractBaseUser, clock: Clock, meeting: Meeting, member: Member,
    holder: Member | None,
) -> DeclaredAbsence:  # fmt: skip
    """An elected member declares in advance that they will be absent, and to whom
    they give their proxy; a member acts for themself only, the clerk for anyone."""
    role = require_role(actor, meeting.collectivity, {*CLERKS, Role.MEMBER})
    if (
        role is Role.MEMBER
        and not Membership.objects.filter(
            user_id=actor.pk, collectivity=meeting.collectivity, member=member
        ).exists()
    ):
        raise ServiceError("Un élu ne déclare que sa propre absence.")
    in_office = {m.member_id for m in members_in_office(meeting.assembly, meeting.date)}
    if holder is not None and (holder.pk == member.pk or holder.pk not in in_office):
        raise ServiceError("Le pouvoir se donne à un autre membre en exercice de l'assemblée.")
    if (
        holder is not None
        and DeclaredAbsence.objects.filter(meeting=meeting, holder=holder)
        .exclude(member=member)
        .exists()
    ):
        raise ServiceError(f"{holder} a déjà reçu un pouvoir pour cette séance : un même conseiller "
                           "ne peut être porteur que d'un seul pouvoir (L2121-20).")  # fmt: skip
    declared, _ = DeclaredAbsence.objects.update_or_create(
        meeting=meeting, member=member, defaults={"holder": holder, "declared_at": clock()}
    )
    audit.record(actor, clock, meeting.collectivity, "sitting.declare", declared,
                 f"{member} sera absent(e)" + (f", pouvoir à {holder}" if holder else ""),
                 after=audit.snapshot(declared))  # fmt: skip
    return declared


def apply_declarations(actor: AbstractBaseUser, clock: Clock, sitting: Sitting) -> list[str]:
    """At the roll call: each declared absence becomes an excused absence, and its
    proxy a written proxy when the holder is present; what could not apply, said."""
    problems = []
    for declared in DeclaredAbsence.objects.filter(meeting=sitting.meeting).select_related(
        "member", "holder"
    ):
        call_roll(actor, clock, sitting, declared.member, Presence.EXCUSED)
        if declared.holder is not None:
            try:
                give_proxy(actor, clock, sitting, declared.member, declared.holder)
            except ServiceError as exc:
                problems.append(str(exc))
    return problems


@transaction.atomic
def postpone_item(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, item: AgendaItem, *,
    for_quorum: bool = False,
) -> ItemVote:  # fmt: skip
    """Postpone an item (without quorum, or by decision): it is closed without a vote
    and its draft stays to be put on a later agenda; postponed for want of a quorum,
    it goes to a second convocation (L2121-17)."""
    require_role(actor, sitting.meeting.collectivity, CLERKS)
    if _closed(item):
        raise ServiceError("Ce point est déjà clos.")
    vote, _ = ItemVote.objects.update_or_create(item=item, defaults={
        "outcome": "postponed", "closed_at": clock(), "unanimous": False, "votes_for": None,
        "postponement": "quorum" if for_quorum else "decision",
        "against": None, "abstention": None, "not_voting": None,
    })  # fmt: skip
    touch(actor, clock, sitting, "sitting.postpone", vote, f"Point {item.position} reporté")
    return vote


def correct_item(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, item: AgendaItem, reason: str
) -> Correction:
    """Rectify a closed item: a `corrected` event in the register, with its reason,
    shown beside the original entry, which is never changed."""
    require_role(actor, sitting.meeting.collectivity, CLERKS)
    vote = ItemVote.objects.filter(item=item, register_sequence__isnull=False).first()
    if vote is None:
        raise ServiceError("Seul un point inscrit au registre se rectifie.")
    if not reason.strip():
        raise ServiceError("Dites ce que la rectification corrige.")
    event = LifecycleEvent(kind=EventKind.CORRECTED, on=timezone.localdate(clock()),
                           deliberation=item_number(item), reason=reason.strip())  # fmt: skip
    entry = append_event_to_register(sitting.meeting.assembly, event, clock)
    with transaction.atomic():
        correction = Correction.objects.create(vote=vote, reason=reason.strip(), at=clock(),
                                               register_sequence=entry.sequence)  # fmt: skip
        touch(actor, clock, sitting, "sitting.correct", correction,
               f"Rectification du point {item.position} : {reason[:200]}")  # fmt: skip
    return correction
