"""The act identifier: built from the département, SIREN, decision date and number,
parsed back, refused with the offending character; and the ids of Montpellier's
123 published extracts, read by the reader, parsed and validated by the same code."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest

from registre.actes import (
    ActIdError,
    ActNature,
    build_act_id,
    check_number,
    departement_code,
    parse_act_id,
    prefecture_columns,
)
from registre.actes.schema import validate
from registre.extracts import ReadResult, read
from registre.record import EventKind

MONTPELLIER = Path(__file__).resolve().parents[1] / "data" / "corpus" / "montpellier"
FILES = sorted(MONTPELLIER.glob("*/*.pdf"))


def test_build_and_parse() -> None:
    act = build_act_id("21", "242100410", date(2023, 11, 23), "20231123_01")
    assert str(act) == "021-242100410-20231123-20231123_01-DE"
    assert parse_act_id(str(act)) == act
    assert departement_code("2A") == "02A" and departement_code("974") == "974"
    other = parse_act_id("02B-200000000-20240131-A_1-AR")
    assert other.nature is ActNature.REGULATORY and other.departement == "02B"


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("2014 / 196", "contient une espace : l'identifiant @CTES n'admet que les lettres"),
        ("DEL-2023-12", "contient le caractère « - » : l'identifiant @CTES n'admet que"),
        ("n°12", "contient le caractère « ° »"),
        ("délib1", "contient le caractère « é »"),
        ("2023.45", "contient le caractère « . »"),
        ("A" * 16, "compte 16 caractères : 15 au plus"),
        ("", "le numéro de l'acte est vide"),
    ],
)
def test_number_outside_the_pattern_names_the_character(number: str, words: str) -> None:
    with pytest.raises(ActIdError) as caught:
        check_number(number)
    assert words in str(caught.value)


def test_a_fitting_number_is_suggested() -> None:
    with pytest.raises(ActIdError, match="par exemple « 2014_196 »"):
        check_number("2014 / 196")
    with pytest.raises(ActIdError, match="par exemple « delib1 »"):
        build_act_id("034", "213401722", date(2014, 4, 5), "délib1")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("34-213401722-20140405-0000070990-DE", "« 34 » n'est pas le département"),
        ("034-21340172-20140405-0000070990-DE", "« 21340172 » n'est pas le SIREN"),
        ("034-213401722-2014045-0000070990-DE", "« 2014045 » n'est pas la date"),
        ("034-213401722-20140405-2014/196-DE", "contient le caractère « / »"),
        ("034-213401722-20140405-2014-196-DE", "cinq parties"),
        ("034-213401722-20140405-2014_196-de", "« de » n'est pas la nature"),
        ("034-213401722-20140231-0000070990-DE", "la date 20140231 n'existe pas"),
        ("034-213401722-20140405-0000070990-XY", "nature d'acte « XY » inconnue"),
    ],
)
def test_bad_ids_say_which_part(text: str, words: str) -> None:
    with pytest.raises(ActIdError) as caught:
        parse_act_id(text)
    assert words in str(caught.value)


def test_every_valid_id_is_valid_for_the_schema() -> None:
    """The parser and the XSD agree: an id parsed here is accepted by `IDActe`."""
    act = parse_act_id("974-213401722-20140405-Ab_9-DE")
    xml = (
        '<actes:Annulation xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216" '
        f'actes:IDActe="{act}"/>'
    ).encode()
    assert validate(xml) == []
    assert validate(xml.replace(b"Ab_9", b"Ab-9"))  # what the parser refuses, the XSD refuses


@cache
def _read(path: Path) -> ReadResult:
    return read(path)


def test_montpellier_files_are_here() -> None:
    assert len(FILES) == 123


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_montpellier_act_ids_are_parsed(path: Path) -> None:
    result = _read(path)
    item = result.record.deliberations[0]
    assert item.act_id is not None
    act = parse_act_id(item.act_id)
    assert (act.departement, act.siren, act.nature) == ("034", "213401722", ActNature.DELIBERATION)
    assert act.decision_date == result.record.meeting.date == date.fromisoformat(path.parent.name)
    assert act.number == path.stem.split("-")[-1] and len(act.number) == 10
    assert check_number(act.number) == act.number
    # the events read from the same extract name the same act; the prefecture is Hérault's
    sent = [e for e in result.events if e.kind in (EventKind.TRANSMITTED, EventKind.ACKNOWLEDGED)]
    assert sent and all(parse_act_id(e.act_id or "") == act for e in sent)
    columns = prefecture_columns(result.events, None)
    assert columns.pref_id == "PREF034"
    assert columns.pref_date is not None and columns.pref_date >= act.decision_date
