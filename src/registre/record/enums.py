"""Closed vocabularies of the record; their values are the JSON spellings."""

from __future__ import annotations

from enum import StrEnum


class CollectivityKind(StrEnum):
    """The kind of public body; decides which articles and delays apply."""

    COMMUNE = "commune"
    COMMUNAUTE_DE_COMMUNES = "communaute_de_communes"
    COMMUNAUTE_D_AGGLOMERATION = "communaute_d_agglomeration"
    COMMUNAUTE_URBAINE = "communaute_urbaine"
    METROPOLE = "metropole"
    SYNDICAT = "syndicat"
    DEPARTEMENT = "departement"
    REGION = "region"

    @property
    def is_epci(self) -> bool:
        """EPCI and syndicats follow the communes' rules through L5211-1."""
        return self in _EPCI

    @property
    def allows_substitutes(self) -> bool:
        """Substitutes sit only in communautés de communes and d'agglomération (L5211-6)."""
        return self in (
            CollectivityKind.COMMUNAUTE_DE_COMMUNES,
            CollectivityKind.COMMUNAUTE_D_AGGLOMERATION,
        )


_EPCI = frozenset(
    {
        CollectivityKind.COMMUNAUTE_DE_COMMUNES,
        CollectivityKind.COMMUNAUTE_D_AGGLOMERATION,
        CollectivityKind.COMMUNAUTE_URBAINE,
        CollectivityKind.METROPOLE,
        CollectivityKind.SYNDICAT,
    }
)


class AssemblyKind(StrEnum):
    """The body that votes."""

    CONSEIL = "conseil"
    BUREAU = "bureau"
    COMMISSION_PERMANENTE = "commission_permanente"
    COMITE_SYNDICAL = "comite_syndical"


class Civility(StrEnum):
    """How documents address a member (Monsieur / Madame)."""

    MONSIEUR = "monsieur"
    MADAME = "madame"


class MeetingMode(StrEnum):
    """Whether members sit in one room or by videoconference (L5211-11-1)."""

    IN_PERSON = "in_person"
    VIDEOCONFERENCE = "videoconference"


class AttendanceStatus(StrEnum):
    """The one status each member in office has for an item."""

    PRESENT = "present"
    WITHDRAWN = "withdrawn"
    REPRESENTED = "represented"
    ABSENT = "absent"


class ChangeKind(StrEnum):
    """An attendance event during the meeting, counted from its item onwards.

    `withdrawal` is the exception: it concerns its item only (L2131-11).
    """

    ARRIVAL = "arrival"
    DEPARTURE = "departure"
    PROXY_ON_LEAVING = "proxy_on_leaving"
    PROXY_ENDS_ON_ARRIVAL = "proxy_ends_on_arrival"
    WITHDRAWAL = "withdrawal"
    SUBSTITUTE_SITS = "substitute_sits"


class VoteMode(StrEnum):
    """How the vote is taken (L2121-21)."""

    SHOW_OF_HANDS = "show_of_hands"
    PUBLIC = "public"
    SECRET = "secret"


class VoteChoice(StrEnum):
    """One member's vote in a named tally."""

    FOR = "for"
    AGAINST = "against"
    ABSTENTION = "abstention"
    NOT_VOTING = "not_voting"


class Outcome(StrEnum):
    """The result of an item."""

    ADOPTED = "adopted"
    REJECTED = "rejected"
    POSTPONED = "postponed"
    DROPPED = "dropped"
    NOTED = "noted"


class ValueStatus(StrEnum):
    """What a value in a record is, when someone must be told (demo data)."""

    FACT = "fact"
    PLACEHOLDER = "placeholder"
    DEMO_CHOICE = "demo_choice"
