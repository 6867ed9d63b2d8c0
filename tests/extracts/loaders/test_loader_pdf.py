"""PDF text layers in reading order: built PDFs, then the real extracts."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import pytest
from loader_fixtures import CORPUS, SHARED_CORPUS, Page, Text, paragraph, write_pdf

from registre.extracts.document import Document, Method
from registre.extracts.loaders import load

MONTPELLIER = CORPUS / "montpellier"
# The five extracts kept with the tests (others may be copied next to them).
MONTPELLIER_FILES = [
    MONTPELLIER / "2014-04-05" / "2014-04-05-0000070899.pdf",
    MONTPELLIER / "2014-04-24" / "2014-04-24-0000071218.pdf",
    MONTPELLIER / "2014-04-24" / "2014-04-24-0000071267.pdf",
    MONTPELLIER / "2014-05-22" / "2014-05-22-0000072073.pdf",
    MONTPELLIER / "2014-05-22" / "2014-05-22-0000072216.pdf",
]
ALL_MONTPELLIER = sorted((SHARED_CORPUS / "montpellier").glob("*/*.pdf"))


def lines_of(document: Document) -> list[str]:
    """The lines of text, without the blank lines between blocks."""
    return [line.text for line in document.lines if line.text]


def test_two_columns_with_a_title(tmp_path: Path) -> None:
    page = Page(
        texts=(
            Text(72, 780, "COMPTE RENDU DU CONSEIL MUNICIPAL", 14),
            *paragraph(72, 740, ["Nombre de membres", "en exercice : 11", "présents : 9"]),
            *paragraph(
                250,
                740,
                [
                    "Séance du 10 juillet 2020",
                    "Présents : Denis JUVIN,",
                    "Muriel NIGGEL,",
                    "Michel VAILLIES,",
                    "Patricia MICHOT.",
                ],
            ),
        )
    )
    document = load(write_pdf(tmp_path / "colonnes.pdf", [page]))
    assert document.method is Method.PDF_TEXT
    assert document.source == str(tmp_path / "colonnes.pdf")
    assert lines_of(document) == [
        "COMPTE RENDU DU CONSEIL MUNICIPAL",
        "Nombre de membres",
        "en exercice : 11",
        "présents : 9",
        "Séance du 10 juillet 2020",
        "Présents : Denis JUVIN,",
        "Muriel NIGGEL,",
        "Michel VAILLIES,",
        "Patricia MICHOT.",
    ]


def test_pages_and_line_numbers(tmp_path: Path) -> None:
    pages = [
        Page(texts=paragraph(72, 760, ["Page un", "suite"])),
        Page(texts=paragraph(72, 760, ["Page deux"])),
    ]
    document = load(write_pdf(tmp_path / "deux.pdf", pages))
    assert document.pages == 2
    assert [(line.page, line.number, line.text) for line in document.lines] == [
        (1, 1, "Page un"),
        (1, 2, "suite"),
        (2, 3, "Page deux"),
    ]
    assert document.text == "Page un\nsuite\nPage deux"


def test_rotated_page_is_read_as_displayed(tmp_path: Path) -> None:
    # On a page turned by /Rotate 90, lines further right in the file are lower on screen.
    texts = tuple(
        Text(100 + 14 * i, 80, line, upright_on_rotated_page=True)
        for i, line in enumerate(
            ["Première ligne affichée", "Deuxième ligne affichée", "Troisième"]
        )
    )
    document = load(write_pdf(tmp_path / "paysage.pdf", [Page(texts=texts, rotate=90)]))
    assert lines_of(document) == ["Première ligne affichée", "Deuxième ligne affichée", "Troisième"]


def test_text_inside_a_form_xobject_is_placed_on_the_page(tmp_path: Path) -> None:
    # A stamp added as a form, placed by the page (cm) and by its own /Matrix.
    page = Page(
        texts=(Text(72, 760, "Avant le tampon"), Text(72, 500, "Après le tampon")),
        form_texts=(Text(2, 2, "Reçu en préfecture le 25/04/2014"),),
        form_placed_at=(70, 500),
        form_matrix_offset=(0, 120),
    )
    document = load(write_pdf(tmp_path / "tampon.pdf", [page]))
    assert lines_of(document) == [
        "Avant le tampon",
        "Reçu en préfecture le 25/04/2014",
        "Après le tampon",
    ]


def test_page_without_text_is_an_empty_page_not_a_scan(tmp_path: Path) -> None:
    document = load(
        write_pdf(tmp_path / "blanc.pdf", [Page(texts=(Text(72, 700, "Texte"),)), Page()])
    )
    assert document.method is Method.PDF_TEXT
    assert document.pages == 2
    assert [line.text for line in document.lines if line.page == 2] == [""]


def test_small_image_does_not_make_a_text_page_a_scan(tmp_path: Path) -> None:
    page = Page(texts=(Text(72, 700, "Le Maire"),), image_grey=0, width=595, height=842)
    # The grey image covers the whole page here: a scan with a few words on it.
    assert load(write_pdf(tmp_path / "scan.pdf", [page]), ocr_page_limit=0).method is Method.OCR
    text_page = Page(
        texts=paragraph(72, 760, ["Une ligne de texte assez longue pour compter"] * 10)
    )
    assert load(write_pdf(tmp_path / "texte.pdf", [text_page])).method is Method.PDF_TEXT


def test_five_hundred_pages_load_in_bounded_time(tmp_path: Path) -> None:
    lines = [
        f"Ligne {i} du procès-verbal, avec assez de mots pour remplir la page." for i in range(40)
    ]
    page = Page(texts=paragraph(60, 800, lines, size=9, leading=18))
    path = write_pdf(tmp_path / "long.pdf", [page] * 500)
    started = time.perf_counter()
    document = load(path)
    elapsed = time.perf_counter() - started
    assert document.pages == 500
    assert len(lines_of(document)) == 500 * 40
    assert elapsed < 30, f"500 pages in {elapsed:.1f} s"


# The Montpellier extracts: a narrow left column of labels beside the body.


def check_montpellier(document: Document) -> None:
    """The invariants of a Montpellier extract read in order."""
    lines = lines_of(document)
    assert any(re.fullmatch(r"n° \d{4} / \d+", line) for line in lines), (
        "the deliberation number alone on a line"
    )
    presents = lines.index("Présents :")
    absents = next(i for i, line in enumerate(lines) if i > presents and line.startswith("Absents"))
    assert lines[presents + 1].startswith("Fabien ABERT")
    labels = {
        "Extrait du registre des",
        "délibérations du Conseil",
        "Municipal de la Ville de",
        "Montpellier",
    }
    assert labels <= set(lines[:presents]), "each label line is a line of its own, before the list"
    names = lines[presents + 1 : absents]
    assert not labels & set(names)
    joined = " ".join(names)
    for name in ("Sabria BOUALLAGA", "Fabien ABERT", "Rabii YOUSSOUS"):
        assert name in joined
    # A name is split over two lines only at the end of a printed line.
    for before, after in pairwise(names):
        if before.endswith("Sabria"):
            assert after.startswith("BOUALLAGA")
    order = ["Accusé de réception", "Convoqué le", "Présents :", "Absents ayant voté", "Absents :"]
    positions = [next(i for i, line in enumerate(lines) if line.startswith(word)) for word in order]
    assert positions == sorted(positions)
    # The body follows the list: the rapporteur, then the decision.
    body = next((i for i, line in enumerate(lines) if "rapporte" in line), absents + 1)
    decided = next(
        i for i, line in enumerate(lines) if re.match(r"Le Conseil (?:[Aa]dopte|[Rr]ejette)", line)
    )
    assert absents < body < decided


@pytest.mark.parametrize("path", MONTPELLIER_FILES, ids=lambda p: p.stem)
def test_montpellier_reading_order(path: Path) -> None:
    document = load(path)
    assert document.method is Method.PDF_TEXT
    check_montpellier(document)


def test_montpellier_name_split_as_printed() -> None:
    may = lines_of(load(MONTPELLIER_FILES[4]))
    at = next(i for i, line in enumerate(may) if line.endswith("Françoise BONNET, Sabria"))
    assert may[at + 1].startswith("BOUALLAGA, Djamel BOUMAAZ")
    april = lines_of(load(MONTPELLIER_FILES[1]))
    assert (
        "BARTHAS-ORSAL, Françoise BONNET,Sabria BOUALLAGA, Anne BRISSAUD,Nancy CANAUD,Gérard CASTRE, Mylène"
        in april
    )
    levy = next(i for i, line in enumerate(april) if "Chantal LEVY-" in line)
    assert april[levy].endswith("Chantal LEVY-")
    assert april[levy + 1].startswith("RAMEAU, Nicole LIZA")


def test_montpellier_extract_in_full() -> None:
    lines = lines_of(load(MONTPELLIER_FILES[1]))
    assert lines[:16] == [
        "Accusé de réception – Ministère de l’intérieur",
        "034-213401722-20140424-0000071218-DE",
        "Direction du Secrétariat",
        "Général",
        "Service de l'Assemblée",
        "Séance publique du",
        "jeudi 24 avril 2014",
        "Acte Certifié exécutoire",
        "Envoi Préfecture : 25/04/2014",
        "Réception en Préfecture : 25/04/2014",
        "Extrait du registre des",
        "délibérations du Conseil",
        "Municipal de la Ville de",
        "Montpellier",
        "n° 2014 / 144",
        "Convoqué le 17 avril 2014 , le Conseil Municipal de la Ville de Montpellier s'est réuni",
    ]
    assert lines[-7:] == [
        "A été élue :",
        "- Madame Brigitte ROUSSEL-GALIANA.",
        "Le Conseil Adopte.",
        "Pour extrait conforme,",
        "Monsieur le Maire,",
        "Philippe SAUREL",
        "Publiée le : 25/04/2014",
    ]


@pytest.mark.skipif(
    not ALL_MONTPELLIER, reason="the shared Montpellier corpus is not on this machine"
)
def test_all_montpellier_extracts() -> None:
    for path in ALL_MONTPELLIER:
        try:
            check_montpellier(load(path))
        except AssertionError as error:
            raise AssertionError(f"{path.name}: {error}") from error


def layout_lines(path: Path) -> list[str]:
    """The lines pdftotext -layout prints, spaces collapsed."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return [" ".join(line.split()) for line in out.stdout.splitlines()]


