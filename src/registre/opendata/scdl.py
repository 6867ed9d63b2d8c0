"""SCDL "Délibérations" 2.1.5 rows from records, their CSV, and what stays empty.

One row per deliberation that was decided (adopted, rejected or noted; an item
postponed or dropped decided nothing and has no row). Each column is taken from
the record or the events beside it; a value the documents do not give stays empty
and `gaps` says which and why, "non dit par le document" rather than invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from registre.opendata.nomenclature import level_2
from registre.opendata.source import PublishedDeliberation, published
from registre.record import EventKind, LifecycleEvent, MeetingRecord, Outcome, Vote


class Column(StrEnum):
    """The 17 columns of SCDL "Délibérations" 2.1.5, in the schema's order."""

    COLL_NOM = "COLL_NOM"
    COLL_SIRET = "COLL_SIRET"
    DELIB_ID = "DELIB_ID"
    DELIB_DATE = "DELIB_DATE"
    DELIB_MATIERE_CODE = "DELIB_MATIERE_CODE"
    DELIB_MATIERE_NOM = "DELIB_MATIERE_NOM"
    DELIB_OBJET = "DELIB_OBJET"
    BUDGET_ANNEE = "BUDGET_ANNEE"
    BUDGET_NOM = "BUDGET_NOM"
    PREF_ID = "PREF_ID"
    PREF_DATE = "PREF_DATE"
    VOTE_EFFECTIF = "VOTE_EFFECTIF"
    VOTE_REEL = "VOTE_REEL"
    VOTE_POUR = "VOTE_POUR"
    VOTE_CONTRE = "VOTE_CONTRE"
    VOTE_ABSTENTION = "VOTE_ABSTENTION"
    DELIB_URL = "DELIB_URL"


COLUMNS: tuple[Column, ...] = tuple(Column)
REQUIRED = frozenset(COLUMNS[:7])

# Why a column is empty, for the report (French, for the open-data team).
WHY_EMPTY: dict[Column, str] = {
    Column.COLL_NOM: "le document n'imprime pas le nom de la collectivité",
    Column.COLL_SIRET: "SIRET inconnu : le donner avec --siret",
    Column.DELIB_ID: "le document n'imprime pas de numéro de délibération",
    Column.DELIB_DATE: "le document n'imprime pas la date de la séance",
    Column.DELIB_MATIERE_CODE: "matière @CTES non imprimée (--infer-matter la déduit de l'objet)",
    Column.DELIB_MATIERE_NOM: "matière @CTES non imprimée (--infer-matter la déduit de l'objet)",
    Column.DELIB_OBJET: "le document n'imprime pas l'objet",
    Column.BUDGET_ANNEE: "l'exercice budgétaire concerné n'est pas une donnée de l'acte lu",
    Column.BUDGET_NOM: "le budget concerné n'est pas une donnée de l'acte lu",
    Column.PREF_ID: "la préfecture destinataire n'est pas imprimée",
    Column.PREF_DATE: "pas de date de réception en préfecture",
    Column.VOTE_EFFECTIF: "le nombre de membres en exercice n'est pas imprimé",
    Column.VOTE_REEL: "pas de décompte complet des voix (pour, contre, abstentions)",
    Column.VOTE_POUR: "pas de décompte des voix « pour »",
    Column.VOTE_CONTRE: "pas de décompte des voix « contre »",
    Column.VOTE_ABSTENTION: "pas de décompte des abstentions",
    Column.DELIB_URL: "adresse de publication inconnue (--base-url la construit)",
}

DECIDED = frozenset({Outcome.ADOPTED, Outcome.REJECTED, Outcome.NOTED})


@dataclass(frozen=True, slots=True, kw_only=True)
class ScdlRow:
    """One SCDL row; `None` is an empty cell. Attribute names are the columns'."""

    coll_nom: str | None
    coll_siret: str | None
    delib_id: str | None
    delib_date: dt.date | None
    delib_matiere_code: str | None
    delib_matiere_nom: str | None
    delib_objet: str | None
    budget_annee: str | None = None
    budget_nom: str | None = None
    pref_id: str | None = None
    pref_date: dt.date | None = None
    vote_effectif: int | None = None
    vote_reel: int | None = None
    vote_pour: int | None = None
    vote_contre: int | None = None
    vote_abstention: int | None = None
    delib_url: str | None = None

    def value(self, column: Column) -> str | int | dt.date | None:
        """The value of `column`."""
        found: str | int | dt.date | None = getattr(self, column.lower())
        return found

    def cells(self) -> tuple[str, ...]:
        """The CSV cells in column order: ISO dates, decimal integers, "" when empty."""
        return tuple(_cell(self.value(column)) for column in COLUMNS)


