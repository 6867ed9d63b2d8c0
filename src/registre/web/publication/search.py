"""French full-text search of the published acts, the same on PostgreSQL and SQLite.

A search finds the visible acts whose subject, matter, statement or operative part
hold every word of the query, case and accents ignored, each French word reduced to
its stem (« délibérations » and « deliberation » are one word), newest first
(`-meeting_date, -number`), as a QuerySet the portal paginates. Stop words (« le »,
« des »…) are not searched; a query made only of them finds nothing.

- PostgreSQL: the column `search_vector`, not in the model: the database generates
  it from the four texts with the text search configuration `registre_fr`
  (`french` with `unaccent` before its Snowball stemmer), under a GIN index on the
  visible acts; the query goes through `plainto_tsquery('registre_fr', …)`. Always
  in step with the row: `search_text` stays empty there.
- SQLite: `PublishedAct.search_text` holds the words folded and stemmed here, in
  Python, by the same Snowball French stemmer (PyStemmer) with PostgreSQL's French
  stop words; an FTS5 table over that column (external content, kept in step by
  triggers) finds them; the query is stemmed the same way. `reindex(acts)` writes
  `search_text`; the publication services call it after each write.

The two tokenisers differ at the edges (PostgreSQL also indexes a hyphenated word
whole, reads `2014-05-22` as `2014`, `-05`, `-22`); tests/web/test_publication_search.py
runs one fixed word list on both databases and expects the same hits.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import Stemmer  # type: ignore[import-not-found]  # PyStemmer ships no types
from django.db import connections
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.utils import NotSupportedError

from registre.web.publication.models import PublishedAct, PublishedQuerySet

CONFIG = "registre_fr"  # PostgreSQL's text search configuration (migration 0002)
FTS_TABLE = "publication_act_search"  # SQLite's FTS5 table (migration 0002)
# the signs PostgreSQL's parser would keep inside a token, replaced by spaces on both
# sides (the column's expression in migration 0002, the query's here)
SEPARATORS = "/._-@:+\\~#?=&%<>"
NO_WORDS = (
    "La recherche ne contient aucun mot à chercher : seulement des mots trop courants "
    "(« le », « de », « pour »…) ou de la ponctuation."
)

# PostgreSQL 15's tsearch_data/french.stop (itself Snowball's French list), as is.
# PostgreSQL compares the word *after* `unaccent` to this list, so the accented
# entries (« été », « à ») never match there; `_term` compares the folded word too.
STOP_WORDS = frozenset(["au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il", "je", "la", "le", "leur", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c", "d", "j", "l", "à", "m", "n", "s", "t", "y", "été", "étée", "étées", "étés", "étant", "étante", "étants", "étantes", "suis", "es", "est", "sommes", "êtes", "sont", "serai", "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions", "seriez", "seraient", "étais", "était", "étions", "étiez", "étaient", "fus", "fut", "fûmes", "fûtes", "furent", "sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fût", "fussions", "fussiez", "fussent", "ayant", "ayante", "ayantes", "ayants", "eu", "eue", "eues", "eus", "ai", "as", "avons", "avez", "ont", "aurai", "auras", "aura", "aurons", "aurez", "auront", "aurais", "aurait", "aurions", "auriez", "auraient", "avais", "avait", "avions", "aviez", "avaient", "eut", "eûmes", "eûtes", "eurent", "aie", "aies", "ait", "ayons", "ayez", "aient", "eusse", "eusses", "eût", "eussions", "eussiez", "eussent"])  # fmt: skip

# letters and digits, the underscore excluded: PostgreSQL's parser splits on it too
_WORD = re.compile(r"[^\W_]+")
# what NFKD leaves whole but `unaccent` splits
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_STEMMER = Stemmer.Stemmer("french")


def fold(text: str) -> str:
    """The text in lower case, without accents nor ligatures (« Œuvre » → « oeuvre »)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1 << 18)
def _term(word: str) -> str:
    """The indexed form of a lower-case word; "" for a stop word."""
    folded = fold(word)
    if folded in STOP_WORDS:
        return ""
    if any(c.isdigit() for c in folded):  # PostgreSQL gives these to `simple`: no stem
        return folded
    return str(_STEMMER.stemWord(folded))


