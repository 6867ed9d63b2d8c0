"""Proxies (pouvoirs): L2121-20, L3121-16, L4132-15, L2131-11."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from registre.record import CollectivityKind, MeetingRecord, Proxy
from registre.rules.context import ItemContext, MeetingContext, finding, plural
from registre.rules.findings import Code, Finding, Severity

E, I = Severity.ERROR, Severity.INFO


def check_holders(ctx: ItemContext) -> Iterator[Finding]:
    """PROXY_HOLDER_ABSENT, PROXY_INTERESTED_HOLDER and PROXY_GIVER_PRESENT for one item."""
    present, withdrawn = ctx.status_set("present"), ctx.status_set("withdrawn")
    represented = ctx.status_set("represented")
    interested = set(ctx.item.interested)
    name = ctx.meeting.name
    for i, proxy in enumerate(ctx.attendance.proxies):
        where = f"/attendance/proxies/{i}"
        if proxy.giver in present:
            yield ctx.find(
                Code.PROXY_GIVER_PRESENT,
                E,
                f"{name(proxy.giver)} est présent(e) et a pourtant donné procuration à {name(proxy.holder)}.",
                where,
            )
        if proxy.giver not in represented or proxy.holder is None:
            continue
        if proxy.holder in withdrawn or (proxy.holder in interested and proxy.holder in present):
            yield ctx.find(
                Code.PROXY_INTERESTED_HOLDER,
                E,
                f"{name(proxy.holder)}, retiré(e) ou intéressé(e) à l'affaire, ne peut pas voter pour {name(proxy.giver)}, qu'il ou elle représente.",
                where,
            )
        elif proxy.holder not in present and ctx.members("present") is not None:
            yield ctx.find(
                Code.PROXY_HOLDER_ABSENT,
                E,
                f"{name(proxy.holder)}, qui détient la procuration de {name(proxy.giver)}, n'est pas présent(e) pour ce point.",
                where,
            )
    yield from _unknown_holders(ctx)


def _unknown_holders(ctx: ItemContext) -> Iterator[Finding]:
    with_holder = {p.giver for p in ctx.attendance.proxies if p.holder is not None}
    unknown = [g for g in ctx.members("represented") or () if g not in with_holder]
    if unknown:
        names = ", ".join(ctx.meeting.name(g) for g in unknown)
        yield ctx.find(
            Code.PROXY_HOLDER_ABSENT,
            I,
            f"Mandataire inconnu pour {names} : sa présence n'a pas pu être vérifiée.",
            "/attendance/represented",
        )


def check_overload(ctx: ItemContext) -> Iterator[Finding]:
    """PROXY_HOLDER_OVERLOADED: at most one proxy per holder."""
    used = [p for p in ctx.used_proxies() if p.holder is not None]
    for holder, count in Counter(p.holder for p in used).items():
        if count > 1:
            givers = ", ".join(ctx.meeting.name(p.giver) for p in used if p.holder == holder)
            yield ctx.find(
                Code.PROXY_HOLDER_OVERLOADED,
                E,
                f"{ctx.meeting.name(holder)} détient {count} procurations ({givers}) ; une seule est admise.",
                "/attendance/proxies",
            )


def check_count(ctx: ItemContext) -> Iterator[Finding]:
    """PROXY_COUNT_MISMATCH: "dont N procurations" against the represented members."""
    vote = ctx.item.vote
    represented = ctx.count("represented")
    if vote is None or vote.proxies_counted is None or represented is None:
        return
    if vote.proxies_counted != represented:
        yield ctx.find(
            Code.PROXY_COUNT_MISMATCH,
            E,
            f"Le décompte indique {plural(vote.proxies_counted, 'procuration')}, mais {plural(represented, 'membre est représenté', 'membres sont représentés')}.",
            "/vote/proxies_counted",
        )


def check_opening_proxies(meeting: MeetingContext) -> Iterator[Finding]:
    """PROXY_GIVER_PRESENT at the roll call: a member answering present keeps no proxy."""
    att = meeting.record.attendance
    present = set(att.present or ())
    for i, proxy in enumerate(att.proxies):
        if proxy.giver in present:
            yield finding(
                Code.PROXY_GIVER_PRESENT,
                E,
                f"À l'appel, {meeting.name(proxy.giver)} est présent(e) et a pourtant donné procuration à {meeting.name(proxy.holder)}.",
                f"/attendance/proxies/{i}",
            )


def _limit(kind: CollectivityKind) -> int:
    """Meetings a written proxy may cover: 3 (L2121-20), 1 (L3121-16, L4132-15)."""
    return 1 if kind in (CollectivityKind.DEPARTEMENT, CollectivityKind.REGION) else 3


def check_age(meeting: MeetingContext, history: Sequence[MeetingRecord]) -> Iterator[Finding]:
    """PROXY_TOO_OLD for the opening proxies, from `covers` and earlier meetings."""
    limit = _limit(meeting.kind)
    record = meeting.record
    day = record.meeting.date
    dated = [
        (m.meeting.date, m) for m in history if m.meeting.date and day and m.meeting.date < day
    ]
    earlier = [m for _, m in sorted(dated, key=lambda pair: pair[0], reverse=True)]
    for i, proxy in enumerate(record.attendance.proxies):
        if proxy.illness:
            continue
        where = f"/attendance/proxies/{i}"
        label = f"La procuration de {meeting.name(proxy.giver)} à {meeting.name(proxy.holder)}"
        if proxy.covers is not None and len(proxy.covers) > limit:
            yield finding(
                Code.PROXY_TOO_OLD,
                E,
                f"{label} couvre {len(proxy.covers)} séances ; elle vaut pour {plural(limit, 'séance')} au plus.",
                where,
            )
            continue
        run, same = _consecutive_uses(proxy, earlier)
        if run + 1 > limit:
            yield finding(
                Code.PROXY_TOO_OLD,
                E if same else I,
                f"{label} sert pour une {run + 1}e séance consécutive ; elle vaut pour {plural(limit, 'séance')} au plus, sauf maladie.",
                where,
            )


def _consecutive_uses(proxy: Proxy, earlier: Sequence[MeetingRecord]) -> tuple[int, bool]:
    """How many immediately preceding meetings used this proxy, and whether it is
    certainly the same written proxy (same date of signature)."""
    run, same = 0, proxy.given_on is not None
    for meeting in earlier:
        match = next(
            (
                p
                for p in meeting.attendance.proxies
                if (p.giver, p.holder) == (proxy.giver, proxy.holder)
            ),
            None,
        )
        if match is None or (
            match.given_on != proxy.given_on and None not in (match.given_on, proxy.given_on)
        ):
            break
        same = same and match.given_on == proxy.given_on
        run += 1
    return run, same
