"""Lifecycle events: what happens to deliberations after the vote.

They are kept beside the frozen record (the register appends them), never inside
it. `deliberation` is the number of the item concerned, or None for the meeting
(list of deliberations, minutes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from registre.record.model import MemberId


class EventKind(StrEnum):
    """The kinds of lifecycle event."""

    SIGNED = "signed"
    PUBLISHED = "published"
    TRANSMITTED = "transmitted"
    ACKNOWLEDGED = "acknowledged"
    MINUTES_ADOPTED = "minutes_adopted"
    CORRECTED = "corrected"
    WITHDRAWN = "withdrawn"


class SignerCapacity(StrEnum):
    """In what capacity a member signs (L2121-23)."""

    PRESIDENT = "president"
    SECRETARY = "secretary"


class DocumentKind(StrEnum):
    """The documents registre produces and publishes."""

    EXTRACT = "extract"
    DELIBERATION_LIST = "deliberation_list"
    MINUTES = "minutes"
    CONVOCATION = "convocation"
    REGISTER_SHEETS = "register_sheets"


@dataclass(frozen=True, slots=True, kw_only=True)
class LifecycleEvent:
    """One event about a deliberation or a meeting, on a date.

    Fields beyond `kind`, `on` and `deliberation` are set according to the kind:
    `signer`/`capacity` for `signed`; `document`/`url` for `published`; `act_id`
    for `transmitted` and `acknowledged`; `reason` for `corrected`/`withdrawn`.
    """

    kind: EventKind
    on: date
    deliberation: str | None = None
    signer: MemberId | None = None
    capacity: SignerCapacity | None = None
    document: DocumentKind | None = None
    url: str | None = None
    act_id: str | None = None
    reason: str | None = field(default=None, metadata={"doc": "why a correction/withdrawal"})
