"""The members' CSV import: encodings, separators, headers, each rejection, line numbers.

The fixtures in tests/data/members/ hold the same six members, written with Python's
csv module: UTF-8 with BOM and `;` (Excel « CSV UTF-8 »), UTF-8 with `,` and LF
(LibreOffice), Windows-1252 with `;` and CRLF (Excel « CSV (point-virgule) »).
"""

from __future__ import annotations

import codecs
import csv
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registre.web.members.csvimport import (
    MAX_BYTES,
    Civility,
    CsvImportError,
    ImportReport,
    MemberRow,
    Rejected,
    parse_members_csv,
)

DATA = Path(__file__).parent.parent / "data" / "members"
HEADER = "Civilité;Prénom;Nom;Courriel;Date de naissance;Début du mandat;Fin du mandat;Qualité;Suppléant de"


def _row(
    line: int,
    first_name: str,
    last_name: str,
    *,
    civility: Civility | None = None,
    email: str = "",
    birth_date: date | None = None,
    mandate_start: date | None = None,
    mandate_end: date | None = None,
    role: str = "",
    substitute_of: str = "",
) -> MemberRow:
    return MemberRow(
        line, civility, first_name, last_name, email, birth_date, mandate_start, mandate_end,
        role, substitute_of,
    )  # fmt: skip


EXPECTED = (
    _row(2, "Élise", "Bérénger", civility=Civility.MADAME, email="elise.berenger@example.fr",
         birth_date=date(1968, 7, 3), mandate_start=date(2020, 6, 28), role="Maire"),
    _row(3, "Jean-François", "d'Harcourt", civility=Civility.MONSIEUR,
         email="jf.dharcourt@example.fr", birth_date=date(1955, 11, 23),
         mandate_start=date(2020, 6, 28), role="Premier adjoint, finances; budget"),
    _row(4, "Françoise", "Lœuvre", civility=Civility.MADAME, birth_date=date(1972, 2, 14),
         mandate_start=date(2020, 6, 28), mandate_end=date(2023, 3, 15),
         role="Conseillère municipale"),
    _row(5, "Éric", "LEFÈVRE-DUBŒUF", civility=Civility.MONSIEUR, email="eric.lefevre@example.fr",
         birth_date=date(1980, 9, 1), mandate_start=date(2023, 3, 15), role="Conseiller municipal"),
    _row(6, "Aïssatou", "N’Diaye", civility=Civility.MADAME, birth_date=date(1990, 5, 5),
         mandate_start=date(2020, 6, 28), role="Conseillère communautaire suppléante",
         substitute_of="Jean-François d'Harcourt"),
    _row(7, "Hervé", "Çelik", civility=Civility.MONSIEUR, role="Vice-président"),
)  # fmt: skip


def _parse(text: str) -> ImportReport:
    return parse_members_csv(text.encode("utf-8"))


def _error(data: bytes, filename: str = "membres.csv") -> str:
    with pytest.raises(CsvImportError) as info:
        parse_members_csv(data, filename)
    return str(info.value)


def _rejected(line: str) -> Rejected:
    """The single rejection of a file made of the header and one line."""
    report = _parse(f"{HEADER}\n{line}\n")
    assert report.rows == ()
    (rejected,) = report.rejected
    assert rejected.line == 2
    return rejected


# Encodings and separators


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("membres-utf8-bom.csv", "utf-8-sig", ";"),
        ("membres-utf8.csv", "utf-8", ","),
        ("membres-excel-cp1252.csv", "cp1252", ";"),
    ],
)
def test_each_fixture_gives_the_same_members(name: str, encoding: str, delimiter: str) -> None:
    report = parse_members_csv((DATA / name).read_bytes(), name)
    assert report.encoding == encoding
    assert report.delimiter == delimiter
    assert report.rejected == ()
    assert report.rows == EXPECTED


