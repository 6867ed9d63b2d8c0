"""Vote statements: every phrase met in the corpus, what must not be read as a vote,
counts in any order (property), and speed."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registre.extracts.tallies import Tally, find_tallies, is_vote, parse_number, parse_tally

DATA = Path(__file__).resolve().parent.parent / "data"
DIJON = DATA / "dijon-extrait-2023-11-23.txt"
CORPUS = DATA / "corpus" / "text"

MARTEL = (
    "Madame Catherine MARTEL ne prend pas part au vote, le conseil municipal après en avoir"
    " délibéré décide à la majorité absolue"
)

# (passage, the statement's text as its span must cut it, the expected tally without span)
PHRASES: list[tuple[str, str, Tally]] = [
    # Preuilly-sur-Claise: "Par N voix", numbers in words and upper case.
    ("Par 13 voix POUR – 1 ABSTENTION", "Par 13 voix POUR – 1 ABSTENTION",
     Tally(for_=13, abstention=1)),
    ("Par 13 voix POUR – 1 voix CONTRE", "Par 13 voix POUR – 1 voix CONTRE",
     Tally(for_=13, against=1)),
    ("DECIDE :\n Par : DEUX voix POUR - ONZE voix CONTRE et 1 ABSTENTION\n",
     "Par : DEUX voix POUR - ONZE voix CONTRE et 1 ABSTENTION",
     Tally(for_=2, against=11, abstention=1)),
    # Couthenans 2021.
    ("       ADOPTÉ à l’unanimité.", "ADOPTÉ à l’unanimité", Tally(unanimous=True, adopted=True)),
    ("ADOPTÉ à l'unanimité", "ADOPTÉ à l'unanimité", Tally(unanimous=True, adopted=True)),
    ("       ADOPTÉ 9 voix pour, 5 abstentions.",
     "ADOPTÉ 9 voix pour, 5 abstentions",
     Tally(for_=9, abstention=5, adopted=True)),
    # Flaux: unanimity in a sentence, and the OCR'd "Vote :" lines.
    ("Le conseil Municipal, après en avoir délibéré, décide à l’unanimité de fixer",
     "à l’unanimité", Tally(unanimous=True)),
    ("Vote : à l'unanimité", "Vote : à l'unanimité", Tally(unanimous=True)),
    ("Vote: à l'unanimité", "Vote: à l'unanimité", Tally(unanimous=True)),
    ("Vote; à l'unanimité", "Vote; à l'unanimité", Tally(unanimous=True)),
    ("Vote : Unanimité", "Vote : Unanimité", Tally(unanimous=True)),
    ("Vote ;: Unanimité", "Vote ;: Unanimité", Tally(unanimous=True)),
    ("Vore : Unanimité", "Vore : Unanimité", Tally(unanimous=True)),
    ("Vote : à l'unanituité", "Vote : à l'unanituité", Tally(unanimous=True)),
    ("adopté à l'unanimité des membres présents.",
     "adopté à l'unanimité des membres présents",
     Tally(unanimous=True, adopted=True)),
    ("à l'unanimité des suffrages exprimés", "à l'unanimité des suffrages exprimés",
     Tally(unanimous=True)),
    # Couthenans 2021-2023: bare count lines, in every order, with a typo.
    ("12 votes pour.", "12 votes pour", Tally(for_=12)),
    ("3 abstentions 8 votes pour", "3 abstentions 8 votes pour", Tally(for_=8, abstention=3)),
    ("2 contre 3 absentions 6 votes pour", "2 contre 3 absentions 6 votes pour",
     Tally(for_=6, against=2, abstention=3)),
    ("2 votes contre 1 abstention 9 votes pour", "2 votes contre 1 abstention 9 votes pour",
     Tally(for_=9, against=2, abstention=1)),
    ("4 votes contre 8 votes pour", "4 votes contre 8 votes pour", Tally(for_=8, against=4)),
    ("1 abstention 11 votes pour", "1 abstention 11 votes pour", Tally(for_=11, abstention=1)),
    ("10 votes pour. 2 Abstentions", "10 votes pour. 2 Abstentions",
     Tally(for_=10, abstention=2)),
    ("        0 contre, 0 abstention, 11 pour", "0 contre, 0 abstention, 11 pour",
     Tally(for_=11, against=0, abstention=0)),
    ("Adoption à 0 Contre, 0 abstention, 11 voix pour",
     "Adoption à 0 Contre, 0 abstention, 11 voix pour",
     Tally(for_=11, against=0, abstention=0, adopted=True)),
    # A rejection by the numbers only: the outcome is not written, so it stays None.
    ("6 voix Contre, 0 Abstention, 5 pour", "6 voix Contre, 0 Abstention, 5 pour",
     Tally(for_=5, against=6, abstention=0)),
    # Decision: a bare "N votes" counts as for only right after "Vote :".
    ("Vote : 13 votes", "Vote : 13 votes", Tally(for_=13)),
    # ... and alone on its line (Couthenans 2022), where other items say "13 votes pour".
    ("Cycloclub Couthenans : 230€\n\n13 votes\n", "13 votes", Tally(for_=13)),
    ("Vote de la motion : 12 votes pour / 2 abstentions",
     "12 votes pour / 2 abstentions", Tally(for_=12, abstention=2)),
    ("Vote : 3 ABSTENTIONS / 7 POUR", "Vote : 3 ABSTENTIONS / 7 POUR",
     Tally(for_=7, abstention=3)),
    # Flaux 2020: a named member withdraws; majority without counts.
    (MARTEL, MARTEL, Tally(unanimous=False, not_voting_names=("Madame Catherine MARTEL",))),
    # Montpellier: the outcome only.
    ("  Le Conseil Adopte.", "Le Conseil Adopte", Tally(adopted=True)),
    ("Le Conseil Adopte", "Le Conseil Adopte", Tally(adopted=True)),
    # Rejections, postponements, no vote.
    ("Rejeté.", "Rejeté", Tally(adopted=False)),
    ("La proposition est rejetée.", "est rejetée", Tally(adopted=False)),
    ("Le conseil municipal refuse la proposition.", "Le conseil municipal refuse",
     Tally(adopted=False)),
    ("La proposition n'a pas été adoptée.", "n'a pas été adoptée", Tally(adopted=False)),
    ("     Comme SVP n’est pas clairement identifiée, le choix de l’adhésion a\n"
     "     donc été reporté.", "a\n     donc été reporté", Tally(postponed=True)),
    ("Point reporté à une prochaine séance.", "Point reporté", Tally(postponed=True)),
    ("Capacité d’accueil de 6 enfants.\n\nLa délibération sera réalisée au prochain conseil.",
     "sera réalisée au prochain conseil", Tally(postponed=True)),
    ("Pas de vote. Nous attendrons donc le prochain conseil pour passer au vote",
     "Pas de vote. Nous attendrons donc le prochain conseil",
     Tally(postponed=True, no_vote=True)),
    ("     Il s’agit de la convention entre la commune et le SIED. Pas de vote.",
     "Pas de vote", Tally(no_vote=True)),
    # Majority.
    ("Adopté à la majorité.", "Adopté à la majorité", Tally(unanimous=False, adopted=True)),
    ("Le budget est unanimement adopté.", "est unanimement adopté",
     Tally(unanimous=True, adopted=True)),
    ("Vote : majorité", "Vote : majorité", Tally(unanimous=False)),
    # Labelled counts, NPPV, "aucun", compound numbers in words.
    ("Pour : 12 Contre : 3 Abstentions : 1 NPPV : 2",
     "Pour : 12 Contre : 3 Abstentions : 1 NPPV : 2",
     Tally(for_=12, against=3, abstention=1, not_voting=2)),
    ("Adopté par 25 voix pour, 2 contre, 3 abstentions et 1 NPPV.",
     "Adopté par 25 voix pour, 2 contre, 3 abstentions et 1 NPPV",
     Tally(for_=25, against=2, abstention=3, not_voting=1, adopted=True)),
    ("vingt-et-un voix pour, aucune abstention, aucun vote contre",
     "vingt-et-un voix pour, aucune abstention, aucun vote contre",
     Tally(for_=21, against=0, abstention=0)),
    ("M. Jean DUPONT et Mme Anne MARTIN-DURAND ne prennent pas part au vote.",
     "M. Jean DUPONT et Mme Anne MARTIN-DURAND ne prennent pas part",
     Tally(not_voting_names=("M. Jean DUPONT", "Mme Anne MARTIN-DURAND"))),
]  # fmt: skip


@pytest.mark.parametrize(("text", "statement", "expected"), PHRASES, ids=[p[1] for p in PHRASES])
def test_phrase(text: str, statement: str, expected: Tally) -> None:
    tally = parse_tally(text)
    assert tally is not None
    assert replace(tally, span=None) == expected
    assert tally.span is not None
    assert text[tally.span[0] : tally.span[1]] == statement


def test_dijon_table_over_several_lines() -> None:
    text = DIJON.read_text(encoding="utf-8")
    tally = parse_tally(text)
    assert tally is not None
    assert replace(tally, span=None) == Tally(
        for_=84, against=0, abstention=0, not_voting=0, proxies_counted=9
    )
    assert tally.span is not None
    assert text[tally.span[0] : tally.span[1]] == (
        "SCRUTIN POUR : 84 ABSTENTION : 0\n\nCONTRE : 0 NE SE PRONONCE PAS : 0\n\n"
        "DONT 9 PROCURATION(S)"
    )
    assert find_tallies(text) == (tally,)


NOT_VOTES = [
    "Le conseil municipal attribue une subvention de 500 € pour l'association des parents"
    " d'élèves, versée le 12 mars 2020 pour l'année scolaire 2020-2021.",
    "Séance du jeudi 23 novembre 2023 à 18H45",
    "Nombre de membres en exercice : 86",
    "Nombre de présents participant au vote : 75\nNombre de procurations : 9",
    "Absents ayant voté par procuration en application de l'article L 2121-20 du Code",
    "Extrait du registre des délibérations n° 2014 / 219",
    "Quorum atteint avec 11 élus représentés (minimum 7 élus représentés)",
    "Nombre de Conseillers en exercice : 15- Présents 14 - Votants 14-Le quorum étant atteint",
    "Nous allons voter pour la reprise du temple par la commune.",
    "La composition qui a été retenue est de 69 membres ayant voix délibérative :",
    "Nelly arrivée à 18H45. Départ à 19H25.",
    # Another body's vote, quoted in a "Considérant" clause (Flaux 2023, OCR).
    "Considérant que l commune de Castillon du Gard s’est prononcée à la majorité (un\n"
    "vote contre), et le conseil communautaire à l'unanimité pour l'intégration",
    "Vu la délibération n° 2020-12 adoptée le 3 mars 2020",
    "Monsieur le Maire revient sur la Subvention de l’USYP dont la décision avait été reportée.",
    "Adoption du budget primitif 2024",
    "|11    dont 3 procurations              |critères d’attribution au sein de la commune |",
    "la majorité municipale propose un vœu",
    "5 pour la commune et 3 pour l'association",
    "un contre-projet est présenté",
    "une hausse de 20 pour cent",
    "Il y a eu 13 votes blancs.",
    "il parait inopportun de se priver de compétences unanimement reconnues",
    "une motion contre ce projet déjà voté à l’unanimité.",
    "Le conseil municipal a accepté la demande",
    "",
]


@pytest.mark.parametrize("text", NOT_VOTES)
def test_not_a_vote(text: str) -> None:
    assert parse_tally(text) is None


def test_quoted_vote_is_skipped_for_the_councils_own() -> None:
    text = (
        "Considérant que l commune de Castillon du Gard s’est prononcée à la majorité (un\n"
        "vote contre), et le conseil communautaire à l'unanimité pour l'intégration\n"
        "\n"
        "à la CCPU,.\n"
        "Le conseil municipal après en avoir délibéré à l’unanimité\n"
    )
    tally = parse_tally(text)
    assert tally is not None
    assert replace(tally, span=None) == Tally(unanimous=True)
    assert tally.span is not None
    assert tally.span[0] == text.index("à l’unanimité")


def test_a_vote_taken_before_is_not_the_items() -> None:
    text = (
        "1/ Motion ONF :\n\nAugmentation des frais de garderie de 40% : Les communes de"
        " Haute-Saône souhaitent déposer une motion\ncontre ce projet déjà voté à l’unanimité."
        "\n\nVote de la motion : 12 votes pour / 2 abstentions\n"
    )
    tally = parse_tally(text)
    assert tally is not None
    assert replace(tally, span=None) == Tally(for_=12, abstention=2)


def test_margin_proxies_are_not_part_of_the_vote() -> None:
    """Flaux's left column ("dont 3 procurations") sits next to the MARTEL sentence."""
    text = (CORPUS / "024_flaux-cm-2020-06-19.txt").read_text(encoding="utf-8")
    named = [t for t in find_tallies(text) if t.not_voting_names]
    assert [replace(t, span=None) for t in named] == [
        Tally(unanimous=False, not_voting_names=("Madame Catherine MARTEL",))
    ]


