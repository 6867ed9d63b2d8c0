"""Guess the @CTES matter (level 2, e.g. 7.5) of a deliberation from its subject.

Documents rarely print the matter SCDL requires; `registre export --infer-matter`
fills it with this guess, and the richer export says it was inferred.

How it works: the subject is folded (lower case, accents and punctuation removed)
and matched against weighted cues, each a regular expression anchored at word
starts (so "subvention" also matches "subventions": a prefix is our stemmer, no
stemming package is needed). Each code scores the sum of the weights of its cues
that match; the highest score wins, ties going to the code listed first in `CUES`.
No cue, no guess: the matter stays empty rather than invented.

The weights say what decides a matter in practice: the act's nature (a designation,
a sale, a grant, a contract) outweighs its theme (culture, housing), as the
prefectures' classification does. Measured on subjects from the corpus
(`tests/data/opendata/matter-labels.csv`; `docs/opendata.md` gives the figures).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from registre.opendata.nomenclature import Matter

# Cues by code: (weight, pattern on the folded subject). Order matters on a tie.
CUES: tuple[tuple[str, int, str], ...] = (
    ("9.4", 6, r"\bvoeux?\b|\bmotion\b"),
    ("5.1", 6, r"\badjoints? au maire\b|\belection du maire\b|\bnombre d adjoints\b"),
    ("5.5", 6, r"\bdelegations? de signature"),
    ("5.4", 6, r"\bdelegations? (du conseil|de missions|d attributions|de fonctions)"),
    ("5.8", 6, r"\bester en justice|\baction en justice|\bcontentieux\b"),
    ("5.6", 6, r"\bindemnites? de fonction|\bformation des elus|\bgroupes? d elus|\bdes elus\b"),
    ("5.2", 6, r"\bcommissions? (municipales?|interne)|\breglement interieur\b"),
    ("5.2", 6, r"\bcommission (d appel d offres|de delegation de service public)"),
    ("5.2", 6, r"\b(compte rendu|proces verbal) du conseil|\bsecretaire de seance|\bordre du jour"),
    ("5.2", 4, r"\bquestions diverses|\belection des membres"),
    ("5.3", 5, r"\bdesignations?\b|\bdesigne\b|\belection (du|des) (delegues?|suppleants?)"),
    ("5.3", 3, r"\brepresentants?\b|\bdelegues?\b|\bcorrespondant\b"),
    ("5.7", 4, r"\bclect\b|\btransferts? de charges|\btransfert de (la )?competence"),
    ("5.7", 3, r"\bcommunaute (de communes|d agglomeration|urbaine)|\brapport d activite"),
    ("7.2", 5, r"\btaux d imposition|\bfiscalit|\bimpots? directs|\btaxes?\b|\betat 1259"),
    ("7.1", 6, r"\bbudgets? (primitif|supplementaire|annexe|principal|assainissement)"),
    ("7.1", 6, r"\bdecisions? modificatives?|\bcomptes? (administratif|de gestion)"),
    ("7.1", 6, r"\baffectations? (de|du|des) resultats?|\borientation budgetaire"),
    ("7.1", 5, r"\bautorisations? de programme|\bamortissements?\b|\bvote du budget"),
    ("7.3", 6, r"\bemprunts?\b|\bgarantie d emprunt|\bligne de tresorerie"),
    ("7.8", 6, r"\bfonds de concours"),
    ("7.9", 5, r"\brapports? des administrateurs|\bprise de participation"),
    ("7.6", 5, r"\bcotisations?\b|\battribution de compensation"),
    ("7.5", 5, r"\bsubventions?\b|\baide humanitaire"),
    ("7.10", 5, r"\bnon valeur|\bcreances?\b|\bregies?\b|\bapurement|\btarifs?\b"),
    ("7.10", 4, r"\bnomenclature budgetaire|\bm57\b|\bremboursement\b|\btitre gratuit"),
    ("7.4", 5, r"\baides? (economiques?|aux entreprises)|\binterventions? economiques?"),
    ("1.5", 7, r"\bprotocole transactionnel|\btransaction\b"),
    ("1.6", 6, r"\bmaitrise d oeuvre"),
    ("1.2", 6, r"\bdelegation de service public|\bdelegataire|\baffermage|\bgrdf\b"),
    ("1.1", 6, r"\bmarches? (publics?|de travaux|de prestations?|de services?|de fournitures?)"),
    ("1.1", 6, r"\b(signer|attribution|avenant)\b.{0,40}\bmarches?\b|\bmarches? alimentaires"),
    ("1.1", 5, r"\bappel d offres|\bgroupement de commandes|\bmaintenance\b|\bprestataire"),
    ("2.3", 7, r"\bpreemption|\bdroit de priorite"),
    ("2.2", 7, r"\bpermis de (construire|demolir|amenager)|\bautorisation (de demolir|prealable)"),
    ("2.1", 6, r"\bplan local d urbanisme|\bplui?\b|\bpadd\b|\bscot\b|\bdocuments? d urbanisme"),
    ("2.1", 5, r"\bperimetres? (d etude|de protection)"),
    ("3.4", 7, r"\blimites? territoriales?"),
    ("3.1", 6, r"\bacquisitions?\b|\bachat\b|\btransferts? de propriete|\bechange foncier"),
    ("3.2", 6, r"\bventes?\b|\bcessions?\b|\balienations?\b"),
    ("3.5", 6, r"\bdomaine public|\bdeclassement|\bconcession (funeraire|pleine terre)"),
    ("3.6", 6, r"\bdomaine prive|\bservitude|\bsylvicole|\bforet\b|\bassiettes? des coupes"),
    ("3.6", 5, r"\betat d assiette|\bparcelles? de bois"),
    ("3.3", 5, r"\blocations?\b|\bloyers?\b|\bbail\b|\bmise a disposition de (locaux|salles?)"),
    ("3.3", 4, r"\bsalles? (municipales?|du chateau)|\blocaux\b"),
    ("4.1", 7, r"\btableau des effectifs|\bcreation d un poste|\bmise a disposition (d agents|de deux agents|de personnel|aupres)"),
    ("4.2", 7, r"\bcontractuels?\b|\bnon permanent|\baccroissement temporaire|\bheures hebdomadaires"),
    ("4.5", 7, r"\bregime indemnitaire|\bprimes?\b|\bastreintes?\b"),
    ("4.1", 5, r"\bpersonnel (municipal|communal)|\binstances paritaires|\bassurance statutaire"),
    ("4.1", 5, r"\bcnracl\b|\bmedecine preventive|\bcdg\b|\bcentre de gestion"),
    ("6.1", 4, r"\bpolice municipale|\bfourriere|\bvideoprotection"),
    ("6.4", 3, r"\breglementation\b|\bhalles\b|\bmarches? de plein air"),
    ("8.4", 5, r"\bzac\b|\bzones? d amenagement|\bconcessions? d amenagement|\bcompte rendu annuel"),
    ("8.4", 4, r"\bagrement de candidature|\bprojet urbain|\betablissement public foncier|\butilite publique"),
    ("8.5", 4, r"\bhabitat\b|\blogements?\b|\bopah\b|\bravalement|\brenovation urbaine|\bpolitique de la ville"),
    ("8.5", 3, r"\bcohesion sociale|\bcopropriete"),
    ("8.3", 4, r"\bvoiries?\b|\bdenominations? de voies?|\bdeneigement|\bvoies? (privees|publiques?|communales?)"),
    ("8.3", 3, r"\bouvrages? d art|\brue\b|\bchemin\b|\broutier"),
    ("8.7", 4, r"\btransports?\b|\bdeplacements\b|\bmobilite|\bparkings?\b|\bcyclables?\b|\btramway"),
    ("8.6", 4, r"\bemploi\b|\binsertion\b|\bformation professionnelle|\bmetiers\b"),
    ("8.1", 4, r"\becoles?\b|\bscolaires?\b|\bcolleges?\b|\blycees?\b|\benseignement|\bcantine"),
    ("8.2", 4, r"\bsocial(e|es)?\b|\bccas\b|\bpersonnes agees|\bhandicap|\bparentalite|\bcreche"),
    ("8.2", 3, r"\benfance\b|\bassistantes? maternelles?|\bprevention specialisee|\bsolidarite"),
    ("8.8", 4, r"\benvironnement|\bdeveloppement durable|\bassainissement|\bdechets|\bordures menageres"),
    ("8.8", 4, r"\beoliens?\b|\benergies? renouvelables?|\bbiodiversite|\bcarrieres?\b|\bautorisation d exploiter"),
    ("8.8", 3, r"\beau\b|\bmethanisation|\bcompostage|\bespaces verts|\bnature\b"),
    ("8.9", 4, r"\bculture(l|lle|ls|lles)?\b|\btheatres?\b|\bcinemas?\b|\bmusees?\b|\bfestival|\blivres?\b"),
    ("8.9", 3, r"\bmediatheque|\bbibliotheque|\bartistique|\bdanse\b|\bconcerts?\b|\barchives\b|\bprogrammation"),
    ("9.1", 3, r"\bsports?\b|\bsporti(f|ve|fs|ves)\b|\bjeunes\b|\bjeunesse\b|\bvacances\b|\bjumelage"),
    ("9.1", 3, r"\bmairie annexe|\bmariages?\b|\bmaisons fleuries|\bmarche nocturne|\brelations internationales"),
)  # fmt: skip

_COMPILED = tuple((code, weight, re.compile(pattern)) for code, weight, pattern in CUES)
_ORDER = {code: index for index, (code, _, _) in reversed(list(enumerate(CUES)))}


@dataclass(frozen=True, slots=True)
class MatterGuess:
    """A matter inferred from a subject: the matter, its score, and the words that
    decided it (folded), so that a reader can see why."""

    matter: Matter
    score: int
    evidence: tuple[str, ...]


def fold(text: str) -> str:
    """Lower case, without accents, ligatures or punctuation, single-spaced."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def infer_matter(subject: str) -> MatterGuess | None:
    """The most likely level-2 @CTES matter of a deliberation's subject, or None when
    no cue matches (the subject then says too little to guess)."""
    folded = fold(subject)
    scores: dict[str, int] = {}
    evidence: dict[str, list[str]] = {}
    for code, weight, pattern in _COMPILED:
        found = pattern.search(folded)
        if found is None:
            continue
        scores[code] = scores.get(code, 0) + weight
        evidence.setdefault(code, []).append(found.group(0).strip())
    if not scores:
        return None
    best = max(scores, key=lambda code: (scores[code], -_ORDER[code]))
    return MatterGuess(Matter(best), scores[best], tuple(evidence[best]))
