"""Factories: one per concept, built from the Dijon demo record.

Each helper returns a new record with one fact changed; nothing is edited in place.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from registre.record import (
    Attendance,
    DeliberationRecord,
    MeetingRecord,
    Member,
    NamedVote,
    Proxy,
    Vote,
    VoteChoice,
    loads,
)

DEMO_FILE = "dijon-2023-11-23.json"
DELETE = object()  # as a value for set_pointer: remove the key


def dijon_text() -> str:
    """The Dijon demo record as shipped in the package."""
    return resources.files("registre.demo").joinpath(DEMO_FILE).read_text(encoding="utf-8")


def dijon_record() -> MeetingRecord:
    """The Dijon demo record: 86 in office, 75 present, 9 proxies, 2 absent, 84 for."""
    return loads(dijon_text())


def item(record: MeetingRecord, index: int = 0) -> DeliberationRecord:
    """The deliberation at `index`."""
    return record.deliberations[index]


def with_item(record: MeetingRecord, index: int = 0, **changes: object) -> MeetingRecord:
    """The record with fields of one deliberation replaced."""
    items = list(record.deliberations)
    items[index] = replace(items[index], **changes)  # type: ignore[arg-type]
    return replace(record, deliberations=tuple(items))


def with_vote(record: MeetingRecord, index: int = 0, **changes: object) -> MeetingRecord:
    """The record with fields of one deliberation's vote replaced."""
    vote = item(record, index).vote or Vote()
    return with_item(record, index, vote=replace(vote, **changes))  # type: ignore[arg-type]


def with_attendance(record: MeetingRecord, index: int = 0, **changes: object) -> MeetingRecord:
    """The record with fields of one deliberation's attendance replaced."""
    att = item(record, index).attendance or Attendance()
    return with_item(record, index, attendance=replace(att, **changes))  # type: ignore[arg-type]


def with_meeting(record: MeetingRecord, **changes: object) -> MeetingRecord:
    """The record with fields of the meeting replaced."""
    return replace(record, meeting=replace(record.meeting, **changes))  # type: ignore[arg-type]


def move(
    record: MeetingRecord, members: list[str], src: str, dst: str, index: int = 0
) -> MeetingRecord:
    """Move members of one item from the list `src` to the list `dst`."""
    att = item(record, index).attendance
    assert att is not None
    source = tuple(m for m in getattr(att, src) if m not in members)
    target = (*getattr(att, dst), *members)
    return with_attendance(record, index, **{src: source, dst: target})


def holders(record: MeetingRecord, index: int = 0) -> set[str]:
    """Members holding a proxy for the item."""
    att = item(record, index).attendance
    assert att is not None
    return {p.holder for p in att.proxies if p.holder}


def plain_present(record: MeetingRecord, count: int, index: int = 0) -> list[str]:
    """`count` present members who are neither officers nor proxy holders."""
    att = item(record, index).attendance
    assert att is not None and att.present is not None
    officers = {record.meeting.president, *(record.meeting.secretaries or ())}
    busy = holders(record, index) | officers
    return [m for m in att.present if m not in busy][:count]


def add_proxy(record: MeetingRecord, giver: str, holder: str, index: int = 0) -> MeetingRecord:
    """Add a proxy and list its giver as represented."""
    att = item(record, index).attendance
    assert att is not None and att.represented is not None
    return with_attendance(
        record,
        index,
        proxies=(*att.proxies, Proxy(giver=giver, holder=holder)),
        represented=(*att.represented, giver),
    )


def named_votes_for_all(record: MeetingRecord, index: int = 0) -> MeetingRecord:
    """The item voted publicly with every present and represented member 'for'."""
    att = item(record, index).attendance
    assert att is not None and att.present is not None
    votes = [NamedVote(member=m, choice=VoteChoice.FOR) for m in att.present]
    votes += [
        NamedVote(member=p.holder, choice=VoteChoice.FOR, on_behalf_of=p.giver)
        for p in att.proxies
        if p.holder
    ]
    return with_vote(record, index, named_votes=tuple(votes))


def create_member(member_id: str, last_name: str, **fields: object) -> Member:
    """A member with only what a test needs."""
    return Member(id=member_id, last_name=last_name, **fields)  # type: ignore[arg-type]


def earlier_meeting(record: MeetingRecord, day: date) -> MeetingRecord:
    """The same meeting, moved to an earlier date (for proxies' history)."""
    return with_meeting(record, date=day, convocation_date=None)


def set_pointer(data: Any, pointer: str, value: object) -> None:
    """Set (or, with DELETE, remove) the value at a JSON pointer such as '/meeting/date'."""
    *parents, last = pointer.lstrip("/").split("/")
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    key: Any = int(last) if isinstance(data, list) else last
    if value is DELETE:
        del data[key]
    else:
        data[key] = value


# --- documents --------------------------------------------------------------------------


def tiny_png() -> bytes:
    """A valid 2×2 grey PNG (a logo for template tests), made without any library."""
    import struct  # noqa: PLC0415 (only the document tests need it)
    import zlib  # noqa: PLC0415

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80\x80\x00\x80\x80")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def make_template(folder: Path, settings: str, *, logo: bool = False) -> Path:
    """A collectivity's template folder with `settings` as its modele.toml."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "modele.toml").write_text(settings, encoding="utf-8")
    if logo:
        (folder / "logo.png").write_bytes(tiny_png())
    return folder


def meeting_of(record: MeetingRecord, items: int, *, paragraphs: int = 3) -> MeetingRecord:
    """The Dijon meeting with `items` deliberations, each with a statement of
    `paragraphs` paragraphs (for long documents)."""
    base = record.deliberations[0]
    text = "\n".join([base.statement or "Exposé."] * paragraphs)
    deliberations = tuple(
        replace(base, number=f"2023_{n:04d}", subject=f"{base.subject} ({n})", statement=text)
        for n in range(1, items + 1)
    )
    return replace(record, deliberations=deliberations)


# --- register ---------------------------------------------------------------------------


class FakeClock:
    """A clock that advances one second a call, from a fixed instant (UTC)."""

    def __init__(self, start: str = "2023-11-23T18:00:00+00:00") -> None:
        from datetime import datetime, timedelta  # noqa: PLC0415

        self.now = datetime.fromisoformat(start)
        self.step = timedelta(seconds=1)

    def __call__(self) -> Any:
        self.now += self.step
        return self.now


def register_items(count: int) -> list[tuple[Any, str]]:
    """`count` deliberations of generated meetings (10 items a meeting, votes varied by
    position), as (meeting record, item number) pairs to enter into a register."""
    base, items = dijon_record(), []
    for start in range(0, count, 10):
        meeting = with_meeting(meeting_of(base, min(10, count - start)),
                               date=date(2023, 1, 1 + (start // 10) % 28))  # fmt: skip
        for index, item in enumerate(meeting.deliberations):
            voted = with_vote(meeting, index, for_=84 - (start + index) % 5)
            items.append((voted, item.number))
    return items


def fill_register(store: Any, count: int, assembly: str = "conseil") -> list[Any]:
    """Enter `count` generated deliberations (see `register_items`) into a store."""
    from registre.register import append_deliberation  # noqa: PLC0415

    clock = FakeClock()
    return [
        append_deliberation(store, assembly, record, number, clock)
        for record, number in register_items(count)
    ]
