"""The French report of `registre read FICHIER`: what was read, then the check report.

The meeting, who was there, each deliberation, the doubts and the passages not
interpreted, followed by the rules' findings and the verdict (`cli_text.text_report`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from registre.cli_text import text_report
from registre.record import (
    Attendance,
    AttendanceChange,
    ChangeKind,
    CollectivityKind,
    DeliberationRecord,
    MeetingMode,
    MeetingRecord,
    MemberId,
    Outcome,
    Vote,
    VoteMode,
)
from registre.rules import Finding
from registre.rules.context import french_date, plural

if TYPE_CHECKING:
    from registre.extracts import ReadResult, Span

WIDTH = 100

METHOD_LABEL = {  # registre.extracts.Method values
    "text": "texte",
    "pdf_text": "PDF (couche texte)",
    "ocr": "PDF numérisé (reconnaissance de caractères)",
    "word": "document Word ou OpenDocument",
}
COLLECTIVITY_LABEL = {
    CollectivityKind.COMMUNE: "commune",
    CollectivityKind.COMMUNAUTE_DE_COMMUNES: "communauté de communes",
    CollectivityKind.COMMUNAUTE_D_AGGLOMERATION: "communauté d'agglomération",
    CollectivityKind.COMMUNAUTE_URBAINE: "communauté urbaine",
    CollectivityKind.METROPOLE: "métropole",
    CollectivityKind.SYNDICAT: "syndicat",
    CollectivityKind.DEPARTEMENT: "département",
    CollectivityKind.REGION: "région",
}
MEETING_MODE_LABEL = {
    MeetingMode.IN_PERSON: "en présentiel",
    MeetingMode.VIDEOCONFERENCE: "en visioconférence",
}
VOTE_MODE_LABEL = {
    VoteMode.SHOW_OF_HANDS: "à main levée",
    VoteMode.PUBLIC: "scrutin public",
    VoteMode.SECRET: "scrutin secret",
}
OUTCOME_LABEL = {
    Outcome.ADOPTED: "adoptée",
    Outcome.REJECTED: "rejetée",
    Outcome.POSTPONED: "reportée",
    Outcome.DROPPED: "retirée de l'ordre du jour",
    Outcome.NOTED: "prise d'acte",
}
NOT_GIVEN = "non indiqué"


def _name(record: MeetingRecord, member: MemberId | None) -> str:
    if member is None:
        return NOT_GIVEN
    found = record.member(member)
    return found.display_name if found else member


def _names(record: MeetingRecord, members: Iterable[MemberId]) -> list[str]:
    return [_name(record, member) for member in members]


def _wrapped(items: Sequence[str], indent: str = "    ") -> list[str]:
    """Names separated by commas, wrapped between names (never inside one)."""
    if not items:
        return [f"{indent}(aucun)"]
    lines: list[str] = []
    line = indent
    for index, item in enumerate(items):
        piece = item + ("," if index < len(items) - 1 else "")
        if line != indent and len(line) + 1 + len(piece) > WIDTH:
            lines.append(line)
            line = indent
        line += piece if line == indent else f" {piece}"
    return [*lines, line]


def _lines_text(span: Span) -> str:
    if span.first_line == span.last_line:
        return f"page {span.page}, ligne {span.first_line}"
    return f"page {span.page}, lignes {span.first_line} à {span.last_line}"


def _meeting_lines(result: ReadResult) -> list[str]:
    record = result.record
    meeting = record.meeting
    kind = COLLECTIVITY_LABEL.get(record.collectivity.kind, record.collectivity.kind.value)
    day = french_date(meeting.date) if meeting.date is not None else NOT_GIVEN
    if meeting.time is not None:
        day += f" à {meeting.time.hour} h {meeting.time.minute:02d}"
    if meeting.place:
        day += f", {meeting.place}"
    if meeting.mode is not None:
        day += f" ({MEETING_MODE_LABEL.get(meeting.mode, meeting.mode.value)})"
    convocation = (
        f"envoyée le {french_date(meeting.convocation_date)}"
        if meeting.convocation_date is not None
        else "date non indiquée"
    )
    if meeting.second_convocation:
        convocation += " (seconde convocation, faute de quorum)"
    in_office = meeting.members_in_office
    secretaries = meeting.secretaries
    if secretaries is None:
        secretary = f"Secrétaire de séance : {NOT_GIVEN}"
    elif not secretaries:
        secretary = "Secrétaire de séance : aucun"
    else:
        label = "Secrétaire de séance" if len(secretaries) == 1 else "Secrétaires de séance"
        secretary = f"{label} : {', '.join(_names(record, secretaries))}"
    return [
        "Séance",
        f"  Collectivité : {record.collectivity.name or 'non indiquée'} ({kind})",
        f"  Assemblée : {record.assembly.name or record.assembly.kind.value}",
        f"  Date : {day}",
        f"  Convocation : {convocation}",
        f"  Membres en exercice : {NOT_GIVEN if in_office is None else in_office}",
        f"  Président : {_name(record, meeting.president)}",
        f"  {secretary}",
        "",
    ]


def _represented(att: Attendance) -> list[MemberId]:
    if att.represented is not None:
        return list(att.represented)
    return [proxy.giver for proxy in att.proxies]


def attendance_summary(att: Attendance) -> str:
    """'75 présents, 9 procurations, 2 absents' (a count the document omits is left out)."""
    declared = att.declared
    parts: list[str] = []
    for ids, printed, word in (
        (att.present, declared.present if declared else None, "présent"),
        (
            _represented(att) if att.represented is not None or att.proxies else None,
            declared.represented if declared else None,
            "procuration",
        ),
        (att.absent, declared.absent if declared else None, "absent"),
        (att.withdrawn or None, declared.withdrawn if declared else None, "retiré"),
    ):
        if ids is not None:
            parts.append(plural(len(ids), word))
        elif printed is not None:
            parts.append(f"{plural(printed, word)} (nombre imprimé)")
    return ", ".join(parts) if parts else "non indiquées"


CHANGE_LABEL = {
    ChangeKind.ARRIVAL: "arrivée",
    ChangeKind.DEPARTURE: "départ",
    ChangeKind.PROXY_ON_LEAVING: "départ, procuration à {holder}",
    ChangeKind.PROXY_ENDS_ON_ARRIVAL: "arrivée, fin de la procuration",
    ChangeKind.WITHDRAWAL: "se retire",
    ChangeKind.SUBSTITUTE_SITS: "remplacé(e) par {holder}",
}


def _change_line(record: MeetingRecord, change: AttendanceChange) -> str:
    label = CHANGE_LABEL.get(change.change, change.change.value)
    what = label.format(holder=_name(record, change.holder))
    return f"    {_name(record, change.member)} : {what}, à partir du point {change.from_item}"


def _attendance_lines(record: MeetingRecord) -> list[str]:
    att = record.attendance
    lines = [f"Présences à l'ouverture : {attendance_summary(att)}"]
    if att.present is not None:
        lines += [f"  Présents ({len(att.present)}) :", *_wrapped(_names(record, att.present))]
    else:
        lines.append("  Présents : liste non indiquée")
    represented = _represented(att)
    holders = {proxy.giver: proxy.holder for proxy in att.proxies}
    lines.append(f"  Représentés ({len(represented)}) :")
    for giver in represented:
        holder = holders.get(giver)
        to = f"procuration à {_name(record, holder)}" if holder else "mandataire non indiqué"
        lines.append(f"    {_name(record, giver)} : {to}")
    if not represented:
        lines.append("    (aucun)")
    if att.absent is not None:
        lines += [f"  Absents ({len(att.absent)}) :", *_wrapped(_names(record, att.absent))]
    else:
        lines.append("  Absents : liste non indiquée")
    if att.withdrawn:
        lines += [f"  Retirés ({len(att.withdrawn)}) :", *_wrapped(_names(record, att.withdrawn))]
    for sub in att.substitutes:
        lines.append(
            f"  Suppléant : {_name(record, sub.substitute)} pour {_name(record, sub.titular)}"
        )
    if att.changes:
        lines.append(f"  Mouvements en séance ({len(att.changes)}) :")
        lines += [_change_line(record, change) for change in att.changes]
    return [*lines, ""]


_TALLY = (
    ("for_", "pour", "pour"),
    ("against", "contre", "contre"),
    ("abstention", "abstention", "abstentions"),
    ("not_voting", "ne prenant pas part au vote", "ne prenant pas part au vote"),
    ("blank", "bulletin blanc", "bulletins blancs"),
    ("void", "bulletin nul", "bulletins nuls"),
)


def vote_text(vote: Vote | None) -> str:
    """'84 pour, 0 contre, 0 abstention (dont 9 procurations)', or 'à l'unanimité'."""
    if vote is None:
        return NOT_GIVEN
    counts: list[str] = []
    for name, one, many in _TALLY:
        count: int | None = getattr(vote, name)
        if count is not None:
            counts.append(f"{count} {one if count <= 1 else many}")
    tally = ", ".join(counts)
    if vote.proxies_counted is not None:
        tally += f" (dont {plural(vote.proxies_counted, 'procuration')})"
    if vote.unanimous:
        text = f"à l'unanimité ({tally.strip()})" if tally else "à l'unanimité"
    else:
        text = tally.strip() or "décompte non indiqué"
    if vote.mode is not None:
        text += f" — {VOTE_MODE_LABEL.get(vote.mode, vote.mode.value)}"
    return text