def test_fixtures_are_encoded_as_their_names_say() -> None:
    bom = (DATA / "membres-utf8-bom.csv").read_bytes()
    plain = (DATA / "membres-utf8.csv").read_bytes()
    excel = (DATA / "membres-excel-cp1252.csv").read_bytes()
    assert bom.startswith(codecs.BOM_UTF8)
    assert not plain.startswith(codecs.BOM_UTF8)
    assert "Lœuvre".encode() in plain
    assert b"\r\n" not in plain
    assert "Lœuvre".encode("cp1252") in excel
    assert excel.count(b"\r\n") == excel.count(b"\n") == 7
    with pytest.raises(UnicodeDecodeError):
        excel.decode("utf-8")


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_the_separator_is_found_from_the_header(delimiter: str) -> None:
    text = f"Prénom{delimiter}Nom{delimiter}Qualité\nJean{delimiter}Dupont{delimiter}Maire\n"
    report = _parse(text)
    assert report.delimiter == delimiter
    assert report.rows == (_row(2, "Jean", "Dupont", role="Maire"),)


def test_a_comma_inside_a_semicolon_file_is_part_of_the_cell() -> None:
    report = _parse("Prénom;Nom;Qualité\nJean;Dupont;Adjoint, finances\n")
    assert report.delimiter == ";"
    assert report.rows[0].role == "Adjoint, finances"


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ('Prénom;Nom;"Observations, remarques, divers, notes"', ";"),
        ('Prénom,Nom,"Qualité; fonction; rôle",Notes', ","),
        ("Prénom;Nom", ";"),
        ("Prénom\tNom\tQualité, fonction; rôle\tNotes", "\t"),
    ],
)
def test_the_separator_is_the_one_that_finds_the_columns(header: str, delimiter: str) -> None:
    assert _parse(f"{header}\n").delimiter == delimiter


def test_excel_sep_line_sets_the_separator_and_counts_as_a_line() -> None:
    report = _parse("sep=,\nPrénom,Nom,Qualité\nJean,Dupont,Adjoint; finances\n")
    assert report.delimiter == ","
    assert report.rows == (_row(3, "Jean", "Dupont", role="Adjoint; finances"),)


# Header


@pytest.mark.parametrize(
    "header",
    [
        "civilite;prenom;nom;email;naissance;debut;fin;fonction;titulaire",
        "CIVILITÉ ; PRÉNOM ; NOM DE FAMILLE ; E-MAIL ; DATE DE NAISSANCE ; DÉBUT DU MANDAT ; FIN DU MANDAT ; QUALITÉ ; SUPPLÉANT DE",
        "Civ;Prénom;Nom;Adresse électronique;Date  de  naissance;Date d'installation;Fin de mandat;Rôle;Suppléante de",
        "Titre;First name;Last name;Mail;Date of birth;Date d’élection;Fin;Fonction;Substitute of",
        "Titre;First_Name;Last-Name;courriel;Naissance;date d'election;fin du mandat;qualite;Titulaire",
    ],
)
def test_header_names_are_matched_without_case_accents_or_spacing(header: str) -> None:
    line = "Mme;Anne;Roy;anne.roy@example.fr;01/02/1970;03/04/2020;05/06/2026;Adjointe;Paul Roy"
    assert _parse(f"{header}\n{line}\n").rows == (
        _row(2, "Anne", "Roy", civility=Civility.MADAME, email="anne.roy@example.fr",
             birth_date=date(1970, 2, 1), mandate_start=date(2020, 4, 3),
             mandate_end=date(2026, 6, 5), role="Adjointe", substitute_of="Paul Roy"),
    )  # fmt: skip


def test_unknown_columns_are_ignored_and_columns_may_come_in_any_order() -> None:
    report = _parse("Commune;Nom;Bureau;Prénom\nDijon;Dupont;3;Jean\n")
    assert report.rows == (_row(2, "Jean", "Dupont"),)
    assert report.rejected == ()


def test_when_two_columns_fill_one_field_the_first_wins() -> None:
    report = _parse("Prénom;Nom;Fonction;Qualité;Nom d'usage\nJean;Roy;Adjoint;Élu;Leroy\n")
    assert report.rows == (_row(2, "Jean", "Roy", role="Adjoint"),)


@pytest.mark.parametrize(
    ("header", "missing"), [("Nom;Qualité", "« prénom »"), ("Prénom;Rôle", "« nom »")]
)
def test_a_missing_required_column_names_what_is_missing_and_found(
    header: str, missing: str
) -> None:
    message = _error(f"{header}\nJean;Maire\n".encode())
    assert f"il y manque {missing}" in message
    first, second = header.split(";")
    assert f"colonnes trouvées : « {first} », « {second} »." in message
    assert "Colonnes reconnues : civilité, prénom, nom, courriel" in message


