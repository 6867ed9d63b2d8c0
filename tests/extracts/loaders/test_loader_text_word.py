"""Plain text in its encodings, Word .doc (antiword), .docx and .odt (their XML)."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest
from loader_fixtures import (
    CORPUS,
    Page,
    Text,
    docx_paragraph,
    docx_table,
    write_docx,
    write_odt,
    write_pdf,
)

from registre.errors import InputError
from registre.extracts.document import Method
from registre.extracts.loaders import load

TEXT = "Séance du 3 mars 2024\nPrésents : Jeanne MARTIN, Paul DURAND\fPage deux : délibération adoptée\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("cp1252"),
        TEXT.encode("utf-16"),  # with its BOM
        TEXT.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252", "utf-16", "crlf"],
)
def test_plain_text_encodings_and_pages(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "extrait.txt"
    path.write_bytes(data)
    document = load(path)
    assert document.method is Method.TEXT
    assert document.source == str(path)
    assert document.pages == 2
    assert [(line.page, line.text) for line in document.lines] == [
        (1, "Séance du 3 mars 2024"),
        (1, "Présents : Jeanne MARTIN, Paul DURAND"),
        (2, "Page deux : délibération adoptée"),
    ]


def test_latin1_bytes_undefined_in_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "ancien.txt"
    line = "Délibération n\x81 12 : le conseil municipal approuve le budget primitif de l'exercice."
    path.write_bytes(line.encode("latin-1"))
    assert load(path).text == line


def test_text_with_another_extension_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "extrait.csv"
    path.write_text("date;objet\n2024-03-03;budget\n", encoding="utf-8")
    assert load(path).method is Method.TEXT


def test_content_decides_not_the_name(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "extrait.txt", [Page(texts=(Text(72, 700, "Un PDF mal nommé"),))])
    document = load(path)
    assert document.method is Method.PDF_TEXT
    assert document.text == "Un PDF mal nommé"


def test_word_doc_through_antiword() -> None:
    document = load(CORPUS / "flaux" / "20200710-5_-_compte_rendu_du_10_juillet.doc")
    assert document.method is Method.WORD
    assert "Séance du 10 juillet 2020" in document.text
    assert any(line.text.startswith("|REPUBLIQUE FRANCAISE") for line in document.lines)
    assert "Présents\xa0: Denis JUVIN - Muriel NIGGEL" in document.text
    assert "Jean-Pierre PLUS –- Michel VAILLIES" in document.text  # UTF-8 dashes kept


def test_missing_antiword_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(InputError, match="apt-get install antiword"):
        load(CORPUS / "flaux" / "20200710-5_-_compte_rendu_du_10_juillet.doc")


def test_ole_file_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "classeur.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    with pytest.raises(InputError, match=r"document Word \.doc"):
        load(path)


def test_docx_paragraphs_tables_and_page_breaks(tmp_path: Path) -> None:
    body = (
        docx_paragraph("Séance du 3 mars 2024")
        + docx_paragraph("Présents : Jeanne MARTIN, Paul DURAND")
        + docx_table([["Pour", "12"], ["Contre", "3"], ["", ""]])
        + docx_paragraph("Délibération adoptée", page_break_before=True)
    )
    document = load(write_docx(tmp_path / "pv.docx", body))
    assert document.method is Method.WORD
    assert document.pages == 2
    assert [(line.page, line.text) for line in document.lines] == [
        (1, "Séance du 3 mars 2024"),
        (1, "Présents : Jeanne MARTIN, Paul DURAND"),
        (1, "Pour | 12"),
        (1, "Contre | 3"),
        (1, ""),
        (2, "Délibération adoptée"),
    ]


def test_docx_details(tmp_path: Path) -> None:
    w = "w:"
    body = (
        f"<{w}p><{w}r><{w}t>Vote :</{w}t></{w}r><{w}r><{w}tab/><{w}t>POUR</{w}t></{w}r></{w}p>"
        f"<{w}p><{w}r><{w}t>ligne</{w}t><{w}br/><{w}t>coupée</{w}t></{w}r></{w}p>"
        f"<{w}p><{w}del><{w}r><{w}delText>supprimé</{w}delText></{w}r></{w}del><{w}r><{w}t>gardé</{w}t></{w}r></{w}p>"
        f"<{w}sdt><{w}sdtContent><{w}p><{w}r><{w}t>dans un contrôle</{w}t></{w}r></{w}p></{w}sdtContent></{w}sdt>"
        f"<{w}tbl><{w}tr><{w}tc><{w}p><{w}r><{w}t>a</{w}t></{w}r></{w}p><{w}p><{w}r><{w}t>b</{w}t></{w}r></{w}p></{w}tc>"
        f"<{w}tc><{w}p><{w}r><{w}t>c</{w}t></{w}r></{w}p></{w}tc></{w}tr></{w}tbl>"
    )
    document = load(write_docx(tmp_path / "details.docx", body))
    assert [line.text for line in document.lines] == [
        "Vote :\tPOUR",
        "ligne",
        "coupée",
        "gardé",
        "dans un contrôle",
        "a b | c",
    ]


def test_docx_uses_the_page_breaks_word_recorded(tmp_path: Path) -> None:
    body = (
        "<w:p><w:r><w:t>page un</w:t></w:r></w:p>"
        "<w:p><w:r><w:lastRenderedPageBreak/><w:t>page deux</w:t></w:r></w:p>"
        '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        "<w:p><w:r><w:lastRenderedPageBreak/><w:t>page trois</w:t></w:r></w:p>"
    )
    document = load(write_docx(tmp_path / "rendu.docx", body))
    assert document.pages == 3
    assert [(line.page, line.text) for line in document.lines if line.text] == [
        (1, "page un"),
        (2, "page deux"),
        (3, "page trois"),
    ]


def test_odt_paragraphs_lists_tables_and_pages(tmp_path: Path) -> None:
    body = (
        "<text:h>Séance du 3 mars 2024</text:h>"
        '<text:p>Présents :<text:s text:c="2"/>Jeanne <text:span>MARTIN</text:span>, Paul DURAND</text:p>'
        "<text:list><text:list-item><text:p>premier point</text:p></text:list-item>"
        "<text:list-item><text:p>second point<text:note><text:note-body><text:p>note</text:p></text:note-body></text:note></text:p></text:list-item></text:list>"
        "<table:table><table:table-header-rows><table:table-row><table:table-cell><text:p>Vote</text:p></table:table-cell>"
        "<table:table-cell><text:p>Voix</text:p></table:table-cell></table:table-row></table:table-header-rows>"
        "<table:table-row><table:table-cell><text:p>Pour</text:p></table:table-cell>"
        "<table:table-cell><text:p>12</text:p></table:table-cell></table:table-row></table:table>"
        "<text:soft-page-break/>"
        "<text:p>Délibération adoptée<text:line-break/>à l'unanimité</text:p>"
    )
    document = load(write_odt(tmp_path / "pv.odt", body))
    assert document.method is Method.WORD
    assert document.pages == 2
    assert [(line.page, line.text) for line in document.lines if line.text] == [
        (1, "Séance du 3 mars 2024"),
        (1, "Présents :  Jeanne MARTIN, Paul DURAND"),
        (1, "premier point"),
        (1, "second point"),
        (1, "Vote | Voix"),
        (1, "Pour | 12"),
        (2, "Délibération adoptée"),
        (2, "à l'unanimité"),
    ]


def test_docx_with_a_dtd_is_refused(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "bombe.docx", "<w:p/>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]><d>&a;</d>',
        )
    with pytest.raises(InputError, match="DTD"):
        load(path)


def test_broken_docx_xml(tmp_path: Path) -> None:
    path = tmp_path / "casse.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
    with pytest.raises(InputError, match="endommagé"):
        load(path)
