"""The register exported as JSON Lines, and its verification at the speed of SHA-256.

One line an entry, its fields in a fixed order so that the bytes that were hashed
can be cut out of the line without parsing it:

    {"previous":"<64 hex>","digest":"<64 hex>","header":[...],"payload":{...}}

`header` is the entry's header exactly as hashed, `payload` its canonical JSON
(itself a JSON object: a re-user reads the record directly). A line is valid JSON;
checking it is one SHA-256 over `previous`, "\\n", `header`, "\\n", `payload`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

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


def export_entries(path: Path) -> Iterator[Entry]:
    """The entries of an exported register, in file order (the inverse of
    `export_lines`; ValueError for a line that is not an entry)."""
    with path.open("rb") as lines:
        for line in lines:
            if line.strip():
                yield entry_from_line(line.rstrip(b"\r\n"))


def verify_export(path: Path, anchors: Iterable[Anchor] = ()) -> Verification:
    """Check an exported register line by line: one SHA-256 a line over slices of the
    mapped file (nothing copied); the header is parsed only where a chain starts, or
    where something is wrong, to say what."""
    published = {(a.assembly, a.sequence): a for a in anchors}
    heads: dict[str, tuple[int, bytes]] = {}
    assembly, sequence, last, count, start = "", 0, _GENESIS, 0, 0
    with path.open("rb") as stream, _mapped(stream) as data, memoryview(data) as view:
        size, sha256 = len(data), hashlib.sha256
        while start < size:
            end = data.find(b"\n", start)
            end = size if end < 0 else end
            count += 1
            line_end = end - 1 if end > start and data[end - 1] == 13 else end  # CRLF
            previous = data[start + 13 : start + 77]
            if previous == _GENESIS:  # a chain starts: whose?
                assembly, sequence, last = _assembly(data[start:line_end]), 1, _GENESIS
            else:
                sequence += 1
            cut = data.find(_PAYLOAD, start + _HEADER_AT, line_end)
            ok = cut > 0 and previous == last and data[line_end - 1] == 125  # "}"
            if ok:
                # two calls: the short part joined, the payload hashed where it lies
                h = sha256(previous + b"\n" + data[start + _HEADER_AT : cut] + b"\n")
                h.update(view[cut + len(_PAYLOAD) : line_end - 1])
                digest = h.hexdigest().encode("ascii")
                ok = digest == data[start + 89 : start + 153]
            if not ok:
                broken = _diagnose(bytes(data[start:line_end]), assembly, sequence, last.decode())
                return Verification(count, _decoded(heads), broken)
            if published and (assembly, sequence) in published:
                problem = anchor_problem(digest.decode(), published.pop((assembly, sequence)))
                if problem:
                    return Verification(count, _decoded(heads), Break(assembly, sequence, problem))
            last = digest
            heads[assembly] = (sequence, last)
            start = end + 1
    for anchor in published.values():
        broken = Break(anchor.assembly, anchor.sequence, missing(anchor))
        return Verification(count, _decoded(heads), broken)
    return Verification(count, _decoded(heads), None)


def _decoded(heads: dict[str, tuple[int, bytes]]) -> dict[str, tuple[int, str]]:
    return {name: (number, digest.decode("ascii")) for name, (number, digest) in heads.items()}


def _mapped(stream: BinaryIO) -> contextlib.AbstractContextManager[Any]:
    """The file mapped in memory (an empty file cannot be mapped: empty bytes then)."""
    if os.fstat(stream.fileno()).st_size == 0:
        return contextlib.nullcontext(b"")
    return mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)


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