def test_a_combined_name_column_gets_a_hint() -> None:
    message = _error("Nom et prénom;Qualité\nJean Dupont;Maire\n".encode())
    assert "il y manque « prénom » et « nom »" in message
    assert "deux colonnes séparées" in message


# Values


@pytest.mark.parametrize(
    ("value", "civility"),
    [("M", Civility.MONSIEUR), ("M.", Civility.MONSIEUR), ("Monsieur", Civility.MONSIEUR),
     ("Mr", Civility.MONSIEUR), ("mme", Civility.MADAME), ("Mme.", Civility.MADAME),
     ("MADAME", Civility.MADAME), ("Mlle", Civility.MADAME), ("", None)],
)  # fmt: skip
def test_civilities(value: str, civility: Civility | None) -> None:
    assert _parse(f"Civilité;Prénom;Nom\n{value};Anne;Roy\n").rows[0].civility == civility


@pytest.mark.parametrize(
    "value",
    ["05/03/1970", "5/3/1970", "1970-03-05", "05-03-1970", "05.03.1970", "05/03/1970 00:00"],
)
def test_date_formats(value: str) -> None:
    report = _parse(f"Prénom;Nom;Date de naissance\nAnne;Roy;{value}\n")
    assert report.rows[0].birth_date == date(1970, 3, 5)


def test_names_and_cells_are_stripped_and_spaces_collapsed() -> None:
    report = _parse("Prénom;Nom;Qualité\n  Jean -  François ; de\u00a0 La  Tour ;  Adjoint  \n")
    assert report.rows == (_row(2, "Jean - François", "de La Tour", role="Adjoint"),)


# Rejections, one per reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            "Dr;Anne;Roy;;;;;;",
            "ligne 2 : la civilité « Dr » n'est pas reconnue ; écrivez « M. » ou « Mme », ou laissez la cellule vide",
        ),
        ("Mme; ;Roy;;;;;;", "ligne 2 : le prénom est vide ; complétez-le ou supprimez la ligne"),
        ("Mme;Anne;;;;;;;", "ligne 2 : le nom est vide ; complétez-le ou supprimez la ligne"),
        (
            "Mme;Anne;Roy;anne.roy@example;;;;;",
            "ligne 2 : l'adresse électronique « anne.roy@example » n'est pas valide ; écrivez-la sous la forme nom@domaine.fr",
        ),
        (
            "Mme;Anne;Roy;anne roy@example.fr;;;;;",
            "ligne 2 : l'adresse électronique « anne roy@example.fr » n'est pas valide ; écrivez-la sous la forme nom@domaine.fr",
        ),
        (
            "Mme;Anne;Roy;;31/02/1970;;;;",
            "ligne 2 : la date de naissance « 31/02/1970 » n'existe pas ; écrivez JJ/MM/AAAA",
        ),
        (
            "Mme;Anne;Roy;;;bientôt;;;",
            "ligne 2 : la date de début du mandat « bientôt » n'est pas une date ; écrivez JJ/MM/AAAA",
        ),
        (
            "Mme;Anne;Roy;;;;12/03/20;;",
            "ligne 2 : la date de fin du mandat « 12/03/20 » n'est pas une date ; écrivez JJ/MM/AAAA",
        ),
        (
            "Mme;Anne;Roy;;;;2026-13-01;;",
            "ligne 2 : la date de fin du mandat « 2026-13-01 » n'existe pas ; écrivez JJ/MM/AAAA",
        ),
        (
            "Mme;Anne;Roy;;;01/07/2020;30/06/2020;;",
            "ligne 2 : la fin du mandat (30/06/2020) précède son début (01/07/2020) ; corrigez l'une des deux dates",
        ),
        (
            "Mme;Anne;Roy;;;;;;;Dijon",
            "ligne 2 : trop de colonnes : vérifiez le séparateur (10 cellules pour 9 colonnes dans l'en-tête ; une cellule contenant le séparateur doit être entre guillemets)",
        ),
        (
            f"Mme;Anne;{'R' * 101};;;;;;",
            "ligne 2 : la cellule « nom » dépasse 100 caractères ; raccourcissez-la",
        ),
    ],
)
def test_each_rejection_reason(line: str, reason: str) -> None:
    assert _rejected(line).reason == reason


