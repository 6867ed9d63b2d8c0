"""SCDL rows from records: the Dijon demo's row, the CSV's form, what stays empty."""

from __future__ import annotations

import csv
import io
from dataclasses import fields, replace
from datetime import date

import pytest

from factories import dijon_record, with_item, with_vote
from registre.opendata import (
    COLUMNS,
    REQUIRED,
    Column,
    ScdlRow,
    csv_text,
    gaps,
    published,
    scdl_row,
    scdl_rows,
)
from registre.record import DocumentKind, EventKind, LifecycleEvent, Outcome, ValueStatus

DEMO_SIRET = "24210041000000"  # the demo's placeholder (demo-values.md: SIRET unknown)


def test_the_columns_are_scdl_2_1_5_in_order() -> None:
    assert [c.value for c in COLUMNS] == [
        "COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE",
        "DELIB_MATIERE_NOM", "DELIB_OBJET", "BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID",
        "PREF_DATE", "VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE",
        "VOTE_ABSTENTION", "DELIB_URL",
    ]  # fmt: skip
    assert [f.name.upper() for f in fields(ScdlRow)] == [c.value for c in COLUMNS]
    assert frozenset(COLUMNS[:7]) == REQUIRED


def test_the_demo_siret_and_matter_are_the_ones_marked_in_the_demo() -> None:
    record = dijon_record()
    marks = {a.pointer: a.status for a in record.annotations}
    assert record.collectivity.siret == DEMO_SIRET
    assert marks["/collectivity/siret"] is ValueStatus.PLACEHOLDER
    assert record.deliberations[0].matter_code == "8.6"
    assert marks["/deliberations/0/matter_code"] is ValueStatus.DEMO_CHOICE


def test_the_dijon_row() -> None:
    (row,) = scdl_rows(dijon_record(), siret=DEMO_SIRET)
    assert row == ScdlRow(
        coll_nom="Dijon métropole",
        coll_siret=DEMO_SIRET,
        delib_id="20231123_01",
        delib_date=date(2023, 11, 23),
        delib_matiere_code="8.6",
        delib_matiere_nom="domaines de compétences par thèmes/emploi-formation professionnelle",
        delib_objet="Signature de la Stratégie pour l’Insertion et l’Emploi Côte d’Or (SIECO)",
        vote_effectif=86,
        vote_reel=84,
        vote_pour=84,
        vote_contre=0,
        vote_abstention=0,
    )
    assert [g.column for g in gaps(row)] == [
        Column.BUDGET_ANNEE, Column.BUDGET_NOM, Column.PREF_ID, Column.PREF_DATE,
        Column.DELIB_URL,
    ]  # fmt: skip
    assert not any(g.required for g in gaps(row))


def test_the_csv_is_comma_separated_utf8_with_the_header_first() -> None:
    text = csv_text(scdl_rows(dijon_record(), siret=DEMO_SIRET))
    lines = text.encode("utf-8").split(b"\r\n")
    assert lines[0] == ",".join(c.value for c in COLUMNS).encode()
    assert lines[-1] == b""  # every line ends with CRLF
    (header, row) = list(csv.reader(io.StringIO(text)))
    assert len(header) == len(row) == 17
    assert row[3] == "2023-11-23" and row[12] == "84" and row[7] == ""
    assert "Côte d’Or (SIECO)" in row[6]


def test_not_voting_members_are_left_out_of_vote_reel() -> None:
    record = with_vote(dijon_record(), for_=80, against=1, abstention=2, not_voting=1)
    (row,) = scdl_rows(record, siret=DEMO_SIRET)
    assert row.vote_reel == 83


def test_an_incomplete_tally_gives_no_vote_reel() -> None:
    record = with_vote(dijon_record(), for_=80, against=None, abstention=None)
    (row,) = scdl_rows(record, siret=DEMO_SIRET)
    assert (row.vote_reel, row.vote_pour, row.vote_contre) == (None, 80, None)
    assert Column.VOTE_REEL in {g.column for g in gaps(row)}


@pytest.mark.parametrize(
    ("outcome", "rows"),
    [
        (Outcome.ADOPTED, 1),
        (Outcome.REJECTED, 1),
        (Outcome.NOTED, 1),
        (None, 1),
        (Outcome.POSTPONED, 0),
        (Outcome.DROPPED, 0),
    ],
)
def test_only_items_decided_have_a_row(outcome: Outcome | None, rows: int) -> None:
    record = with_item(dijon_record(), outcome=outcome)
    assert len(scdl_rows(record, siret=DEMO_SIRET)) == rows


def test_the_prefecture_date_and_the_url_come_from_the_events() -> None:
    events = [
        LifecycleEvent(kind=EventKind.TRANSMITTED, on=date(2023, 11, 27), deliberation="20231123_01"),
        LifecycleEvent(kind=EventKind.ACKNOWLEDGED, on=date(2023, 11, 28), deliberation="20231123_01"),
        LifecycleEvent(kind=EventKind.PUBLISHED, on=date(2023, 11, 29), deliberation="20231123_01",
                       document=DocumentKind.EXTRACT, url="https://exemple.invalid/acte.pdf"),
        LifecycleEvent(kind=EventKind.ACKNOWLEDGED, on=date(2023, 12, 1), deliberation="autre"),
    ]  # fmt: skip
    (row,) = scdl_rows(dijon_record(), siret=DEMO_SIRET, events=events)
    assert row.pref_date == date(2023, 11, 28)
    assert row.delib_url == "https://exemple.invalid/acte.pdf"
    (given,) = scdl_rows(dijon_record(), siret=DEMO_SIRET, url="https://x.invalid/a.pdf")
    assert given.delib_url == "https://x.invalid/a.pdf"


def test_what_the_document_does_not_say_stays_empty_and_is_reported() -> None:
    record = dijon_record()
    record = replace(record, meeting=replace(record.meeting, members_in_office=None))
    record = with_item(record, matter_code=None, matter_label=None, vote=None, number="")
    (row,) = scdl_rows(record, siret=None)
    found = {g.column: g for g in gaps(row)}
    assert {Column.COLL_SIRET, Column.DELIB_ID, Column.DELIB_MATIERE_CODE,
            Column.DELIB_MATIERE_NOM, Column.VOTE_EFFECTIF, Column.VOTE_POUR} <= set(found)  # fmt: skip
    assert found[Column.DELIB_MATIERE_CODE].required
    assert "--infer-matter" in found[Column.DELIB_MATIERE_CODE].reason
    assert not found[Column.VOTE_POUR].required
    assert [g.required for g in gaps(row)] == sorted((g.required for g in gaps(row)), reverse=True)


def test_a_local_matter_code_is_published_at_level_2() -> None:
    record = with_item(dijon_record(), matter_code="7.1.2")
    (row,) = scdl_rows(record, siret=DEMO_SIRET)
    assert (row.delib_matiere_code, row.delib_matiere_nom) == (
        "7.1",
        "finances locales/décisions budgétaires",
    )


def test_a_subject_over_several_lines_is_one_cell() -> None:
    record = with_item(dijon_record(), subject="Signature de la\nStratégie  SIECO ")
    (item,) = published(record, source="test")
    assert scdl_row(item, siret=DEMO_SIRET).cells()[6] == "Signature de la Stratégie SIECO"
