"""After the meeting: signatures, publication, enforceability, judged at a date.

These rules read lifecycle events (kept beside the record) and need `as_of`: the
date at which the situation is judged. Without it they say nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from registre.record import DocumentKind, EventKind, LifecycleEvent, Outcome
from registre.rules.context import ItemContext, MeetingContext, finding, french_date
from registre.rules.findings import Code, Finding, Severity

W, I = Severity.WARNING, Severity.INFO
WEEK = timedelta(days=7)


def _first(
    events: Sequence[LifecycleEvent],
    kind: EventKind,
    item: str | None = None,
    document: DocumentKind | None = None,
) -> LifecycleEvent | None:
    chosen = [
        e
        for e in events
        if e.kind is kind
        and e.deliberation == item
        and (document is None or e.document is document)
    ]
    return min(chosen, key=lambda e: e.on, default=None)


def check_list_published(
    ctx: MeetingContext, events: Sequence[LifecycleEvent], as_of: date
) -> Iterator[Finding]:
    """LIST_NOT_PUBLISHED: the list of deliberations online within a week (L2121-25)."""
    if ctx.record.meeting.date is None:
        return
    deadline = ctx.record.meeting.date + WEEK
    published = _first(events, EventKind.PUBLISHED, None, DocumentKind.DELIBERATION_LIST)
    if published is not None and published.on <= deadline:
        return
    if published is None and as_of <= deadline:
        return
    if published is not None:
        message = (
            f"La liste des délibérations a été publiée en retard, le {french_date(published.on)}"
        )
    else:
        message = "La liste des délibérations n'a pas été publiée dans la semaine suivant la séance"
    yield finding(
        Code.LIST_NOT_PUBLISHED,
        W,
        f"{message} (au plus tard le {french_date(deadline)}).",
        "/meeting/date",
    )


def check_minutes_published(
    ctx: MeetingContext, events: Sequence[LifecycleEvent], as_of: date
) -> Iterator[Finding]:
    """MINUTES_NOT_PUBLISHED: minutes online within a week of their adoption (L2121-15)."""
    adopted = _first(events, EventKind.MINUTES_ADOPTED)
    if adopted is None:
        yield finding(
            Code.MINUTES_NOT_PUBLISHED,
            I,
            "Adoption du procès-verbal non enregistrée : publication non vérifiée.",
            "/meeting/date",
        )
        return
    deadline = adopted.on + WEEK
    published = _first(events, EventKind.PUBLISHED, None, DocumentKind.MINUTES)
    if (published is not None and published.on <= deadline) or (
        published is None and as_of <= deadline
    ):
        return
    yield finding(
        Code.MINUTES_NOT_PUBLISHED,
        W,
        f"Le procès-verbal adopté le {french_date(adopted.on)} n'a pas été publié dans la semaine (au plus tard le {french_date(deadline)}).",
        "/meeting/date",
    )


def check_signatures(ctx: ItemContext, events: Sequence[LifecycleEvent]) -> Iterator[Finding]:
    """SIGNATURE_MISSING: signed by the president and each secretary (L2121-23)."""
    meeting = ctx.meeting.record.meeting
    signers = {
        e.signer for e in events if e.kind is EventKind.SIGNED and e.deliberation == ctx.item.number
    }
    wanted = [(meeting.president, "le président")] + [
        (s, "le secrétaire de séance") for s in meeting.secretaries or ()
    ]
    for member, role in wanted:
        if member is not None and member not in signers:
            yield ctx.find(
                Code.SIGNATURE_MISSING,
                W,
                f"La délibération n'est pas signée par {role} {ctx.meeting.name(member)}.",
            )


def check_enforceable(
    ctx: ItemContext, events: Sequence[LifecycleEvent], as_of: date
) -> Iterator[Finding]:
    """NOT_ENFORCEABLE_YET: published, and transmitted when L2131-2 requires it."""
    number = ctx.item.number
    if ctx.item.outcome is not Outcome.ADOPTED or _first(events, EventKind.WITHDRAWN, number):
        return
    missing = []
    if _first(events, EventKind.PUBLISHED, number) is None:
        missing.append("publiée")
    sent = _first(events, EventKind.TRANSMITTED, number) or _first(
        events, EventKind.ACKNOWLEDGED, number
    )
    if ctx.item.transmission_required and sent is None:
        missing.append("transmise au préfet")
    if missing:
        yield ctx.find(
            Code.NOT_ENFORCEABLE_YET,
            I,
            f"Pas encore exécutoire au {french_date(as_of)} : non {' ni '.join(missing)}.",
        )


def known_by(events: Sequence[LifecycleEvent], as_of: date) -> list[LifecycleEvent]:
    """The events that had happened on `as_of`."""
    return [e for e in events if e.on <= as_of]
