"""The words the search compares (registre.web.publication.words), apart from any
database: test_publication_search.py checks what they find."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from registre.web.publication.words import index_words_of, terms, words

# what PostgreSQL's parser keeps together, and the search too: letters and digits
REFERENCE = re.compile(r"[^\W_]+")
FRENCH = st.text(
    alphabet=st.sampled_from(list("aàâbcçdeéèêfgiîïlmnoôœrstuùûyz0129 _-'’,.;:«»\u00a0\t\n/°²"))
)


@given(st.text() | FRENCH)
def test_the_fast_split_finds_exactly_the_words_of_the_regular_expression(text: str) -> None:
    assert words(text) == REFERENCE.findall(text)


def test_terms_are_the_same_computed_again_and_in_a_batch() -> None:
    text = "L’Assemblée délibère : les délibérations n° 12_bis, « Œuvres » et cœur."
    first = terms(text)
    # « les » is not in PostgreSQL's list of stop words: stemmed, as there
    assert first == ["assemble", "deliber", "le", "deliber", "12", "bis", "oeuvr", "coeur"]
    assert terms(text) == first  # from the words kept
    assert index_words_of([(text, "", "x", "")]) == [" ".join([*first, "x"])]
