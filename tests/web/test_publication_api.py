"""The public JSON API (/api/public/v1/): lists with pages and filters, one act, the
meetings and collectivities; token-bound writes (withdrawal, redaction marks); one
error shape for every error; and a bounded schemathesis run against its OpenAPI
schema (no 5xx, every response as the schema says).

What is unpublished, withdrawn or redacted is tried on every endpoint."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from webfactories import CLOCK, make_collectivity, make_item, make_meeting, make_user

from factories import dijon_record, with_meeting
from registre.record import AssemblyKind, MeetingRecord, Outcome
from registre.register import EntryKind, SqliteStore
from registre.web.core.models import AuditEntry, Role
from registre.web.core.services import ServiceError
from registre.web.live import register
from registre.web.publication import services_api
from registre.web.publication.models import ApiToken, PublishedAct, Redaction
from registre.web.publication.services import store_act

pytestmark = pytest.mark.django_db
API = "/api/public/v1"
PRIVATE = "Gaspard DUCHEMIN-PRIVAT"  # ASCII: the JSON body escapes no letter of it


@functools.cache
def _dijon() -> MeetingRecord:
    return dijon_record()


def publish_act(assembly: Any, number: str, subject: str, day: dt.date, *,
                statement: str = "Exposé des motifs.", outcome: Outcome = Outcome.ADOPTED,
                matter: tuple[str, str] = ("7.1", "Finances locales"), pdf: bytes | None = None,
                register_sequence: int | None = None) -> PublishedAct:  # fmt: skip
    """An act published through the publication service, read from a one-item copy of
    the Dijon record, published the day after its meeting."""
    base = _dijon()
    item = replace(base.deliberations[0], number=number, subject=subject, statement=statement,
                   outcome=outcome, matter_code=matter[0], matter_label=matter[1],
                   act_id=f"021-200000000-{day:%Y%m%d}-{number}-DE")  # fmt: skip
    record = with_meeting(replace(base, deliberations=(item,)), date=day)
    return store_act(None, CLOCK, assembly, record, number, pdf, register_sequence=register_sequence,
                     published_on=day + dt.timedelta(days=1),
                     source="register" if register_sequence else "documents")  # fmt: skip


def council(collectivity: Any) -> Any:
    """The collectivity's council."""
    return collectivity.assemblies.get(kind=AssemblyKind.CONSEIL.value)


@pytest.fixture
def published() -> dict[str, Any]:
    """Two collectivities: A with six acts (council and bureau, 2024 and 2025, one
    rejected, one withdrawn, one bearing a private person's name), B with one; an
    item of A adopted but never published; a token for each."""
    a, b = make_collectivity("Commune A"), make_collectivity("Commune B")
    bureau = a.assemblies.get(kind=AssemblyKind.BUREAU.value)
    d1, d2, d3 = dt.date(2024, 3, 14), dt.date(2025, 1, 30), dt.date(2025, 6, 12)
    acts = {
        "old": publish_act(council(a), "2024_01", "Tarifs de la cantine scolaire", d1),
        "budget": publish_act(council(a), "2025_01", "Budget primitif de l'eau", d2,
                              matter=("7.1", "Décisions budgétaires")),
        "rejected": publish_act(council(a), "2025_02", "Vente du presbytère", d2,
                                outcome=Outcome.REJECTED, matter=("3.2", "Aliénations")),
        "bureau": publish_act(bureau, "B2025_01", "Marché de voirie", d2,
                              matter=("1.1", "Marchés publics")),
        "private": publish_act(council(a), "2025_10", f"Subvention à {PRIVATE}", d3,
                               statement=f"Vu la demande de {PRIVATE}, domicilié à Dijon.",
                               pdf=b"%PDF-1.7 (replaced once redacted)"),
        "withdrawn": publish_act(council(a), "2025_11", "Jumelage avec Bexhill-on-Sea", d3),
        "other": publish_act(council(b), "2025_01", "Budget primitif de B", d2),
    }  # fmt: skip
    clerk = make_user(a)
    tokens = {key: services_api.create_token(clerk if c == a else None, CLOCK, c, f"GED {key}")
              for key, c in (("a", a), ("b", b))}  # fmt: skip
    services_api.withdraw_act(ApiToken.objects.get(collectivity=a), CLOCK, a.siren, "2025_11",
                              "Annulé par le tribunal administratif.")  # fmt: skip
    make_item(clerk, a, "Acquisition du moulin (jamais publiée)", meeting=make_meeting(clerk, a))
    return {"a": a, "b": b, "acts": acts, "tokens": tokens, "clerk": clerk}