@pytest.mark.skipif(
    not ALL_MONTPELLIER or shutil.which("pdftotext") is None,
    reason="needs the shared corpus and pdftotext",
)
def test_montpellier_presence_lists_match_the_printed_lines() -> None:
    """Each line of the list is a printed line (pdftotext -layout), none glued or cut."""
    for path in ALL_MONTPELLIER:
        lines = lines_of(load(path))
        start = lines.index("Présents :")
        end = next(i for i, line in enumerate(lines) if i > start and line.startswith("Absents"))
        printed = layout_lines(path)
        first = next(i for i, line in enumerate(printed) if "Présents" in line)
        last = next(
            i for i, line in enumerate(printed) if i > first and re.search(r"\bAbsents\b", line)
        )
        expected = [line for line in printed[first + 1 : last] if line]
        squeezed = [re.sub(r"\s", "", line) for line in printed]
        ours = lines[start + 1 : end]
        assert len(ours) == len(expected), path.name
        for line in ours:
            assert any(re.sub(r"\s", "", line) in row for row in squeezed), f"{path.name}: {line}"


# One-column minutes.


def test_couthenans_minutes() -> None:
    lines = lines_of(load(CORPUS / "couthenans" / "CR_reunion_20210409.pdf"))
    assert lines[0] == "CR du conseil municipal 09 avril 2021"
    assert lines[1].startswith("Présents : Jean-Pierre, Yves, Jacques, Hélène")
    assert lines[2] == "Marc, Marielle, Mario, Maryline, Nelly, Adeline"


