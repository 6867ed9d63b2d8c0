"""The portal's French full-text search (registre.web.publication.search), on the
database of the run: `make test` runs this file on SQLite, then again on PostgreSQL
(REGISTRE_TEST_DATABASE=postgresql). Each run checks the same fixed hits, so both
databases agree on the word list of tests/data/publication/search-queries.json.

The acts: the 160 subjects of Montpellier's council of 25 November and 16 December
2013 (tests/data/publication/montpellier-2013-11-2013-12.csv, as the city published
them), loaded by the bulk path as a large load is (a worker process, deferred indexes);
the Dijon SIECO deliberation published through the
publication service; and three acts of our own (one withdrawn).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from webfactories import CLOCK, make_collectivity

from registre.record import AssemblyKind, loads
from registre.web.publication import search
from registre.web.publication.bulk import bulk_load
from registre.web.publication.models import PublishedAct
from registre.web.publication.search import has_words, index_text, search_acts, terms
from registre.web.publication.services import store_act

DATA = Path(__file__).resolve().parents[1] / "data" / "publication"
DIJON = Path(__file__).resolve().parents[2] / "src" / "registre" / "demo" / "dijon-2023-11-23.json"
QUERIES: dict[str, list[str]] = json.loads((DATA / "search-queries.json").read_text("utf-8"))
SIECO = "20231123_01"

pytestmark = pytest.mark.django_db


def montpellier_acts(assembly: Any) -> list[PublishedAct]:
    """The acts of Montpellier's subjects: number, date and subject as published."""
    with (DATA / "montpellier-2013-11-2013-12.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    return [act(assembly, row["Numéro de délibération"], row["Titre"],
                dt.datetime.strptime(row["Date CM"], "%d/%m/%Y").date()) for row in rows]  # fmt: skip


def act(assembly: Any, number: str, subject: str, day: dt.date, **extra: Any) -> PublishedAct:
    """An unsaved act of `assembly`, published the next day."""
    return PublishedAct(collectivity=assembly.collectivity, assembly=assembly, number=number,
                        subject=subject, meeting_date=day, record_json="{}",
                        published_on=day + dt.timedelta(days=1), published_at=timezone.now(),
                        **extra)  # fmt: skip


@pytest.fixture
def acts() -> dict[str, Any]:
    """The acts of the module, in two collectivities."""
    montpellier = make_collectivity("Ville de Montpellier").assemblies.get(kind="conseil")
    # the large loads' path: words stemmed by a worker process, indexes built after
    loaded = bulk_load(montpellier_acts(montpellier), progress=None, processes=1, defer_index=True)
    assert loaded == 160
    dijon = make_collectivity("Dijon métropole").assemblies.get(kind=AssemblyKind.CONSEIL.value)
    record = loads(DIJON.read_text(encoding="utf-8"))
    sieco = store_act(None, CLOCK, dijon, record, SIECO, None, published_on=dt.date(2023, 11, 24))
    own = [
        act(dijon, "2024_01", "Règlement intérieur : ordre et publicité des délibérations",
            dt.date(2024, 1, 18), statement="Les DÉLIBÉRATIONS sont publiées sous forme électronique."),
        act(dijon, "2024_02", "Chantier d'insertion des jardins familiaux", dt.date(2024, 1, 18),
            withdrawn_at=timezone.now(), withdrawn_reason="Annulée par le tribunal administratif."),
        act(dijon, "2024_03", "Œuvres d'art : prêt au musée", dt.date(2024, 1, 18),
            matter_label="Culture", operative_part="- d'approuver le prêt des oeuvres."),
    ]  # fmt: skip
    bulk_load(own, progress=None)
    return {"sieco": sieco, "withdrawn": PublishedAct.objects.get(number="2024_02")}


def hits(query: str) -> list[str]:
    """The numbers of the acts `query` finds, in the order the portal lists them."""
    found = search_acts(PublishedAct.objects.all(), query)
    return list(found.values_list("number", flat=True))


