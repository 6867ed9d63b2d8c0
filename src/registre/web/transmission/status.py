"""What the clerk's transmission page shows of each registered item: its act id,
where its transmission stands and whether it is enforceable, in French.

The register is read once for the page: the items' frozen records and the
assembly's lifecycle events. What the register says (transmitted, acknowledged)
wins over the last attempt kept in `Transmission`, which adds the operator's
message.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import cast

from registre import actes
from registre.actes import Enforceability, Missing, Status
from registre.record import EventKind, LifecycleEvent, MeetingRecord, from_data, loads
from registre.register import EntryKind, Store
from registre.web.core.models import Assembly
from registre.web.live.models import ItemVote
from registre.web.live.record import item_number
from registre.web.live.register import assembly_key, open_store
from registre.web.meetings.models import Meeting
from registre.web.publication.models import PublishedAct
from registre.web.transmission.models import OperatorSettings, Transmission, TransmissionStatus
from registre.web.transmission.services import with_departement

MISSING = {Missing.PUBLICATION: "la publication", Missing.TRANSMISSION: "la transmission au préfet"}


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    """One registered item on the page."""

    vote: ItemVote
    number: str
    act_id: str
    status: str
    enforceability: str
    action: str  # the button's label, empty when there is nothing to do
    refused: bool = False
    upload: bool = False  # a signed extract may be joined: nothing acknowledged yet


def read_register(
    assembly: Assembly, sequences: Sequence[int]
) -> tuple[dict[int, MeetingRecord], list[LifecycleEvent]]:
    """The frozen records at `sequences` and every lifecycle event of the assembly's
    chain, in one read of the register."""
    store = cast(Store, open_store())
    try:
        entries = list(store.entries(assembly_key(assembly)))
    finally:
        store.close()  # type: ignore[attr-defined]
    wanted = set(sequences)
    records = {e.sequence: loads(e.payload.decode("utf-8")) for e in entries
               if e.kind is EntryKind.DELIBERATION and e.sequence in wanted}  # fmt: skip
    events = [from_data(LifecycleEvent, json.loads(e.payload))
              for e in entries if e.kind is EntryKind.EVENT]  # fmt: skip
    return records, events


def enforceability_text(found: Enforceability) -> str:
    """An item's enforceability in French."""
    if found.status is Status.ENFORCEABLE and found.since is not None:
        return f"exécutoire depuis le {found.since:%d/%m/%Y}"
    if found.status is Status.NOT_YET:
        return "pas encore exécutoire : il manque " + " et ".join(MISSING[m] for m in found.missing)
    return "sans objet (acte non adopté ou retiré)"


def status_text(row: Transmission | None, events: Sequence[LifecycleEvent]) -> str:
    """Where an item's transmission stands, in French: the register first, then the
    last attempt's outcome with the operator's message."""
    acknowledged = min((e.on for e in events if e.kind is EventKind.ACKNOWLEDGED), default=None)
    if acknowledged is not None:
        return f"acquitté le {acknowledged:%d/%m/%Y}"
    if row is None or row.status == TransmissionStatus.ELSEWHERE:
        sent = min((e.on for e in events if e.kind is EventKind.TRANSMITTED), default=None)
        return f"transmis le {sent:%d/%m/%Y}" if sent else "non transmis"
    label = TransmissionStatus(row.status).label
    return f"{label} : {row.message}" if row.message else str(label)


def _act_id(record: MeetingRecord | None, number: str, settings: OperatorSettings | None) -> str:
    """The act id the item has or will have (empty when it cannot be made yet)."""
    if record is None or settings is None:
        return ""
    try:
        return str(actes.act_id_for(with_departement(record, settings.departement), number))
    except actes.ActesError:
        return ""


def rows(meeting: Meeting, today: dt.date) -> list[Row]:
    """Each registered item of the meeting, in agenda order."""
    votes = list(ItemVote.objects.filter(item__meeting=meeting, register_sequence__isnull=False)
                 .select_related("item", "item__meeting").order_by("item__position"))  # fmt: skip
    records, events = read_register(meeting.assembly, [v.register_sequence for v in votes])
    settings = OperatorSettings.objects.filter(collectivity=meeting.collectivity).first()
    kept = {t.vote_id: t for t in Transmission.objects.filter(vote__in=votes)}
    published = {a.number: a for a in PublishedAct.objects.filter(assembly=meeting.assembly)}
    found = []
    for vote in votes:
        number = item_number(vote.item)
        mine = [e for e in events if e.deliberation == number]
        record = records.get(vote.register_sequence)
        item = record.deliberation(number) if record else None
        enforceable = enforceability_text(actes.enforceability(item, mine, today)) if item else ""
        row = kept.get(vote.pk)
        found.append(Row(
            vote=vote, number=number,
            act_id=(row.act_id if row else "") or _act_id(record, number, settings),
            status=status_text(row, mine), enforceability=enforceable,
            action=_action(row, mine, published.get(number)),
            refused=row is not None and row.status == TransmissionStatus.REFUSED,
            upload=not any(e.kind is EventKind.ACKNOWLEDGED for e in mine),
        ))  # fmt: skip
    return found


def _action(row: Transmission | None, events: Sequence[LifecycleEvent],
            act: PublishedAct | None) -> str:  # fmt: skip
    """What the clerk may do: transmit, retry, or report the acknowledgement on the
    published act (published after it came); nothing once all is done."""
    if any(e.kind is EventKind.ACKNOWLEDGED for e in events):
        if act is not None and act.transmitted_on is None:
            return "Reporter l'accusé sur l'acte publié"
        return ""
    if row is None and not any(e.kind is EventKind.TRANSMITTED for e in events):
        return "Transmettre"
    return "Relancer"
