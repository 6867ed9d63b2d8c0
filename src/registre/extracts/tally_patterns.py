"""The regular expressions that find the atoms of vote statements (see `tallies`).

Most run on the lower-cased text, hence no IGNORECASE; the names (NAMES_AT_END,
CIVILITY_INSIDE) and the clause heads (CITED_HEAD, TABLE_MARGIN) on the text as written.
"""

from __future__ import annotations

import re

_FLAGS = re.MULTILINE  # patterns run on lower-cased text: IGNORECASE is slow
_HS = r"[^\S\n]"  # a space that is not a line break
_SP = rf"{_HS}*\n?{_HS}*"  # spacing inside one statement: at most one line break
_NUMBER_WORDS = (
    r"z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize"
    r"|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?"
)
_WORD_TOKEN = rf"(?:{_NUMBER_WORDS})\b"
_JOIN = rf"(?:[-‐]|{_HS})+"
_WORDS = rf"\b{_WORD_TOKEN}(?:(?:{_JOIN}et)?{_JOIN}{_WORD_TOKEN})*"
# Digits that are not part of a date, an amount, an article number, a time or a unit.
_DIGIT_COUNT = (
    r"(?<![\w.,/°])(?<!\d[-–])(?<!\d[^\S\n])(?<!°\s)[0-9]{1,3}"
    r"(?![0-9]|[.,][0-9]|\s?[0-9]{3}\b)"
    r"(?!\s*(?:€|euros?\b|%|ans?\b|mois\b|jours?\b|heures?\b|h\b|[hH]\s?[0-9]|m\b|m²|km|ha\b))"
)
# The leading test rejects most positions at once: this pattern is tried at each one.
_NUM = rf"\b(?=[0-9zudtqcshnova])(?P<num>{_DIGIT_COUNT}|{_WORDS}|aucune?\b)"
_NUM_AGAIN = _NUM.replace("?P<num>", "?P<line_num>")  # a group name may appear once
_ABSTENTION = r"ab?st?entions?"  # "absentions": a typo found in real minutes
_NOT_VOTING = (
    r"nppv\b|ne\s+(?:prend|prennent)\s+pas\s+part\s+au\s+vote"
    r"|ne\s+se\s+prononcen?t?\s+pas|ne\s+participen?t?\s+pas\s+au\s+vote"
)
# The vote words. The engine skips quickly to their first letters (p, c, a, n): counts
# are found from these words, the number read before or after them.
SIDE_WORD = re.compile(rf"(?:pour|contre|{_ABSTENTION}|{_NOT_VOTING})\b", _FLAGS)
LABEL_COUNT = re.compile(rf"{_HS}*[:=]{_SP}{_NUM}")  # "POUR : 84"
COUNT_BEFORE_SIDE = re.compile(rf"{_NUM}{_SP}(?:(?:voix|votes?|suffrages?){_SP})?\Z")
VOTE_WORD_BEFORE = re.compile(rf"\b(?:voix|votes?){_HS}+\Z")  # "Voix pour : 12"
COLON_NEXT = re.compile(rf"{_HS}*[:=]")
# "pour"/"contre" are also prepositions: after the count only an end, a punctuation,
# another number or another vote word may follow ("5 pour la commune" is no vote).
SIDE_ENDS = re.compile(
    rf"(?![-‐][^\W\d])(?!{_HS}+(?:cent|mille)\b)"
    rf"(?={_HS}*(?:$|[^\w\s]|\d|{_WORDS}"
    rf"|(?:et|ou|voix|votes?|abs\w*|ne|nppv|dont|contre|pour)\b))",
    _FLAGS,
)

