"""`docs/rules.md`, generated from the catalogue of codes.

`markdown()` is the whole text of the file; a test fails when they differ, so the
documentation cannot drift from `CATALOGUE`.
"""

from __future__ import annotations

from registre.rules.catalogue import CATALOGUE, RuleInfo
from registre.rules.findings import Code

# Codes documented here but never produced by `check`: they are verified elsewhere.
NOT_BY_CHECK: dict[Code, str] = {
    Code.PUBLICATION_FORMAT: (
        "se vérifie sur le fichier publié (PDF), pas sur un enregistrement de séance : "
        "`registre check` ne le produit jamais."
    ),
}

_INTRO = """\
# Règles contrôlées par `registre check`

<!-- Fichier généré par registre.rules.docs.markdown() : ne pas le modifier à la main,
lancer `make docs` après une modification de registre/rules/catalogue.py. -->

`registre check` lit l'enregistrement d'une séance (voir [record.md](record.md)) et
confronte chaque délibération aux règles du Code général des collectivités
territoriales (CGCT). Il ne corrige rien et ne devine rien : il rend une liste de
constats, chacun avec un **code**, une **gravité**, l'**article** cité, un message en
français et le pointeur JSON de la partie de l'enregistrement concernée.

Les règles sur les délais après la séance (signatures, publication, procès-verbal,
caractère exécutoire) ne s'appliquent qu'avec une date de référence (`--as-of`) ;
l'âge des procurations se vérifie avec les séances précédentes de la même assemblée.

## Gravités

- `error` : la délibération est exposée à l'annulation, ou les nombres sont impossibles.
- `warning` : probablement faux ou incomplet (par exemple un décompte qui ne rend pas
  compte de tous les votants).
- `info` : à signaler au secrétariat (seconde convocation, voix prépondérante
  utilisée, donnée manquante qui empêche un contrôle).

Une valeur inconnue ne produit jamais d'erreur, au plus une information : quand un
document n'imprime pas une donnée (`null` dans l'enregistrement), le constat dit ce
qui n'a pas pu être vérifié, avec la gravité `info`.

## Codes

Les codes sont stables : une fois publiés, ils ne sont ni renommés ni réutilisés pour
une autre règle. On peut donc les citer, les filtrer ou les compter d'une version à
l'autre. Le même code peut être émis avec des gravités différentes selon ce qui est
connu (erreur avérée, ou simple information quand la donnée manque).

Colonnes des tableaux : la règle contrôlée, l'article du CGCT (entre parenthèses, les
articles équivalents pour les départements et les régions), les champs de
l'enregistrement que la règle lit, et un exemple de message.
"""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _row(info: RuleInfo) -> str:
    cells = (f"`{info.code.value}`", info.rule, info.article, info.reads, info.example)
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def themes() -> list[str]:
    """The catalogue's themes, in the order of their first code."""
    return list(dict.fromkeys(info.theme for info in CATALOGUE))


def _section(theme: str) -> str:
    infos = [info for info in CATALOGUE if info.theme == theme]
    lines = [
        f"## {theme}",
        "",
        "| code | règle | article | champs lus | exemple de message |",
        "|---|---|---|---|---|",
        *(_row(info) for info in infos),
    ]
    notes = [
        f"`{info.code.value}` {NOT_BY_CHECK[info.code]}"
        for info in infos
        if info.code in NOT_BY_CHECK
    ]
    if notes:
        lines += ["", *(f"Note : {note}" for note in notes)]
    return "\n".join(lines) + "\n"


def markdown() -> str:
    """The full text of docs/rules.md."""
    return "\n".join([_INTRO, *(_section(theme) for theme in themes())])
