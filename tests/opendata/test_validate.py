"""The SCDL validation: the Table Schema written from the 2.1.5 documentation, the
cross-column checks as frictionless row constraints, French messages; the demo's
export valid; each kind of broken row caught."""

from __future__ import annotations

import pytest

from factories import dijon_record
from registre.opendata import (
    COLUMNS,
    LEVEL_2,
    REQUIRED,
    ROW_CONSTRAINTS,
    Problem,
    column_names,
    csv_text,
    scdl_rows,
    schema_descriptor,
    validate_csv,
)

DEMO_SIRET = "24210041000000"  # the demo's placeholder (demo-values.md)
HEADER = ",".join(c.value for c in COLUMNS)
# one valid row, every column filled (values as in the schema's documentation)
FULL = {
    "COLL_NOM": "Ville de Poitiers", "COLL_SIRET": "21860194600013", "DELIB_ID": "1DL15494",
    "DELIB_DATE": "2017-10-15", "DELIB_MATIERE_CODE": "8.4",
    "DELIB_MATIERE_NOM": "domaines de compétences par thèmes/aménagement du territoire",
    "DELIB_OBJET": "Lancement d'une démarche partenariale", "BUDGET_ANNEE": "2017/2018",
    "BUDGET_NOM": "Budget annexe déchets-collecte et traitement", "PREF_ID": "PREF038",
    "PREF_DATE": "2017-10-20", "VOTE_EFFECTIF": "43", "VOTE_REEL": "40", "VOTE_POUR": "25",
    "VOTE_CONTRE": "10", "VOTE_ABSTENTION": "5",
    "DELIB_URL": "https://data.maville.fr/deliberations/files/200417_1.pdf",
}  # fmt: skip


