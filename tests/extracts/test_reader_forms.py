"""Forms of writing that the corpus shows rarely: substitutes, arrivals and departures
bound to an item, a proxy given to "M. le Maire"."""

from __future__ import annotations

from registre.extracts import read_text
from registre.record import ChangeKind, CollectivityKind
from registre.rules import Code, check

HEAD = "Conseil communautaire de la Communauté de communes du Pays de Test\nSéance du 3 mars 2024\n"


def test_substitute_sits_for_titular() -> None:
    result = read_text(
        HEAD
        + "Présents : Jean DUPONT, Anne MARTIN, Paul DURAND remplace Marie LEROY.\n1/ Budget\nVote : 3 voix pour.\n"
    )
    record = result.record
    assert record.collectivity.kind is CollectivityKind.COMMUNAUTE_DE_COMMUNES
    assert "marie-leroy" in (record.attendance.present or ())
    assert [(s.titular, s.substitute) for s in record.attendance.substitutes] == [
        ("marie-leroy", "paul-durand")
    ]
    assert record.member("paul-durand").substitute_for == "marie-leroy"  # type: ignore[union-attr]
    assert not [f for f in check(record) if f.code is Code.SUBSTITUTE_NOT_ALLOWED]


def test_arrival_and_departure_bound_to_their_items() -> None:
    text = HEAD + (
        "Présents : Jean DUPONT, Anne MARTIN, Paul DURAND, Marie LEROY.\nAbsents : Luc PETIT.\n"
        "1/ Budget\nLuc PETIT arrive.\nAdopté à l'unanimité.\n"
        "2/ Travaux\nAnne MARTIN quitte la séance et donne pouvoir à Paul DURAND.\nVote : 4 voix pour, 1 contre.\n"
    )
    record = read_text(text).record
    kinds = [(c.member, c.change, c.from_item) for c in record.attendance.changes]
    assert kinds == [
        ("luc-petit", ChangeKind.ARRIVAL, "1"),
        ("anne-martin", ChangeKind.PROXY_ON_LEAVING, "2"),
    ]
    second = record.deliberations[1].attendance
    assert second is not None and second.represented == ("anne-martin",)
    assert not [f for f in check(record) if f.severity.value == "error"]


def test_proxy_to_the_mayor_by_his_role() -> None:
    text = (
        "Séance du 3 mars 2024\nsous la présidence de Monsieur Jean DUPONT, Maire.\n"
        "Présents : Jean DUPONT, Anne MARTIN, Paul DURAND.\nProcurations : Marie LEROY donne pouvoir à M. le Maire.\n"
        "1/ Budget\nAdopté à l'unanimité.\n"
    )
    result = read_text(text)
    assert [(p.giver, p.holder) for p in result.record.attendance.proxies] == [
        ("marie-leroy", "jean-dupont")
    ]
    assert any("fonction" in d.reason for d in result.doubts)


def test_holder_written_with_initials_and_another_case() -> None:
    text = (
        "Séance du 3 mars 2024\nPrésents : Jean-Pierre DUPONT, Anne MARTIN, Paul DURAND.\n"
        "Procurations : Marie LEROY donne pouvoir à J.-P. Dupont ; Luc PETIT donne pouvoir à anne martin.\n"
        "1/ Budget\nAdopté à l'unanimité.\n"
    )
    result = read_text(text)
    pairs = [(p.giver, p.holder) for p in result.record.attendance.proxies]
    assert pairs == [("marie-leroy", "jean-pierre-dupont"), ("luc-petit", "anne-martin")]
    assert len(result.record.meeting.members) == 5  # no member invented for the other spellings


def test_name_surname_first_and_particles() -> None:
    text = (
        "Séance du 3 mars 2024\nPrésents : M. DE SAINT JOUAN Cédric, Mme CARRELET DE LOISY Anne, M.DURAND Paul.\n"
        "1/ Budget\nAdopté à l'unanimité.\n"
    )
    names = {m.display_name for m in read_text(text).record.meeting.members}
    assert names == {"Cédric DE SAINT JOUAN", "Anne CARRELET DE LOISY", "Paul DURAND"}


def test_names_side_by_side_in_columns_are_split_at_each_civility() -> None:
    text = HEAD + (
        "Membres présents :\n"
        "Monsieur Jean DUPONT      Madame Anne MARTIN\n"
        "Monsieur Paul DURAND      Madame Marie LEROY\n"
        "Pouvoirs : Monsieur Luc PETIT pouvoir à Madame Anne MARTIN\n"
        "1/ Budget\nVote : 5 voix pour.\n"
    )
    attendance = read_text(text).record.attendance
    assert attendance.present == ("jean-dupont", "anne-martin", "paul-durand", "marie-leroy")
    assert [(p.giver, p.holder) for p in attendance.proxies] == [("luc-petit", "anne-martin")]


def test_president_stops_at_the_next_label_on_the_next_line() -> None:
    # lines are joined to rejoin a wrapped name: the next label must not be taken in
    text = (
        "Conseil municipal de Testville\nSéance du 3 mars 2024\n"
        "Président : Monsieur Jean DUPONT\nSecrétaire de séance : Madame Anne MARTIN\n"
        "Présents : Jean DUPONT, Anne MARTIN.\n1/ Budget\nVote : 2 voix pour.\n"
    )
    meeting = read_text(text).record.meeting
    assert meeting.president == "jean-dupont"
    assert meeting.secretaries == ("anne-martin",)


def test_interested_member_withdraws_for_one_item() -> None:
    text = HEAD + (
        "Présents : Jean DUPONT, Anne MARTIN, Paul DURAND, Marie LEROY.\n"
        "1/ Subvention à l'association\n"
        "Monsieur Paul DURAND, intéressé à l'affaire, se retire et ne prend pas part au vote.\n"
        "Vote : 3 voix pour.\n"
        "2/ Travaux\nVote : 4 voix pour.\n"
    )
    record = read_text(text).record
    changes = [(c.member, c.change, c.from_item) for c in record.attendance.changes]
    assert changes == [("paul-durand", ChangeKind.WITHDRAWAL, "1")]
    first, second = (d.attendance for d in record.deliberations)
    assert first is not None and second is not None
    assert "paul-durand" in (first.withdrawn or ()) and "paul-durand" not in (first.present or ())
    assert "paul-durand" in (second.present or ())


def test_number_printed_after_deliberation_label() -> None:
    text = (
        "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS\nConseil municipal de Testville\n"
        "Séance du 3 mars 2024\nPrésents : Jean DUPONT, Anne MARTIN.\n"
        "OBJET : Budget\nDélibération n° : 2024-045\nVote : 2 voix pour.\n"
    )
    assert [d.number for d in read_text(text).record.deliberations] == ["2024-045"]
