"""The @CTES nomenclature of matters, levels 1 and 2, as SCDL writes them.

Codes and labels follow the prefecture classification file kept in
`shared/reference/actes/exemple_codes_matieres.xml` (SICTIAM/stela, 2017) and
`standards.md` §2.4; the wording of labels varies between prefectures, the code is
what counts. SCDL's `DELIB_MATIERE_NOM` is "level-1 label/level-2 label", lower
case, accents kept, without commas or parentheses: the labels below are written so.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVEL_1: dict[str, str] = {
    "1": "commande publique",
    "2": "urbanisme",
    "3": "domaine et patrimoine",
    "4": "fonction publique",
    "5": "institutions et vie politique",
    "6": "libertés publiques et pouvoirs de police",
    "7": "finances locales",
    "8": "domaines de compétences par thèmes",
    "9": "autres domaines de compétences",
}

LEVEL_2: dict[str, str] = {
    "1.1": "marchés publics",
    "1.2": "délégation de service public",
    "1.3": "conventions de mandat",
    "1.4": "autres types de contrats",
    "1.5": "transactions - protocole d'accord transactionnel",
    "1.6": "actes relatifs à la maîtrise d'œuvre",
    "1.7": "actes spéciaux et divers",
    "2.1": "documents d'urbanisme",
    "2.2": "actes relatifs au droit d'occupation ou d'utilisation des sols",
    "2.3": "droit de préemption urbain",
    "3.1": "acquisitions",
    "3.2": "aliénations",
    "3.3": "locations",
    "3.4": "limites territoriales",
    "3.5": "autres actes de gestion du domaine public",
    "3.6": "autres actes de gestion du domaine privé",
    "4.1": "personnels titulaires et stagiaires de la fonction publique territoriale",
    "4.2": "personnels contractuels",
    "4.3": "fonction publique hospitalière",
    "4.4": "autres catégories de personnels",
    "4.5": "régime indemnitaire",
    "5.1": "élection exécutif",
    "5.2": "fonctionnement des assemblées",
    "5.3": "désignation de représentants",
    "5.4": "délégation de fonctions",
    "5.5": "délégation de signature",
    "5.6": "exercice des mandats locaux",
    "5.7": "intercommunalité",
    "5.8": "décision d'ester en justice",
    "6.1": "police municipale",
    "6.2": "pouvoirs du président du conseil général",
    "6.3": "pouvoirs du président du conseil régional",
    "6.4": "autres actes réglementaires",
    "6.5": "actes pris au nom de l'état et soumis au contrôle hiérarchique",
    "7.1": "décisions budgétaires",
    "7.2": "fiscalité",
    "7.3": "emprunts",
    "7.4": "interventions économiques",
    "7.5": "subventions",
    "7.6": "contributions budgétaires",
    "7.7": "avances",
    "7.8": "fonds de concours",
    "7.9": "prise de participation",
    "7.10": "divers",
    "8.1": "enseignement",
    "8.2": "aide sociale",
    "8.3": "voirie",
    "8.4": "aménagement du territoire",
    "8.5": "politique de la ville-habitat-logement",
    "8.6": "emploi-formation professionnelle",
    "8.7": "transports",
    "8.8": "environnement",
    "8.9": "culture",
    "9.1": "autres domaines de compétences des communes",
    "9.2": "autres domaines de compétences des départements",
    "9.3": "autres domaines de compétences des régions",
    "9.4": "vœux et motions",
}


@dataclass(frozen=True, slots=True)
class Matter:
    """A level-2 matter of the nomenclature (e.g. 8.6), the level SCDL publishes."""

    code: str

    def __post_init__(self) -> None:
        if self.code not in LEVEL_2:
            raise ValueError(f"matière inconnue de la nomenclature @CTES : {self.code}")

    @property
    def label(self) -> str:
        """The level-2 label, e.g. "emploi-formation professionnelle"."""
        return LEVEL_2[self.code]

    @property
    def scdl_label(self) -> str:
        """SCDL's DELIB_MATIERE_NOM: "level-1 label/level-2 label"."""
        return f"{LEVEL_1[self.code.split('.')[0]]}/{self.label}"


def level_2(code: str | None) -> Matter | None:
    """The level-2 matter of a record's code (levels 3 to 5 are local: "7.1.2" gives
    7.1), or None when the code is absent or not in the nomenclature."""
    if not code:
        return None
    parts = code.split(".")
    key = ".".join(parts[:2])
    return Matter(key) if key in LEVEL_2 else None
