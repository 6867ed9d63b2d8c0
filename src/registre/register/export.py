"""The register exported as JSON Lines, and its verification at the speed of SHA-256.

One line an entry, its fields in a fixed order so that the bytes that were hashed
can be cut out of the line without parsing it:

    {"previous":"<64 hex>","digest":"<64 hex>","header":[...],"payload":{...}}

`header` is the entry's header exactly as hashed, `payload` its canonical JSON
(itself a JSON object: a re-user reads the record directly). A line is valid JSON;
checking it is one SHA-256 over `previous`, "\\n", `header`, "\\n", `payload`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from registre.register.chain import (
    GENESIS,
    Anchor,
    Break,
    Entry,
    EntryKind,
    Verification,
    anchor_problem,
    link_problem,
    missing,
)

_PREVIOUS = slice(13, 77)  # after {"previous":"
_DIGEST = slice(89, 153)  # after ","digest":"
_HEADER_AT = 164  # after ","header":
_PAYLOAD = b',"payload":'
_GENESIS = GENESIS.encode("ascii")


def export_lines(entries: Iterable[Entry]) -> Iterator[bytes]:
    """The register as JSON Lines (bytes, without the newline)."""
    for e in entries:
        yield (
            b'{"previous":"' + e.previous.encode("ascii") + b'","digest":"'
            + e.digest.encode("ascii") + b'","header":' + e.header() + _PAYLOAD
            + e.payload + b"}"
        )  # fmt: skip


def entry_from_line(line: bytes) -> Entry:
    """The entry of an exported line (ValueError when the line is not one)."""
    cut = line.index(_PAYLOAD)
    fields = json.loads(line[_HEADER_AT:cut])
    assembly, sequence, kind, year, year_number, meeting, meeting_number, at = fields
    return Entry(
        assembly=assembly, sequence=int(sequence), kind=EntryKind(kind), year=int(year),
        year_number=int(year_number), meeting=meeting, meeting_number=int(meeting_number),
        entered_at=at, previous=line[_PREVIOUS].decode("ascii"),
        digest=line[_DIGEST].decode("ascii"), payload=line[cut + len(_PAYLOAD) : -1],
    )  # fmt: skip


def verify_export(path: Path, anchors: Iterable[Anchor] = ()) -> Verification:
    """Check an exported register line by line: one SHA-256 a line; the header is
    parsed only where a chain starts, or where something is wrong, to say what."""
    published = {(a.assembly, a.sequence): a for a in anchors}
    heads: dict[str, tuple[int, str]] = {}
    assembly, sequence, last, count = "", 0, GENESIS, 0
    with path.open("rb") as stream:
        for count, raw in enumerate(stream, start=1):
            line = raw.rstrip(b"\r\n")
            if line[_PREVIOUS] == _GENESIS:  # a chain starts: whose?
                assembly, sequence, last = _assembly(line), 1, GENESIS
            else:
                sequence += 1
            digest = _digest(line)
            if digest is None or digest != line[_DIGEST] or line[_PREVIOUS] != last.encode():
                return Verification(count, heads, _diagnose(line, assembly, sequence, last))
            if (assembly, sequence) in published:
                problem = anchor_problem(digest.decode(), published.pop((assembly, sequence)))
                if problem:
                    return Verification(count, heads, Break(assembly, sequence, problem))
            last = digest.decode()
            heads[assembly] = (sequence, last)
    for anchor in published.values():
        return Verification(count, heads, Break(anchor.assembly, anchor.sequence, missing(anchor)))
    return Verification(count, heads, None)


def _digest(line: bytes) -> bytes | None:
    cut = line.find(_PAYLOAD, _HEADER_AT)
    if cut < 0 or not line.endswith(b"}"):
        return None
    h = hashlib.sha256(line[_PREVIOUS])
    h.update(b"\n")
    h.update(line[_HEADER_AT:cut])
    h.update(b"\n")
    h.update(line[cut + len(_PAYLOAD) : -1])
    return h.hexdigest().encode("ascii")


def _assembly(line: bytes) -> str:
    try:
        return entry_from_line(line).assembly
    except (ValueError, TypeError):
        return "?"


def _diagnose(line: bytes, assembly: str, position: int, last: str) -> Break:
    """The break at a suspicious line, said as `verify` says it."""
    try:
        entry = entry_from_line(line)
    except (ValueError, TypeError):
        return Break(assembly, position, "ligne illisible : ce n'est pas une écriture du registre")
    head = (position - 1, last) if position > 1 else None
    problem = link_problem(entry, head) or "écriture illisible"
    return Break(entry.assembly, entry.sequence, problem)
