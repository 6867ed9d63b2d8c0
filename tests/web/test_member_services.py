"""Members and mandates through the services: add, import, end, replace,
substitutes; members in office derived from the mandates; every write audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from webfactories import CLOCK, make_collectivity, make_member, make_user

from registre.record import AssemblyKind, CollectivityKind
from registre.web.core.models import AuditEntry, Role
from registre.web.core.services import ServiceError
from registre.web.members.csvimport import CsvImportError
from registre.web.members.models import Mandate, Member, members_in_office
from registre.web.members.services import (
    NewMember,
    end_mandate,
    import_members,
    replace_member,
)

pytestmark = pytest.mark.django_db
MEMBERS = Path(__file__).resolve().parent.parent / "data" / "members"


def _council(collectivity: object) -> object:
    return collectivity.assemblies.get(kind=AssemblyKind.CONSEIL.value)  # type: ignore[attr-defined]


def test_add_member_writes_the_member_its_mandate_and_an_audit_entry() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    mandate = make_member(clerk, town, last="DURAND", first="Élise")
    assert mandate.member.full_name == "Élise DURAND"
    entry = AuditEntry.objects.filter(action="member.add").get()
    assert entry.actor == clerk and entry.after["last_name"] == "DURAND"
    assert entry.after["mandate_start"] == "2020-07-01" and entry.before is None


def test_members_in_office_are_derived_from_the_mandates() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    kept = make_member(clerk, town, last="RESTE")
    left = make_member(clerk, town, last="PART")
    end_mandate(clerk, CLOCK, left, dt.date(2024, 3, 31), "démission")
    council = _council(town)
    on_march = {m.member.last_name for m in members_in_office(council, dt.date(2024, 3, 31))}
    on_april = {m.member.last_name for m in members_in_office(council, dt.date(2024, 4, 1))}
    assert on_march == {"RESTE", "PART"} and on_april == {"RESTE"}
    assert kept.end is None
    audit = AuditEntry.objects.get(action="mandate.end")
    assert audit.before["end"] is None and audit.after["end"] == "2024-03-31"


def test_replace_member_seats_the_successor_the_next_day() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    old = make_member(clerk, town, last="ANCIEN")
    new = replace_member(clerk, CLOCK, old, dt.date(2025, 1, 10), "décès",
                         NewMember(first_name="Paul", last_name="NOUVEAU"))  # fmt: skip
    assert new.start == dt.date(2025, 1, 11) and new.replaces == old
    council = _council(town)
    assert [m.member.last_name for m in members_in_office(council, dt.date(2025, 1, 11))] == [
        "NOUVEAU"
    ]


def test_refusals_are_french_and_change_nothing() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    mandate = make_member(clerk, town, last="DUPONT", first="Marie")
    with pytest.raises(ServiceError, match="figure déjà"):
        make_member(clerk, town, last="dupont", first="marie")
    with pytest.raises(ServiceError, match="précède le début"):
        end_mandate(clerk, CLOCK, mandate, dt.date(2019, 1, 1), "erreur")
    with pytest.raises(ServiceError, match="suppléants n'existent que"):
        make_member(clerk, town, last="SUPPLEANT", substitute_for=mandate.member)
    reader = make_user(town, Role.READER)
    with pytest.raises(ServiceError, match="rôle"):
        make_member(reader, town, last="INTRUS")
    assert Member.objects.count() == 1 and Mandate.objects.get().end is None


def test_substitutes_in_a_communaute() -> None:
    agglo = make_collectivity("Agglo", CollectivityKind.COMMUNAUTE_D_AGGLOMERATION)
    clerk = make_user(agglo)
    titular = make_member(clerk, agglo, last="TITULAIRE")
    substitute = make_member(clerk, agglo, last="SUPPLEANT", substitute_for=titular.member)
    assert substitute.is_substitute
    in_office = members_in_office(_council(agglo), dt.date(2024, 1, 1))
    assert [m.member.last_name for m in in_office] == ["TITULAIRE"]  # not counted in office


@pytest.mark.parametrize("name", ["membres-utf8-bom.csv", "membres-utf8.csv",
                                  "membres-excel-cp1252.csv"])  # fmt: skip
def test_import_in_each_encoding_gives_the_same_members(name: str) -> None:
    agglo = make_collectivity("Agglo", CollectivityKind.COMMUNAUTE_D_AGGLOMERATION)
    clerk = make_user(agglo)
    result = import_members(clerk, CLOCK, _council(agglo), (MEMBERS / name).read_bytes(), name)
    names = sorted(f"{m.first_name} {m.last_name}" for m in Member.objects.all())
    assert result.created == len(names) == 6 and not result.rejected
    assert any("é" in n for n in names) and any("œ" in n.lower() for n in names)
    substitute = Mandate.objects.get(substitute_for__isnull=False)
    assert substitute.substitute_for is not None
    ended = Mandate.objects.get(end__isnull=False)  # "Fin du mandat" is kept
    in_office = members_in_office(_council(agglo), dt.date(2024, 1, 1))
    assert ended.member_id not in {m.member_id for m in in_office} and len(in_office) == 3
    assert AuditEntry.objects.filter(action="member.import").count() == 6


def test_import_reports_bad_lines_and_duplicates_and_keeps_the_good_ones() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    make_member(clerk, town, last="EXISTANT", first="Jean")
    data = (
        "Civilité;Prénom;Nom;Date de naissance\n"
        "M.;Jean;EXISTANT;\n"
        "Mme;Anne;NOUVELLE;12/05/1970\n"
        "Mme;Anne;NOUVELLE;12/05/1970\n"
        "M.;Luc;DATEFAUSSE;31/02/1970\n"
    ).encode("cp1252")
    result = import_members(clerk, CLOCK, _council(town), data, "elus.csv")
    reasons = dict(result.rejected)
    assert result.created == 1
    assert "figure déjà" in reasons[2] and "doublon" in reasons[4] and "n'existe pas" in reasons[5]


def test_an_unusable_file_adds_nothing() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    with pytest.raises(CsvImportError, match="CSV"):
        import_members(clerk, CLOCK, _council(town), b"PK\x03\x04" + b"\0" * 100, "elus.xlsx")
    assert not Member.objects.exists() and not AuditEntry.objects.filter(action="member.import")


def test_a_ten_megabyte_file_is_imported_in_one_transaction() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    notes = "x" * 1000  # long remarks: 10,000 members make 10 MB
    body = "".join(f"Prénom{i};NOM{i};01/01/1970;{notes}\n" for i in range(10_000))
    data = ("Prénom;Nom;Date de naissance;Observations\n" + body).encode("utf-8")
    assert 9.5e6 < len(data) <= 10 * 1024 * 1024
    result = import_members(clerk, CLOCK, _council(town), data, "gros.csv")
    assert result.created == Member.objects.count() == 10_000


def test_a_file_of_too_many_lines_is_refused_whole() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    body = "".join(f"P{i};N{i}\n" for i in range(10_001))
    data = ("Prénom;Nom\n" + body).encode("utf-8")
    with pytest.raises(ServiceError, match="10001 lignes"):
        import_members(clerk, CLOCK, _council(town), data, "liste.csv")
    assert not Member.objects.exists()