def test_every_vote_line_of_a_minutes() -> None:
    text = (CORPUS / "022_couthenans-cm-2023-02-24.txt").read_text(encoding="utf-8")
    counts = [(t.for_, t.against, t.abstention) for t in find_tallies(text)]
    assert counts == [
        (10, None, 2), (12, None, None), (12, None, None), (9, 2, 1), (12, None, None),
        (12, None, None), (12, None, None), (10, None, 2), (11, None, 1), (8, 4, None),
        (12, None, None), (8, 4, None),
    ]  # fmt: skip


def test_main_statement_is_the_first_vote() -> None:
    text = "ADOPTÉ 9 voix pour, 5 abstentions.\n\nSVP.\nLe choix a donc été reporté.\n"
    tallies = find_tallies(text)
    assert [is_vote(t) for t in tallies] == [True, False]
    assert parse_tally(text) == tallies[0]
    only_outcomes = "Le choix a donc été reporté.\n\nCEP :\nConvention. Pas de vote."
    assert parse_tally(only_outcomes) == find_tallies(only_outcomes)[0]


def test_statements_do_not_merge_across_items() -> None:
    text = "1 abstention 11 votes pour\n\n8/ Délibération travaux\n\n4 votes contre 8 votes pour"
    counts = [(t.for_, t.against, t.abstention) for t in find_tallies(text)]
    assert counts == [(11, None, 1), (8, 4, None)]