def test_insertion_finds_the_sieco_deliberation(acts: dict[str, Any]) -> None:
    # « Insertion » is in the subject, statement and operative part, capitalised
    assert hits("insertion") == [SIECO]
    assert hits("INSERTION emploi Côte-d'Or") == [SIECO]


def test_deliberation_finds_deliberations_whatever_the_accents_and_case(acts: Any) -> None:
    # 2024_01 says « délibérations » and « DÉLIBÉRATIONS »; 605, « Délibération modificative »;
    # the SIECO act, « la présente délibération »
    for query in ("deliberation", "délibérations", "DELIBERATIONS", "Délibération"):
        assert hits(query) == ["2024_01", SIECO, "605"], query


def test_the_word_list_finds_the_same_acts_on_every_database(acts: Any) -> None:
    found = {query: hits(query) for query in QUERIES}
    assert found == QUERIES, connection.vendor


def test_a_withdrawn_act_is_never_found(acts: dict[str, Any]) -> None:
    withdrawn = acts["withdrawn"]
    assert "jardin" in index_text(withdrawn).split()  # indexed, yet never shown
    for query in ("jardins familiaux", "chantier", "insertion"):
        assert withdrawn.number not in hits(query), query
    assert hits("jardins familiaux") == []


def test_stop_words_and_punctuation_alone_find_nothing_without_error(acts: Any) -> None:
    # (« les » is not in PostgreSQL's French stop words, so not here either)
    for query in ("le la des du", "de", "!!! ??? ...", "« » — ’", "", "   ", "l'", "qu’il"):
        assert not has_words(query), query
        assert hits(query) == [], query
    assert "trop courants" in search.NO_WORDS


def test_fts5_operators_and_quotes_are_searched_as_words(acts: Any) -> None:
    # FTS5 reads AND, OR, NOT, NEAR, * and quotes as syntax; the search reads words
    for query in ('"théâtre', "théâtre*", "NEAR(théâtre vilar)", "-vilar", "AND OR NOT"):
        hits(query)  # no error
    assert hits("théâtre OR typhon") == []  # every word, « or » included
    for query in ("¼u", "½ ¾", "x²", "ﬁ ﬂ", "№ 5"):  # folded into signs and pieces
        hits(query)  # no error
    assert hits('"Théâtre" Jean "Vilar"') == ["581", "493", "492", "490"]


def test_the_search_paginates_and_filters_like_a_queryset(acts: Any) -> None:
    found = search_acts(PublishedAct.objects.filter(meeting_date__year=2013), "convention")
    assert found.count() == len(QUERIES["convention"])
    assert list(found[2:4].values_list("number", flat=True)) == QUERIES["convention"][2:4]
    assert search_acts(PublishedAct.objects.filter(number="605"), "convention").count() == 0