# A bare "N votes" is a count for only on a result line: after "Vote :", or alone on
# its line (Couthenans 2022 writes "13 votes" where other items say "13 votes pour").
BARE_VOTES = re.compile(
    rf"(?<!\w)vo[tr]e{_HS}*[;:]+{_SP}{_NUM}{_HS}+(?:votes?|voix)\b"
    rf"(?!{_SP}(?:pour|contre|blancs?|nuls?|d['’]ab|{_ABSTENTION})\b)"
    rf"|^{_HS}*{_NUM_AGAIN}{_HS}+votes?{_HS}*\.?{_HS}*$",
    _FLAGS,
)
# Patterns that open with a literal let the engine skip to it: the word-boundary tests
# come after it ("dont(?<!\wdont)"), and "à l'" / "à la" are read backwards in Python.
PROXIES = re.compile(
    rf"dont(?<!\wdont){_SP}{_NUM}{_SP}(?:procurations?|pouvoirs?|mandats?)(?:\(s\))?", _FLAGS
)
# "unanituité": OCR noise in real minutes.
UNANIMOUS = re.compile(
    r"unani(?<!\wunani)(?:mement\b|\w{0,3}t[ée]s?\b(?:\s+des\s+(?:membres\s+présents"
    r"|suffrages\s+exprimés|voix\s+exprimées|votants|présents)(?:\s+et\s+représentés)?)?)",
    _FLAGS,
)
MAJORITY = re.compile(
    r"majorit[ée]\b(?:\s+(?:absolue|relative|simple|qualifiée"
    r"|des\s+(?:voix|suffrages(?:\s+exprimés)?|membres\s+présents|présents|votants)))?",
    _FLAGS,
)
_VOTE_VERB = r"(?:adopt|approuv|vot|décid|valid|accept|rejet|refus|délibér)\w*"
VOTE_VERB_BEFORE = re.compile(rf"\b{_VOTE_VERB},?\s+\Z")
VOTE_VERB_AFTER = re.compile(rf",?\s+{_VOTE_VERB}")
TO_THE = re.compile(r"\b[àa]\s+l(?:a\s+|['’]\s*)\Z")  # "à la majorité", "à l'unanimité"
AFTER_COLON = re.compile(r"[:;][^\S\n]*\Z")  # "Vote : majorité"
NOT_VOTING_PHRASE = re.compile(r"\bne\s+(?:prend|prennent)\s+pas\s+part\b", _FLAGS)
_CIVILITY = r"(?:Madame|Monsieur|Mademoiselle|Mmes|Mme|Mlle|MM\.|M\.|Mr\.?|Dr\.?)"
_NAME_TOKEN = r"(?:(?:de|du|des)\s+|d['’])?[A-ZÀ-ÖØ-Þ][\w'’\-]*"
_NAME = rf"(?:{_CIVILITY}\s*)?{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,5}}"
NAMES_AT_END = re.compile(rf"(?P<names>{_NAME}(?:\s*(?:,|\bet\b)\s*{_NAME})*)[\s,]*\Z")
NAME_SPLIT = re.compile(r"\s*(?:,|\bet\b)\s*")
CIVILITY_INSIDE = re.compile(rf"\b{_CIVILITY}")
# Outcomes. Written first on a line (or after a sentence), "ADOPTÉ" must be followed by
# an end or a vote ("Adoption du budget" is a heading, not an outcome).
_OUTCOME_FOLLOW = (
    rf"(?={_HS}*(?:$|[.,;!)]|:?{_HS}*(?:(?:[àa]|par|avec){_HS}+)?"
    rf"(?:\d|{_WORDS}|l['’]\s*unani|la\s+majorit)))"
)
OUTCOME_FIRST = re.compile(
    r"(?:^|(?<=[.;:!?]\s))(?:[^\S\n]|[|*•>\-–—])*"
    r"(?P<word>adopt[ée]e?s?|adoption|approuv[ée]e?s?|rejet[ée]?e?s?|refus[ée]e?s?)\b"
    + _OUTCOME_FOLLOW,
    _FLAGS,
)
OUTCOME_PASSIVE = re.compile(
    r"(?<!\bqui\s)\b(?P<neg>n['’]\s*)?(?:(?:est|sont)(?:\s+(?:donc|pas))?"
    r"|(?:a|ont)\s+(?:(?:donc|pas)\s+)?été)(?:\s+unanimement)?"
    r"\s+(?P<word>adopt|approuv|valid|rejet|refus|repouss)[ée]e?s?\b"
    r"(?!\s+(?:le|du|en\s+date|lors)\b)",
    _FLAGS,
)
OUTCOME_VERB = re.compile(
    r"\b(?:l[ea]\s+|l['’]\s*)?(?:conseil|assembl[ée]e|comit[ée]|bureau)\b[^.;\n]{0,80}?"
    r"(?P<neg>\bne\s+|\bn['’])?(?:l['’]|la\s+|les?\s+)?"
    r"\b(?P<word>adopte|approuve|valide|rejette|refuse)\b"
    r"(?(neg)\s+pas\b)",
    _FLAGS,
)
POSTPONED = re.compile(
    r"\b(?:(?:est|sont|a|ont)\s+(?:donc\s+)?(?:été\s+)?"
    r"|(?:point|question|dossier|sujet|vote|décision)s?\s+)(?:report|ajourn)[ée]e?s?\b"
    r"|(?:^|(?<=[.;:!?]\s))[^\S\n]*(?:report|ajourn)[ée]e?s?\b"
    r"(?=[^\S\n]*(?:$|[.,;]|\s+(?:à|au)\s))"
    r"|\bsera\s+\w+[ée]e?\s+(?:au|lors\s+du|lors\s+de\s+la)\s+prochaine?\s+(?:conseil|séance)"
    r"|\battendr\w*\s+(?:donc\s+)?(?:le|la)\s+prochaine?\s+(?:conseil|séance)",
    _FLAGS,
)
# "ce projet déjà voté à l'unanimité": a vote taken before, elsewhere.
PRIOR_VOTE = re.compile(r"\b(?:déjà|précédemment)\s+(?:été\s+)?(?:vot|adopt|approuv)\w*\s+\Z")
NO_VOTE = re.compile(
    r"\bpas\s+de\s+vote\b|\bsans\s+vote\b|\bne\s+donnen?t?\s+pas\s+lieu\s+[àa]\s+(?:un\s+)?vote\b"
    r"|\b(?:non|pas)\s+soumise?s?\s+au\s+vote\b",
    _FLAGS,
)
CITED_HEAD = re.compile(r"(?:vu|considérant|considerant|attendu|rappelant)\b", re.IGNORECASE)
TABLE_MARGIN = re.compile(r"^\s*\|[^|\n]*\||^[\s|]+")
