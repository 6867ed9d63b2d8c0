"""Canonical JSON: exact round trip, public keys, and French errors with pointers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from factories import dijon_record, dijon_text
from registre.errors import RecordFormatError
from registre.record import MeetingRecord, canonical_bytes, dumps, loads


def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dijon_text())
    return data


def _error(data: object) -> RecordFormatError:
    with pytest.raises(RecordFormatError) as info:
        loads(json.dumps(data))
    return info.value


def test_round_trip_is_exact() -> None:
    text = dijon_text()
    assert dumps(loads(text)) == text


def test_record_is_frozen() -> None:
    record = dijon_record()
    with pytest.raises(AttributeError):
        record.meeting.date = None  # type: ignore[misc]


def test_public_top_level_keys() -> None:
    data = _data()
    assert list(data) == [
        "schema_version",
        "collectivity",
        "assembly",
        "meeting",
        "attendance",
        "deliberations",
        "annotations",
    ]
    for key in ("date", "convocation_date", "members_in_office", "president", "secretaries"):
        assert key in data["meeting"]
    for key in ("present", "absent", "represented", "proxies", "changes"):
        assert key in data["attendance"]
    item = data["deliberations"][0]
    for key in ("number", "subject", "heading", "act_id", "attendance", "vote", "outcome"):
        assert key in item
    for key in ("for", "against", "abstention", "not_voting", "proxies_counted", "unanimous"):
        assert key in item["vote"]
    assert data["attendance"]["proxies"][0].keys() >= {"giver", "holder"}


def test_dijon_figures() -> None:
    record = dijon_record()
    att = record.deliberations[0].attendance
    assert att is not None
    assert record.meeting.members_in_office == 86 and len(record.meeting.members) == 86
    assert (len(att.present or ()), len(att.represented or ()), len(att.absent or ())) == (75, 9, 2)
    vote = record.deliberations[0].vote
    assert vote is not None and (vote.for_, vote.proxies_counted) == (84, 9)
    assert record.meeting.president == "francois-rebsamen"
    assert record.meeting.secretaries == ("antoine-hoareau",)
    assert str(record.meeting.convocation_date) == "2023-11-15"
    marked = {a.pointer: a.status.value for a in record.annotations}
    assert marked["/collectivity/siret"] == "placeholder"
    assert marked["/deliberations/0/matter_code"] == "demo_choice"


def test_unknown_is_null_not_zero() -> None:
    data = _data()
    data["deliberations"][0]["vote"]["against"] = None
    record = loads(json.dumps(data))
    assert record.deliberations[0].vote.against is None  # type: ignore[union-attr]
    assert json.loads(dumps(record))["deliberations"][0]["vote"]["against"] is None


def test_omitted_optional_keys_take_defaults() -> None:
    data = _data()
    del data["annotations"]
    assert loads(json.dumps(data)).annotations == ()


def test_canonical_bytes_are_stable() -> None:
    assert canonical_bytes(dijon_record()) == canonical_bytes(loads(dijon_text()))
    assert b"\n" not in canonical_bytes(dijon_record())


@pytest.mark.parametrize(
    ("change", "pointer", "words"),
    [
        (
            lambda d: d["deliberations"][0]["vote"].update({"for": -1}),
            "/deliberations/0/vote/for",
            "positif",
        ),
        (lambda d: d["meeting"].update({"date": "2023-02-30"}), "/meeting/date", "n'existe pas"),
        (lambda d: d["meeting"].update({"date": "23/11/2023"}), "/meeting/date", "AAAA-MM-JJ"),
        (lambda d: d.pop("meeting"), "/meeting", "manquant"),
        (lambda d: d.update({"extra": 1}), "/extra", "inconnu"),
        (
            lambda d: d["collectivity"].update({"kind": "ville"}),
            "/collectivity/kind",
            "valeurs admises",
        ),
        (lambda d: d["collectivity"].update({"siren": "12345"}), "/collectivity/siren", "format"),
        (
            lambda d: d["deliberations"][0]["vote"].update({"for": "84"}),
            "/deliberations/0/vote/for",
            "entier",
        ),
        (
            lambda d: d["deliberations"][0]["vote"].update({"for": 84.5}),
            "/deliberations/0/vote/for",
            "entier",
        ),
        (
            lambda d: d["deliberations"][0]["vote"].update({"unanimous": 1}),
            "/deliberations/0/vote/unanimous",
            "true ou false",
        ),
        (
            lambda d: d["deliberations"][0].update({"subject": " "}),
            "/deliberations/0/subject",
            "vide",
        ),
        (
            lambda d: d["meeting"]["members"].append(dict(d["meeting"]["members"][0])),
            "/meeting/members",
            "deux fois",
        ),
        (lambda d: d.update({"schema_version": 9}), "/schema_version", "version"),
        (
            lambda d: d["attendance"]["changes"].append(
                {"member": "x", "change": "arrival", "from_item": "99"}
            ),
            "/attendance/changes/0/from_item",
            "absent des délibérations",
        ),
    ],
)
def test_invalid_values_name_their_field(change: Any, pointer: str, words: str) -> None:
    data = _data()
    change(data)
    error = _error(data)
    assert error.pointer == pointer
    assert words in str(error)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "vide"),
        ("   \n", "vide"),
        ("{", "ligne 1"),
        ("[]", "objet"),
        ('{"a": NaN}', "NaN"),
        ('{"a": 1, "a": 2}', "deux fois"),
    ],
)
def test_unreadable_json(text: str, words: str) -> None:
    with pytest.raises(RecordFormatError) as info:
        loads(text)
    assert words in str(info.value)


def test_loads_returns_record() -> None:
    assert isinstance(loads(dijon_text()), MeetingRecord)
