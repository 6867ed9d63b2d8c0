"""Names of members as documents print them, and matching them to one person each.

Documents write the same person many ways: "Monsieur Jean-Marc RETY", "RETY
Jean-Marc", "Jean-marc Rety", "M.RETY", "J.-M. RETY", or a first name alone in a
small commune. A `Roster` gives each person one id and matches later mentions to
it, without inventing members: a mention that matches nobody becomes a new
member only where the document lists members (attendance lists).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from registre.record import Civility, Member

_CIVILITY = re.compile(
    r"^\s*(?P<civ>monsieur|madame|mademoiselle|messieurs|mesdames|mme|mlle|melle|mr|m)\b\.?\s*",
    re.IGNORECASE,
)
_FEMALE = {"madame", "mademoiselle", "mesdames", "mme", "mlle", "melle"}
_PARTICLES = {"de", "du", "des", "le", "la", "d'", "van", "von", "da", "di", "del", "dos"}
_ROLE = re.compile(
    r"^(?:m(?:onsieur|\.)?\s+le\s+maire|madame\s+la\s+maire|m(?:onsieur|\.)?\s+le\s+pr[ée]sident|madame\s+la\s+pr[ée]sidente|le\s+maire|le\s+pr[ée]sident)\b",
    re.IGNORECASE,
)


def _fold_table() -> dict[int, str]:
    """Each accented Latin letter to its base letter: one character for one."""
    table = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFKD", chr(code))[:1]
        if base.isascii() and base.isalpha():
            table[code] = base
    return table


_FOLD = _fold_table()


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case without accents, the same length as `text` (offsets carry over)."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD).lower()


@lru_cache(maxsize=1 << 14)
def slug(text: str) -> str:
    """An id made of ASCII letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name split into civility, first name and last name."""

    civility: Civility | None
    first_name: str | None
    last_name: str

    @property
    def key(self) -> str:
        """Order-insensitive comparison key: folded tokens, sorted."""
        return _key(self.first_name, self.last_name)

    @property
    def display(self) -> str:
        """'Prénom NOM'."""
        return f"{self.first_name} {self.last_name}" if self.first_name else self.last_name


@lru_cache(maxsize=1 << 14)
def _key(first: str | None, last: str) -> str:
    tokens = re.split(r"[\s\-'’.]+", fold(f"{first or ''} {last}"))
    return " ".join(sorted(t for t in tokens if t))


def is_role(text: str) -> bool:
    """True for "M. le Maire", "le Président": a role standing for a name."""
    return bool(_ROLE.match(text.strip()))


def _is_upper_word(word: str) -> bool:
    if "." in word:  # initials ("J.-P.") are a first name, never a surname
        return False
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@lru_cache(maxsize=1 << 14)
def parse_name(text: str) -> PersonName | None:
    """Split a printed name; None when the text holds no name."""
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip(" ,;.:*-–—()")
    civility = None
    match = _CIVILITY.match(text)
    if match and len(text) > match.end():
        civility = Civility.MADAME if match["civ"].lower() in _FEMALE else Civility.MONSIEUR
        text = text[match.end() :].strip()
    text = (
        re.sub(r"\s*([-–])\s*(?=[A-ZÀ-Ý])", "-", text)
        if re.search(r"[A-Z]{2,}\s[-–]\s[A-Z]{2,}", text)
        else text
    )
    words = text.split()
    if not words or not any(c.isalpha() for c in text):
        return None
    upper = [
        i for i, w in enumerate(words) if _is_upper_word(w) or (w.lower() in _PARTICLES and i > 0)
    ]
    if upper and len(upper) < len(words):
        last = [words[i] for i in upper]
        first = [w for i, w in enumerate(words) if i not in upper]
        return PersonName(civility, " ".join(first), " ".join(last))
    if len(words) == 1:
        return PersonName(civility, None, words[0])
    if upper:  # all upper case: last word is the last name by convention of lists
        return PersonName(civility, " ".join(words[:-1]), words[-1])
    return PersonName(civility, " ".join(words[:-1]), words[-1])


@lru_cache(maxsize=1 << 14)
def _folded(first: str | None, last: str) -> tuple[str, str, str]:
    """Folded last name, folded first name, and the last name with spaces for hyphens."""
    folded_last = fold(last)
    return folded_last, fold(first or ""), folded_last.replace("-", " ")


def _compatible_first(a: str, b: str) -> bool:
    """Same first name, or one is missing, or one is the other's initial ("J.-P.")."""
    if not a or not b or a == b:
        return True
    a_initials = len(a.replace(".", "").replace("-", "")) <= 2
    b_initials = len(b.replace(".", "").replace("-", "")) <= 2
    return (a_initials and b.startswith(a[0])) or (b_initials and a.startswith(b[0]))


@dataclass(slots=True)
class Roster:
    """The members a document names, one id per person."""

    people: dict[str, PersonName] = field(default_factory=dict)
    substitutes: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    folded: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_last: dict[str, list[str]] = field(default_factory=dict)
    by_first: dict[str, list[str]] = field(default_factory=dict)
    built: dict[str, Member] | None = None

    @property
    def members(self) -> dict[str, Member]:
        """The members by id (built when asked: most readings ask once, at the end)."""
        if self.built is None or len(self.built) != len(self.people):
            self.built = {
                member_id: Member(
                    id=member_id,
                    last_name=name.last_name,
                    first_name=name.first_name,
                    civility=name.civility,
                    substitute_for=self.substitutes.get(member_id),
                )
                for member_id, name in self.people.items()
            }
        return self.built

    def mark_substitute(self, member_id: str, titular: str) -> None:
        """Record that `member_id` is the substitute of `titular` (L5211-6)."""
        self.substitutes[member_id] = titular
        self.built = None

    def find(self, name: PersonName) -> str | None:
        """The id of the member this name designates, if already known."""
        known = self.keys.get(name.key)
        return known if known is not None else self._loose_match(name)

    def _loose_match(self, name: PersonName) -> str | None:
        """A unique member with the same last name and a compatible first name."""
        _, first, last = _folded(name.first_name, name.last_name)
        found = [
            m for m in self.by_last.get(last, ()) if _compatible_first(first, self.folded[m][1])
        ]
        if not first:
            found += [m for m in self.by_first.get(last, ()) if m not in found]
        if not found and first:  # "Monsieur El Kandoussi": the whole mention is the surname
            found = list(self.by_last.get(f"{first} {last}".replace("-", " "), ()))
        return found[0] if len(found) == 1 else None

    def add(self, name: PersonName) -> str:
        """The id of this person, adding them if the roster does not have them."""
        known = self.find(name)
        if known is not None:
            return known
        base = slug(name.display) or "membre"
        member_id, n = base, 2
        while member_id in self.people:
            member_id, n = f"{base}-{n}", n + 1
        self.people[member_id] = name
        self.keys[name.key] = member_id
        last, first, spaced = _folded(name.first_name, name.last_name)
        self.folded[member_id] = (last, first)
        self.by_last.setdefault(spaced, []).append(member_id)
        if first:  # a first name alone, e.g. in a small commune's minutes
            self.by_first.setdefault(first, []).append(member_id)
        return member_id