def test_pages_and_counts_of_the_plain_search_match_the_full_list(
    acts: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the portal's plain search is answered from the search's own table alone
    for query in ("convention", "aménagement", "typhon", "deliberation", "zzz"):
        found = search_acts(PublishedAct.objects.visible(), query)
        with CaptureQueriesContext(connection) as counted:
            assert found.count() == len(hits(query)), query
        # the search's own table alone, no join of the acts found
        assert "publication_publishedact" not in counted[0]["sql"]
        pages = [a.number for i in range(0, 35, 7) for a in found[i : i + 7]]
        assert pages == hits(query)[:35], query
    monkeypatch.setattr(search, "COUNT_CAP", 10)
    assert search_acts(PublishedAct.objects.visible(), "convention").count() == 11  # > 10
    assert search_acts(PublishedAct.objects.visible(), "typhon").count() == 1
    reordered = search_acts(PublishedAct.objects.all(), "convention").order_by("number")
    assert [a.number for a in reordered[:3]] == sorted(hits("convention"))[:3]
    filtered = search_acts(PublishedAct.objects.filter(number__gt="5"), "convention")
    assert filtered.count() == len([n for n in hits("convention") if n > "5"])


def test_a_capped_search_seeks_its_page_among_the_newest_rows_first(
    acts: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL reads the newest rows first for a page of a capped count; when they
    # hold too few, the planner's plan if they hold a quarter of the slice, else the
    # acts found fetched and sorted (« meeting_date + 0 »); all in the portal's order
    monkeypatch.setattr(search, "COUNT_CAP", 10)
    everything = QUERIES["convention"]
    postgres = connection.vendor == "postgresql"
    seen_kinds: set[tuple[str, ...]] = set()
    for window in (5_000, 7, 16, 20, 25, 30, 40):  # shorter than a slice's end: unread
        monkeypatch.setattr(search, "NEWEST_ROWS", window)
        found = search_acts(PublishedAct.objects.visible(), "convention")
        assert found.count() == 11
        with CaptureQueriesContext(connection) as asked:
            pages = [[a.number for a in found[i : i + 7]] for i in (0, 7)]
        assert pages == [everything[:7], everything[7:14]], window
        statements = [q["sql"] for q in asked if "publication_act_search" in q["sql"]]
        if not postgres:
            assert not any("AS newest" in sql for sql in statements)
            continue
        expected = []
        for end in (7, 14):  # the slices [0:7] and [7:14]
            if end > window:
                expected.append("act_id DESC LIMIT")
                continue
            expected.append("AS newest")
            held = newest_holding("convention", window)
            if held < end:  # counted only past the slice's start
                seen = held if held > end - 7 else 0
                expected.append("+ 0" if 4 * seen < end else "act_id DESC LIMIT")
        kinds = [next(w for w in ("AS newest", "+ 0", "act_id DESC LIMIT") if w in sql)
                 for sql in statements]  # fmt: skip
        assert kinds == expected, window
        seen_kinds.update(itertools.pairwise(kinds))
    # each way was taken: the newest rows, then the planner's plan or the acts sorted
    assert not postgres or {("AS newest", "act_id DESC LIMIT"), ("AS newest", "+ 0"),
                            ("AS newest", "AS newest")} <= seen_kinds  # fmt: skip


def test_words_expected_to_come_together_are_first_counted_among_the_first_rows(
    acts: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner only")
    with connection.cursor() as cursor:  # the words' index, as for a large table
        cursor.execute("SET LOCAL enable_seqscan = off")
    query = "autorisation de signer"  # 18 acts of the 164
    with CaptureQueriesContext(connection) as asked:  # 2 or 3 expected: counted at once
        assert search_acts(PublishedAct.objects.visible(), query).count() == 18
    assert not any("AS first" in q["sql"] for q in asked)
    monkeypatch.setattr(search, "FIRST_EXPECTED", 0.0)  # whatever the planner expects
    # the 164 rows hold 18; the first 20 rows, fewer than 11
    for cap, first, found, counts in ((10, 5_000, 11, 1), (10, 20, 11, 2), (100, 5_000, 18, 2)):
        monkeypatch.setattr(search, "COUNT_CAP", cap)
        monkeypatch.setattr(search, "FIRST_ROWS", first)
        results = search_acts(PublishedAct.objects.visible(), query)
        with CaptureQueriesContext(connection) as asked:
            assert results.count() == found
        statements = [q["sql"] for q in asked if q["sql"].startswith("SELECT count")]
        assert len(statements) == counts and "AS first" in statements[0], (cap, first)
    with CaptureQueriesContext(connection) as asked:  # one word: counted at once
        assert search_acts(PublishedAct.objects.visible(), "convention").count() == 30
    assert not any("AS first" in q["sql"] for q in asked)


def newest_holding(query: str, window: int) -> int:
    """(PostgreSQL) How many acts `query` finds among the `window` newest rows of
    the search's table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT vector FROM publication_act_search ORDER BY "
            "meeting_date DESC, number DESC, act_id DESC LIMIT %s) AS newest "
            "WHERE vector @@ plainto_tsquery('registre_fr', %s)",
            [window, query],
        )
        return int(cursor.fetchone()[0])


def portal_page(query: str, page: object = None) -> tuple[str, list[str]]:
    """The portal's acts page for `query` (and `page`): its text and the acts' numbers."""
    asked = {"q": query} if page is None else {"q": query, "page": page}
    response = Client().get("/public/actes/", asked)
    assert response.status_code == 200
    html = response.content.decode()
    return html, re.findall(r'<td>([^<]*)</td>\s*<td><a href="[^"]*/actes/[^"/]+/"', html)


def test_past_a_capped_count_the_portal_and_the_api_page_on(
    acts: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "COUNT_CAP", 10)
    everything = QUERIES["convention"]  # 30 acts, 20 a page
    html, first = portal_page("convention")
    assert "Plus de 10 actes" in html and "Page 1<" in html and " sur " not in html
    assert first == everything[:20] and 'rel="next"' in html
    html, second = portal_page("convention", 2)
    assert second == everything[20:] and 'rel="next"' not in html and 'rel="prev"' in html
    # past the last act, as a word for a number: the last page counted, the first page
    assert portal_page("convention", 3)[1] == portal_page("convention", 1)[1] == first
    assert portal_page("convention", "deux")[1] == first
    assert portal_page("convention", 10**9)[1] == first  # past MAX_PAGE: the last counted
    html, few = portal_page("typhon")  # counted in full: the number and pages as before
    assert "1 acte pour" in html and "Plus de" not in html and few == QUERIES["typhon"]
    api = Client().get("/api/public/v1/actes", {"q": "convention", "par_page": 20, "page": 2})
    assert api.json()["total_plafonne"] is True and api.json()["total"] == 11
    assert [item["numero"] for item in api.json()["items"]] == everything[20:]
    exact = Client().get("/api/public/v1/actes", {"q": "typhon"}).json()
    assert (exact["total"], exact["total_plafonne"]) == (1, False)


def test_terms_fold_case_accents_and_ligatures_and_drop_stop_words() -> None:
    assert terms("Les Délibérations du Conseil") == ["le", "deliber", "conseil"]
    assert terms("CŒUR, coeur, Cœur") == ["coeur"] * 3
    assert terms("L’insertion d'un Chèque-parking") == ["insert", "chequ", "parking"]
    assert terms("2ème avenant n°12, lot 10C") == ["2eme", "aven", "12", "lot", "10c"]
    assert terms("¼u ﬁnances") == ["1", "4u", "financ"]  # folded into a sign: its pieces
    assert terms("Montpellier_x0001_Participation") == ["montpelli", "x0001", "particip"]


def test_the_index_follows_the_rows(acts: dict[str, Any]) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {name for (name,) in cursor.fetchall()}
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [search.INDEX_TABLE])
            # no positions: an act holds the words or not (migration 0004)
            assert "detail=none" in cursor.fetchone()[0]
        # a later migration that remakes the table on SQLite drops them (see 0002_search)
        assert {f"{search.INDEX_TABLE}_{e}" for e in ("insert", "delete", "update")} <= triggers
    sieco = acts["sieco"]
    sieco.subject, sieco.statement, sieco.operative_part = "Typhon sur la Côte-d'Or", "", ""
    sieco.save()
    search.reindex([sieco])  # what the publication services do after a write
    assert hits("insertion") == []
    assert hits("typhon") == [SIECO, "465"]
    PublishedAct.objects.filter(number="465").delete()
    assert hits("typhon") == [SIECO]
    PublishedAct.objects.filter(number=SIECO).update(withdrawn_at=timezone.now())
    assert hits("typhon") == []