# --- Numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("84", 84), ("0", 0), ("DEUX", 2), ("onze", 11), ("ONZE", 11), ("vingt-et-un", 21),
        ("vingt et un", 21), ("un", 1), ("une", 1), ("zéro", 0), ("ZÉRO", 0), ("zero", 0),
        ("soixante et onze", 71), ("quatre-vingts", 80), ("quatre-vingt-dix-neuf", 99),
        ("cent cinquante", 150), ("deux cents", 200), ("Dix-Sept", 17),
    ],
)  # fmt: skip
def test_parse_number(word: str, value: int) -> None:
    assert parse_number(word) == value


@pytest.mark.parametrize("word", ["", "abc", "deux trois", "un un", "vingt-vingt", "12a", "-3"])
def test_parse_number_rejects(word: str) -> None:
    assert parse_number(word) is None


_ONES = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
]  # fmt: skip
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante", 8: "quatre-vingt"}


def _in_words(n: int) -> str:
    """Traditional spelling (spaces around "et", "quatre-vingts"), unlike the parser's own."""
    if n >= 100:
        return "cent" if n == 100 else "cent " + _in_words(n - 100)
    if n < 20:
        return _ONES[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):
        return _TENS[tens - 1] + (" et " if n == 71 else "-") + _ONES[10 + unit]
    if unit == 0:
        return _TENS[tens] + ("s" if tens == 8 else "")
    return _TENS[tens] + (" et un" if unit == 1 and tens != 8 else "-" + _ONES[unit])


