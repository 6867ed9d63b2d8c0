"""ACTES v1.1 messages: the Dijon deliberation's and 100 generated ones validate
against the ministry's XSD (lxml), a broken one is rejected with its line and a
French reason; the prefecture's classification is read with its version date."""

from __future__ import annotations

import random
import tarfile
from datetime import date
from io import BytesIO

import pytest
from actes_factories import PDF, classification, emitter, generated_transmission

from factories import dijon_record
from registre.actes import (
    ClassificationError,
    Package,
    build_package,
    parse_classification,
    read_act_message,
    transmission_for,
    validate,
)

BUILT_ON = date(2023, 11, 24)


def _members(package: Package) -> dict[str, bytes]:
    with tarfile.open(fileobj=BytesIO(package.data), mode="r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]


def _dijon_message() -> bytes:
    record = dijon_record()
    number = record.deliberations[0].number
    transmission = transmission_for(record, number, pdf=PDF, classification=classification())
    package = build_package(transmission, emitter(), built_on=BUILT_ON)
    return _members(package)[package.files[1]]


def test_dijon_message_is_valid_actes() -> None:
    xml = _dijon_message()
    assert validate(xml) == []
    assert xml.startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")
    text = xml.decode("iso-8859-1")
    assert 'actes:CodeNatureActe="1"' in text and 'actes:NumeroInterne="20231123_01"' in text
    assert 'actes:Date="2023-11-23"' in text
    # 8.6, the demo's choice, on two levels; the typographic apostrophe kept as a reference
    assert '<actes:CodeMatiere1 actes:CodeMatiere="8"/>' in text
    assert '<actes:CodeMatiere2 actes:CodeMatiere="6"/>' in text
    assert "l&#8217;Insertion" in text and "Côte" in text
    message = read_act_message(xml)
    assert message.subject == dijon_record().deliberations[0].subject
    assert message.matter == (8, 6) and message.classification_date == date(2017, 4, 19)


def test_one_hundred_generated_acts_are_valid() -> None:
    rng = random.Random(20231123)
    for index in range(100):
        transmission, sender = generated_transmission(rng)
        package = build_package(transmission, sender, built_on=BUILT_ON, sequence=index + 1)
        members = _members(package)
        envelope, message = (members[name] for name in package.files[:2])
        assert validate(envelope) == [], package.name
        assert validate(message) == [], (transmission.act_id, transmission.subject)
        back = read_act_message(message)
        assert back.subject == transmission.subject
        assert back.act_id.number == transmission.act_id.number
        assert len(back.annexes) == len(transmission.attachments)


BROKEN = [
    # (what is changed, the text replaced, its replacement, words of the French reason)
    ("a required matter level removed", b'  <actes:CodeMatiere2 actes:CodeMatiere="6"/>\n', b"",
     "élément Objet inattendu à cet endroit (attendu : CodeMatiere2)"),
    ("a number over 15 characters", b'actes:NumeroInterne="20231123_01"',
     b'actes:NumeroInterne="20231123_0123456789"', "19 caractères, pour 15 au plus"),
    ("a date that does not exist", b'actes:Date="2023-11-23"', b'actes:Date="2023-13-45"',
     "n'est pas une valeur admise (une date AAAA-MM-JJ)"),
    ("a matter that is not a number", b'actes:CodeMatiere="8"', b'actes:CodeMatiere="huit"',
     "attribut CodeMatiere : « huit » n'est pas une valeur admise"),
    ("the nature's attribute missing", b' actes:CodeNatureActe="1"', b"",
     "l'attribut obligatoire CodeNatureActe manque"),
    ("an element out of place", b"<actes:DocumentPapier>", b"<actes:Papier>x</actes:Papier><actes:DocumentPapier>",
     "élément Papier inattendu à cet endroit"),
]  # fmt: skip


@pytest.mark.parametrize("change", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_message_is_rejected_with_line_and_reason(
    change: tuple[str, bytes, bytes, str],
) -> None:
    _, old, new, words = change
    xml = _dijon_message()
    assert old in xml
    broken = xml.replace(old, new, 1)
    line = xml[: xml.index(old)].count(b"\n") + 1
    problems = validate(broken)
    assert problems, "the broken message was accepted"
    assert any(p.startswith(f"ligne {line} : ") and words in p for p in problems), problems


def test_a_long_subject_and_bad_xml_are_said_in_french() -> None:
    xml = _dijon_message()
    start = xml.index(b"<actes:Objet>") + len(b"<actes:Objet>")
    end = xml.index(b"</actes:Objet>")
    long = xml[:start] + b"x" * 501 + xml[end:]
    assert any("501 caractères, pour 500 au plus" in p for p in validate(long))
    assert validate(b"<actes:Acte")[0].startswith("ligne 1 : XML mal formé")
    other = b'<?xml version="1.0"?><Acte xmlns="urn:autre"/>'
    assert validate(other) == [
        "ligne 1 : Acte n'est pas un message ACTES v1.1 (élément racine inconnu)"
    ]


def test_classification_is_read_with_its_version() -> None:
    found = classification()
    assert found.version == date(2017, 4, 19)
    assert {n.abbreviation for n in found.natures} == {"DE", "AR", "AI", "CC", "BF", "AU"}
    assert [m.code for m in found.matters if m.level == 1] == [str(n) for n in range(1, 10)]
    assert len([m for m in found.matters if m.level == 2]) == 57
    codes = [m.code for m in found.matters if m.code.startswith("7.")]
    assert codes[-2:] == ["7.9", "7.10"]  # in the order of the numbers, not of the text
    assert (
        found.matter("8.6") is not None
        and found.matter("8.6").label == "Emploi-formation professionnelle"
    )  # type: ignore[union-attr]
    assert [m.code for m in found.path("8.6")] == ["8", "8.6"]
    assert found.matter("8.12") is None and found.path("8.12") == ()
    assert found.matter("1.1").label == "Marchés publics"  # type: ignore[union-attr]  # read as ISO-8859-1


def test_deeper_local_levels_and_bad_classifications() -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-8"?><actes:RetourClassification '
        'xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216">'
        "<actes:DateClassification>2024-01-15</actes:DateClassification><actes:NaturesActes/>"
        '<actes:Matieres><actes:Matiere1 actes:CodeMatiere="3" actes:Libelle="Domaine">'
        '<actes:Matiere2 actes:CodeMatiere="1" actes:Libelle="Acquisitions">'
        '<actes:Matiere3 actes:CodeMatiere="2" actes:Libelle="Terrains  nus"/>'
        "</actes:Matiere2></actes:Matiere1></actes:Matieres></actes:RetourClassification>"
    )
    found = parse_classification(text.encode())
    assert [(m.code, m.level, m.label) for m in found.matters] == [
        ("3", 1, "Domaine"), ("3.1", 2, "Acquisitions"), ("3.1.2", 3, "Terrains nus")]  # fmt: skip
    with pytest.raises(ClassificationError, match="DateClassification"):
        parse_classification(text.replace("2024-01-15", "hier").encode())
    with pytest.raises(ClassificationError, match="pas une classification"):
        parse_classification(_dijon_message())