def test_every_problem_of_a_line_is_reported_together() -> None:
    reason = _rejected("Dr;;Roy;;31/02/1970;;;;").reason
    assert reason == (
        "ligne 2 : la civilité « Dr » n'est pas reconnue ; écrivez « M. » ou « Mme », ou laissez "
        "la cellule vide ; le prénom est vide ; complétez-le ou supprimez la ligne ; la date de "
        "naissance « 31/02/1970 » n'existe pas ; écrivez JJ/MM/AAAA"
    )


def test_extra_empty_cells_and_missing_trailing_cells_are_fine() -> None:
    report = _parse(f"{HEADER}\nMme;Anne;Roy;;;;;;;;;\nM.;Paul;Roy\n")
    assert report.rejected == ()
    assert [row.first_name for row in report.rows] == ["Anne", "Paul"]


def test_a_rejected_line_does_not_stop_the_others() -> None:
    report = _parse("Prénom;Nom;Date de naissance\nAnne;Roy;31/02/1970\nPaul;Roy;01/01/1970\n")
    assert report.rows == (_row(3, "Paul", "Roy", birth_date=date(1970, 1, 1)),)
    assert [r.line for r in report.rejected] == [2]


# Duplicates and line numbers


def test_duplicates_ignore_case_accents_and_spacing_but_not_birth_date() -> None:
    report = _parse(
        "Prénom;Nom;Date de naissance\n"
        "Jean-François;Lœuvre;01/01/1960\n"
        "Jean-François;Lœuvre;02/02/1990\n"
        "JEAN FRANCOIS;lœuvre;1960-01-01\n"
        "Jean-François;Lœuvre;01/01/1960\n"
    )
    assert [row.line for row in report.rows] == [2, 3]
    assert report.rejected == (
        Rejected(4, "ligne 4 : doublon de la ligne 2 (mêmes prénom, nom et date de naissance) ; supprimez l'une des deux lignes"),
        Rejected(5, "ligne 5 : doublon de la ligne 2 (mêmes prénom, nom et date de naissance) ; supprimez l'une des deux lignes"),
    )  # fmt: skip


def test_a_duplicate_of_a_rejected_line_is_not_a_duplicate() -> None:
    report = _parse("Prénom;Nom;Courriel\nAnne;Roy;pas-un-courriel\nAnne;Roy;anne@example.fr\n")
    assert [row.line for row in report.rows] == [3]
    assert [r.line for r in report.rejected] == [2]


def test_line_numbers_are_physical_lines_across_quoted_newlines_and_blank_lines() -> None:
    text = (
        "\r\n"  # 1: blank line before the header
        "Prénom;Nom;Qualité\r\n"  # 2
        'Anne;Roy;"Adjointe\r\naux finances\r\net au budget"\r\n'  # 3-5
        ";;\r\n"  # 6: an empty spreadsheet row, skipped
        "\r\n"  # 7
        "Paul;;Conseiller\r\n"  # 8: rejected
        'Marie;"Le\nGall";\n'  # 9-10
        "Luc;Roy;\n"  # 11
    )
    report = _parse(text)
    assert [(row.line, row.last_name) for row in report.rows] == [
        (3, "Roy"),
        (9, "Le Gall"),
        (11, "Roy"),
    ]
    assert report.rows[0].role == "Adjointe aux finances et au budget"
    assert report.rejected == (
        Rejected(8, "ligne 8 : le nom est vide ; complétez-le ou supprimez la ligne"),
    )


# Whole-file errors


def test_header_only_gives_an_empty_report() -> None:
    report = parse_members_csv(f"{HEADER}\r\n".encode("cp1252"))
    assert report == ImportReport(rows=(), rejected=(), encoding="cp1252", delimiter=";")


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", codecs.BOM_UTF8, b";;;\r\n;;;\r\n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    assert _error(data, "liste.csv").startswith("« liste.csv » est vide ;")


def test_an_xlsx_file_is_refused_with_the_csv_hint() -> None:
    xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml" + bytes(200)
    message = _error(xlsx, "élus.xlsx")
    assert message.startswith(
        "« élus.xlsx » est un classeur ou un fichier binaire, pas un fichier CSV"
    )
    assert "enregistrez-le au format CSV" in message


