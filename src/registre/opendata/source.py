"""What the exports read: one deliberation as published, with what is known beside
its record (where it is published, its lifecycle events, the prefecture, whether
its matter was inferred). Built from documents read or from the database alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from registre.opendata.matter import infer_matter
from registre.opendata.nomenclature import level_2
from registre.record import DeliberationRecord, LifecycleEvent, MeetingRecord


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedDeliberation:
    """One deliberation to publish as open data.

    `record` is its meeting; `source` names where it comes from (a file, or the act
    in the database) for the reports; `matter_inferred` is True when its matter was
    guessed from the subject (`registre.opendata.matter`), with the words that
    decided it in `matter_evidence` when known.
    """

    record: MeetingRecord
    deliberation: DeliberationRecord
    source: str
    url: str | None = None
    events: tuple[LifecycleEvent, ...] = ()
    prefecture_id: str | None = None
    matter_inferred: bool = False
    matter_evidence: tuple[str, ...] = ()


def published(
    record: MeetingRecord,
    *,
    source: str,
    url: str | None = None,
    events: Sequence[LifecycleEvent] = (),
) -> list[PublishedDeliberation]:
    """Each deliberation of `record`, with the events that concern it: its own, and
    the meeting's when the document holds this one item only (an extract)."""
    single = len(record.deliberations) == 1
    return [
        PublishedDeliberation(
            record=record,
            deliberation=item,
            source=source,
            url=url,
            events=tuple(
                e
                for e in events
                if e.deliberation == item.number or (e.deliberation is None and single)
            ),
        )
        for item in record.deliberations
    ]


def with_inferred_matter(item: PublishedDeliberation) -> PublishedDeliberation:
    """The item with its matter guessed from its subject when it has none of the
    nomenclature's; unchanged when it has one, or when the subject says too little."""
    if level_2(item.deliberation.matter_code) is not None:
        return item
    guess = infer_matter(item.deliberation.subject)
    if guess is None:
        return item
    deliberation = replace(
        item.deliberation, matter_code=guess.matter.code, matter_label=guess.matter.label
    )
    return replace(
        item, deliberation=deliberation, matter_inferred=True, matter_evidence=guess.evidence
    )
