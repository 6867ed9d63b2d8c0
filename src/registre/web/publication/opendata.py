"""Published acts as open data (SCDL rows, Popolo): the one conversion the export
command and the API share. Only what the caller passes is converted; callers pass
`PublishedAct.objects.visible()`, already redacted."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.urls import reverse

from registre.errors import RecordFormatError
from registre.opendata import PublishedDeliberation, csv_text, decided, popolo_json, scdl_row
from registre.record import DeliberationRecord, EventKind, LifecycleEvent, MeetingRecord, loads


def _events(act: Any) -> tuple[LifecycleEvent, ...]:
    found: list[tuple[EventKind, dt.date | None]] = [
        (EventKind.TRANSMITTED, act.transmitted_on),
        (EventKind.PUBLISHED, act.published_on),
    ]
    return tuple(
        LifecycleEvent(kind=kind, on=on, deliberation=act.number) for kind, on in found if on
    )


def _deliberation(record: MeetingRecord, act: Any) -> DeliberationRecord:
    item = record.deliberation(act.number)
    if item is None and len(record.deliberations) == 1:
        item = record.deliberations[0]
    if item is None:
        raise RecordFormatError(f"l'enregistrement ne contient pas la délibération {act.number}")
    # the act as published is the truth: its subject is redacted, its matter may be
    # set (or inferred) after the vote
    return replace(
        item, number=act.number, subject=act.subject, act_id=act.act_id or None,
        matter_code=act.matter_code or None, matter_label=act.matter_label or None,
    )  # fmt: skip


def _url(act: Any, base_url: str | None) -> str:
    """The act's stable public address on the portal: its signed PDF when it has
    one, else its page; on `base_url` if given, else on REGISTRE_PUBLIC_URL."""
    name = "portal_act_pdf" if act.pdf else "portal_act"
    path = reverse(name, kwargs={"siren": act.collectivity.siren, "number": act.number})
    return f"{(base_url or settings.PUBLIC_URL).rstrip('/')}{path}"


def open_item(act: Any, siret: str | None, base_url: str | None = None) -> PublishedDeliberation:
    """One published act as open data's input (its record, as published)."""
    record = loads(act.record_json)
    coll = act.collectivity
    collectivity = replace(record.collectivity, name=coll.name, siren=coll.siren, siret=siret)
    record = replace(record, collectivity=collectivity)
    url = _url(act, base_url)
    return PublishedDeliberation(
        record=record,
        deliberation=_deliberation(record, act),
        source=f"acte n° {act.number} du {act.meeting_date.isoformat()} (base)",
        url=url,
        events=_events(act),
        prefecture_id=act.prefecture_id or None,
        matter_inferred=act.matter_inferred,
    )


def open_items(acts: list[Any], siret: str | None,
               base_url: str | None = None) -> tuple[list[PublishedDeliberation], list[str]]:  # fmt: skip
    """The acts as open data's inputs, and those whose record could not be read."""
    items, failures = [], []
    for act in acts:
        try:
            items.append(open_item(act, siret, base_url))
        except RecordFormatError as exc:
            failures.append(f"acte n° {act.number} : {exc}")
    return items, failures


def scdl_csv(acts: list[Any], siret: str | None) -> str:
    """The SCDL « Délibérations » CSV of the acts (decided ones only)."""
    items, _ = open_items(acts, siret)
    return csv_text(scdl_row(item, siret=siret) for item in items if decided(item))


def popolo(acts: list[Any], siret: str | None) -> str:
    """The Popolo JSON of the acts."""
    items, _ = open_items(acts, siret)
    return popolo_json(items, siret=siret)
