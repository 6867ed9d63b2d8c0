"""The register of deliberations: append-only, hash-chained, verifiable by anyone.

One entry point for writing, `append_deliberation` / `append_event`, each taking
the acting clock explicitly; `verify` checks a register (a database or an export)
against the digests already published (anchors).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import replace

from registre.record import (
    LifecycleEvent,
    MeetingRecord,
    canonical_bytes,
    single_deliberation,
    to_data,
)
from registre.register.chain import (
    GENESIS,
    Anchor,
    Break,
    Entry,
    EntryKind,
    Verification,
    digest_of,
    verify,
)
from registre.register.export import entry_from_line, export_entries, export_lines, verify_export
from registre.register.store import SqliteStore, Store

Clock = Callable[[], dt.datetime]

__all__ = [
    "Anchor",
    "Break",
    "Clock",
    "Entry",
    "EntryKind",
    "SqliteStore",
    "Store",
    "Verification",
    "anchor",
    "append_deliberation",
    "append_deliberations",
    "append_event",
    "deliberation_payload",
    "entry_from_line",
    "export_entries",
    "export_lines",
    "verify",
    "verify_export",
]  # fmt: skip


def append_deliberation(
    store: Store, assembly: str, record: MeetingRecord, number: str, clock: Clock
) -> Entry:
    """Enter one deliberation of a meeting (with its meeting as context), numbered in
    the year and in the meeting, chained to the last entry; in one transaction."""
    day = record.meeting.date or clock().date()
    payload = deliberation_payload(record, number)
    return _append(
        store,
        assembly,
        EntryKind.DELIBERATION,
        payload,
        clock,
        year=day.year,
        meeting=day.isoformat(),
    )


def append_deliberations(
    store: Store, assembly: str, items: Iterable[tuple[MeetingRecord, str]], clock: Clock
) -> list[Entry]:
    """Enter several deliberations (meeting record, item number) in one transaction:
    all or none. For imports of a register kept elsewhere, where one durable commit
    per entry would wait on the disk for each."""
    store.begin()
    try:
        entries = []
        for record, number in items:
            day = record.meeting.date or clock().date()
            entry = _entry(store, assembly, EntryKind.DELIBERATION,
                           deliberation_payload(record, number), clock,
                           year=day.year, meeting=day.isoformat())  # fmt: skip
            store.insert(entry)
            entries.append(entry)
        store.commit()
    except BaseException:
        store.rollback()
        raise
    return entries


def append_event(store: Store, assembly: str, event: LifecycleEvent, clock: Clock) -> Entry:
    """Enter a lifecycle event (signed, published, transmitted, corrected, withdrawn)
    about an earlier entry; the entry it concerns is never changed."""
    return _append(
        store,
        assembly,
        EntryKind.EVENT,
        canonical_bytes(event),
        clock,
        year=event.on.year,
        meeting="",
    )


_CONTEXT: list[tuple[tuple[object, ...], dict[str, bytes]]] = []


def deliberation_payload(record: MeetingRecord, number: str) -> bytes:
    """The canonical JSON of `single_deliberation(record, number)` (what the item's
    extract carries), with the meeting's unchanging parts encoded once for all its
    deliberations (the roster is most of it)."""
    single = single_deliberation(record, number)
    if single.attendance.changes or len(record.deliberations) == 1:
        return canonical_bytes(single)
    # the meeting's parts, compared by identity: the records of one meeting share them
    context = (record.collectivity, record.assembly, record.meeting, record.attendance,
               record.annotations, record.schema_version)  # fmt: skip
    if not (_CONTEXT and all(a is b for a, b in zip(_CONTEXT[0][0], context, strict=True))):
        data = to_data(replace(single, deliberations=()))
        _CONTEXT[:] = [(context, {key: _compact(value) for key, value in data.items()})]
    parts = dict(
        _CONTEXT[0][1], deliberations=b"[" + canonical_bytes(single.deliberations[0]) + b"]"
    )
    body = b",".join(_compact(key) + b":" + parts[key] for key in sorted(parts))
    return b"{" + body + b"}"


def _compact(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def anchor(store: Store, assembly: str, published_in: str) -> Anchor | None:
    """The head of an assembly's chain, to print in the list of deliberations."""
    head = store.head(assembly)
    return Anchor(assembly, head[0], head[1], published_in) if head else None


def _append(
    store: Store, assembly: str, kind: EntryKind, payload: bytes, clock: Clock, *,
    year: int, meeting: str,
) -> Entry:  # fmt: skip
    """Number, chain and insert one entry in one transaction: its numbers and its
    previous digest are read inside it, so that two writers never take the same."""
    store.begin()
    try:
        entry = _entry(store, assembly, kind, payload, clock, year=year, meeting=meeting)
        store.insert(entry)
        store.commit()
    except BaseException:
        store.rollback()
        raise
    return entry


def _entry(
    store: Store, assembly: str, kind: EntryKind, payload: bytes, clock: Clock, *,
    year: int, meeting: str,
) -> Entry:  # fmt: skip
    deliberation = kind is EntryKind.DELIBERATION  # an event has no order numbers
    head = store.head(assembly)
    sequence, previous = (head[0] + 1, head[1]) if head else (1, GENESIS)
    draft = Entry(
        assembly=assembly, sequence=sequence, kind=kind, year=year,
        year_number=store.last_number(assembly, year=year) + 1 if deliberation else 0,
        meeting=meeting,
        meeting_number=store.last_number(assembly, meeting=meeting) + 1 if deliberation else 0,
        entered_at=clock().astimezone(dt.UTC).isoformat(timespec="microseconds"),
        previous=previous, digest="", payload=payload,
    )  # fmt: skip
    return replace(draft, digest=digest_of(previous, draft.header(), payload))
