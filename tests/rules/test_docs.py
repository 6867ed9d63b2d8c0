"""docs/rules.md is generated from the catalogue, and the catalogue agrees with LEGAL.md.

tests/data/LEGAL.md is a copy of the shared legal digest, kept in the project so
that it stands alone; refresh the copy when the digest changes.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from registre.rules import CATALOGUE, Code
from registre.rules.catalogue import BY_CODE
from registre.rules.docs import NOT_BY_CHECK, markdown, themes

ROOT = Path(__file__).resolve().parents[2]
RULES_MD = ROOT / "docs" / "rules.md"
LEGAL_MD = ROOT / "tests" / "data" / "LEGAL.md"

_TABLE_CODE = re.compile(r"^\|\s*`([A-Za-z0-9_]+)`\s*\|", re.MULTILINE)
_ARTICLE = re.compile(r"\b[LRD]\d{4}(?:-\d+)+\b")


def _legal_rows() -> list[tuple[str, str]]:
    """(code, article column) for each row of LEGAL.md's code tables."""
    rows = []
    for line in LEGAL_MD.read_text(encoding="utf-8").splitlines():
        match = _TABLE_CODE.match(line)
        if match:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append((match.group(1), cells[-1]))
    return rows


def test_rules_md_is_generated_from_the_catalogue() -> None:
    assert RULES_MD.read_text(encoding="utf-8") == markdown(), (
        "docs/rules.md ne correspond plus au catalogue des règles : lancer `make docs` "
        "pour le régénérer, puis le committer."
    )


def test_every_code_has_exactly_one_catalogue_entry() -> None:
    counts = Counter(info.code for info in CATALOGUE)
    assert {code: counts[code] for code in Code if counts[code] != 1} == {}
    assert set(BY_CODE) == set(Code)


def test_catalogue_entries_are_filled() -> None:
    for info in CATALOGUE:
        for name in ("article", "theme", "rule", "reads", "example"):
            assert getattr(info, name).strip(), f"{info.code}: champ « {name} » vide"


def test_every_code_in_rules_md_is_a_code() -> None:
    listed = _TABLE_CODE.findall(RULES_MD.read_text(encoding="utf-8"))
    assert listed, "aucun code trouvé dans docs/rules.md"
    assert [c for c in listed if c not in Code.__members__] == []
    assert Counter(listed) == Counter(code.value for code in Code)


def test_markdown_has_one_section_per_theme_in_catalogue_order() -> None:
    text = markdown()
    positions = [text.index(f"\n## {theme}\n") for theme in themes()]
    assert positions == sorted(positions)
    assert "une valeur inconnue ne produit jamais d'erreur, au plus une information" in text.lower()


def test_codes_not_produced_by_check_are_noted() -> None:
    text = markdown()
    for code in NOT_BY_CHECK:
        assert f"Note : `{code.value}`" in text
    assert Code.PUBLICATION_FORMAT in NOT_BY_CHECK


def test_legal_md_copy_lists_codes() -> None:
    assert len(_legal_rows()) >= 20, "tests/data/LEGAL.md : tableaux de codes introuvables"


@pytest.mark.parametrize(("code", "article"), [pytest.param(c, a, id=c) for c, a in _legal_rows()])
def test_legal_md_code_is_known_and_documented(code: str, article: str) -> None:
    assert code in Code.__members__, f"{code} (LEGAL.md) n'est pas dans l'énumération Code"
    assert f"| `{code}` |" in RULES_MD.read_text(encoding="utf-8")
    cited = _ARTICLE.findall(article)
    if not cited:  # "arithmetic", "—": nothing to compare
        return
    documented = _ARTICLE.findall(BY_CODE[Code(code)].article)
    assert cited[0] in documented, (
        f"{code} : LEGAL.md cite {cited[0]}, le catalogue indique « {BY_CODE[Code(code)].article} »"
    )