def get(path: str, **query: Any) -> Any:
    """The JSON of a GET on the API."""
    response = Client().get(f"{API}{path}", query)
    assert response.status_code == 200, response.content
    return response.json()


def numbers(body: dict[str, Any]) -> list[str]:
    return [item["numero"] for item in body["items"]]


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def assert_error(response: Any, status: int, code: str, champ: str | None = None) -> None:
    """The one error shape, with this status, code and field, and a French message."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"erreur"} and set(body["erreur"]) == {"code", "message", "champ"}
    assert body["erreur"]["code"] == code and body["erreur"]["champ"] == champ
    assert body["erreur"]["message"] and not body["erreur"]["message"].startswith(
        ("Not Found", "Unauthorized", "Cannot parse", "Method not allowed")
    )


def test_acts_are_listed_newest_first_with_pages_and_filters(published: dict[str, Any]) -> None:
    a, b = published["a"].siren, published["b"].siren
    everything = get("/actes")
    assert everything["total"] == 6 and everything["pages"] == 1
    assert numbers(everything) == [
        "2025_10",
        "B2025_01",
        "2025_02",
        "2025_01",
        "2025_01",
        "2024_01",
    ]
    first, second = get("/actes", par_page=4), get("/actes", par_page=4, page=2)
    assert (first["total"], first["pages"], second["page"]) == (6, 2, 2)
    assert numbers(first) + numbers(second) == numbers(everything)
    assert get("/actes", page=9)["items"] == []
    assert get("/actes", q=" ")["total"] == 6  # an empty search filters nothing
    assert numbers(get("/actes", collectivite=b)) == ["2025_01"]
    assert numbers(get("/actes", collectivite=a, assemblee="bureau")) == ["B2025_01"]
    assert numbers(get("/actes", collectivite=a, annee=2024)) == ["2024_01"]
    assert numbers(get("/actes", collectivite=a, seance="2025-01-30")) == [
        "B2025_01", "2025_02", "2025_01"]  # fmt: skip
    assert numbers(get("/actes", matiere="7")) == ["2025_10", "2025_01", "2025_01", "2024_01"]
    assert numbers(get("/actes", matiere="3.2")) == ["2025_02"]
    assert numbers(get("/actes", resultat="rejected")) == ["2025_02"]
    assert numbers(get("/actes", q="budgets primitifs", collectivite=a)) == ["2025_01"]
    assert numbers(get("/actes", q="cantines")) == ["2024_01"]  # French stems
    item = get("/actes", collectivite=b)["items"][0]
    assert item["url"] == f"http://testserver{API}/actes/{b}/2025_01?assemblee=conseil"
    assert item["resultat_libelle"] == "Adoptée" and item["publie_le"] == "2025-01-31"


def test_one_act_with_its_vote_attendance_publication_and_pdf(published: dict[str, Any]) -> None:
    siren = published["a"].siren
    act = get(f"/actes/{siren}/2025_10")
    assert act["objet"].startswith("Subvention à") and act["date_seance"] == "2025-06-12"
    assert act["vote"] == {"pour": 84, "contre": 0, "abstention": 0, "ne_prend_pas_part": 0}
    assert act["presences"] == {"en_exercice": 86, "presents": 75, "representes": 9}
    assert act["publie_le"] == "2025-06-13" and act["transmis_le"] is None
    assert act["identifiant"] == "021-200000000-20250612-2025_10-DE"
    assert act["executoire"].startswith("Publié le 13/06/2025 ; exécutoire dès sa transmission")
    assert act["auteur"] == "François REBSAMEN, président(e) de séance"
    assert act["pdf"].endswith(f"/public/{siren}/actes/2025_10/acte.pdf")
    assert act["page"].endswith(f"/public/{siren}/actes/2025_10/")
    assert get(f"/actes/{siren}/2025_01")["pdf"] is None
    assert get(f"/actes/{siren}/B2025_01", assemblee="bureau")["assemblee_nom"].startswith("Bureau")


def test_meetings_and_collectivities_count_only_visible_acts(published: dict[str, Any]) -> None:
    a, b = published["a"], published["b"]
    meetings = get("/seances", collectivite=a.siren)
    rows = [(m["date"], m["assemblee"], m["nombre_actes"]) for m in meetings["items"]]
    # 2025-06-12: the withdrawn act is not counted
    assert rows == [("2025-06-12", "conseil", 1), ("2025-01-30", "bureau", 1),
                    ("2025-01-30", "conseil", 2), ("2024-03-14", "conseil", 1)]  # fmt: skip
    assert meetings["items"][0]["actes"].endswith(
        f"/actes?collectivite={a.siren}&assemblee=conseil&seance=2025-06-12"
    )
    assert get("/seances", annee=2024, par_page=1)["total"] == 1
    listed = get("/collectivites")["items"]
    assert [(c["siren"], c["nombre_actes"]) for c in listed] == [(a.siren, 5), (b.siren, 1)]


def test_withdrawn_and_unpublished_acts_are_absent_and_404(published: dict[str, Any]) -> None:
    siren = published["a"].siren
    client = Client()
    bodies = [client.get(f"{API}{path}").content.decode() for path in (
        "/actes", f"/actes?collectivite={siren}&par_page=100", "/actes?q=jumelage",
        "/actes?q=moulin", "/actes?seance=2025-06-12", "/seances", "/collectivites")]  # fmt: skip
    for body in bodies:
        assert "Jumelage" not in body and "2025_11" not in body and "moulin" not in body
    assert json.loads(bodies[2])["total"] == 0
    assert_error(client.get(f"{API}/actes/{siren}/2025_11"), 404, "acte_introuvable")
    never = client.get(f"{API}/actes/{siren}/20261220_01")  # the adopted, unpublished item
    assert_error(never, 404, "acte_introuvable")
    # the same answer as for a number never published: a withdrawal is not revealed
    withdrawn = client.get(f"{API}/actes/{siren}/2025_11").json()["erreur"]
    assert withdrawn["message"] == never.json()["erreur"]["message"].replace(
        "20261220_01", "2025_11"
    )


def test_a_redaction_mark_removes_the_text_from_every_output(published: dict[str, Any]) -> None:
    siren, client = published["a"].siren, Client()
    paths = ["/actes", f"/actes?collectivite={siren}", "/actes?q=subvention",
             f"/actes/{siren}/2025_10", "/seances", "/collectivites"]  # fmt: skip
    assert PRIVATE in client.get(f"{API}/actes/{siren}/2025_10").content.decode()
    response = client.post(f"{API}/marques", {"collectivite": siren, "numero": "2025_10",
                                              "texte": PRIVATE},
                           content_type="application/json", **bearer(published["tokens"]["a"]))  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json() == {"collectivite": siren, "numero": "2025_10", "assemblee": "conseil",
                               "acte_publie": True, "remplacements": 2}  # fmt: skip
    for path in paths:
        body = client.get(f"{API}{path}").content.decode()
        assert PRIVATE not in body and "DUCHEMIN" not in body, path
    act = client.get(f"{API}/actes/{siren}/2025_10").json()
    assert act["objet"] == "Subvention à [occulté]" and "[occulté]" in act["expose"]
    assert get("/actes", q="duchemin")["total"] == 0  # nor found by a search
    # the PDF the act links to was rendered again from the redacted record
    response = client.get(act["pdf"].removeprefix("http://127.0.0.1:8000"))
    pdf = b"".join(response.streaming_content)  # read whole: the test client then closes it
    assert response.status_code == 200 and pdf.startswith(b"%PDF")
    text = "".join(
        p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(io.BytesIO(pdf))
    )
    assert "Subvention" in text and "DUCHEMIN" not in text
    stored = PublishedAct.objects.get(pk=published["acts"]["private"].pk)
    assert PRIVATE not in stored.record_json and Redaction.objects.filter(text=PRIVATE).exists()
    entry = AuditEntry.objects.filter(action="act.redact").get()
    assert entry.actor is None and "GED a" in entry.summary and "DUCHEMIN" not in entry.summary


def test_a_mark_on_an_act_not_yet_published_is_kept_for_its_publication(
    published: dict[str, Any],
) -> None:
    siren = published["a"].siren
    response = Client().post(f"{API}/marques", {"collectivite": siren, "numero": "2026_07",
                                                "texte": "Jeanne PRIVÉE"},
                             content_type="application/json", **bearer(published["tokens"]["a"]))  # fmt: skip
    assert response.status_code == 201
    assert response.json()["acte_publie"] is False and response.json()["remplacements"] == 0
    mark = Redaction.objects.get(number="2026_07")
    assert mark.assembly == council(published["a"]) and mark.text == "Jeanne PRIVÉE"


def test_a_token_withdraws_an_act_of_its_own_collectivity(published: dict[str, Any]) -> None:
    siren, client = published["a"].siren, Client()
    url = f"{API}/actes/{siren}/2025_02/retrait"
    response = client.post(url, {"motif": "Erreur matérielle"}, content_type="application/json",
                           **bearer(published["tokens"]["a"]))  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["motif"] == "Erreur matérielle"
    assert "2025_02" not in numbers(get("/actes", par_page=100))
    assert_error(client.get(f"{API}/actes/{siren}/2025_02"), 404, "acte_introuvable")
    again = client.post(url, {"motif": "Encore"}, content_type="application/json",
                        **bearer(published["tokens"]["a"]))  # fmt: skip
    assert_error(again, 409, "refuse")
    entry = AuditEntry.objects.get(
        action="act.withdraw", object_id=str(published["acts"]["rejected"].pk)
    )
    assert entry.actor is None and "GED a" in entry.summary and "Erreur matérielle" in entry.summary


def test_tokens_missing_wrong_revoked_or_of_another_collectivity(published: dict[str, Any]) -> None:
    a, tokens, client = published["a"], published["tokens"], Client()
    url, motif = f"{API}/actes/{a.siren}/2025_01/retrait", {"motif": "Essai"}

    def withdraw(**headers: str) -> Any:
        return client.post(url, motif, content_type="application/json", **headers)

    missing = withdraw()
    assert_error(missing, 401, "non_authentifie")
    assert missing["WWW-Authenticate"] == 'Bearer realm="registre"'
    assert_error(withdraw(**bearer("pas-un-jeton")), 401, "non_authentifie")
    assert_error(withdraw(HTTP_AUTHORIZATION=f"Basic {tokens['a']}"), 401, "non_authentifie")
    assert_error(withdraw(**bearer(tokens["b"])), 403, "autre_collectivite")
    mark = client.post(f"{API}/marques", {"collectivite": a.siren, "numero": "2025_01",
                                          "texte": "Budget"},
                       content_type="application/json", **bearer(tokens["b"]))  # fmt: skip
    assert_error(mark, 403, "autre_collectivite")
    token = ApiToken.objects.get(collectivity=a)
    services_api.revoke_token(published["clerk"], CLOCK, token)
    assert_error(withdraw(**bearer(tokens["a"])), 401, "non_authentifie")
    assert "2025_01" in numbers(get("/actes", collectivite=a.siren))  # nothing was withdrawn
    assert not Redaction.objects.exists()


def test_a_token_is_shown_once_and_kept_hashed(published: dict[str, Any]) -> None:
    a = published["a"]
    clear = services_api.create_token(published["clerk"], CLOCK, a, "  Parapheur  ")
    token = ApiToken.objects.get(name="Parapheur")
    assert token.digest == services_api.digest(clear) and clear not in token.digest
    assert services_api.authenticate(clear) == token
    reader = make_user(a, Role.READER)
    with pytest.raises(ServiceError):
        services_api.create_token(reader, CLOCK, a, "Lecteur")
    with pytest.raises(ServiceError):
        services_api.create_token(published["clerk"], CLOCK, a, " ")
    assert AuditEntry.objects.filter(action="api_token.create", actor=published["clerk"]).exists()


def test_every_error_has_the_one_shape(
    published: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    siren, client, token = published["a"].siren, Client(), published["tokens"]["a"]
    marks = f"{API}/marques"
    broken = client.post(marks, "{pas du json", content_type="application/json", **bearer(token))
    assert_error(broken, 400, "requete_illisible")
    assert_error(client.post(marks, {}, content_type="application/json"), 401, "non_authentifie")
    assert_error(client.get(f"{API}/actes/{siren}/inconnu"), 404, "acte_introuvable")
    assert_error(client.get(f"{API}/nulle-part"), 404, "introuvable")
    assert_error(client.get(f"{API}/"), 404, "introuvable")
    assert_error(client.get(marks), 405, "methode_non_permise")
    tooth = client.get(f"{API}/actes", {"par_page": 101})
    assert_error(tooth, 422, "validation", "par_page")
    assert "au plus 100" in tooth.json()["erreur"]["message"]
    assert_error(client.get(f"{API}/actes", {"seance": "hier"}), 422, "validation", "seance")
    short = client.post(marks, {"collectivite": siren, "numero": "2025_01", "texte": "x"},
                        content_type="application/json", **bearer(token))  # fmt: skip
    assert_error(short, 422, "validation", "texte")
    # the same number in the council and the bureau: the assembly must be named
    publish_act(council(published["a"]), "B2025_01", "Homonyme", dt.date(2025, 2, 2))
    assert_error(client.get(f"{API}/actes/{siren}/B2025_01"), 409, "acte_ambigu")

    def fail(*args: Any) -> None:
        raise RuntimeError("panne simulée")

    monkeypatch.setattr("registre.web.publication.api.filtered", fail)
    assert_error(client.get(f"{API}/actes"), 500, "erreur_interne")


def test_the_schema_and_its_documentation_are_served_from_here(published: dict[str, Any]) -> None:
    client = Client()
    schema = client.get(f"{API}/openapi.json").json()
    assert {"/api/public/v1/actes", "/api/public/v1/actes/{collectivite}/{numero}",
            "/api/public/v1/seances", "/api/public/v1/collectivites", "/api/public/v1/marques",
            "/api/public/v1/actes/{collectivite}/{numero}/retrait",
            "/api/public/v1/exports/scdl.csv", "/api/public/v1/exports/popolo.json",
            } == set(schema["paths"])  # fmt: skip
    page = client.get(f"{API}/docs").content.decode()
    assert f"{API}/openapi.json" in page and "https://" not in page and "//cdn" not in page
    script = client.get(f"{API}/docs/redoc.js")
    assert script.status_code == 200 and script["Content-Type"] == "text/javascript"
    assert b"Redoc" in b"".join(script.streaming_content)


def test_withdrawing_an_act_of_the_register_enters_the_event_into_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a register of this test's own: the application's is append-only and shared by
    # the whole run, where other tests count its events
    monkeypatch.setattr(register, "open_store", lambda: SqliteStore(tmp_path / "registre.db"))
    town = make_collectivity("Commune du registre")
    act = publish_act(council(town), "2025_05", "Règlement du cimetière", dt.date(2025, 5, 5),
                      register_sequence=1)  # fmt: skip
    services_api.create_token(None, CLOCK, town, "GED")
    token = ApiToken.objects.get(collectivity=town)
    services_api.withdraw_act(token, CLOCK, town.siren, "2025_05", "Annulé par le juge")
    store = SqliteStore(tmp_path / "registre.db")
    try:
        entries = list(store.entries(register.assembly_key(act.assembly)))
    finally:
        store.close()
    event = json.loads(entries[-1].payload)
    assert entries[-1].kind is EntryKind.EVENT and event["kind"] == "withdrawn"
    assert event["deliberation"] == "2025_05" and event["reason"] == "Annulé par le juge"
    assert not PublishedAct.objects.visible().filter(pk=act.pk).exists()


# --- schemathesis: the live OpenAPI schema, through the WSGI application ----------------

OPERATIONS = [("GET", "/actes"), ("GET", "/actes/{collectivite}/{numero}"), ("GET", "/seances"),
              ("GET", "/collectivites"), ("POST", "/actes/{collectivite}/{numero}/retrait"),
              ("POST", "/marques"), ("GET", "/exports/scdl.csv"),
              ("GET", "/exports/popolo.json")]  # fmt: skip
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance]  # fmt: skip


@pytest.fixture
def live_schema(published: dict[str, Any]) -> Iterator[Any]:
    """The schema as the application serves it, its operations called in-process
    through the WSGI application, inside the test's transaction (as Django's test
    client does, the connection is not closed at the end of each request)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(f"{API}/openapi.json", get_wsgi_application())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_the_schema_lists_the_operations_the_run_below_tries(live_schema: Any) -> None:
    found = {(o.ok().method.upper(), o.ok().path) for o in live_schema.get_all_operations()}
    assert found == {(method, API + path) for method, path in OPERATIONS}