@given(st.integers(0, 150), st.booleans())
def test_numbers_in_words(n: int, upper: bool) -> None:
    words = _in_words(n).upper() if upper else _in_words(n)
    assert parse_number(words) == n
    assert parse_number(str(n)) == n


# --- Counts in any real order --------------------------------------------------------

COUNT = st.integers(0, 150)
# for, against, abstention, not voting, proxies
COUNTS = st.tuples(COUNT, COUNT, COUNT, COUNT, COUNT)


def _render(template: int, counts: tuple[int, int, int, int, int], upper: bool) -> str:
    f, c, a, n, p = counts
    word_f, word_c = _in_words(f), _in_words(c)
    if upper:
        word_f, word_c = word_f.upper(), word_c.upper()
    return [
        f"SCRUTIN POUR : {f} ABSTENTION : {a}\n\nCONTRE : {c} NE SE PRONONCE PAS : {n}\n\n"
        f"DONT {p} PROCURATION(S)",
        f"Par : {word_f} voix POUR - {word_c} voix CONTRE et {a} ABSTENTION",
        f"        {c} contre, {a} abstention, {f} pour",
        f"       ADOPTÉ {f} voix pour, {a} abstentions, {c} voix contre.",
        f"Vote : {a} ABSTENTIONS / {f} POUR / {c} CONTRE",
        f"{c} votes contre {a} abstentions {f} votes pour",
    ][template]


