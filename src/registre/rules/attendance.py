"""Composition and attendance, item by item (L2121-17, L5211-6)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from registre.record import Attendance, MemberId
from registre.rules.context import (
    STATUS_LABELS,
    STATUSES,
    ItemContext,
    MeetingContext,
    finding,
    french_date,
    plural,
    quorum_required,
)
from registre.rules.findings import Code, Finding, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


def check_quorum(ctx: ItemContext) -> Iterator[Finding]:
    """QUORUM_NOT_REACHED / QUORUM_SECOND_CONVOCATION for a deliberated item."""
    if not ctx.deliberated:
        return
    in_office, present = ctx.meeting.in_office, ctx.count("present")
    if in_office is None or present is None:
        yield ctx.find(
            Code.QUORUM_NOT_REACHED,
            I,
            "Quorum non vérifié : nombre de présents ou de membres en exercice inconnu.",
        )
        return
    required = quorum_required(in_office)
    if present >= required:
        return
    counts = f"{plural(present, 'membre présent', 'membres présents')} pour {in_office} en exercice, il en faut au moins {required}"
    second = ctx.meeting.record.meeting.second_convocation
    if second and ctx.item.carried_over is not False:
        yield ctx.find(
            Code.QUORUM_SECOND_CONVOCATION,
            I,
            f"Quorum non atteint ({counts}) : délibération valable sans quorum sur seconde convocation, pour un point reporté.",
            "/attendance/present",
        )
        return
    yield ctx.find(
        Code.QUORUM_NOT_REACHED,
        E,
        f"Le quorum n'est pas atteint : {counts}.",
        "/attendance/present",
    )


def check_totals(ctx: ItemContext) -> Iterator[Finding]:
    """ATTENDANCE_TOTAL_MISMATCH for one item."""
    yield from _declared_mismatch(
        ctx.attendance, lambda m, w: ctx.find(Code.ATTENDANCE_TOTAL_MISMATCH, E, m, w)
    )
    in_office = ctx.meeting.in_office
    counts = {s: ctx.count(s) for s in STATUSES}
    if in_office is None:
        return
    lists = [ctx.members(s) for s in STATUSES]
    if all(v is not None for v in lists):
        total = len({m for members in lists for m in members or ()})
    else:
        total = sum(v for v in counts.values() if v is not None)
    detail = " + ".join(
        f"{STATUS_LABELS[s]} ({'?' if v is None else v})" for s, v in counts.items()
    )
    if total > in_office or (None not in counts.values() and total != in_office):
        yield ctx.find(
            Code.ATTENDANCE_TOTAL_MISMATCH,
            E,
            f"{detail} = {total}, mais {plural(in_office, 'membre est', 'membres sont')} en exercice.",
            "/attendance",
        )
    elif total < in_office:
        yield ctx.find(
            Code.ATTENDANCE_TOTAL_MISMATCH,
            I,
            f"Total des présences non vérifiable : {detail} ; {in_office} membres en exercice.",
            "/attendance",
        )


def _declared_mismatch(att: Attendance, make: Callable[[str, str], Finding]) -> Iterator[Finding]:
    if att.declared is None:
        return
    for status in STATUSES:
        listed: tuple[MemberId, ...] | None = getattr(att, status)
        declared: int | None = getattr(att.declared, status)
        if listed is not None and declared is not None and len(listed) != declared:
            message = f"Le document indique {declared} {STATUS_LABELS[status]} mais en nomme {len(listed)}."
            yield make(message, f"/attendance/declared/{status}")


def check_listed_twice(ctx: ItemContext) -> Iterator[Finding]:
    """MEMBER_LISTED_TWICE for one item."""
    yield from _listed_twice(
        ctx.meeting,
        ctx.attendance,
        lambda m: ctx.find(Code.MEMBER_LISTED_TWICE, E, m, "/attendance"),
    )


def _listed_twice(
    meeting: MeetingContext, att: Attendance, make: Callable[[str], Finding]
) -> Iterator[Finding]:
    places: dict[MemberId, list[str]] = {}
    for status in STATUSES:
        for member in getattr(att, status) or ():
            places.setdefault(member, []).append(STATUS_LABELS[status])
    for member, where in places.items():
        if len(where) > 1:
            yield make(
                f"{meeting.name(member)} figure {len(where)} fois ({', '.join(where)}) ; un seul statut par membre et par point."
            )


def item_references(ctx: ItemContext) -> Iterator[tuple[MemberId, str]]:
    """Every member id an item refers to, with the pointer where it appears."""
    att, vote = ctx.attendance, ctx.item.vote
    for status in STATUSES:
        for i, member in enumerate(getattr(att, status) or ()):
            yield member, f"/attendance/{status}/{i}"
    for i, proxy in enumerate(att.proxies):
        yield proxy.giver, f"/attendance/proxies/{i}/giver"
        if proxy.holder is not None:
            yield proxy.holder, f"/attendance/proxies/{i}/holder"
    for i, member in enumerate(ctx.item.interested):
        yield member, f"/interested/{i}"
    if ctx.item.rapporteur is not None:
        yield ctx.item.rapporteur, "/rapporteur"
    if vote is not None:
        for i, named in enumerate(vote.named_votes):
            yield named.member, f"/vote/named_votes/{i}/member"
        for key in ("public_requested_by", "secret_requested_by"):
            for i, member in enumerate(getattr(vote, key)):
                yield member, f"/vote/{key}/{i}"


def check_in_office(ctx: ItemContext) -> Iterator[Finding]:
    """MEMBER_NOT_IN_OFFICE for the members an item names."""
    yield from not_in_office(ctx.meeting, item_references(ctx), ctx.pointer, ctx.item.number)


def not_in_office(
    meeting: MeetingContext, refs: Iterator[tuple[MemberId, str]], base: str, item: str | None
) -> Iterator[Finding]:
    """MEMBER_NOT_IN_OFFICE for references, when the roster is known."""
    record = meeting.record
    if not record.meeting.members:
        return
    in_office = meeting.seated
    reported: set[MemberId] = set()
    for member, where in refs:
        if member not in in_office and member not in reported:
            reported.add(member)
            yield finding(
                Code.MEMBER_NOT_IN_OFFICE,
                E,
                f"{meeting.name(member)} ne figure pas parmi les membres en exercice{_on(record.meeting.date)}.",
                base + where,
                item,
            )


def _on(day: date | None) -> str:
    return f" le {french_date(day)}" if day else ""


def check_substitutes(ctx: ItemContext) -> Iterator[Finding]:
    """SUBSTITUTE_NOT_ALLOWED: L5211-6 substitutes, only where the law has them."""
    kind = ctx.meeting.kind
    substitutes = {m.id: m.substitute_for for m in ctx.meeting.record.meeting.members}
    for i, sub in enumerate(ctx.attendance.substitutes):
        where = f"/attendance/substitutes/{i}"
        if not kind.allows_substitutes:
            yield ctx.find(
                Code.SUBSTITUTE_NOT_ALLOWED,
                E,
                f"Un suppléant ne peut siéger que dans une communauté de communes ou d'agglomération (ici : {kind.value}).",
                where,
            )
        elif substitutes and sub.substitute not in substitutes:
            yield ctx.find(
                Code.SUBSTITUTE_NOT_ALLOWED,
                E,
                f"{ctx.meeting.name(sub.substitute)} ne figure pas dans la liste des membres comme suppléant de {ctx.meeting.name(sub.titular)}.",
                where,
            )
        elif sub.substitute in substitutes and substitutes[sub.substitute] != sub.titular:
            yield ctx.find(
                Code.SUBSTITUTE_NOT_ALLOWED,
                E,
                f"{ctx.meeting.name(sub.substitute)} n'est pas le suppléant de {ctx.meeting.name(sub.titular)}.",
                where,
            )


def check_opening(meeting: MeetingContext) -> Iterator[Finding]:
    """Checks of the opening attendance and the meeting's officers."""
    att = meeting.record.attendance
    yield from _declared_mismatch(
        att, lambda m, w: finding(Code.ATTENDANCE_TOTAL_MISMATCH, E, m, w)
    )
    yield from _listed_twice(
        meeting, att, lambda m: finding(Code.MEMBER_LISTED_TWICE, E, m, "/attendance")
    )
    refs: list[tuple[MemberId, str]] = []
    if meeting.record.meeting.president is not None:
        refs.append((meeting.record.meeting.president, "/meeting/president"))
    refs += [
        (s, f"/meeting/secretaries/{i}")
        for i, s in enumerate(meeting.record.meeting.secretaries or ())
    ]
    refs += [(c.member, f"/attendance/changes/{i}/member") for i, c in enumerate(att.changes)]
    yield from not_in_office(meeting, iter(refs), "", None)
    yield from _roster_count(meeting)


def _roster_count(meeting: MeetingContext) -> Iterator[Finding]:
    record = meeting.record.meeting
    if not record.members or record.members_in_office is None:
        return
    roster = sum(1 for m in record.members if m.in_office_on(record.date))
    if roster != record.members_in_office:
        yield finding(
            Code.ATTENDANCE_TOTAL_MISMATCH,
            E,
            f"La liste des membres compte {roster} élus en exercice, le nombre indiqué est {record.members_in_office}.",
            "/meeting/members_in_office",
        )