# schemathesis.pytest.from_fixture does not run under pytest 9 (it sets a node's
# `_nodeid`, gone there): each operation's strategy is given to Hypothesis instead
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_the_api_answers_as_its_schema_says(
    published: dict[str, Any], live_schema: Any, method: str, path: str, mode: GenerationMode
) -> None:
    """Bounded: 30 examples an operation and mode, valid (positive) or not (negative).
    Writes carry A's token, so that they get past authentication (to 403, 404, 409,
    422 or a real write)."""
    operation = live_schema[API + path][method]
    headers = {"Authorization": f"Bearer {published['tokens']['a']}"}

    @hypothesis_settings(max_examples=30, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_the_exports_carry_only_visible_redacted_acts(published: dict[str, Any]) -> None:
    a = published["a"]
    a.siret = "20000000100018"
    a.save()
    services_api.mark_redaction(ApiToken.objects.get(collectivity=a), CLOCK, a.siren, "2025_10",
                                PRIVATE)  # fmt: skip
    scdl = Client().get(f"{API}/exports/scdl.csv", {"collectivite": a.siren})
    assert scdl["Content-Type"].startswith("text/csv")
    lines = scdl.content.decode("utf-8").splitlines()
    assert lines[0].startswith("COLL_NOM,COLL_SIRET,DELIB_ID") and len(lines) == 1 + 5
    body = scdl.content.decode("utf-8") + Client().get(
        f"{API}/exports/popolo.json", {"collectivite": a.siren}).content.decode("utf-8")  # fmt: skip
    assert "Tarifs de la cantine scolaire" in body and "20000000100018" in body
    assert "Jumelage" not in body  # withdrawn
    assert PRIVATE not in body and "[occulté]" in body  # redacted
    assert "Acquisition du moulin" not in body  # never published
    assert "Budget primitif de B" not in body  # another collectivity
    year = Client().get(f"{API}/exports/scdl.csv", {"collectivite": a.siren, "annee": 2024})
    assert len(year.content.decode("utf-8").splitlines()) == 1 + 1
    missing = Client().get(f"{API}/exports/scdl.csv", {"collectivite": "999999999"})
    assert_error(missing, 404, "introuvable")