@dataclass(frozen=True, slots=True)
class Gap:
    """An empty cell of a row and why: required columns make the row invalid SCDL."""

    column: Column
    required: bool
    reason: str


def _cell(value: str | int | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    # one line per cell: a subject printed over several lines is joined
    return " ".join(str(value).split())


def decided(item: PublishedDeliberation) -> bool:
    """True when the item has an SCDL row: it was decided, or its outcome is unknown."""
    outcome = item.deliberation.outcome
    return outcome is None or outcome in DECIDED


def row(item: PublishedDeliberation, *, siret: str | None) -> ScdlRow:
    """The SCDL row of one published deliberation, the collectivity named by `siret`."""
    record, delib = item.record, item.deliberation
    matter = level_2(delib.matter_code)
    vote = delib.vote
    return ScdlRow(
        coll_nom=record.collectivity.name,
        coll_siret=siret,
        delib_id=delib.number or None,
        delib_date=record.meeting.date,
        delib_matiere_code=matter.code if matter else None,
        delib_matiere_nom=matter.scdl_label if matter else None,
        delib_objet=delib.subject.strip() or None,
        pref_id=item.prefecture_id,
        pref_date=prefecture_date(item.events),
        vote_effectif=record.meeting.members_in_office,
        vote_reel=actual_voters(vote),
        vote_pour=vote.for_ if vote else None,
        vote_contre=vote.against if vote else None,
        vote_abstention=vote.abstention if vote else None,
        delib_url=item.url or published_url(item.events),
    )


def rows(
    record: MeetingRecord,
    *,
    siret: str | None,
    url: str | None = None,
    events: Sequence[LifecycleEvent] = (),
    source: str = "",
) -> list[ScdlRow]:
    """The SCDL rows of a meeting's decided deliberations, in the record's order.

    `url` is where the document is published (the same for all its items);
    `events` are the lifecycle events known about them (transmission, publication).
    """
    items = published(record, source=source, url=url, events=events)
    return [row(item, siret=siret) for item in items if decided(item)]


def actual_voters(vote: Vote | None) -> int | None:
    """VOTE_REEL: for + against + abstention, as SCDL's sum check requires; members
    "not voting" cast no vote and are left out. None unless all three are known."""
    if vote is None or None in (vote.for_, vote.against, vote.abstention):
        return None
    return (vote.for_ or 0) + (vote.against or 0) + (vote.abstention or 0)


def prefecture_date(events: Sequence[LifecycleEvent]) -> dt.date | None:
    """PREF_DATE: the prefecture's acknowledgement; without one, the transmission
    (through @CTES the acknowledgement is issued on receipt)."""
    for kind in (EventKind.ACKNOWLEDGED, EventKind.TRANSMITTED):
        dates = [event.on for event in events if event.kind is kind]
        if dates:
            return min(dates)
    return None


def published_url(events: Sequence[LifecycleEvent]) -> str | None:
    """The address a `published` event gives, if any."""
    return next((e.url for e in events if e.kind is EventKind.PUBLISHED and e.url), None)


def gaps(scdl_row: ScdlRow) -> list[Gap]:
    """The empty cells of a row, required ones first, each with its reason."""
    empty = [column for column in COLUMNS if scdl_row.value(column) is None]
    found = [Gap(c, c in REQUIRED, WHY_EMPTY[c]) for c in empty]
    return sorted(found, key=lambda gap: not gap.required)


def csv_text(scdl_rows: Iterable[ScdlRow]) -> str:
    """The SCDL CSV: the header then one line per row, comma-separated, quoted only
    where needed, lines ended by CRLF (RFC 4180). Encode it in UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", lineterminator="\r\n")
    writer.writerow([column.value for column in COLUMNS])
    writer.writerows(r.cells() for r in scdl_rows)
    return out.getvalue()
