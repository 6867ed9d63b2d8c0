"""Findings: what a rule reports, with a stable code, a severity and its article."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How serious a finding is (see LEGAL.md)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Code(StrEnum):
    """Stable identifiers of findings; never renamed once published."""

    QUORUM_NOT_REACHED = "QUORUM_NOT_REACHED"
    QUORUM_SECOND_CONVOCATION = "QUORUM_SECOND_CONVOCATION"
    ATTENDANCE_TOTAL_MISMATCH = "ATTENDANCE_TOTAL_MISMATCH"
    MEMBER_NOT_IN_OFFICE = "MEMBER_NOT_IN_OFFICE"
    MEMBER_LISTED_TWICE = "MEMBER_LISTED_TWICE"
    SUBSTITUTE_NOT_ALLOWED = "SUBSTITUTE_NOT_ALLOWED"
    PROXY_HOLDER_ABSENT = "PROXY_HOLDER_ABSENT"
    PROXY_GIVER_PRESENT = "PROXY_GIVER_PRESENT"
    PROXY_HOLDER_OVERLOADED = "PROXY_HOLDER_OVERLOADED"
    PROXY_TOO_OLD = "PROXY_TOO_OLD"
    PROXY_COUNT_MISMATCH = "PROXY_COUNT_MISMATCH"
    PROXY_INTERESTED_HOLDER = "PROXY_INTERESTED_HOLDER"
    TALLY_EXCEEDS_VOTERS = "TALLY_EXCEEDS_VOTERS"
    TALLY_INCOMPLETE = "TALLY_INCOMPLETE"
    OUTCOME_INCONSISTENT = "OUTCOME_INCONSISTENT"
    TIE_CASTING_VOTE = "TIE_CASTING_VOTE"
    UNANIMITY_CLAIM_FALSE = "UNANIMITY_CLAIM_FALSE"
    SECRET_BALLOT_REQUIRED = "SECRET_BALLOT_REQUIRED"
    NAMED_VOTES_MISSING = "NAMED_VOTES_MISSING"
    NAMED_VOTES_INCONSISTENT = "NAMED_VOTES_INCONSISTENT"
    INTERESTED_MEMBER_VOTED = "INTERESTED_MEMBER_VOTED"
    CONVOCATION_TOO_LATE = "CONVOCATION_TOO_LATE"
    SYNTHESIS_NOTE_MISSING = "SYNTHESIS_NOTE_MISSING"
    SECRETARY_MISSING = "SECRETARY_MISSING"
    SIGNATURE_MISSING = "SIGNATURE_MISSING"
    LIST_NOT_PUBLISHED = "LIST_NOT_PUBLISHED"
    MINUTES_NOT_PUBLISHED = "MINUTES_NOT_PUBLISHED"
    NOT_ENFORCEABLE_YET = "NOT_ENFORCEABLE_YET"
    PUBLICATION_FORMAT = "PUBLICATION_FORMAT"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule found, about the part of the record at `pointer`.

    `deliberation` is the number of the item concerned, None for the meeting.
    """

    code: Code
    severity: Severity
    article: str
    message: str
    pointer: str
    deliberation: str | None = None
