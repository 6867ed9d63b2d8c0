"""One test per trap listed in the `.source.txt` notes of the corpus' text conversions.

Each test reads the real document and checks the one thing the trap is about.
Traps the reader does not handle yet are marked `xfail(strict=True)` with the
reason, so that they fail loudly the day they start working.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from registre.extracts import ReadResult, read_text
from registre.record import ChangeKind, Outcome
from registre.rules import Code, check

TEXT = Path(__file__).resolve().parents[1] / "data" / "corpus" / "text"


@cache
def _read(stem: str) -> ReadResult:
    return read_text((TEXT / f"{stem}.txt").read_text(encoding="utf-8"), source=stem)


def _names(result: ReadResult, status: str) -> set[str]:
    names = {m.id: m.display_name for m in result.record.meeting.members}
    return {names[m] for m in getattr(result.record.attendance, status) or ()}


def _holders(result: ReadResult) -> dict[str, str | None]:
    names = {m.id: m.display_name for m in result.record.meeting.members}
    return {names[p.giver]: names.get(p.holder or "") for p in result.record.attendance.proxies}


def _votes(result: ReadResult) -> list[tuple[int | None, int | None, int | None]]:
    return [
        (d.vote.for_, d.vote.against, d.vote.abstention) if d.vote else (None, None, None)
        for d in result.record.deliberations
    ]


PREUILLY, C0129, C1105 = (
    "018_preuilly-sur-claise-cm-2020-07-23",
    "019_couthenans-cm-2021-01-29",
    "020_couthenans-cm-2021-11-05",
)
C1028, C0224 = "021_couthenans-cm-2022-10-28", "022_couthenans-cm-2023-02-24"
F0608, F0619, F1119 = (
    "023_flaux-cm-2020-06-08",
    "024_flaux-cm-2020-06-19",
    "025_flaux-cm-2020-11-19",
)
M0405, M0424, M0522 = (
    "026_montpellier-cm-2014-04-05-n2014-131",
    "027_montpellier-cm-2014-04-24-n2014-171",
    "028_montpellier-cm-2014-05-22-n2014-216",
)
OCR1121, OCR1123 = "031_flaux-cm-2021-11-26-ocr", "032_flaux-cm-2023-11-17-ocr"


# --- Preuilly: "M.CHARRIER Jean-Paul", role words glued, counts, numbered items, words
def test_preuilly_surname_first_without_space_after_civility() -> None:
    assert {"Jean-Paul CHARRIER", "Gérard THOREAU"} <= _names(_read(PREUILLY), "present")


def test_preuilly_role_words_are_not_names() -> None:
    present = _names(_read(PREUILLY), "present")
    assert "Henri ROBERT" in present and "Bruno BERNARD" in present
    assert not any("Adjoint" in n or "Délégué" in n or "Maire" in n for n in present)


def test_preuilly_counts_on_one_line() -> None:
    result = _read(PREUILLY)
    assert result.record.meeting.members_in_office == 15
    assert (
        result.record.attendance.declared is not None
        or len(result.record.attendance.present or ()) == 14
    )


def test_preuilly_numbered_items_and_counts_in_words() -> None:
    result = _read(PREUILLY)
    numbers = [d.number for d in result.record.deliberations]
    assert numbers[0] == "2020-038" and "2020-052" in numbers
    wind = result.record.deliberations[numbers.index("2020-052")]
    assert wind.vote is not None and (wind.vote.for_, wind.vote.against, wind.vote.abstention) == (
        2,
        11,
        1,
    )
    assert wind.outcome is Outcome.REJECTED


# --- Couthenans: first names, asterisk proxies, slashes, arrivals, totals
def test_couthenans_asterisk_markers_pair_giver_and_holder() -> None:
    assert _holders(_read(C0129)) == {
        "David": "Jean-Pierre",
        "Marielle": "Agnès",
        "Adeline": "Maryline",
        "Hélène": "Jacques",
    }


def test_couthenans_absent_without_proxy() -> None:
    assert _names(_read(C0129), "absent") == {"Marc"}


def test_couthenans_postponed_without_vote() -> None:
    assert Outcome.POSTPONED in {d.outcome for d in _read(C0129).record.deliberations}


def test_couthenans_slash_separated_proxies_and_no_proxy() -> None:
    result = _read(C1105)
    assert _holders(result) == {"Marielle": "Agnès", "Marc": "Mario"}
    assert {"Maryline", "Mathieu"} <= _names(result, "absent")


def test_couthenans_arrival_without_item_is_a_doubt() -> None:
    result = _read(C1105)
    reasons = " ".join(d.reason for d in result.doubts)
    assert "Arrivée de Nelly" in reasons and "Départ de Nelly" in reasons
    assert not [c for c in result.record.attendance.changes if c.change is ChangeKind.ARRIVAL]


def test_couthenans_impossible_total_is_reported_not_fixed() -> None:
    result = _read(C1105)
    assert _votes(result)[0][0] == 12
    assert Code.TALLY_EXCEEDS_VOTERS in {f.code for f in check(result.record)}


def test_couthenans_typo_absentions() -> None:
    assert (6, 2, 3) in _votes(_read(C1105))


def test_couthenans_holder_in_mixed_case_without_accent() -> None:
    assert _holders(_read(C1028))["Marielle SAUGET"] == "Agnès MICHELOT"


def test_couthenans_rejected_without_the_word() -> None:
    result = _read(C1028)
    rejected = [d for d in result.record.deliberations if d.outcome is Outcome.REJECTED]
    assert len(rejected) == 1 and rejected[0].vote is not None and rejected[0].vote.against == 6


def test_couthenans_proxy_without_a() -> None:
    assert _holders(_read(C0224)).get("Marc") == "Patrick"


def test_couthenans_name_then_status() -> None:
    assert "Maryline" in _names(_read(C0224), "absent")


# --- Flaux: Word tables, procuration sentences, "ne prend pas part au vote", compound names
def test_flaux_table_margin_counts() -> None:
    result = _read(F0608)
    assert result.record.meeting.members_in_office == 11
    assert _holders(result) == {"Valérie UPPHOFF": "Muriel NIGGEL"}


def test_flaux_holder_is_also_secretary() -> None:
    result = _read(F0608)
    names = {m.id: m.display_name for m in result.record.meeting.members}
    assert [names[s] for s in result.record.meeting.secretaries or ()] == ["Muriel NIGGEL"]


def test_flaux_not_voting_is_a_doubt() -> None:
    result = _read(F0619)
    assert any("ne prend pas part" in d.reason for d in result.doubts)


def test_flaux_compound_surname_written_three_ways() -> None:
    result = _read(F0619)
    assert [m.display_name for m in result.record.meeting.members].count(
        "Philippe ROUVIER-COROUGE"
    ) == 1


def test_flaux_three_proxies_separated_by_slashes() -> None:
    assert len(_holders(_read(F0619))) == 3


def test_flaux_secretary_without_auxiliary_verb() -> None:
    result = _read(F1119)
    names = {m.id: m.display_name for m in result.record.meeting.members}
    assert [names[s] for s in result.record.meeting.secretaries or ()] == ["Philippe VINÇON"]


def test_flaux_doubled_dash_between_names() -> None:
    assert {"Jean-Pierre PLUS", "Alessandra STURANI"} <= _names(_read(F1119), "present")


# --- Montpellier (text conversions): columns, empty lists, orphaned label, empty slot
def test_montpellier_two_columns_laid_out_with_spaces() -> None:
    result = _read(M0405)
    assert len(result.record.attendance.present or ()) == 65
    assert result.record.deliberations[0].number == "2014 / 131"


def test_montpellier_doyen_presides() -> None:
    result = _read(M0405)
    names = {m.id: m.display_name for m in result.record.meeting.members}
    assert names[result.record.meeting.president or ""] == "Max LEVITA"


def test_montpellier_empty_headings_and_adopte() -> None:
    result = _read(M0405)
    assert not result.record.attendance.represented and not result.record.attendance.absent
    assert result.record.deliberations[0].outcome is Outcome.ADOPTED


@pytest.mark.xfail(
    strict=True,
    reason="colonnes de pdftotext -layout dont la marge gauche déborde : liste des présents non trouvée",
)
def test_montpellier_empty_name_slot_in_layout_text() -> None:
    result = _read(M0424)
    assert len(result.record.attendance.present or ()) == 62
    assert any("vide" in u.reason for u in result.unread)


def test_montpellier_givers_without_holders() -> None:
    result = _read(M0424)
    assert len(_holders(result)) == 3 and set(_holders(result).values()) == {None}


def test_montpellier_list_before_its_label() -> None:
    result = _read(M0522)
    attendance = result.record.attendance
    assert (
        len(attendance.present or ()),
        len(attendance.represented or ()),
        len(attendance.absent or ()),
    ) == (59, 5, 1)


# --- OCR: noise in labels and names
def test_ocr_table_rule_before_label() -> None:
    assert {"Denis JUVIN", "Muriel NIGGEL"} <= _names(_read(OCR1121), "present")


def test_ocr_votes_with_noise() -> None:
    result = _read(OCR1123)
    assert any(d.vote and d.vote.unanimous for d in result.record.deliberations)
    assert any(
        d.vote and (d.vote.for_, d.vote.abstention) == (7, 3) for d in result.record.deliberations
    )


def test_ocr_date_in_words_survives() -> None:
    assert str(_read(OCR1123).record.meeting.date) == "2023-11-17"


def test_ocr_garbled_proxy_label() -> None:
    assert len(_holders(_read(OCR1121))) == 3
