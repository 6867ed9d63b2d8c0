"""The package: the tar.gz the operators expect (envelope, message, act, annexes, named
as §2.5 of the standards says), reproducible, read back whole; a French error
listing everything missing (no matter, a number outside the pattern, no PDF...)."""

from __future__ import annotations

import io
import tarfile
from dataclasses import replace
from datetime import date

import pytest
from actes_factories import PDF, classification, emitter

from factories import dijon_record, with_item
from registre.actes import (
    ActesError,
    Attachment,
    PackageError,
    build_package,
    read_package,
    transmission_for,
)

BUILT_ON = date(2023, 11, 24)


def _dijon(**changes: object):  # type: ignore[no-untyped-def]
    record = with_item(dijon_record(), 0, **changes) if changes else dijon_record()
    return record, record.deliberations[0].number


def test_names_and_order_of_the_files() -> None:
    record, number = _dijon()
    annexes = (Attachment("plan.pdf", PDF, "22_AG"), Attachment("Budget.ODS", b"ods"))
    transmission = transmission_for(record, number, pdf=PDF, attachments=annexes,
                                    classification=classification())  # fmt: skip
    package = build_package(transmission, emitter(), built_on=BUILT_ON, sequence=3)
    base = "021-242100410-20231124-20231123_01-DE-1-1"
    assert package.name == "REG-EACT--242100410--20231124-3.tar.gz"
    assert package.files == (
        "EACT--242100410--20231124-3.xml", f"{base}_0.xml", f"99_DE-{base}_1.pdf",
        f"22_AG-{base}_2.pdf", f"99_AU-{base}_3.ods",
    )  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(package.data), mode="r:gz") as tar:
        assert tar.getnames() == list(package.files)
        assert all(m.isfile() and m.mode == 0o644 for m in tar.getmembers())
    # made again the same day from the same inputs: the same bytes
    again = build_package(transmission, emitter(), built_on=BUILT_ON, sequence=3)
    assert again.data == package.data


def test_package_is_read_back_whole() -> None:
    record, number = _dijon()
    annexes = (Attachment("plan.pdf", b"%PDF-annexe", "22_AG"),)
    transmission = transmission_for(record, number, pdf=PDF, attachments=annexes,
                                    classification=classification())  # fmt: skip
    contents = read_package(build_package(transmission, emitter(), built_on=BUILT_ON).data)
    assert str(contents.message.act_id) == "021-242100410-20231123-20231123_01-DE"
    assert contents.document.data == PDF and contents.document.type_code == "99_DE"
    assert [(a.data, a.type_code) for a in contents.annexes] == [(b"%PDF-annexe", "22_AG")]
    assert contents.message.matter == (8, 6)


def test_everything_missing_is_listed_in_french() -> None:
    record, number = _dijon(matter_code=None)
    transmission = transmission_for(record, number, pdf=None)
    with pytest.raises(PackageError) as caught:
        build_package(transmission, replace(emitter(), arrondissement="12", emails=("pas une adresse",)),
                      built_on=BUILT_ON)  # fmt: skip
    problems = caught.value.problems
    assert "la matière @CTES de l'acte manque (au moins deux niveaux, par exemple 8.6)" in problems
    assert "le PDF signé de l'acte manque" in problems
    assert any(p.startswith("la date de la classification est inconnue") for p in problems)
    assert "arrondissement « 12 » invalide : un chiffre" in problems
    assert "adresse électronique « pas une adresse » invalide" in problems
    assert str(caught.value).startswith("le paquet @CTES ne peut pas être constitué :\n  - ")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"matter_code": "8"}, "la matière « 8 » n'a qu'un niveau : il en faut au moins deux"),
        ({"matter_code": "8.12"}, "la matière 8.12 n'existe pas dans la classification de la préfecture du 19/04/2017"),
        ({"subject": "x" * 501}, "l'objet compte 501 caractères : 500 au plus"),
        ({"subject": "  "}, "l'objet de l'acte est vide"),
    ],
)  # fmt: skip
def test_one_problem_each(changes: dict[str, object], words: str) -> None:
    record, number = _dijon(**changes)
    transmission = transmission_for(record, number, pdf=PDF, classification=classification())
    with pytest.raises(PackageError) as caught:
        build_package(transmission, emitter(), built_on=BUILT_ON)
    assert any(words in p for p in caught.value.problems), caught.value.problems


def test_number_outside_the_allowed_characters() -> None:
    record, number = _dijon(number="2023 / 45")
    with pytest.raises(PackageError) as caught:
        transmission_for(record, number, pdf=PDF, classification=classification())
    assert "contient une espace" in str(caught.value) and "« 2023_45 »" in str(caught.value)
    # the clerk gives a number that fits
    fixed = transmission_for(record, number, pdf=PDF, act_number="2023_45",
                             classification=classification())  # fmt: skip
    assert str(fixed.act_id) == "021-242100410-20231123-2023_45-DE"


def test_id_parts_missing_from_the_record() -> None:
    record = dijon_record()
    record = replace(
        record, collectivity=replace(record.collectivity, siren=None, departement_code=None)
    )
    with pytest.raises(PackageError) as caught:
        transmission_for(record, record.deliberations[0].number, pdf=PDF)
    assert caught.value.problems == (
        "le département de la collectivité n'est pas connu (departement_code)",
        "le SIREN de la collectivité n'est pas connu (siren)",
    )
    with pytest.raises(PackageError, match="n'est pas dans la séance"):
        transmission_for(dijon_record(), "99", pdf=PDF)


def test_a_printed_act_id_is_kept() -> None:
    record, number = _dijon(act_id="021-242100410-20231123-DEL2023_1-DE")
    transmission = transmission_for(record, number, pdf=PDF, classification=classification())
    assert transmission.act_id.number == "DEL2023_1"


def test_a_broken_or_foreign_package_is_refused() -> None:
    record, number = _dijon()
    transmission = transmission_for(record, number, pdf=PDF, classification=classification())
    package = build_package(transmission, emitter(), built_on=BUILT_ON)
    with pytest.raises(ActesError, match=r"\(tar\.gz\) lisible"):
        read_package(b"ceci n'est pas une archive")
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar, \
            tarfile.open(fileobj=io.BytesIO(package.data), mode="r:gz") as source:  # fmt: skip
        for member in source.getmembers()[:2]:  # the act's PDF left out
            tar.addfile(member, source.extractfile(member))
    with pytest.raises(PackageError, match="nommé par le message, manque au paquet"):
        read_package(raw.getvalue())
