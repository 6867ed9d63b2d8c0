"""Reading order from positions alone: runs placed by hand, no PDF involved."""

from __future__ import annotations

from collections.abc import Sequence

from registre.extracts.loaders import layout
from registre.extracts.loaders.layout import Run


def reading_order(runs: Sequence[Run]) -> list[str]:
    """The lines read, without the blank lines that separate blocks."""
    return [line for line in layout.reading_order(runs) if line]


def run(
    x: float, baseline: float, text: str, *, size: float = 10, width: float | None = None
) -> Run:
    """A run whose ink box is roughly what a PDF gives for `text` at `size`."""
    ink_width = width if width is not None else 0.5 * size * len(text)
    return Run(x, baseline - 0.2 * size, x + ink_width, baseline + 0.7 * size, text, size)


def column(
    x: float, top: float, lines: list[str], *, size: float = 10, leading: float = 12
) -> list[Run]:
    """One run per line, one line below the other."""
    return [run(x, top - i * leading, line, size=size) for i, line in enumerate(lines)]


LABEL = [
    "Extrait du registre des",
    "délibérations du Conseil",
    "Municipal de la Ville de",
    "n° 2014 / 219",
]
BODY = [
    "Convoqué le 17 avril 2014, le Conseil Municipal s'est réuni",
    "en mairie, sous la présidence de Monsieur le Maire.",
    "Présents :",
    "Fabien ABERT, Lorraine ACQUIER, Luc ALBERNHE, Françoise BONNET, Sabria",
    "BOUALLAGA, Djamel BOUMAAZ, Anne BRISSAUD, Nancy CANAUD, Gérard CASTRE",
    "Absents :",
    "Election d'un adjoint au Maire",
    "Monsieur le Maire rapporte :",
]


def test_no_runs_give_no_lines() -> None:
    assert layout.reading_order([]) == []
    assert layout.reading_order([run(10, 10, "   ")]) == []


def test_blocks_are_separated_by_a_blank_line() -> None:
    runs = [
        *column(72, 700, ["Présents : Jeanne MARTIN,", "Paul DURAND."]),
        *column(72, 640, ["Election du Maire"]),
    ]
    assert layout.reading_order(runs) == [
        "Présents : Jeanne MARTIN,",
        "Paul DURAND.",
        "",
        "Election du Maire",
    ]


def test_label_column_is_read_before_the_body_beside_it() -> None:
    # The label sits beside the body with the same baselines on its first rows,
    # as in the Montpellier extracts: it must not be glued to the body lines.
    runs = column(48, 700, LABEL, size=10, leading=12) + column(200, 700, BODY, size=9, leading=11)
    assert reading_order(runs) == LABEL + BODY


def test_label_column_with_every_baseline_shared_stays_a_column() -> None:
    runs = column(48, 700, LABEL[:3], leading=11) + column(200, 700, BODY, leading=11)
    assert reading_order(runs) == LABEL[:3] + BODY


def test_a_title_across_the_page_then_two_columns() -> None:
    title = run(60, 800, "Extrait du registre des délibérations du Conseil Municipal", size=14)
    left = column(60, 760, ["Colonne de gauche, ligne 1", "Colonne de gauche, ligne 2", "gauche 3"])
    right = column(320, 760, ["Colonne de droite, ligne 1", "Colonne de droite, ligne 2"])
    lines = reading_order([*right, title, *left])
    assert lines == [title.text, *(r.text for r in left), *(r.text for r in right)]


def test_paragraphs_separated_by_blank_bands_read_top_to_bottom() -> None:
    first = column(72, 700, ["Premier paragraphe, ligne un", "premier paragraphe, ligne deux"])
    second = column(72, 640, ["Second paragraphe", "second paragraphe, suite"])
    assert reading_order(second + first) == [r.text for r in first + second]


