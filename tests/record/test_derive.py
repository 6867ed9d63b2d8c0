"""Item attendance derived from the roll call and the events of the meeting."""

from __future__ import annotations

from dataclasses import replace

from factories import dijon_record
from registre.record import (
    AttendanceChange,
    ChangeKind,
    DeliberationRecord,
    MeetingRecord,
    item_attendances,
    with_derived_attendance,
)
from registre.rules import Severity, check

RETY, TONOT, MASSON, VICTOR = (
    "jean-marc-rety",
    "celine-tonot",
    "jean-patrick-masson",
    "catherine-victor",
)


def _three_items(*changes: AttendanceChange) -> MeetingRecord:
    record = dijon_record()
    base = replace(record.deliberations[0], attendance=None, vote=None)
    items = tuple(replace(base, number=f"2023_00{i}") for i in (1, 2, 3))
    return replace(
        record, deliberations=items, attendance=replace(record.attendance, changes=changes)
    )


def _statuses(record: MeetingRecord, member: str) -> list[str]:
    out = []
    for att in item_attendances(record).values():
        for status in ("present", "absent", "represented", "withdrawn"):
            if member in (getattr(att, status) or ()):
                out.append(status)
    return out


def test_without_events_every_item_has_the_opening_attendance() -> None:
    record = _three_items()
    for att in item_attendances(record).values():
        assert len(att.present or ()) == 75 and len(att.represented or ()) == 9
        assert len(att.proxies) == 9


def test_arrival_counts_from_its_item() -> None:
    record = _three_items(
        AttendanceChange(member=VICTOR, change=ChangeKind.ARRIVAL, from_item="2023_002")
    )
    assert _statuses(record, VICTOR) == ["absent", "present", "present"]


def test_departure_of_a_holder_lapses_the_proxy() -> None:
    record = _three_items(
        AttendanceChange(member=RETY, change=ChangeKind.DEPARTURE, from_item="2023_003")
    )
    assert _statuses(record, RETY) == ["present", "present", "absent"]
    assert _statuses(record, TONOT) == ["represented", "represented", "absent"]


def test_proxy_on_leaving_and_withdrawal_for_one_item() -> None:
    record = _three_items(
        AttendanceChange(member=MASSON, change=ChangeKind.WITHDRAWAL, from_item="2023_001"),
        AttendanceChange(
            member=MASSON,
            change=ChangeKind.PROXY_ON_LEAVING,
            from_item="2023_002",
            holder="thierry-falconnet",
        ),
    )
    assert _statuses(record, MASSON) == ["withdrawn", "represented", "represented"]
    last = item_attendances(record)["2023_003"]
    assert any(p.giver == MASSON and p.holder == "thierry-falconnet" for p in last.proxies)


def test_withdrawn_holder_cannot_use_the_proxy_for_that_item() -> None:
    record = _three_items(
        AttendanceChange(member=RETY, change=ChangeKind.WITHDRAWAL, from_item="2023_002")
    )
    assert _statuses(record, TONOT) == ["represented", "absent", "represented"]


def test_giver_arriving_ends_the_proxy() -> None:
    record = _three_items(
        AttendanceChange(
            member=TONOT, change=ChangeKind.PROXY_ENDS_ON_ARRIVAL, from_item="2023_002"
        )
    )
    atts = item_attendances(record)
    assert _statuses(record, TONOT) == ["represented", "present", "present"]
    assert all(p.giver != TONOT for p in atts["2023_003"].proxies)


def test_rules_use_derived_attendance_when_the_item_has_none() -> None:
    record = _three_items(
        AttendanceChange(member=RETY, change=ChangeKind.WITHDRAWAL, from_item="2023_002")
    )
    findings = check(record)
    assert not [f for f in findings if f.severity is Severity.ERROR]
    filled = with_derived_attendance(record)
    assert all(
        isinstance(i, DeliberationRecord) and i.attendance is not None for i in filled.deliberations
    )
    assert check(filled) == findings


def test_titular_arriving_takes_back_the_seat_from_the_substitute() -> None:
    record = _three_items(
        AttendanceChange(
            member="catherine-victor",
            change=ChangeKind.SUBSTITUTE_SITS,
            from_item="2023_001",
            holder="sub",
        ),
        AttendanceChange(
            member="catherine-victor", change=ChangeKind.DEPARTURE, from_item="2023_002"
        ),
        AttendanceChange(
            member="catherine-victor", change=ChangeKind.ARRIVAL, from_item="2023_003"
        ),
    )
    atts = item_attendances(record)
    assert [s.substitute for s in atts["2023_001"].substitutes] == ["sub"]
    assert atts["2023_003"].substitutes == ()
    assert _statuses(record, "catherine-victor") == ["present", "absent", "present"]