def _appointment_line(item: DeliberationRecord) -> list[str]:
    vote = item.vote
    if vote is None or vote.appointment is None:
        return []
    appointment = vote.appointment
    names = {c.id: c.name for c in appointment.candidates}
    elected = [names.get(c, c) for r in appointment.rounds for c in r.elected]
    seats = plural(appointment.seats, "siège")
    rounds = plural(len(appointment.rounds), "tour")
    who = ", ".join(elected) if elected else NOT_GIVEN
    return [f"      Nomination : {seats}, {rounds} ; élus : {who}"]


def _deliberation_lines(record: MeetingRecord) -> list[str]:
    lines = [f"Délibérations ({len(record.deliberations)})"]
    for item in record.deliberations:
        lines.append(f"  n° {item.number} — {item.subject}")
        if item.attendance is not None and item.attendance != record.attendance:
            lines.append(f"      Présences : {attendance_summary(item.attendance)}")
        lines.append(f"      Vote : {vote_text(item.vote)}")
        lines += _appointment_line(item)
        outcome = OUTCOME_LABEL.get(item.outcome, item.outcome.value) if item.outcome else NOT_GIVEN
        lines.append(f"      Résultat : {outcome}")
    if not record.deliberations:
        lines.append("  (aucune délibération lue)")
    return [*lines, ""]


