"""The Popolo-like export keeps what SCDL cannot say: proxies and their holders,
members not voting, named votes, attendance per item, inferred matters."""

from __future__ import annotations

import json
from typing import Any

from factories import dijon_record, with_attendance, with_item, with_vote
from registre.opendata import (
    popolo_document,
    popolo_json,
    published,
    with_inferred_matter,
)
from registre.record import MeetingRecord, NamedVote, Outcome, VoteChoice

DEMO_SIRET = "24210041000000"  # the demo's placeholder (demo-values.md)
ORG = "siren:242100410"


def export(record: MeetingRecord, *, infer: bool = False) -> Any:
    items = published(record, source="dijon.json", url="https://exemple.invalid/acte.pdf")
    if infer:
        items = [with_inferred_matter(item) for item in items]
    return json.loads(popolo_json(items, siret=DEMO_SIRET))


def test_the_dijon_vote_event() -> None:
    data = export(dijon_record())
    assert (data["format"], data["version"]) == ("registre-popolo", 1)
    org, assembly = data["organizations"]
    assert org["id"] == ORG and org["name"] == "Dijon métropole"
    assert {i["scheme"]: i["identifier"] for i in org["identifiers"]} == {
        "SIREN": "242100410",
        "SIRET": DEMO_SIRET,
    }
    assert assembly["parent_id"] == ORG and assembly["name"] == "Conseil métropolitain"
    assert len(data["people"]) == 86
    (session,) = data["legislative_sessions"]
    assert session["start_date"] == "2023-11-23" and session["members_in_office"] == 86
    (event,) = data["vote_events"]
    assert event["legislative_session_id"] == session["id"]
    assert event["motion"]["text"].startswith("Signature de la Stratégie")
    assert (event["result"], event["outcome"]) == ("pass", "adopted")
    assert {c["option"]: c["value"] for c in event["counts"]} == {
        "yes": 84, "no": 0, "abstain": 0, "not voting": 0, "absent": 2,
    }  # fmt: skip
    assert event["proxies_counted"] == 9
    assert event["sources"] == [{"url": "https://exemple.invalid/acte.pdf", "note": "dijon.json"}]


def test_proxies_keep_their_holder() -> None:
    (event,) = export(dijon_record())["vote_events"]
    attendance = event["attendance"]
    assert len(attendance["present"]) == 75 and len(attendance["absent"]) == 2
    represented = attendance["represented"]
    assert len(represented) == 9
    assert {
        "person_id": f"{ORG}/elu/celine-tonot",
        "proxy_holder_id": f"{ORG}/elu/jean-marc-rety",
    } in represented
    people = {p["id"] for p in export(dijon_record())["people"]}
    assert all(r["person_id"] in people and r["proxy_holder_id"] in people for r in represented)


def test_named_votes_with_a_proxy_vote_and_not_voting() -> None:
    named = (
        NamedVote(member="francois-rebsamen", choice=VoteChoice.FOR),
        NamedVote(member="jean-marc-rety", choice=VoteChoice.AGAINST, on_behalf_of="celine-tonot"),
        NamedVote(member="pierre-pribetich", choice=VoteChoice.NOT_VOTING),
    )
    (event,) = export(with_vote(dijon_record(), named_votes=named))["vote_events"]
    assert event["votes"] == [
        {"voter_id": f"{ORG}/elu/francois-rebsamen", "option": "yes"},
        {"voter_id": f"{ORG}/elu/celine-tonot", "option": "no",
         "proxy_holder_id": f"{ORG}/elu/jean-marc-rety"},
        {"voter_id": f"{ORG}/elu/pierre-pribetich", "option": "not voting"},
    ]  # fmt: skip


def test_a_withdrawn_member_and_a_rejected_item() -> None:
    record = with_attendance(dijon_record(), withdrawn=("pierre-pribetich",))
    record = with_item(record, outcome=Outcome.REJECTED)
    (event,) = export(record)["vote_events"]
    assert event["attendance"]["withdrawn"] == [f"{ORG}/elu/pierre-pribetich"]
    assert (event["result"], event["motion"]["result"]) == ("fail", "fail")


def test_unknown_values_are_null_or_left_out() -> None:
    record = with_item(dijon_record(), vote=None, attendance=None, outcome=None)
    record = with_attendance(record, present=None, absent=None, represented=None)
    (event,) = export(record)["vote_events"]
    assert event["counts"] == [] and event["votes"] == []
    assert event["result"] is None and event["vote_mode"] is None
    assert event["attendance"]["present"] is None


def test_the_matter_says_whether_it_was_inferred() -> None:
    (given,) = export(dijon_record())["vote_events"]
    assert given["matter"] == {
        "code": "8.6",
        "label": "domaines de compétences par thèmes/emploi-formation professionnelle",
        "inferred": False,
    }
    assert given["matter_inferred"] is False
    unknown = with_item(dijon_record(), matter_code=None, matter_label=None)
    (none,) = export(unknown)["vote_events"]
    assert none["matter"] is None
    (inferred,) = export(unknown, infer=True)["vote_events"]
    assert inferred["matter_inferred"] is True
    assert inferred["matter"]["code"] == "8.6" and inferred["matter"]["inferred"] is True
    assert "insertion" in inferred["matter"]["evidence"]


def test_people_and_meetings_are_listed_once() -> None:
    record = dijon_record()
    second = with_item(record, number="20231123_02", subject="Autre délibération")
    both = MeetingRecord(
        collectivity=record.collectivity, assembly=record.assembly, meeting=record.meeting,
        attendance=record.attendance,
        deliberations=(record.deliberations[0], second.deliberations[0]),
    )  # fmt: skip
    data = popolo_document(published(both, source="x"), siret=DEMO_SIRET)
    assert len(data["vote_events"]) == 2
    assert len(data["legislative_sessions"]) == 1
    assert len(data["people"]) == 86