@given(st.integers(0, 5), COUNTS, st.booleans())
def test_counts_in_any_order(
    template: int, counts: tuple[int, int, int, int, int], upper: bool
) -> None:
    statement = _render(template, counts, upper)
    f, c, a, n, p = counts
    text = (
        "Nombre de membres en exercice : 86\nSéance du 23 novembre 2023 à 18H45.\n"
        "Une subvention de 500 € est proposée.\n\n" + statement + "\n\nLe secrétaire,\n"
    )
    tally = parse_tally(text)
    assert tally is not None
    assert (tally.for_, tally.against, tally.abstention) == (f, c, a)
    if template == 0:
        assert (tally.not_voting, tally.proxies_counted) == (n, p)
    assert tally.span is not None
    assert text[tally.span[0] : tally.span[1]].strip(" .") == statement.strip(" .")


# --- Speed -------------------------------------------------------------------------


def test_dijon_parses_well_under_a_millisecond() -> None:
    text = DIJON.read_text(encoding="utf-8")
    best = float("inf")
    for _ in range(30):
        start = time.perf_counter()
        parse_tally(text)
        best = min(best, time.perf_counter() - start)
    assert best < 1e-3, f"{best * 1e6:.0f} µs"


def test_non_participant_named_before_the_tally_keeps_the_tally() -> None:
    text = (
        "Monsieur Paul DURAND ne prend pas part au vote.\n\n"
        "POUR : 2 CONTRE : 2 ABSTENTION : 1 NE SE PRONONCE PAS : 0\n"
    )
    tally = parse_tally(text)
    assert tally is not None
    assert (tally.for_, tally.against, tally.abstention) == (2, 2, 1)
    assert any("DURAND" in name for name in tally.not_voting_names)
