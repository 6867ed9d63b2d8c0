"""Whether an act is enforceable at a date, and the prefecture's SCDL columns.

Enforceability follows the same reading of L2131-1 and L2131-2 as the rule
`NOT_ENFORCEABLE_YET` (`registre.rules.lifecycle.check_enforceable`), so that the
clerk's page and the check never disagree: an adopted deliberation, not withdrawn,
is enforceable once it is published and, when it must be sent to the prefect
(`transmission_required`), once it is transmitted (an acknowledgement counts as a
transmission). Only the events about the item itself and dated on or before the
date of judgement count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from registre.actes.errors import ActIdError
from registre.actes.ids import departement_code, parse_act_id
from registre.record import DeliberationRecord, EventKind, LifecycleEvent, Outcome


class Status(StrEnum):
    """Where an act stands."""

    ENFORCEABLE = "enforceable"  # exécutoire
    NOT_YET = "not_yet"  # pas encore exécutoire: see `missing`
    NOT_APPLICABLE = "not_applicable"  # not adopted, or withdrawn: nothing to enforce


class Missing(StrEnum):
    """What an act still lacks to be enforceable."""

    PUBLICATION = "publication"
    TRANSMISSION = "transmission"


@dataclass(frozen=True, slots=True)
class Enforceability:
    """An act's status at a date, what it lacks, and the dates known of it.

    `since` is the day it became enforceable (the later of its publication and its
    transmission) when it is.
    """

    status: Status
    missing: tuple[Missing, ...] = ()
    since: date | None = None
    published_on: date | None = None
    transmitted_on: date | None = None
    acknowledged_on: date | None = None


def _first(events: Sequence[LifecycleEvent], kind: EventKind) -> date | None:
    return min((e.on for e in events if e.kind is kind), default=None)


def enforceability(
    item: DeliberationRecord, events: Sequence[LifecycleEvent], as_of: date
) -> Enforceability:
    """The status of deliberation `item` on `as_of`, from its lifecycle events
    (those about other items, or dated after `as_of`, are ignored)."""
    known = [e for e in events if e.deliberation == item.number and e.on <= as_of]
    published = _first(known, EventKind.PUBLISHED)
    transmitted = _first(known, EventKind.TRANSMITTED)
    acknowledged = _first(known, EventKind.ACKNOWLEDGED)
    base = Enforceability(Status.NOT_APPLICABLE, published_on=published,
                          transmitted_on=transmitted, acknowledged_on=acknowledged)  # fmt: skip
    if item.outcome is not Outcome.ADOPTED or _first(known, EventKind.WITHDRAWN):
        return base
    sent = transmitted or acknowledged
    missing = []
    if published is None:
        missing.append(Missing.PUBLICATION)
    if item.transmission_required and sent is None:
        missing.append(Missing.TRANSMISSION)
    if missing:
        return replace(base, status=Status.NOT_YET, missing=tuple(missing))
    # transmission is a condition only for the acts of L2131-2
    conditions = [published, sent if item.transmission_required else None]
    since = max(d for d in conditions if d is not None)
    return replace(base, status=Status.ENFORCEABLE, since=since)


@dataclass(frozen=True, slots=True)
class PrefectureColumns:
    """SCDL's `PREF_ID` and `PREF_DATE` for one act (None: the cell stays empty)."""

    pref_id: str | None
    pref_date: date | None


def prefecture_id(departement: str) -> str:
    """`PREF` followed by the département on three characters (`PREF021`, `PREF02A`)."""
    return f"PREF{departement_code(departement)}"


def prefecture_columns(
    events: Sequence[LifecycleEvent], departement: str | None
) -> PrefectureColumns:
    """`PREF_ID` and `PREF_DATE` of an act from its events.

    Assumed: the act is received by the prefecture of its département (`PREFNNN`),
    not a sub-prefecture (`SPREFNNNM`) or a SGAR, as @CTES does for acts sent
    through an operator; the département is the act id's (else `departement`).
    `PREF_DATE` is the acknowledgement's date of receipt; when only the
    transmission is known (a published document printing "envoyé en préfecture le"),
    its date, as `registre.opendata` does (through @CTES the acknowledgement is
    issued on receipt). Both stay empty for an act not transmitted.
    """
    sent = [e for e in events if e.kind in (EventKind.TRANSMITTED, EventKind.ACKNOWLEDGED)]
    if not sent:
        return PrefectureColumns(None, None)
    day = _first(sent, EventKind.ACKNOWLEDGED) or _first(sent, EventKind.TRANSMITTED)
    return PrefectureColumns(_departement_prefecture(sent, departement), day)


def _departement_prefecture(events: Sequence[LifecycleEvent], fallback: str | None) -> str | None:
    for event in events:
        try:
            return prefecture_id(parse_act_id(event.act_id or "").departement)
        except ActIdError:
            continue
    try:
        return prefecture_id(fallback) if fallback else None
    except ActIdError:
        return None