def csv_of(*rows: dict[str, str]) -> bytes:
    lines = [HEADER] + [",".join(f'"{row.get(c.value, "")}"' for c in COLUMNS) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_the_schema_is_the_17_columns_with_their_types_and_required_fields() -> None:
    schema = schema_descriptor()
    assert column_names() == tuple(c.value for c in COLUMNS)
    assert schema["version"] == "2.1.5"
    by_name = {f["name"]: f for f in schema["fields"]}
    assert {n for n, f in by_name.items() if f["constraints"]["required"]} == {
        c.value for c in REQUIRED
    }
    types = {n: (f["type"], f.get("format")) for n, f in by_name.items()}
    assert types["DELIB_DATE"] == types["PREF_DATE"] == ("date", None)
    assert {types[f"VOTE_{k}"] for k in ("EFFECTIF", "REEL", "POUR", "CONTRE", "ABSTENTION")} == {
        ("integer", None)
    }
    assert types["DELIB_URL"] == ("string", "uri")
    assert by_name["COLL_SIRET"]["constraints"]["pattern"] == r"^\d{14}$"
    assert by_name["DELIB_MATIERE_CODE"]["constraints"]["pattern"] == r"^\d\.\d{1,2}$"


def test_each_cross_column_check_of_the_schema_is_a_row_constraint() -> None:
    listed = {check["name"] for check in schema_descriptor()["custom_checks"]}
    assert listed == {
        "sum-columns-value", "compare-columns-value", "cohesive-columns-value",
        "year-interval-value", "nomenclature-actes-value",
    }  # fmt: skip
    assert listed <= {c.name for c in ROW_CONSTRAINTS}


def test_the_demo_export_validates_with_zero_errors() -> None:
    text = csv_text(scdl_rows(dijon_record(), siret=DEMO_SIRET))
    assert validate_csv(text.encode("utf-8")) == []


def test_a_full_row_and_every_matter_code_are_valid() -> None:
    assert validate_csv(csv_of(FULL)) == []
    rows = [dict(FULL, DELIB_MATIERE_CODE=code, DELIB_MATIERE_NOM=_label(code)) for code in LEVEL_2]
    assert validate_csv(csv_of(*rows)) == []


def _label(code: str) -> str:
    from registre.opendata import Matter  # noqa: PLC0415

    return Matter(code).scdl_label


BROKEN = [
    ({"VOTE_REEL": "41"}, "sum-columns-value", ("VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")),
    ({"PREF_DATE": "2017-10-14"}, "compare-columns-value", ("PREF_DATE", "DELIB_DATE")),
    ({"BUDGET_NOM": ""}, "cohesive-columns-value", ("BUDGET_ANNEE", "BUDGET_NOM")),
    ({"BUDGET_ANNEE": "2018/2017"}, "year-interval-value", ("BUDGET_ANNEE",)),
    ({"DELIB_MATIERE_NOM": "aménagement du territoire"}, "nomenclature-actes-value", ("DELIB_MATIERE_NOM",)),
    ({"DELIB_MATIERE_CODE": "8.12"}, "registre-matter-code", ("DELIB_MATIERE_CODE",)),
    ({"DELIB_MATIERE_CODE": "7.5"}, "registre-matter-label", ("DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM")),
    ({"COLL_SIRET": "2186019460001"}, "constraint-error", ("COLL_SIRET",)),
    ({"DELIB_MATIERE_CODE": "84"}, "constraint-error", ("DELIB_MATIERE_CODE",)),
    ({"PREF_ID": "PREF38"}, "constraint-error", ("PREF_ID",)),
    ({"DELIB_DATE": "15/10/2017"}, "type-error", ("DELIB_DATE",)),
    ({"VOTE_POUR": "vingt-cinq"}, "type-error", ("VOTE_POUR",)),
    ({"DELIB_URL": "pas une adresse"}, "type-error", ("DELIB_URL",)),
    ({"DELIB_OBJET": ""}, "required", ("DELIB_OBJET",)),
    ({"COLL_NOM": ""}, "required", ("COLL_NOM",)),
]  # fmt: skip


@pytest.mark.parametrize(("change", "code", "columns"), BROKEN)
def test_a_broken_row_is_caught_with_its_line_and_columns(
    change: dict[str, str], code: str, columns: tuple[str, ...]
) -> None:
    problems = validate_csv(csv_of(FULL, dict(FULL, **change), FULL))
    assert [(p.line, p.code, p.columns) for p in problems] == [(3, code, columns)]
    assert problems[0].message.startswith("ligne 3")


def test_the_messages_are_french() -> None:
    problems = validate_csv(
        csv_of(dict(FULL, VOTE_REEL="41", DELIB_DATE="2017-13-01", COLL_NOM=""))
    )
    messages = [p.message for p in problems]
    assert "ligne 2, colonne COLL_NOM : valeur obligatoire manquante" in messages
    assert (
        "ligne 2, colonne DELIB_DATE : « 2017-13-01 » n'est pas une date au format AAAA-MM-JJ"
        in messages
    )


def test_the_cross_checks_are_skipped_on_empty_cells() -> None:
    empty = dict.fromkeys(("VOTE_REEL", "PREF_DATE", "BUDGET_ANNEE", "BUDGET_NOM"), "")
    assert validate_csv(csv_of(dict(FULL, **empty))) == []


def test_level_1_labels_are_accepted_without_accents_or_in_capitals() -> None:
    rows = [
        dict(FULL, DELIB_MATIERE_NOM="Domaines de competences par themes/amenagement"),
        dict(FULL, DELIB_MATIERE_NOM="DOMAINES DE COMPÉTENCES PAR THÈMES/Aménagement"),
    ]
    assert validate_csv(csv_of(*rows)) == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (HEADER.replace(",", ";").encode() + b"\r\n", "missing-label"),
        (HEADER.replace("DELIB_ID,DELIB_DATE", "DELIB_DATE,DELIB_ID").encode() + b"\r\n", "incorrect-label"),
        ((HEADER + ",EXTRA").encode() + b"\r\n", "extra-label"),
        (HEADER.replace(",DELIB_URL", "").encode() + b"\r\n", "missing-label"),
    ],
)  # fmt: skip
def test_a_wrong_header_or_separator_is_caught(data: bytes, code: str) -> None:
    problems = validate_csv(data)
    assert problems and problems[0].code == code
    assert problems[0].line is None
    assert problems[0].message.startswith("en-tête")


def test_a_file_that_is_not_utf8_is_refused_in_french() -> None:
    data = csv_of(FULL).decode().encode("cp1252")
    position = data.index("é".encode("cp1252"))
    assert validate_csv(data) == [
        Problem(None, (), "encoding-error",
                f"le fichier doit être encodé en UTF-8 (octet invalide en position {position})"),
    ]  # fmt: skip


def test_a_blank_line_and_a_short_row_are_caught() -> None:
    data = csv_of(FULL) + b"\r\n" + b'"Ville","21860194600013"\r\n'
    codes = [(p.line, p.code) for p in validate_csv(data)]
    assert (3, "blank-row") in codes
    assert (4, "missing-cell") in codes
