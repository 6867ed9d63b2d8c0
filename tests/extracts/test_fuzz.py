"""Fuzzing the reader: whatever the input, a result or a clear French error.

Short runs in `make test` (hypothesis profile `ci`), long ones in `make test-full`
(profile `full`). Inputs mix the words documents are made of (labels, names,
counts, vote phrases) with arbitrary text and bytes.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from registre.errors import InputError
from registre.extracts import ReadResult, read, read_text
from registre.record import dumps, loads
from registre.rules import check

WORDS = [
    "Présents :", "Absents :", "Excusés :", "Procurations :", "pouvoir à", "donne procuration à",
    "Monsieur", "Madame", "Jean-Pierre", "DUPONT", "MARTIN-GENDRE", "(Pr*)", "Séance du",
    "23 novembre 2023", "l'an deux mille vingt", "OBJET :", "1/", "2020-038", "IV", "POUR :",
    "CONTRE", "ABSTENTION", "à l'unanimité", "voix pour", "ne prend pas part au vote",
    "Le Conseil Adopte.", "reporté", "n° 2014 / 131", "034-213401722-20140405-0000070899-DE",
    "Envoi Préfecture : 08/04/2014", "Publiée le", "arrivée à 18H45", "quitte la séance",
    "Secrétaire de séance :", "en exercice : 11", ",", " - ", "/", "\n", "\n\n", "\f", "|",
]  # fmt: skip
documents = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=120).map(
    " ".join
)


def _sound(result: ReadResult) -> None:
    assert dumps(loads(dumps(result.record))) == dumps(result.record)  # a valid record
    check(result.record)  # rules never raise on what the reader produced


@given(documents)
def test_any_text_reads_into_a_valid_record(text: str) -> None:
    _sound(read_text(text))


@given(st.binary(max_size=4000), st.sampled_from([".pdf", ".txt", ".doc", ".docx", ".odt", ""]))
def test_any_bytes_give_a_result_or_a_french_error(
    tmp_path_factory: object, data: bytes, suffix: str
) -> None:
    folder: Path = tmp_path_factory.mktemp("fuzz")  # type: ignore[attr-defined]
    path = folder / f"document{suffix}"
    path.write_bytes(data)
    try:
        _sound(read(path))
    except InputError as error:
        assert str(path.name) in str(error) or path.name in (error.path or "")


def test_a_text_in_another_language_gives_an_empty_result_with_doubts() -> None:
    result = read_text("The council met on Tuesday. All members voted in favour of the budget.")
    assert not result.record.deliberations or all(
        d.vote is None for d in result.record.deliberations
    )
    assert result.doubts
