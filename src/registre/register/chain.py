"""The hash chain of a register: what an entry is, how it is hashed, how a chain is checked.

An entry's digest is SHA-256 over the previous entry's digest, a canonical header
(assembly, position, numbering, time) and the payload's canonical JSON. Changing any
byte of an entry changes its digest; deleting, inserting or swapping entries breaks
the next entry's link; rewriting the chain from an entry onwards contradicts the
digests already published (anchors).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

GENESIS = "0" * 64  # the "previous digest" of an assembly's first entry


class EntryKind(StrEnum):
    """What an entry holds."""

    DELIBERATION = "deliberation"  # a MeetingRecord with the one deliberation entered
    EVENT = "event"  # a LifecycleEvent about an earlier entry (signed, corrected, ...)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a register, as stored."""

    assembly: str
    sequence: int  # 1, 2, 3... in the assembly's chain
    kind: EntryKind
    year: int
    year_number: int  # order of the deliberations of the year (0 for an event)
    meeting: str  # the meeting's date (ISO), or "" for an event
    meeting_number: int  # order within its meeting (0 for an event)
    entered_at: str  # ISO 8601, UTC, from the clock given to `append`
    previous: str
    digest: str
    payload: bytes  # canonical JSON

    def header(self) -> bytes:
        """The canonical bytes of everything but the payload and the digests: a JSON
        array, so that no field can bleed into another."""
        fields = [self.assembly, self.sequence, self.kind.value, self.year, self.year_number,
                  self.meeting, self.meeting_number, self.entered_at]  # fmt: skip
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest_of(previous: str, header: bytes, payload: bytes) -> str:
    """The digest of an entry: SHA-256 of previous digest, newline, header, newline, payload."""
    h = hashlib.sha256(previous.encode("ascii"))
    h.update(b"\n")
    h.update(header)
    h.update(b"\n")
    h.update(payload)
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Anchor:
    """A digest published outside the register (in a signed list of deliberations)."""

    assembly: str
    sequence: int
    digest: str
    published_in: str  # where it was published: a document, a date


ANCHOR_PREFIX = "registre-anchor"


def anchor_keyword(anchor: Anchor) -> str:
    """The anchor as a PDF keyword: `registre-anchor:<assembly>:<sequence>:<digest>`."""
    return f"{ANCHOR_PREFIX}:{anchor.assembly}:{anchor.sequence}:{anchor.digest}"


def anchors_in_keywords(keywords: str, published_in: str) -> list[Anchor]:
    """The anchors a document's keywords carry (see `anchor_keyword`)."""
    found = re.findall(rf"{ANCHOR_PREFIX}:(.+?):(\d+):([0-9a-f]{{64}})", keywords)
    return [Anchor(a, int(n), d, published_in) for a, n, d in found]


@dataclass(frozen=True, slots=True)
class Break:
    """The first broken link of a chain, said for the auditor."""

    assembly: str
    sequence: int
    problem: str


@dataclass(frozen=True, slots=True)
class Verification:
    """The result of checking a register: entries checked, and the first break if any."""

    entries: int
    heads: dict[str, tuple[int, str]]
    broken: Break | None

    @property
    def ok(self) -> bool:
        """True when every link, digest and anchor holds."""
        return self.broken is None


def verify(entries: Iterable[Entry], anchors: Iterable[Anchor] = ()) -> Verification:
    """Check every chain (entries in order of assembly and sequence) against the anchors."""
    published = {(a.assembly, a.sequence): a for a in anchors}
    heads: dict[str, tuple[int, str]] = {}
    count = 0
    for entry in entries:
        count += 1
        problem = link_problem(entry, heads.get(entry.assembly)) or anchor_problem(
            entry.digest, published.pop((entry.assembly, entry.sequence), None)
        )
        if problem:
            return Verification(count, heads, Break(entry.assembly, entry.sequence, problem))
        heads[entry.assembly] = (entry.sequence, entry.digest)
    for anchor in published.values():  # anchored entries that are no longer there
        return Verification(count, heads, Break(anchor.assembly, anchor.sequence, missing(anchor)))
    return Verification(count, heads, None)


def link_problem(entry: Entry, head: tuple[int, str] | None) -> str | None:
    """What is wrong with an entry after this head (None for a chain's start), if anything."""
    expected_sequence, previous = (head[0] + 1, head[1]) if head else (1, GENESIS)
    if entry.sequence != expected_sequence:
        return (
            f"l'écriture n° {expected_sequence} manque (trouvé n° {entry.sequence}) : "
            "une écriture a été supprimée ou déplacée"
        )
    if entry.previous != previous:
        return (
            "le lien vers l'écriture précédente ne correspond pas : une écriture a été "
            "supprimée, insérée ou échangée avant celle-ci"
        )
    if digest_of(entry.previous, entry.header(), entry.payload) != entry.digest:
        return "le contenu a été modifié : son empreinte SHA-256 ne correspond plus"
    return None


def anchor_problem(digest: str, anchor: Anchor | None) -> str | None:
    """What an entry of this digest contradicts in a published anchor, if anything."""
    if anchor is None or anchor.digest == digest:
        return None
    return (
        f"l'empreinte publiée dans {anchor.published_in} ({anchor.digest[:16]}…) contredit "
        f"l'écriture ({digest[:16]}…) : le registre a été réécrit depuis sa publication"
    )


def missing(anchor: Anchor) -> str:
    """An anchored entry that the register no longer has."""
    return (
        f"l'écriture n° {anchor.sequence}, dont l'empreinte est publiée dans "
        f"{anchor.published_in}, n'existe plus : le registre a été tronqué"
    )
