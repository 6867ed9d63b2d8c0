"""Compare what the reader read with a gold file written by hand, field by field."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from registre.extracts import ReadResult, read, read_text
from registre.record import DeliberationRecord, MeetingRecord, Outcome

DATA = Path(__file__).resolve().parents[1] / "data"
GOLD = DATA / "gold"
CORPUS = DATA / "corpus"
_CIV = re.compile(r"^(monsieur|madame|mme|mlle|m)\b\.?\s*")


def name_key(text: str | None) -> str:
    """Case, accents, civility, hyphens and word order do not matter."""
    if not text:
        return ""
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()
    folded = _CIV.sub("", folded.strip())
    return " ".join(sorted(t for t in re.split(r"[\s\-'’.]+", folded) if t))


@dataclass
class Score:
    """Right and total, per field family."""

    right: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, family: str, ok: bool, what: str) -> None:
        self.total[family] = self.total.get(family, 0) + 1
        self.right[family] = self.right.get(family, 0) + int(ok)
        if not ok:
            self.misses.append(what)

    @property
    def accuracy(self) -> float:
        total = sum(self.total.values())
        return sum(self.right.values()) / total if total else 1.0


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.gold.json"))


def load_gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def read_source(gold: dict[str, Any], *, ocr_page_limit: int | None = None) -> ReadResult:
    source = CORPUS / gold["source"]
    if source.suffix == ".txt":
        return read_text(source.read_text(encoding="utf-8"), source=gold["source"])
    return read(source, ocr_page_limit=ocr_page_limit)


def _names(record: MeetingRecord, ids: tuple[str, ...] | None) -> set[str]:
    names = {m.id: m.display_name for m in record.meeting.members}
    return {name_key(names.get(i, i)) for i in ids or ()}


def _compare_set(score: Score, family: str, got: set[str], want: set[str]) -> None:
    for name in want:
        score.add(family, name in got, f"{family}: manque {name!r}")
    for name in got - want:
        score.add(family, False, f"{family}: en trop {name!r}")


def compare(result: ReadResult, gold: dict[str, Any]) -> Score:
    """Score a reading against its gold file."""
    score = Score()
    record = result.record
    meeting = gold["meeting"]
    got_date = record.meeting.date.isoformat() if record.meeting.date else None
    score.add("meeting", got_date == meeting["date"], f"date {got_date} != {meeting['date']}")
    if meeting.get("members_in_office") is not None:
        score.add(
            "meeting",
            record.meeting.members_in_office == meeting["members_in_office"],
            "members_in_office",
        )
    _attendance(score, record, gold["attendance"])
    _deliberations(score, record, gold["deliberations"])
    return score


def _attendance(score: Score, record: MeetingRecord, gold: dict[str, Any]) -> None:
    att = record.attendance
    _compare_set(
        score, "present", _names(record, att.present), {name_key(n) for n in gold["present"]}
    )
    _compare_set(score, "absent", _names(record, att.absent), {name_key(n) for n in gold["absent"]})
    names = {m.id: m.display_name for m in record.meeting.members}
    got = {
        (name_key(names.get(p.giver)), name_key(names.get(p.holder or "", ""))) for p in att.proxies
    }
    want = {(name_key(p["giver"]), name_key(p["holder"])) for p in gold["represented"]}
    _compare_set(score, "proxies", {f"{g}->{h}" for g, h in got}, {f"{g}->{h}" for g, h in want})


_FIELDS = (
    ("for", "for_"),
    ("against", "against"),
    ("abstention", "abstention"),
    ("not_voting", "not_voting"),
)


def _words(text: str | None) -> set[str]:
    return {w for w in re.split(r"\W+", name_key(text or "")) if len(w) > 3}


def _similarity(got: DeliberationRecord, want: dict[str, Any]) -> float:
    a, b = _words(got.subject), _words(want.get("subject"))
    number = want.get("number")
    same_number = bool(got.number and number and name_key(got.number) == name_key(number))
    return len(a & b) / max(len(a | b), 1) + (1.0 if same_number else 0.0)


def align(
    got: tuple[DeliberationRecord, ...], want: list[dict[str, Any]]
) -> list[DeliberationRecord | None]:
    """For each gold item, the read item it corresponds to (monotone best alignment)."""
    n, m = len(want), len(got)
    pair = [[0.2 + _similarity(g, w) for g in got] for w in want]  # a pair beats a gap
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1], pair[i][j] + best[i + 1][j + 1])
    out: list[DeliberationRecord | None] = []
    i = j = 0
    while i < n:
        if j < m and best[i][j] == pair[i][j] + best[i + 1][j + 1]:
            out.append(got[j])
            i, j = i + 1, j + 1
        elif j < m and best[i][j] == best[i][j + 1]:
            j += 1
        else:
            out.append(None)
            i += 1
    return out


def _deliberations(score: Score, record: MeetingRecord, gold: list[dict[str, Any]]) -> None:
    score.add(
        "items",
        len(record.deliberations) == len(gold),
        f"{len(record.deliberations)} délibérations lues, {len(gold)} attendues",
    )
    for index, (want, got) in enumerate(zip(gold, align(record.deliberations, gold), strict=True)):
        vote = got.vote if got else None
        for key, attr in _FIELDS:
            if want.get(key) is not None:
                value = getattr(vote, attr) if vote else None
                score.add(
                    "tally", value == want[key], f"#{index + 1} {key}: {value} != {want[key]}"
                )
        if want.get("unanimous") is True:
            score.add("tally", bool(vote and vote.unanimous), f"#{index + 1} unanimité non lue")
        if want.get("outcome") is not None:
            outcome = got.outcome.value if got and got.outcome else None
            score.add(
                "outcome",
                outcome == Outcome(want["outcome"]).value,
                f"#{index + 1} outcome {outcome} != {want['outcome']}",
            )