def test_a_utf16_file_is_refused_with_the_csv_hint() -> None:
    message = _error(codecs.BOM_UTF16_LE + "Prénom\tNom\r\n".encode("utf-16-le"))
    assert "UTF-16" in message
    assert "enregistrez-le au format CSV" in message


def test_a_file_with_nul_bytes_is_refused_as_binary() -> None:
    # UTF-16 without BOM: the NUL bytes would otherwise end up inside the names.
    message = _error(f"{HEADER}\r\nMme;Anne;Roy\r\n".encode("utf-16-le"))
    assert "est un classeur ou un fichier binaire, pas un fichier CSV" in message


def test_a_file_in_no_known_encoding_is_refused() -> None:
    # 0x81 is neither valid UTF-8 here nor a Windows-1252 character.
    message = _error(b"Pr\x81nom;Nom\r\nAnne;Roy\r\n")
    assert "n'est pas un texte lisible (ni UTF-8, ni Windows-1252)" in message


@pytest.mark.parametrize("limit", [None, sys.maxsize])  # frictionless raises it to the maximum
def test_an_unclosed_quote_swallowing_the_file_is_refused_with_its_line(limit: int | None) -> None:
    before = csv.field_size_limit()
    if limit is not None:
        csv.field_size_limit(limit)
    try:
        _unclosed_quotes_refused()
    finally:
        csv.field_size_limit(before)


def _unclosed_quotes_refused() -> None:
    text = 'Prénom;Nom\nAnne;Roy\nPaul;"Roy\n' + "Jean;Dupont\n" * 20_000
    message = _error(text.encode())
    assert "ligne 3 : une cellule ne se termine pas" in message
    assert "ligne 1 :" in _error(b'"' + b"x" * 200_000)  # even on the header


@pytest.fixture(scope="module")
def ten_megabytes() -> bytes:
    """A file of exactly MAX_BYTES: about 100,000 members, the last line padded."""
    header = f"{HEADER};Observations\r\n".encode("cp1252")
    line = "Mme;Élise{0};Bérénger-Lœuvre{0};elise{0}@example.fr;03/07/1968;28/06/2020;;Conseillère;;\r\n"
    lines = [header]
    size, index = len(header), 0
    while size + 200 < MAX_BYTES:
        encoded = line.format(index).encode("cp1252")
        lines.append(encoded)
        size, index = size + len(encoded), index + 1
    last = f"M.;Paul;Roy;;;;;;;{'x' * (MAX_BYTES - size - 20)}".encode("cp1252")
    lines.append(last + b" " * (MAX_BYTES - size - len(last)))
    return b"".join(lines)


def test_a_ten_megabyte_file_is_accepted(ten_megabytes: bytes) -> None:
    assert len(ten_megabytes) == MAX_BYTES
    report = parse_members_csv(ten_megabytes)
    assert report.encoding == "cp1252"
    assert report.rejected == ()
    assert len(report.rows) > 90_000
    assert report.rows[-1].last_name == "Roy"
    assert report.rows[0].last_name == "Bérénger-Lœuvre0"


def test_one_byte_more_is_refused(ten_megabytes: bytes) -> None:
    message = _error(ten_megabytes + b"\n")
    assert "trop volumineux (10 485 761 octets ; la limite est de 10 Mo)" in message


# Fuzzing: nothing but CsvImportError escapes


@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_report_or_a_csv_import_error(data: bytes) -> None:
    try:
        report = parse_members_csv(data)
    except CsvImportError:
        return
    assert all(row.first_name and row.last_name for row in report.rows)


_CELL = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20
) | st.sampled_from(
    ["M.", "Mme", "31/02/1970", "1/2/1970", "2020-01-01", "a@b.fr", '"', '"a;b"', "\r\n"]
)


@given(st.lists(st.lists(_CELL, max_size=12), max_size=20))
def test_arbitrary_lines_under_a_valid_header_give_a_report(lines: list[list[str]]) -> None:
    report = _parse(HEADER + "\n" + "\n".join(";".join(cells) for cells in lines))
    assert all(r.reason.startswith(f"ligne {r.line} : ") for r in report.rejected)
    numbers = [row.line for row in report.rows] + [r.line for r in report.rejected]
    assert len(set(numbers)) == len(numbers)
    assert all(number >= 2 for number in numbers)