def test_label_and_value_on_the_same_row_stay_on_one_line() -> None:
    runs = [
        run(410, 771, "Envoi Préfecture :"),
        run(560, 771, "25/04/2014"),
        run(410, 760, "Réception en Préfecture :"),
        run(560, 760, "25/04/2014"),
    ]
    assert reading_order(runs) == [
        "Envoi Préfecture : 25/04/2014",
        "Réception en Préfecture : 25/04/2014",
    ]


def test_large_title_beside_two_small_lines_is_not_glued_to_them() -> None:
    runs = [
        run(199, 776, "Séance publique du", size=16),
        run(405, 786, "Acte Certifié exécutoire", size=7),
        run(410, 772, "Envoi Préfecture : 25/04/2014", size=7),
    ]
    lines = reading_order(runs)
    assert lines == [
        "Séance publique du",
        "Acte Certifié exécutoire",
        "Envoi Préfecture : 25/04/2014",
    ]


def test_list_markers_stay_with_their_items() -> None:
    runs = [
        Run(42.9, 273.4, 45.9, 274.1, "-", 12),  # a dash has a flat ink box
        run(64, 270, "la libre administration des collectivités territoriales,", size=12),
        Run(42.9, 259.4, 45.9, 260.1, "-", 12),
        run(64, 256, "le citoyen au centre du service public,", size=12),
    ]
    assert reading_order(runs) == [
        "- la libre administration des collectivités territoriales,",
        "- le citoyen au centre du service public,",
    ]


def test_pieces_of_one_word_join_without_space_and_words_with_one() -> None:
    runs = [
        run(200, 630, "Fabien ABERT,Rémi AS", size=6, width=60.0),
        run(260.7, 630, "SIE, Guy BARRAL", size=6, width=50.0),  # 0.7 pt: same word
        run(313, 630, "Maud BODKIN", size=6, width=40.0),  # 3 pt: next word
    ]
    assert reading_order(runs) == ["Fabien ABERT,Rémi ASSIE, Guy BARRAL Maud BODKIN"]


def test_line_end_hyphen_and_controls() -> None:
    runs = [run(72, 700, "Chantal LEVY\x02"), run(72, 688, "RAMEAU,\tNicole  LIZA")]
    assert reading_order(runs) == ["Chantal LEVY-", "RAMEAU, Nicole LIZA"]


def test_raised_ordinals() -> None:
    runs = [
        Run(65.1, 673.5, 122.9, 681.3, "Election du 3", 11),
        Run(123.5, 678.2, 134.6, 682.6, "ème", 6.4),
        Run(134.8, 671.7, 169.5, 681.3, "adjoint", 11),
        Run(50.0, 651.0, 54.0, 659.0, "1", 11),
        Run(55.8, 655.0, 62.0, 659.5, "er", 6.4),
        Run(64.5, 651.0, 90.0, 659.0, " juin", 11),
    ]
    assert reading_order(runs) == ["Election du 3ème adjoint", "1er juin"]


def test_text_printed_twice_is_read_once_and_overprinted_text_apart() -> None:
    stamp = run(405, 816, "Accusé de réception")
    runs = [
        stamp,
        Run(stamp.x0 + 0.3, stamp.y0, stamp.x1 + 0.3, stamp.y1, stamp.text, stamp.size),
        run(410, 804, "034-213401722-20140424-0000071277-DE"),
        run(410, 804, "034-213401722-20140424-0000071305-DE"),
    ]
    assert reading_order(runs) == [
        "Accusé de réception",
        "034-213401722-20140424-0000071277-DE",
        "034-213401722-20140424-0000071305-DE",
    ]


def test_superscript_stays_on_its_line() -> None:
    runs = [
        Run(28.5, 381.5, 145.5, 392.3, "Rédacteur principal de 2", 12),
        Run(146.1, 389.5, 159.2, 395.1, "ème", 7),
        Run(159.2, 381.5, 315.2, 392.3, " classe : Création de deux postes", 12),
        Run(28.6, 359.5, 281.5, 370.6, "II - Ouverture de poste", 12),
    ]
    assert reading_order(runs) == [
        "Rédacteur principal de 2ème classe : Création de deux postes",
        "II - Ouverture de poste",
    ]
