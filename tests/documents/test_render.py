"""The documents' content, wording and order; templates; inputs that must fail clearly."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from factories import dijon_record, make_template, meeting_of, with_item, with_meeting
from registre.documents import render
from registre.documents.french import date_words
from registre.errors import InputError
from registre.extracts.loaders import load
from registre.record import DocumentKind, MeetingRecord, Member

DIACRITICS = "ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆàâäçéèêëîïôöùûüÿœæ"


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return load(path).text


def _pages(pdf: bytes) -> int:
    return len(pdfium.PdfDocument(pdf))


def test_date_words() -> None:
    from datetime import date  # noqa: PLC0415

    assert date_words(date(2023, 11, 23)) == "jeudi 23 novembre 2023"
    assert date_words(date(2024, 3, 1)) == "vendredi 1er mars 2024"
    assert date_words(date(2024, 8, 15), weekday=False) == "15 août 2024"
    assert date_words(None) == "—"


def test_dijon_extract_prints_the_extract_in_order(tmp_path: Path) -> None:
    text = _text(render(dijon_record(), DocumentKind.EXTRACT), tmp_path)
    marks = [
        "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS", "du Conseil métropolitain de Dijon métropole",
        "Séance du jeudi 23 novembre 2023", "Président : Monsieur REBSAMEN",
        "Secrétaire de séance : Monsieur HOAREAU", "Convocation envoyée le 15 novembre 2023",
        "Nombre de membres en exercice : 86", "Nombre de présents participant au vote : 75",
        "Nombre de procurations : 9", "Membres présents", "Monsieur François REBSAMEN",
        "Membres absents", "Madame Catherine VICTOR",
        "Madame Céline TONOT pouvoir à Monsieur Jean-Marc RETY", "OBJET :",
        "Le Conseil, après en avoir délibéré, décide", "POUR : 84", "CONTRE : 0",
        "DONT 9 PROCURATION(S)", "Le secrétaire de séance", "Le Président",
    ]  # fmt: skip
    positions = [text.find(mark) for mark in marks]
    assert -1 not in positions, [m for m, p in zip(marks, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert "Marie-Hélène JUILLARD-RANDRIAN" in text
    assert re.search(r"\b1/2\b", text) and re.search(r"\b2/2\b", text)


def test_unanimous_vote_prints_unanimity(tmp_path: Path) -> None:
    record = dijon_record()
    vote = record.deliberations[0].vote
    assert vote is not None
    from dataclasses import replace  # noqa: PLC0415

    record = with_item(record, 0, vote=replace(vote, unanimous=True))
    text = _text(render(record, DocumentKind.EXTRACT), tmp_path)
    assert "Adoptée à l'unanimité" in text.replace("’", "'")
    assert "POUR :" not in text


@pytest.mark.parametrize(
    ("kind", "marks"),
    [
        (DocumentKind.DELIBERATION_LIST, ["LISTE DES DÉLIBÉRATIONS", "L2121-25", "Adoptée"]),
        (DocumentKind.MINUTES, ["PROCÈS-VERBAL", "Quorum", "Ordre du jour", "Décision : Adoptée"]),
        (DocumentKind.CONVOCATION, ["CONVOCATION", "Ordre du jour", "15 novembre 2023"]),
        (DocumentKind.REGISTER_SHEETS, ["REGISTRE DES DÉLIBÉRATIONS", "feuillet n°",
                                         "Feuillet de clôture", "Table chronologique",
                                         "Table par objet", "Signature"]),
    ],
)  # fmt: skip
def test_meeting_documents(kind: DocumentKind, marks: list[str], tmp_path: Path) -> None:
    record = meeting_of(dijon_record(), 3)
    text = _text(render(record, kind), tmp_path)
    for mark in marks:
        assert mark in text, mark
    for number in ("2023_0001", "2023_0002", "2023_0003"):
        if kind is not DocumentKind.CONVOCATION:
            assert number in text


def test_convocation_announces_the_synthesis_note_when_sent(tmp_path: Path) -> None:
    sent = with_meeting(dijon_record(), synthesis_note_sent=True)
    assert "note explicative de synthèse" in _text(render(sent, DocumentKind.CONVOCATION), tmp_path)
    unsent = with_meeting(dijon_record(), synthesis_note_sent=False)
    assert "synthèse" not in _text(render(unsent, DocumentKind.CONVOCATION), tmp_path)


def test_every_diacritic_and_apostrophe_survives(tmp_path: Path) -> None:
    record = dijon_record()
    members = list(record.meeting.members)
    members[1] = Member(
        id=members[1].id, first_name="Zoë-Œlla", last_name=f"L'HÔ{DIACRITICS.upper()}"
    )
    from dataclasses import replace  # noqa: PLC0415

    record = replace(record, meeting=replace(record.meeting, members=tuple(members)))
    text = _text(render(record, DocumentKind.EXTRACT), tmp_path)
    assert "Zoë-Œlla" in text
    assert f"L'HÔ{DIACRITICS.upper()}" in text.replace("’", "'")


def test_very_long_subject_is_printed_whole(tmp_path: Path) -> None:
    subject = " ".join(["Convention de partenariat pluriannuel"] * 150) + " FINDUSUJETXYZ"
    record = with_item(dijon_record(), 0, subject=subject)
    pdf = render(record, DocumentKind.EXTRACT)
    assert "FINDUSUJETXYZ" in _text(pdf, tmp_path)


def test_long_meeting_renders_every_page(tmp_path: Path) -> None:
    record = meeting_of(dijon_record(), 120, paragraphs=6)
    pdf = render(record, DocumentKind.MINUTES)
    assert _pages(pdf) > 100
    assert "2023_0120" in _text(pdf, tmp_path)


@pytest.mark.slow
def test_two_thousand_page_meeting(tmp_path: Path) -> None:
    record = meeting_of(dijon_record(), 2000, paragraphs=6)
    pdf = render(record, DocumentKind.MINUTES)
    assert _pages(pdf) >= 2000


def test_unknown_item_is_a_french_error() -> None:
    with pytest.raises(InputError, match="« 99 » n'est pas dans cette séance"):
        render(dijon_record(), DocumentKind.EXTRACT, item="99")


def test_extract_of_a_meeting_of_several_items_needs_the_item() -> None:
    with pytest.raises(InputError, match="indiquez la délibération"):
        render(meeting_of(dijon_record(), 2), DocumentKind.EXTRACT)


# --- templates --------------------------------------------------------------------------

GOOD = """\
[entete]
lignes = ["République française", "Département de la Côte-d'Or"]
[logo]
fichier = "logo.png"
texte_alternatif = "Logo de la métropole"
[style]
couleur = "#1f3a93"
police = "DejaVu Sans Mono"
[pied]
texte = "Dijon métropole — 40 avenue du Drapeau"
"""


def _fonts(pdf: bytes) -> set[str]:
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        return {
            str(font.get("/BaseFont"))
            for page in doc.pages
            for font in (page.Resources.get("/Font") or {}).values()
        }


def test_template_sets_header_logo_font_and_footer(tmp_path: Path) -> None:
    folder = make_template(tmp_path / "dijon", GOOD, logo=True)
    pdf = render(dijon_record(), DocumentKind.EXTRACT, template=folder)
    text = _text(pdf, tmp_path)
    assert "République française" in text and "Dijon métropole — 40 avenue du Drapeau" in text
    assert any("DejaVuSansMono" in name for name in _fonts(pdf))
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        images = [x for p in doc.pages for x in p.get_images()]
    assert images


def test_template_layout_file_replaces_the_default(tmp_path: Path) -> None:
    folder = make_template(tmp_path / "own", "")
    (folder / "convocation.typ").write_text(
        '#import "/'
        + str(Path(render.__code__.co_filename).parent / "typst" / "lib.typ").lstrip("/")
        + '": *\n#show: setup.with(title: "Convocation")\n= Convocation maison\nSéance du #meeting.date\n',
        encoding="utf-8",
    )
    text = _text(render(dijon_record(), DocumentKind.CONVOCATION, template=folder), tmp_path)
    assert "Convocation maison" in text and "jeudi 23 novembre 2023" in text


@pytest.mark.parametrize(
    ("settings", "logo", "message"),
    [
        ('[logo]\nfichier = "logo.png"\n', True, "texte alternatif"),
        ('[logo]\nfichier = "absent.png"\ntexte_alternatif = "x"\n', False, "introuvable"),
        ('[entete]\nlignes = ["a" "b"]\n', False, r"mal formé \(ligne 2, colonne \d+"),
        ('[entete]\nlignes = ["a", "b"\n', False, r"mal formé \(à la fin du fichier"),
        ("[couleurs]\nfond = 1\n", False, r"section \[couleurs\] inconnue"),
        ('[style]\ntaille = "12pt"\n', False, "clé « taille » inconnue"),
        ('[style]\ncouleur = "bleu"\n', False, "couleur « bleu » invalide"),
        ('[style]\npolice = "Comic Sans MS"\n', False, "police « Comic Sans MS » introuvable"),
        ("[entete]\nlignes = 3\n", False, "liste de textes"),
    ],
)
def test_broken_template_is_a_french_error_naming_the_file(
    tmp_path: Path, settings: str, logo: bool, message: str
) -> None:
    folder = make_template(tmp_path / "modele", settings, logo=logo)
    with pytest.raises(InputError, match=message) as raised:
        render(dijon_record(), DocumentKind.EXTRACT, template=folder)
    assert "modele.toml" in str(raised.value)


def test_broken_layout_names_its_file_and_line(tmp_path: Path) -> None:
    folder = make_template(tmp_path / "modele", "")
    (folder / "extract.typ").write_text("= Titre\n#let x = (\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"extract\.typ, ligne 2"):
        render(dijon_record(), DocumentKind.EXTRACT, template=folder)


def test_missing_template_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="n'existe pas"):
        render(dijon_record(), DocumentKind.EXTRACT, template=tmp_path / "absent")


def _record() -> MeetingRecord:
    return dijon_record()


def test_dijon_extract_page_one_reads_in_the_order_of_the_original(tmp_path: Path) -> None:
    path = tmp_path / "extrait.pdf"
    path.write_bytes(render(dijon_record(), DocumentKind.EXTRACT))
    page_one = "\n".join(line.text for line in load(path).lines if line.page == 1)
    marks = ["EXTRAIT DU REGISTRE", "Séance du jeudi 23 novembre 2023", "Président :",
             "Secrétaire de séance :", "Convocation envoyée", "Nombre de membres en exercice",
             "Membres présents", "Monsieur François REBSAMEN", "Monsieur Stéphane WOYNAROSKI",
             "Membres absents", "Pouvoirs"]  # fmt: skip
    positions = [page_one.find(mark) for mark in marks]
    assert -1 not in positions and positions == sorted(positions), list(
        zip(marks, positions, strict=True)
    )


def test_year_tables_list_every_deliberation_by_date_and_subject(tmp_path: Path) -> None:
    from datetime import date  # noqa: PLC0415

    from registre.documents import render_year_tables  # noqa: PLC0415

    november = meeting_of(dijon_record(), 2)
    march = with_meeting(meeting_of(dijon_record(), 1), date=date(2023, 3, 9))
    other_year = with_meeting(dijon_record(), date=date(2022, 5, 5))
    text = _text(render_year_tables([november, march, other_year], 2023), tmp_path)
    assert "TABLES DES DÉLIBÉRATIONS DE L'ANNÉE 2023" in text.replace("’", "'")
    assert "Table chronologique" in text and "Table par objet" in text
    chronological = text[: text.index("Table par objet")]
    assert chronological.index("9 mars 2023") < chronological.index("23 novembre 2023")
    assert "5 mai 2022" not in text
    with pytest.raises(InputError, match="aucune des séances fournies n'a eu lieu en 2019"):
        render_year_tables([november], 2019)
