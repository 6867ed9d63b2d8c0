"""`registre export ... --collectivity SIREN --year AAAA`: the acts the portal shows.

Only `PublishedAct.objects.visible()` is read: acts published and not withdrawn,
whose texts were redacted before they were written. Each act's record (JSON) gives
the vote and attendance; the act's own row, as published, gives the subject, the
matter (and whether it was inferred), the transmission and the prefecture.
The database is the one `registre serve` uses (settings from the environment).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from typing import Any

from registre.cli_export import Loaded
from registre.errors import RecordFormatError, RegistreError
from registre.opendata import PublishedDeliberation
from registre.record import DeliberationRecord, EventKind, LifecycleEvent, MeetingRecord, loads


def _setup() -> None:
    """Start Django as `registre serve` does (its settings read the environment)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registre.web.settings")
    import django  # noqa: PLC0415 (the web stack loads only for this path)

    django.setup()


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
    from django.conf import settings  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    name = "portal_act_pdf" if act.pdf else "portal_act"
    path = reverse(name, kwargs={"siren": act.collectivity.siren, "number": act.number})
    return f"{(base_url or settings.PUBLIC_URL).rstrip('/')}{path}"


def _item(act: Any, siret: str | None, base_url: str | None) -> PublishedDeliberation:
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


def _acts(siren: str, year: int | None) -> tuple[Any, list[Any]]:
    from registre.web.core.models import Collectivity  # noqa: PLC0415
    from registre.web.publication.models import PublishedAct  # noqa: PLC0415

    collectivity = Collectivity.objects.filter(siren=siren).first()
    if collectivity is None:
        raise RegistreError(f"aucune collectivité de SIREN {siren} dans la base")
    acts = PublishedAct.objects.visible().filter(collectivity=collectivity)
    if year is not None:
        acts = acts.filter(meeting_date__year=year)
    ordered = acts.select_related("collectivity").order_by("meeting_date", "number", "id")
    return collectivity, list(ordered)


def load_database(siren: str, year: int | None, siret: str | None, base_url: str | None) -> Loaded:
    """The visible acts of the collectivity `siren` (of the year `year`, if given);
    `siret`, when given, overrides the collectivity's."""
    _setup()
    from django.db import DatabaseError  # noqa: PLC0415

    try:
        collectivity, acts = _acts(siren, year)
    except DatabaseError as exc:
        raise RegistreError(
            f"base de données inutilisable ({exc}) : lancez d'abord « registre serve » "
            "(qui la met à jour) ou vérifiez DATABASE_URL"
        ) from None
    siret = siret or collectivity.siret or None
    if not siret:
        raise RegistreError(
            f"le SIRET de {collectivity.name} n'est pas renseigné : renseignez-le dans "
            "l'administration, ou donnez --siret"
        )
    loaded = Loaded(inputs=len(acts))
    for act in acts:
        try:
            loaded.items.append(_item(act, siret, base_url))
        except RecordFormatError as exc:
            loaded.failures.append((f"acte n° {act.number}", str(exc)))
    return loaded