@pytest.mark.parametrize(
    "name",
    ["CR_conseil_municipal_07_10_2022.pdf", "CR_reunion_20210409.pdf", "CR_reunion_20210917.pdf"],
)
def test_couthenans_same_words_in_same_order_as_pdftotext(name: str) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    path = CORPUS / "couthenans" / name
    ours = " ".join(lines_of(load(path))).split()
    theirs = " ".join(layout_lines(path)).split()
    assert ours == theirs


def test_preuilly_minutes() -> None:
    document = load(CORPUS / "preuilly-sur-claise" / "PV-2020-07-23.pdf")
    lines = lines_of(document)
    assert document.pages == 10
    assert lines[:4] == [
        "PROCES VERBAL DU CONSEIL MUNICIPAL",
        "DE LA COMMUNE DE PREUILLY SUR CLAISE",
        "Séance du 23 Juillet 2020",
        "Le vingt trois Juillet deux mille vingt par convocation en date du 09 Juillet 2020, le Conseil Municipal",
    ]
    presents = lines.index("Présents :")
    assert lines[presents + 1].startswith("M.CHARRIER Jean-Paul Maire, M.THOREAU Gérard")
    assert (
        "Nombre de Conseillers en exercice : 15- Présents 14 - Votants 14-Le quorum étant atteint"
        in lines
    )
    assert (
        "Vu le décret n° 2001-623 du 12 Juillet 2001 pris pour l’application de l’article 7-1 de la loi n° 84-53 DU"
        in lines
    )


def test_loading_from_several_threads_gives_the_same_documents() -> None:
    # pdfium is not thread-safe: the loader serialises its calls.
    paths = [*MONTPELLIER_FILES, CORPUS / "couthenans" / "CR_reunion_20210409.pdf"] * 3
    expected = {path: load(path) for path in paths}
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(load, paths))
    assert results == [expected[path] for path in paths]
