"""Meeting formalities: convocation delay, note of synthesis, secretary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from registre.record import CollectivityKind, MeetingRecord
from registre.rules.context import MeetingContext, finding, french_date, plural
from registre.rules.findings import Code, Finding, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
_LARGE = 3500  # inhabitants: L2121-12 instead of L2121-11


def _large(ctx: MeetingContext) -> bool | None:
    """True when L2121-12 applies (≥ 3,500 inhabitants, EPCI), None if unknown."""
    kind = ctx.kind
    if kind.is_epci:
        return True
    if kind is not CollectivityKind.COMMUNE:
        return False
    population = ctx.record.collectivity.population
    return None if population is None else population >= _LARGE


def _required_clear_days(ctx: MeetingContext) -> tuple[int | None, str]:
    """Clear days the convocation needs, and why; None when it cannot be told."""
    meeting, kind = ctx.record.meeting, ctx.kind
    if kind in (CollectivityKind.DEPARTEMENT, CollectivityKind.REGION):
        return 11, "12 jours avant la séance (L3121-19, L4132-18)"
    if meeting.urgency:
        return 1, "1 jour franc en cas d'urgence"
    if meeting.second_convocation:
        return 3, "3 jours francs sur seconde convocation (L2121-17)"
    large = _large(ctx)
    if large is None:
        return None, "3 ou 5 jours francs selon la population, inconnue"
    return (5, "5 jours francs (L2121-12)") if large else (3, "3 jours francs (L2121-11)")


@dataclass(frozen=True, slots=True)
class Deadline:
    """The last day a convocation may be sent, with the delay that fixes it."""

    latest: dt.date | None  # None when the delay cannot be told (population unknown)
    clear_days: int | None
    reason: str  # French, with the article


def convocation_deadline(record: MeetingRecord) -> Deadline | None:
    """The last sending day for the record's meeting (None without a meeting date):
    `clear_days` full days must lie between sending and the meeting."""
    meeting = record.meeting
    if meeting.date is None:
        return None
    required, why = _required_clear_days(MeetingContext.of(record))
    if required is None:
        return Deadline(None, None, why)
    return Deadline(meeting.date - dt.timedelta(days=required + 1), required, why)


def check_convocation(ctx: MeetingContext) -> Iterator[Finding]:
    """CONVOCATION_TOO_LATE: clear days between sending and the meeting."""
    meeting = ctx.record.meeting
    if meeting.date is None:
        return
    if meeting.convocation_date is None:
        yield finding(
            Code.CONVOCATION_TOO_LATE,
            I,
            "Date d'envoi de la convocation inconnue : délai non vérifié.",
            "/meeting/convocation_date",
        )
        return
    clear = (meeting.date - meeting.convocation_date).days - 1
    required, why = _required_clear_days(ctx)
    sent = f"Convocation envoyée le {french_date(meeting.convocation_date)}"
    if clear < 0:
        yield finding(
            Code.CONVOCATION_TOO_LATE,
            E,
            f"{sent}, après la séance du {french_date(meeting.date)}.",
            "/meeting/convocation_date",
        )
    elif required is None and clear < 5:
        severity = E if clear < 3 else I
        yield finding(
            Code.CONVOCATION_TOO_LATE,
            severity,
            f"{sent}, {plural(clear, 'jour franc', 'jours francs')} avant la séance ; il en faut {why}.",
            "/meeting/convocation_date",
        )
    elif required is not None and clear < required:
        yield finding(
            Code.CONVOCATION_TOO_LATE,
            E,
            f"{sent}, {plural(clear, 'jour franc', 'jours francs')} avant la séance du {french_date(meeting.date)} ; il en faut au moins {why}.",
            "/meeting/convocation_date",
        )


def check_synthesis_note(ctx: MeetingContext) -> Iterator[Finding]:
    """SYNTHESIS_NOTE_MISSING where L2121-12 applies."""
    if not _large(ctx):
        return
    sent = ctx.record.meeting.synthesis_note_sent
    if sent is None:
        yield finding(
            Code.SYNTHESIS_NOTE_MISSING,
            I,
            "Envoi de la note explicative de synthèse non renseigné : non vérifié.",
            "/meeting/synthesis_note_sent",
        )
    elif not sent:
        yield finding(
            Code.SYNTHESIS_NOTE_MISSING,
            E,
            "Aucune note explicative de synthèse n'a été jointe à la convocation.",
            "/meeting/synthesis_note_sent",
        )


def check_secretary(ctx: MeetingContext) -> Iterator[Finding]:
    """SECRETARY_MISSING (L2121-15)."""
    secretaries = ctx.record.meeting.secretaries
    if secretaries is None:
        yield finding(
            Code.SECRETARY_MISSING,
            I,
            "Secrétaire de séance non renseigné : non vérifié.",
            "/meeting/secretaries",
        )
    elif not secretaries:
        yield finding(
            Code.SECRETARY_MISSING,
            E,
            "Aucun secrétaire de séance n'a été désigné.",
            "/meeting/secretaries",
        )
