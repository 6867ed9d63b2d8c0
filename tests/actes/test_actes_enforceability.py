"""Enforceability and SCDL's prefecture columns for acts published only, transmitted
only, both, or neither; always the same verdict as the rule NOT_ENFORCEABLE_YET, and
the same PREF_ID / PREF_DATE as the SCDL export."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest

from factories import dijon_record, with_item
from registre.actes import (
    Missing,
    PrefectureColumns,
    Status,
    enforceability,
    prefecture_columns,
    prefecture_id,
)
from registre.opendata.scdl import row
from registre.opendata.source import published
from registre.record import DocumentKind, EventKind, LifecycleEvent, MeetingRecord, Outcome
from registre.rules import Code, check

ACT = "021-242100410-20231123-20231123_01-DE"
RECORD = dijon_record()
NUMBER = RECORD.deliberations[0].number
PUBLISHED = LifecycleEvent(kind=EventKind.PUBLISHED, on=date(2023, 11, 27), deliberation=NUMBER,
                           document=DocumentKind.EXTRACT, url="https://example.org/1.pdf")  # fmt: skip
TRANSMITTED = LifecycleEvent(kind=EventKind.TRANSMITTED, on=date(2023, 11, 24),
                             deliberation=NUMBER, act_id=ACT)  # fmt: skip
ACKNOWLEDGED = LifecycleEvent(kind=EventKind.ACKNOWLEDGED, on=date(2023, 11, 25),
                              deliberation=NUMBER, act_id=ACT)  # fmt: skip
AS_OF = date(2023, 12, 1)

CASES = {
    "neither": ((), Status.NOT_YET, (Missing.PUBLICATION, Missing.TRANSMISSION), None,
                PrefectureColumns(None, None)),
    "published only": ((PUBLISHED,), Status.NOT_YET, (Missing.TRANSMISSION,), None,
                       PrefectureColumns(None, None)),
    "transmitted only": ((TRANSMITTED, ACKNOWLEDGED), Status.NOT_YET, (Missing.PUBLICATION,), None,
                         PrefectureColumns("PREF021", date(2023, 11, 25))),
    "transmitted, not yet acknowledged": ((TRANSMITTED,), Status.NOT_YET, (Missing.PUBLICATION,),
                                          None, PrefectureColumns("PREF021", date(2023, 11, 24))),
    "both": ((PUBLISHED, TRANSMITTED, ACKNOWLEDGED), Status.ENFORCEABLE, (), date(2023, 11, 27),
             PrefectureColumns("PREF021", date(2023, 11, 25))),
}  # fmt: skip


def _rule_says_not_yet(
    record: MeetingRecord, events: tuple[LifecycleEvent, ...], as_of: date
) -> bool:
    findings = check(record, as_of=as_of, events=events)
    return any(f.code is Code.NOT_ENFORCEABLE_YET for f in findings)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_four_cases(case: str) -> None:
    events, status, missing, since, columns = CASES[case]
    found = enforceability(RECORD.deliberations[0], events, AS_OF)
    assert (found.status, found.missing, found.since) == (status, missing, since)
    assert _rule_says_not_yet(RECORD, events, AS_OF) is (status is Status.NOT_YET)
    assert prefecture_columns(events, RECORD.collectivity.departement_code) == columns
    # the SCDL export, given the prefecture this module names, writes the same cells
    item = published(RECORD, source="test", events=events)[0]
    scdl = row(replace(item, prefecture_id=columns.pref_id), siret=RECORD.collectivity.siret)
    assert (scdl.pref_id, scdl.pref_date) == (columns.pref_id, columns.pref_date)


def test_dates_after_the_judgement_do_not_count() -> None:
    events = (PUBLISHED, TRANSMITTED, ACKNOWLEDGED)
    item = RECORD.deliberations[0]
    assert enforceability(item, events, date(2023, 11, 26)).missing == (Missing.PUBLICATION,)
    assert enforceability(item, events, date(2023, 11, 27)).status is Status.ENFORCEABLE
    assert enforceability(item, events, date(2023, 11, 23)).missing == (
        Missing.PUBLICATION, Missing.TRANSMISSION)  # fmt: skip


def test_not_applicable_and_not_required() -> None:
    rejected = with_item(RECORD, 0, outcome=Outcome.REJECTED)
    assert enforceability(rejected.deliberations[0], (), AS_OF).status is Status.NOT_APPLICABLE
    withdrawn = LifecycleEvent(kind=EventKind.WITHDRAWN, on=date(2023, 11, 30), deliberation=NUMBER)
    assert (
        enforceability(RECORD.deliberations[0], (withdrawn,), AS_OF).status is Status.NOT_APPLICABLE
    )
    local = with_item(RECORD, 0, transmission_required=False).deliberations[0]
    found = enforceability(local, (PUBLISHED,), AS_OF)
    assert found.status is Status.ENFORCEABLE and found.since == PUBLISHED.on


def test_same_verdict_as_the_rule_for_every_combination() -> None:
    """Every subset of events, every date, both kinds of act: the rule and this module agree."""
    other = LifecycleEvent(kind=EventKind.PUBLISHED, on=date(2023, 11, 24), deliberation="autre")
    pool = (PUBLISHED, TRANSMITTED, ACKNOWLEDGED, other)
    days = [date(2023, 11, d) for d in (23, 24, 25, 26, 27, 28)]
    for required, size in itertools.product((True, False), range(len(pool) + 1)):
        record = with_item(RECORD, 0, transmission_required=required)
        for events in itertools.combinations(pool, size):
            for day in days:
                found = enforceability(record.deliberations[0], events, day)
                assert _rule_says_not_yet(record, events, day) is (found.status is Status.NOT_YET)


def test_prefecture_ids() -> None:
    assert prefecture_id("21") == "PREF021" and prefecture_id("2A") == "PREF02A"
    assert prefecture_id("974") == "PREF974"
    # the act id's département wins over the one given
    assert prefecture_columns((TRANSMITTED,), "34").pref_id == "PREF021"
    unknown = LifecycleEvent(kind=EventKind.TRANSMITTED, on=date(2023, 11, 24), deliberation=NUMBER)
    assert prefecture_columns((unknown,), None) == PrefectureColumns(None, date(2023, 11, 24))
