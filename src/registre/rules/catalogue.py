"""What each code means: its article, the fields it reads, an example message.

`docs/rules.md` is generated from this table (`registre rules -o docs/rules.md`);
a test fails when the two disagree or when a code has no entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from registre.rules.findings import Code


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """The documentation of one finding code."""

    code: Code
    article: str
    theme: str
    rule: str
    reads: str
    example: str


A, P, V, M, L = (
    "Composition et présence",
    "Procurations",
    "Vote",
    "Formalités de la séance",
    "Après la séance",
)

CATALOGUE: tuple[RuleInfo, ...] = (
    RuleInfo(Code.QUORUM_NOT_REACHED, "L2121-17 (L3121-14, L4132-13)", A,
             "Plus de la moitié des membres en exercice doivent être physiquement présents quand le point est mis en discussion ; les procurations et les membres retirés ne comptent pas.",
             "meeting.members_in_office, deliberations[].attendance.present, outcome",
             "Le quorum n'est pas atteint : 40 membres présents pour 86 en exercice, il en faut au moins 44."),
    RuleInfo(Code.QUORUM_SECOND_CONVOCATION, "L2121-17", A,
             "Sur seconde convocation après un défaut de quorum, l'assemblée délibère valablement sans quorum sur les points reportés (information).",
             "meeting.second_convocation, deliberations[].carried_over",
             "Quorum non atteint (30 présents sur 86, il en faut 44) : délibération valable sans quorum sur seconde convocation."),
    RuleInfo(Code.ATTENDANCE_TOTAL_MISMATCH, "L2121-17", A,
             "Présents + retirés + représentés + absents = membres en exercice ; les nombres imprimés correspondent aux listes.",
             "meeting.members_in_office, meeting.members, attendance.*, deliberations[].attendance.*",
             "Présents (75) + retirés (0) + représentés (9) + absents (1) = 85, mais 86 membres sont en exercice."),
    RuleInfo(Code.MEMBER_NOT_IN_OFFICE, "L2121-17", A,
             "Toute personne citée (présente, absente, procuration, président, secrétaire, vote nominatif) détient un siège à la date de la séance.",
             "meeting.members (mandate_start, mandate_end), toutes les références à un membre",
             "« jean-dupont » (liste des présents) ne figure pas parmi les membres en exercice le 23 novembre 2023."),
    RuleInfo(Code.MEMBER_LISTED_TWICE, "L2121-17", A,
             "Chaque membre a un seul statut par point : présent, retiré, représenté ou absent.",
             "deliberations[].attendance.present/withdrawn/represented/absent, attendance.*",
             "Céline TONOT figure deux fois (présente et représentée)."),
    RuleInfo(Code.SUBSTITUTE_NOT_ALLOWED, "L5211-6", A,
             "Un suppléant ne siège que dans les communautés de communes et d'agglomération, pour un titulaire absent, et doit être son suppléant.",
             "collectivity.kind, attendance.substitutes, meeting.members[].substitute_for",
             "Un suppléant ne peut siéger que dans une communauté de communes ou d'agglomération (ici : metropole)."),
    RuleInfo(Code.PROXY_HOLDER_ABSENT, "L2121-20", P,
             "Le mandataire d'une procuration utilisée est présent pour le point.",
             "deliberations[].attendance.proxies, present",
             "Jean-Marc RETY, qui détient la procuration de Céline TONOT, n'est pas présent pour ce point."),
    RuleInfo(Code.PROXY_GIVER_PRESENT, "L2121-20", P,
             "Un membre présent ne peut pas être représenté.",
             "deliberations[].attendance.proxies, present",
             "Céline TONOT est présente et a pourtant donné procuration à Jean-Marc RETY."),
    RuleInfo(Code.PROXY_HOLDER_OVERLOADED, "L2121-20 (L3121-16, L4132-15)", P,
             "Un membre ne détient qu'une seule procuration.",
             "deliberations[].attendance.proxies",
             "Jean-Marc RETY détient 2 procurations (Céline TONOT, Guillaume RUET) ; une seule est admise."),
    RuleInfo(Code.PROXY_TOO_OLD, "L2121-20 (L3121-16, L4132-15)", P,
             "Une procuration vaut pour trois séances consécutives au plus, sauf maladie dûment constatée (une seule séance pour les départements et régions).",
             "attendance.proxies (given_on, covers, illness), history",
             "La procuration de Céline TONOT à Jean-Marc RETY sert pour une 4e séance consécutive ; elle vaut pour 3 séances au plus."),
    RuleInfo(Code.PROXY_COUNT_MISMATCH, "L2121-20 (arithmétique)", P,
             "« Dont N procurations » égale le nombre de membres représentés.",
             "deliberations[].vote.proxies_counted, attendance.represented",
             "Le décompte indique 10 procurations, mais 9 membres sont représentés."),
    RuleInfo(Code.PROXY_INTERESTED_HOLDER, "L2131-11", P,
             "Un membre intéressé à l'affaire ne vote ni pour lui ni pour son mandant.",
             "deliberations[].attendance.withdrawn, interested, proxies",
             "Jean-Marc RETY, retiré ou intéressé, ne peut pas voter pour Céline TONOT, qu'il représente."),
    RuleInfo(Code.TALLY_EXCEEDS_VOTERS, "L2121-20 (arithmétique)", V,
             "Pour + contre + abstentions + ne prend pas part (+ blancs et nuls) ne dépasse pas présents + représentés.",
             "deliberations[].vote, attendance",
             "Le décompte totalise 85 voix pour 84 votants possibles (75 présents + 9 représentés)."),
    RuleInfo(Code.TALLY_INCOMPLETE, "L2121-20 (arithmétique)", V,
             "Le décompte rend compte de chaque membre présent ou représenté ; l'écart est signalé.",
             "deliberations[].vote, attendance",
             "Le décompte totalise 80 voix pour 84 votants possibles : 4 membres ne sont pas décomptés."),
    RuleInfo(Code.OUTCOME_INCONSISTENT, "L2121-20, L2121-21", V,
             "Adoptée si pour > contre (majorité absolue des suffrages exprimés) ; nominations : majorité absolue aux deux premiers tours, relative au troisième, le plus âgé en cas d'égalité.",
             "deliberations[].vote, outcome, vote.appointment",
             "La délibération est dite adoptée avec 30 voix pour et 40 contre."),
    RuleInfo(Code.TIE_CASTING_VOTE, "L2121-20", V,
             "En cas de partage égal des voix, celle du président est prépondérante, sauf en scrutin secret où la proposition est rejetée.",
             "deliberations[].vote (for, against, mode, president_vote, named_votes), outcome, meeting.president",
             "Partage égal (42 pour, 42 contre) : la voix du président, qui a voté pour, est prépondérante ; adoptée."),
    RuleInfo(Code.UNANIMITY_CLAIM_FALSE, "L2121-20", V,
             "« À l'unanimité » ne peut pas compter de voix contre.",
             "deliberations[].vote.unanimous, against",
             "Le document indique « à l'unanimité » alors que 3 voix sont contre."),
    RuleInfo(Code.SECRET_BALLOT_REQUIRED, "L2121-21", V,
             "Scrutin secret pour toute nomination, sauf renonciation unanime, et à la demande d'un tiers des membres présents.",
             "deliberations[].vote.mode, appointment, secret_requested_by, secret_waived",
             "Une nomination se vote au scrutin secret, sauf si l'assemblée y renonce à l'unanimité."),
    RuleInfo(Code.NAMED_VOTES_MISSING, "L2121-21, L2121-15", V,
             "Le scrutin public (demandé par un quart des membres présents, un sixième dans les départements et régions) consigne le nom des votants et leur vote.",
             "deliberations[].vote.mode, public_requested_by, named_votes",
             "Scrutin public : le nom des votants et le sens de leur vote doivent figurer au procès-verbal."),
    RuleInfo(Code.NAMED_VOTES_INCONSISTENT, "L2121-15 (arithmétique)", V,
             "Les votes nominatifs correspondent au décompte, et seuls votent les présents et, pour leurs mandants, les mandataires.",
             "deliberations[].vote.named_votes, for/against/abstention/not_voting, attendance",
             "Les votes nominatifs donnent 83 voix pour, le décompte en indique 84."),
    RuleInfo(Code.INTERESTED_MEMBER_VOTED, "L2131-11, L1111-6", V,
             "Un membre intéressé à l'affaire, ou désigné représentant dans les cas de L1111-6, ne prend part ni au débat ni au vote.",
             "deliberations[].interested, attendance.withdrawn, present, vote.named_votes",
             "Antoine HOAREAU, intéressé à l'affaire, a pris part au vote."),
    RuleInfo(Code.CONVOCATION_TOO_LATE, "L2121-11, L2121-12, L2121-17, L3121-19, L4132-18", M,
             "3 jours francs (communes de moins de 3 500 habitants, seconde convocation), 5 jours francs (3 500 habitants et plus, EPCI), 1 jour franc en urgence, 12 jours (départements, régions).",
             "meeting.convocation_date, date, urgency, second_convocation, collectivity.kind, population",
             "Convocation envoyée le 19 novembre 2023, 3 jours francs avant la séance ; il en faut au moins 5."),
    RuleInfo(Code.SYNTHESIS_NOTE_MISSING, "L2121-12", M,
             "Une note explicative de synthèse accompagne la convocation (communes de 3 500 habitants et plus, EPCI).",
             "meeting.synthesis_note_sent, collectivity.kind, population",
             "Aucune note explicative de synthèse n'a été jointe à la convocation."),
    RuleInfo(Code.SECRETARY_MISSING, "L2121-15", M,
             "Un ou plusieurs secrétaires de séance sont désignés parmi les membres à l'ouverture.",
             "meeting.secretaries",
             "Aucun secrétaire de séance n'a été désigné."),
    RuleInfo(Code.SIGNATURE_MISSING, "L2121-23", L,
             "La délibération est signée par le président et le ou les secrétaires de séance.",
             "événements signed (signer, capacity), meeting.president, secretaries ; --as-of",
             "La délibération n'est pas signée par le secrétaire de séance Antoine HOAREAU."),
    RuleInfo(Code.LIST_NOT_PUBLISHED, "L2121-25", L,
             "La liste des délibérations examinées est publiée en ligne dans la semaine.",
             "événements published (document deliberation_list), meeting.date ; --as-of",
             "La liste des délibérations n'a pas été publiée dans la semaine suivant la séance (au plus tard le 30 novembre 2023)."),
    RuleInfo(Code.MINUTES_NOT_PUBLISHED, "L2121-15", L,
             "Le procès-verbal, adopté à la séance suivante, est publié dans la semaine qui suit son adoption.",
             "événements minutes_adopted, published (document minutes) ; --as-of",
             "Le procès-verbal adopté le 14 décembre 2023 n'a pas été publié dans la semaine."),
    RuleInfo(Code.NOT_ENFORCEABLE_YET, "L2131-1, L2131-2", L,
             "Exécutoire une fois publiée électroniquement et, pour les actes de L2131-2, transmise au préfet.",
             "événements published, transmitted, acknowledged ; transmission_required ; --as-of",
             "Pas encore exécutoire au 24 novembre 2023 : ni publiée ni transmise au préfet."),
    RuleInfo(Code.PUBLICATION_FORMAT, "R2131-1", L,
             "Publiée en entier, sous une forme non modifiable, avec le prénom, le nom et la qualité de l'auteur et la date de mise en ligne. Vérifié sur le fichier publié (chantier publication), pas sur un enregistrement.",
             "le fichier PDF publié",
             "Le fichier publié ne mentionne pas la date de mise en ligne."),
)  # fmt: skip

BY_CODE: dict[Code, RuleInfo] = {info.code: info for info in CATALOGUE}


def article(code: Code) -> str:
    """The article a code cites."""
    return BY_CODE[code].article
