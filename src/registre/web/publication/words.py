"""The words of a text as the search compares them (folded, stemmed, stop words out),
apart from Django: `bulk_load` computes them in worker processes that load nothing
else. `registre.web.publication.search` is the search itself."""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Generic, Protocol, TypeVar

import Stemmer  # type: ignore[import-not-found]  # PyStemmer ships no types

# PostgreSQL 15's tsearch_data/french.stop (itself Snowball's French list), as is.
# PostgreSQL compares the word *after* `unaccent` to this list, so the accented
# entries (« été », « à ») never match there; `_term` compares the folded word too.
_FRENCH_STOP = """
au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me
même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur
ta te tes toi ton tu un une vos votre vous c d j l à m n s t y été étée étées étés
étant étante étants étantes suis es est sommes êtes sont serai seras sera serons
serez seront serais serait serions seriez seraient étais était étions étiez étaient
fus fut fûmes fûtes furent sois soit soyons soyez soient fusse fusses fût fussions
fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez ont
aurai auras aura aurons aurez auront aurais aurait aurions auriez auraient avais
avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient
eusse eusses eût eussions eussiez eussent
"""
STOP_WORDS = frozenset(_FRENCH_STOP.split())

# letters and digits, the underscore excluded: PostgreSQL's parser splits on it too
_WORD = re.compile(r"[^\W_]+")
# what NFKD leaves whole but `unaccent` splits
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_STEMMER = Stemmer.Stemmer("french")


def fold(text: str) -> str:
    """The text in lower case, without accents nor ligatures (« Œuvre » → « oeuvre »)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _term(word: str) -> str:
    """The indexed form of a lower-case word; "" for a stop word; the forms of its
    pieces, spaced, when folding leaves a sign in it (« ¼u » is « 1⁄4u »: « 1 4u »,
    the tokens FTS5 would make of it)."""
    folded = fold(word)
    if not folded.isalnum():
        return " ".join(filter(None, map(_term, _WORD.findall(folded))))
    if folded in STOP_WORDS:
        return ""
    if any(c.isdigit() for c in folded):  # PostgreSQL gives these to `simple`: no stem
        return folded
    return str(_STEMMER.stemWord(folded))


class _Terms(dict[str, str]):
    """Each word's indexed form, computed once: a text's words are then looked up
    in C (`map(_TERMS.__getitem__, …)`), half the cost of a cached function call."""

    def __missing__(self, word: str) -> str:
        if len(self) >= 1 << 18:  # a bound on memory: the vocabulary is kept again
            self.clear()
        term = self[word] = _term(word)
        return term


_TERMS = _Terms()


def words(text: str) -> list[str]:
    """The words of `text` (lower case): its runs of letters and digits. Split on
    spaces first, the regular expression only for what holds another sign (« l'acte, »):
    the same words, at a third of the cost on 1 KB of French."""
    found: list[str] = []
    for chunk in text.split():
        if chunk.isalnum():  # what `_WORD` matches whole (letters and digits, no "_")
            found.append(chunk)
        else:
            found += _WORD.findall(chunk)
    return found


def terms(text: str) -> list[str]:
    """The words of `text` as the search compares them: folded, stemmed, stop words out."""
    return _indexed(text).split()


def index_words(texts: Sequence[str]) -> str:
    """What SQLite's index reads for an act's texts (subject, matter, statement,
    operative part): their terms, separated by spaces."""
    return _indexed(" ".join(texts))


def _indexed(text: str) -> str:
    """The terms of `text`, separated by spaces."""
    lowered = unicodedata.normalize("NFC", text).lower()
    return " ".join(filter(None, map(_TERMS.__getitem__, words(lowered))))


# an act's subject, matter, statement and operative part
Texts = tuple[str, str, str, str]


def index_words_of(batch: Sequence[Sequence[str]]) -> list[str]:
    """`index_words` of each act's texts of a batch (what a worker process is sent)."""
    return [index_words(texts) for texts in batch]


Result = TypeVar("Result", str, bytes)


class Words(Generic[Result]):
    """What the search reads of batches of acts (`work`, a module's function of their
    texts: their words, `index_words_of`, or PostgreSQL's vectors), computed by
    `processes` worker processes (forked, so they start at once and share the parent's
    loaded modules), or here when `processes` is 0."""

    def __init__(self, processes: int, work: Callable[[list[Texts]], list[Result]]) -> None:
        self.work: Callable[[list[Texts]], list[Result]] = work
        self.pool: ProcessPoolExecutor | None = None
        if processes > 0:
            self.pool = ProcessPoolExecutor(processes, mp_context=mp.get_context("fork"))
            # every worker forked now, before the caller starts a thread
            for started in [self.pool.submit(os.getpid) for _ in range(processes)]:
                started.result()

    def submit(self, acts: Sequence[_Texts]) -> Future[list[Result]]:
        """The future result for each act of `acts`, in order."""
        batch = [(a.subject, a.matter_label, a.statement, a.operative_part) for a in acts]
        if self.pool is not None:
            return self.pool.submit(self.work, batch)
        done: Future[list[Result]] = Future()
        done.set_result(self.work(batch))
        return done

    def __enter__(self) -> Words[Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


class _Texts(Protocol):
    """What the words are computed from (a `PublishedAct`)."""

    subject: str
    matter_label: str
    statement: str
    operative_part: str
