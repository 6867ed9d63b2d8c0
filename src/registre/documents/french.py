"""French wording of dates, names and outcomes as official documents print them."""

from __future__ import annotations

import datetime as dt

from registre.record import Civility, Member, Outcome

_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_OUTCOMES = {
    Outcome.ADOPTED: "Adoptée",
    Outcome.REJECTED: "Rejetée",
    Outcome.POSTPONED: "Reportée",
    Outcome.DROPPED: "Retirée de l'ordre du jour",
    Outcome.NOTED: "Prend acte",
}


def date_words(day: dt.date | None, *, weekday: bool = True) -> str:
    """'jeudi 23 novembre 2023' ('1er' for the first of a month); '—' when unknown."""
    if day is None:
        return "—"
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {_MONTHS[day.month - 1]} {day.year}"
    return f"{_DAYS[day.weekday()]} {text}" if weekday else text


def time_words(moment: dt.time | None) -> str | None:
    """'18 h 30', or None when unknown."""
    if moment is None:
        return None
    return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"


def civility(member: Member) -> str:
    """'Monsieur', 'Madame', or '' when the record does not say."""
    if member.civility is Civility.MONSIEUR:
        return "Monsieur"
    if member.civility is Civility.MADAME:
        return "Madame"
    return ""


def full_name(member: Member) -> str:
    """'Monsieur François REBSAMEN': civility, first name, last name."""
    return " ".join(p for p in (civility(member), member.first_name, member.last_name) if p)


def short_name(member: Member) -> str:
    """'Monsieur REBSAMEN': the civility and the last name (signature blocks)."""
    return " ".join(p for p in (civility(member), member.last_name) if p)


def outcome(value: Outcome | None) -> str:
    """The outcome as printed in a list of deliberations."""
    return _OUTCOMES.get(value, "—") if value is not None else "—"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 procuration', '9 procurations'."""
    return f"{count} {singular if count <= 1 else plural_form or singular + 's'}"