def _excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _doubt_lines(result: ReadResult) -> list[str]:
    lines = [f"Doutes ({len(result.doubts)})"]
    for doubt in result.doubts:
        span = result.span_of(doubt.pointer)
        where = f" ({_lines_text(span)})" if span else ""
        lines.append(f"  {doubt.pointer}{where} : {doubt.reason}")
    if not result.doubts:
        lines.append("  (aucun)")
    return [*lines, ""]


def _unread_lines(result: ReadResult) -> list[str]:
    lines = [f"Passages non interprétés ({len(result.unread)})"]
    for unread in result.unread:
        lines.append(f"  {_lines_text(unread.span)} : {unread.reason}")
        lines.append(f"      « {_excerpt(unread.text)} »")
    if not result.unread:
        lines.append("  (aucun)")
    return [*lines, ""]


def read_report(path: str, result: ReadResult, findings: Sequence[Finding]) -> str:
    """What was read, in French, then the check report (findings and verdict)."""
    report = text_report(path, result.record, findings)
    header, _, checked = report.partition("\n\n")
    method = METHOD_LABEL.get(result.method.value, result.method.value)
    lines = [
        header,
        f"Lu comme : {method}, {plural(result.pages, 'page')}",
        "",
        *_meeting_lines(result),
        *_attendance_lines(result.record),
        *_deliberation_lines(result.record),
        *_doubt_lines(result),
        *_unread_lines(result),
        "Contrôle au regard du CGCT",
    ]
    return "\n".join(lines) + "\n" + checked
