"""The CGCT checks: `check(record)` returns findings, article by article.

Rules never raise for a legal problem and never guess: an unknown value yields
at most an `info` finding naming what could not be checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from registre.record import LifecycleEvent, MeetingRecord, item_attendances
from registre.rules import appointment, attendance, formalities, lifecycle, proxies, vote
from registre.rules.appointment import elect
from registre.rules.catalogue import BY_CODE, CATALOGUE, RuleInfo
from registre.rules.context import ItemContext, MeetingContext
from registre.rules.decision import decide
from registre.rules.findings import Code, Finding, Severity
from registre.rules.formalities import Deadline, convocation_deadline

__all__ = [
    "BY_CODE",
    "CATALOGUE",
    "Code",
    "Deadline",
    "Finding",
    "RuleInfo",
    "Severity",
    "check",
    "convocation_deadline",
    "decide",
    "elect",
]


def check(
    record: MeetingRecord,
    *,
    as_of: date | None = None,
    history: Sequence[MeetingRecord] = (),
    events: Sequence[LifecycleEvent] = (),
) -> list[Finding]:
    """Check a meeting record against the CGCT; return its findings in record order.

    `as_of` is the date at which delays after the meeting are judged (publication,
    minutes, signatures, enforceability); without it those rules are skipped.
    `history` holds earlier meetings of the same assembly (proxies' age); `events`
    the lifecycle events of this meeting's deliberations.
    """
    meeting = MeetingContext.of(record)
    known = lifecycle.known_by(events, as_of) if as_of is not None else []
    findings = list(_meeting_rules(meeting, history, known, as_of))
    derived = None
    for index, item in enumerate(record.deliberations):
        if item.attendance is None:
            derived = derived or item_attendances(record)
        att = item.attendance or derived[item.number]  # type: ignore[index]
        ctx = ItemContext(meeting, item, index, att, f"/deliberations/{index}")
        findings.extend(_item_rules(ctx, known, as_of))
    return findings


def _meeting_rules(
    meeting: MeetingContext,
    history: Sequence[MeetingRecord],
    events: Sequence[LifecycleEvent],
    as_of: date | None,
) -> Iterator[Finding]:
    yield from formalities.check_convocation(meeting)
    yield from formalities.check_synthesis_note(meeting)
    yield from formalities.check_secretary(meeting)
    yield from attendance.check_opening(meeting)
    yield from proxies.check_opening_proxies(meeting)
    yield from proxies.check_age(meeting, history)
    if as_of is not None:
        yield from lifecycle.check_list_published(meeting, events, as_of)
        yield from lifecycle.check_minutes_published(meeting, events, as_of)


def _item_rules(
    ctx: ItemContext, events: Sequence[LifecycleEvent], as_of: date | None
) -> Iterator[Finding]:
    yield from attendance.check_in_office(ctx)
    yield from attendance.check_listed_twice(ctx)
    yield from attendance.check_totals(ctx)
    yield from attendance.check_quorum(ctx)
    yield from attendance.check_substitutes(ctx)
    yield from proxies.check_holders(ctx)
    yield from proxies.check_overload(ctx)
    yield from vote.check_interested(ctx, ctx.item.vote)
    if ctx.item.vote is not None and ctx.deliberated:
        yield from _vote_rules(ctx)
    if as_of is not None and ctx.deliberated:
        yield from lifecycle.check_signatures(ctx, events)
        yield from lifecycle.check_enforceable(ctx, events, as_of)


def _vote_rules(ctx: ItemContext) -> Iterator[Finding]:
    v = ctx.item.vote
    assert v is not None
    yield from proxies.check_count(ctx)
    yield from vote.check_tally(ctx, v)
    yield from vote.check_unanimity(ctx, v)
    yield from vote.check_outcome(ctx, v)
    yield from vote.check_ballot_mode(ctx, v)
    yield from vote.check_named_votes(ctx, v)
    if v.appointment is not None:
        yield from appointment.check_appointment(ctx, v.appointment)