def terms(text: str) -> list[str]:
    """The words of `text` as the search compares them: folded, stemmed, stop words out."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    return [term for term in map(_term, words) if term]


def has_words(query: str) -> bool:
    """Whether `query` has a word to search (not only stop words or punctuation);
    when not, `search_acts` finds nothing and the portal may show `NO_WORDS`."""
    return bool(terms(query))


def index_text(act: PublishedAct) -> str:
    """What SQLite's index reads for `act`: the terms of its subject, matter,
    statement and operative part, separated by spaces."""
    texts = (act.subject, act.matter_label, act.statement, act.operative_part)
    return " ".join(terms(" ".join(texts)))


def search_acts(queryset: QuerySet[PublishedAct], query: str) -> QuerySet[PublishedAct]:
    """The visible acts of `queryset` holding every word of `query`, newest first.

    The result is a QuerySet: the caller may filter it further, count and slice it."""
    acts = queryset.filter(withdrawn_at__isnull=True).order_by("-meeting_date", "-number")
    words = terms(query)
    if not words:
        return acts.none()
    vendor = connections[acts.db].vendor
    if vendor == "postgresql":
        column = f'"{PublishedAct._meta.db_table}"."search_vector"'
        blanks = " " * len(SEPARATORS)
        found = RawSQL(f"{column} @@ plainto_tsquery('{CONFIG}', translate(%s, %s, %s))",
                       [query, SEPARATORS, blanks], output_field=BooleanField())  # fmt: skip
        return acts.filter(found)
    if vendor == "sqlite":
        # each stem quoted: FTS5 reads a bare AND, OR, NOT or NEAR as an operator
        match = " ".join(f'"{word}"' for word in dict.fromkeys(words))
        rows = RawSQL(f"SELECT act FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
        return SearchResults.of(acts, acts.filter(pk__in=rows), match)
    raise NotSupportedError(f"recherche en texte intégral non prise en charge sur {vendor}")


class SearchResults(PublishedQuerySet):
    """SQLite's answer: a QuerySet of the acts found which, while nothing but the
    search filters it (the portal's plain search), counts and slices from the FTS5
    table alone, in its rowid order (the portal's order), instead of joining every
    act found to sort them: the cost of a page is then that of its rank, not of the
    number of acts found (« convention » is in one act in four)."""

    _match: str | None = None
    _plain: Any = None  # the query's filters when it was made (None: never plain)
    _base: QuerySet[PublishedAct] | None = None  # the same acts without the search

    @classmethod
    def of(cls, base: QuerySet[PublishedAct], found: QuerySet[PublishedAct], match: str) -> Any:
        """`found` as SearchResults; plain when `base` is filtered only to the visible acts."""
        results = found._chain()
        results.__class__ = cls
        results._match, results._base = match, base
        visible = PublishedAct.objects.visible().query.where
        if set(base.query.where.children) == set(visible.children):
            results._plain = found.query.where
        return results

    def _clone(self) -> Any:
        clone = super()._clone()
        clone._match, clone._plain, clone._base = self._match, self._plain, self._base
        return clone

    def _is_plain(self) -> bool:
        return (self._plain is not None and self.query.where == self._plain
                and not self.query.is_sliced and self._result_cache is None)  # fmt: skip

    def count(self) -> int:
        """How many acts were found."""
        if not self._is_plain():
            return super().count()
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
                           [self._match])  # fmt: skip
            return int(cursor.fetchone()[0])

    def __getitem__(self, k: Any) -> Any:
        if not (isinstance(k, slice) and self._is_plain() and k.step is None and self._base):
            return super().__getitem__(k)
        start, stop = k.start or 0, k.stop
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT act FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY "
                           "rowid DESC LIMIT %s OFFSET %s",
                           [self._match, -1 if stop is None else stop - start, start])  # fmt: skip
            ids = [act for (act,) in cursor.fetchall()]
        # the FTS5 key breaks a tie of day and number by the id, as this does
        return self._base.filter(pk__in=ids).order_by("-meeting_date", "-number", "-id")


def reindex(acts: Iterable[PublishedAct]) -> None:
    """Bring the search index up to date with `acts` after they were written.

    On SQLite, `search_text` is recomputed and saved (the FTS5 triggers follow it);
    on PostgreSQL the database derives its column itself: nothing to do."""
    acts = list(acts)
    if not acts:
        return
    database = acts[0]._state.db or "default"
    if connections[database].vendor != "sqlite":
        return
    for act in acts:
        act.search_text = index_text(act)
    PublishedAct.objects.using(database).bulk_update(acts, ["search_text"], batch_size=500)
