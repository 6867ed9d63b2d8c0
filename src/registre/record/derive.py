"""Derive each item's attendance from the opening attendance and the events.

The clerk records the roll call once and then events (arrivals, departures,
proxies given on leaving, withdrawals); each item's snapshot follows from them.
A withdrawal concerns its own item only; a holder who leaves or withdraws can no
longer vote for the giver, who then counts as absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from registre.record.enums import AttendanceStatus, ChangeKind
from registre.record.model import (
    Attendance,
    AttendanceChange,
    DeliberationRecord,
    MeetingRecord,
    MemberId,
    Proxy,
    Substitution,
)

S = AttendanceStatus


@dataclass(slots=True)
class _State:
    status: dict[MemberId, AttendanceStatus] = field(default_factory=dict)
    proxies: dict[MemberId, Proxy] = field(default_factory=dict)
    substitutes: dict[MemberId, MemberId] = field(default_factory=dict)

    def copy(self) -> _State:
        return _State(dict(self.status), dict(self.proxies), dict(self.substitutes))

    def lapse_proxies_held_by(self, holder: MemberId) -> None:
        for giver, proxy in list(self.proxies.items()):
            if proxy.holder == holder:
                del self.proxies[giver]
                self.status[giver] = S.ABSENT

    def apply(self, change: AttendanceChange) -> None:
        member, kind = change.member, change.change
        if kind in (ChangeKind.ARRIVAL, ChangeKind.PROXY_ENDS_ON_ARRIVAL):
            self.proxies.pop(member, None)
            self.substitutes.pop(member, None)  # the titular takes back their seat
            self.status[member] = S.PRESENT
        elif kind is ChangeKind.DEPARTURE:
            self.status[member] = S.ABSENT
            self.lapse_proxies_held_by(member)
        elif kind is ChangeKind.PROXY_ON_LEAVING:
            self.lapse_proxies_held_by(member)
            self.status[member] = S.REPRESENTED
            self.proxies[member] = Proxy(giver=member, holder=change.holder)
        elif kind is ChangeKind.SUBSTITUTE_SITS and change.holder is not None:
            self.status[member] = S.PRESENT
            self.substitutes[member] = change.holder


def _opening_state(opening: Attendance) -> _State:
    state = _State()
    lists = (
        (opening.present, S.PRESENT),
        (opening.absent, S.ABSENT),
        (opening.represented, S.REPRESENTED),
        (opening.withdrawn, S.WITHDRAWN),
    )
    for members, status in lists:
        for member in members or ():
            state.status[member] = status
    for proxy in opening.proxies:
        state.proxies[proxy.giver] = proxy
    for sub in opening.substitutes:
        state.substitutes[sub.titular] = sub.substitute
    return state


def _snapshot(state: _State, order: dict[MemberId, int]) -> Attendance:
    # one pass in roster order (members outside the roster after, as they came):
    # a meeting's snapshots are taken for each item, so sorting each list would cost
    by_status: dict[AttendanceStatus, list[MemberId]] = {s: [] for s in AttendanceStatus}
    status = state.status
    for member in order:
        found = status.get(member)
        if found is not None:
            by_status[found].append(member)
    for member, found in status.items():
        if member not in order:
            by_status[found].append(member)
    represented = by_status[S.REPRESENTED]
    return Attendance(
        present=tuple(by_status[S.PRESENT]),
        absent=tuple(by_status[S.ABSENT]),
        represented=tuple(represented),
        withdrawn=tuple(by_status[S.WITHDRAWN]),
        proxies=tuple(state.proxies[g] for g in represented if g in state.proxies),
        substitutes=tuple(
            Substitution(titular=t, substitute=s)
            for t, s in state.substitutes.items()
            if status.get(t) is S.PRESENT
        ),
    )


def item_attendances(record: MeetingRecord) -> dict[str, Attendance]:
    """Each item's attendance (by number), derived from the opening and the events."""
    return _derive(record, entering=False)


def entering_attendances(record: MeetingRecord) -> dict[str, Attendance]:
    """Each item's attendance as the item begins, before its own events: what a
    document prints before "X quitte la séance à partir du point N"."""
    return _derive(record, entering=True)


def _derive(record: MeetingRecord, *, entering: bool) -> dict[str, Attendance]:
    order = {m.id: i for i, m in enumerate(record.meeting.members)}
    state = _opening_state(record.attendance)
    out: dict[str, Attendance] = {}
    for item in record.deliberations:
        changes = [c for c in record.attendance.changes if c.from_item == item.number]
        if entering:
            out[item.number] = _snapshot(state, order)
        for change in changes:
            if change.change is not ChangeKind.WITHDRAWAL:
                state.apply(change)
        current = state.copy()
        for change in changes:
            if change.change is ChangeKind.WITHDRAWAL:
                current.lapse_proxies_held_by(change.member)
                current.status[change.member] = S.WITHDRAWN
        if not entering:
            out[item.number] = _snapshot(current, order)
    return out


def with_derived_attendance(record: MeetingRecord) -> MeetingRecord:
    """The record with every item's missing attendance filled from the events."""
    derived = item_attendances(record)
    items: list[DeliberationRecord] = [
        item if item.attendance is not None else replace(item, attendance=derived[item.number])
        for item in record.deliberations
    ]
    return replace(record, deliberations=tuple(items))


Attendances = dict[str, Attendance]
_LAST: list[tuple[tuple[object, ...], tuple[Attendances, Attendances]]] = []


def meeting_attendances(record: MeetingRecord) -> tuple[Attendances, Attendances]:
    """Each item's attendance as it begins (`entering_attendances`) and as it votes
    (`item_attendances`), kept for the last meeting asked: its extracts and register
    entries are made one after the other, from records that differ only by a vote."""
    # they depend on the roster, the opening with its events and the items' order only
    numbers = tuple(d.number for d in record.deliberations)
    if not (
        _LAST
        and _LAST[0][0][0] is record.meeting
        and _LAST[0][0][1] is record.attendance
        and _LAST[0][0][2] == numbers
    ):
        derived = (entering_attendances(record), item_attendances(record))
        _LAST[:] = [((record.meeting, record.attendance, numbers), derived)]
    return _LAST[0][1]


def single_deliberation(record: MeetingRecord, number: str) -> MeetingRecord:
    """The meeting reduced to one deliberation, as its extract and its register entry
    carry it: the record itself when it has only that one; otherwise that item with
    its attendance stated, and the opening as the item began with the item's events.

    Raises KeyError for a number the meeting does not have.
    """
    chosen = next((d for d in record.deliberations if d.number == number), None)
    if chosen is None:
        raise KeyError(number)
    if len(record.deliberations) == 1:
        return record
    entering, derived = meeting_attendances(record)
    if chosen.attendance is None:
        chosen = replace(chosen, attendance=derived[number])
    changes = tuple(c for c in record.attendance.changes if c.from_item == number)
    opening = replace(record.attendance, changes=changes)
    if changes:  # the opening as this item began, so that its events apply to it
        opening = replace(entering[number], changes=changes)
    return replace(record, attendance=opening, deliberations=(chosen,))
