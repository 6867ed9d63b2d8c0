"""Transmission to the prefecture from the application (Django test client and the
services), to the fake @CTES operator on loopback (a real HTTP server,
tests/actes/fake_operator.py): the prefecture's classification in the draft form,
an item transmitted and acknowledged (one event of each in the register, the
published act made enforceable), a refusal shown with the operator's message, a
retry after a timeout that does not send again, an item without a matter refused
in French, and another collectivity's clerk kept out."""

from __future__ import annotations

import datetime as dt
import html
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from webfactories import CLOCK, PASSWORD, make_collectivity, make_meeting, make_member, make_user

from registre.actes import RetryPolicy, register_events
from registre.record import EventKind
from registre.web.core.models import AuditEntry, Role
from registre.web.live import services as live
from registre.web.live.models import ItemVote, Presence
from registre.web.live.record import item_number
from registre.web.live.register import assembly_key, open_store
from registre.web.meetings import services as meetings
from registre.web.meetings.models import AgendaItem
from registre.web.publication import services as publication
from registre.web.publication.models import PublishedAct
from registre.web.transmission import services
from registre.web.transmission.models import OperatorSettings, Transmission, TransmissionStatus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "actes"))
from actes_factories import CLASSIFICATION_FILE, PDF
from fake_operator import FakeOperator

pytestmark = pytest.mark.django_db(transaction=True)
RECEIVED_ON = "2026-11-21"  # the prefecture's date of receipt in the fake's acknowledgements
# one post and one read of the status, no waiting: a page that gave up early
ONCE = RetryPolicy(posts=1, polls=1, interval=0, sleep=lambda _: None)


@dataclass
class Town:
    """A collectivity with its clerk, a meeting and its closed, registered items."""

    collectivity: Any
    clerk: Any
    meeting: Any
    votes: list[ItemVote]

    @property
    def transmission_url(self) -> str:
        return f"/c/{self.collectivity.pk}/seances/{self.meeting.pk}/transmission/"

    def number(self, index: int) -> str:
        return item_number(self.votes[index].item)

    def client(self) -> Client:
        client = Client()
        assert client.login(username=self.clerk.username, password=PASSWORD)
        return client


def closed_items(matters: list[str]) -> Town:
    """A commune whose meeting adopted one item per matter code ("" for none), each
    closed into the register."""
    town = make_collectivity("Commune de Fontaine-lès-Dijon")
    clerk = make_user(town)
    members = [make_member(clerk, town, last=f"ELU{i}", first="Jo").member for i in range(5)]
    meeting = make_meeting(clerk, town)
    items = []
    for index, matter in enumerate(matters):
        item = meetings.save_draft(clerk, CLOCK, town, None, meetings.DraftFields(
            subject=f"Convention de mise à disposition n° {index + 1}", matter_code=matter,
            statement="Exposé.", operative_part="Article 1 : approuve."))  # fmt: skip
        meetings.move_draft(clerk, CLOCK, item, "submit")
        meetings.move_draft(clerk, CLOCK, item, "validate")
        meetings.add_to_agenda(clerk, CLOCK, meeting, item)
        items.append(item)
    sitting = live.open_sitting(clerk, CLOCK, meeting, members[0], [members[1]])
    for member in members:
        live.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    votes = []
    for item in items:
        live.record_vote(clerk, CLOCK, sitting, item, for_=5, against=0, abstention=0,
                         not_voting=0)  # fmt: skip
        votes.append(live.close_item(clerk, CLOCK, sitting, item))
    return Town(town, clerk, meeting, votes)


def configured(town: Town, operator: FakeOperator) -> Town:
    """The town with the example classification and the fake operator set."""
    services.import_classification(town.clerk, CLOCK, town.collectivity,
                                   CLASSIFICATION_FILE.read_bytes())  # fmt: skip
    services.configure_operator(town.clerk, CLOCK, town.collectivity, services.OperatorFields(
        url=operator.url, departement="021", arrondissement="2", nature="34",
        emails=("greffe@fontaine-les-dijon.fr",), timeout=1))  # fmt: skip
    return town


@pytest.fixture
def town() -> Town:
    return closed_items(["1.1", "3.1"])


@pytest.fixture
def operator(town: Town) -> Iterator[FakeOperator]:
    with FakeOperator(departement="021", siren=town.collectivity.siren, delay=2.0,
                      received_on=RECEIVED_ON) as fake:  # fmt: skip
        yield fake


def events_of(town: Town, number: str) -> list[tuple[EventKind, str | None]]:
    """The register's lifecycle events about an item: kind and act id."""
    store = open_store()
    try:
        found = register_events(store, assembly_key(town.meeting.assembly))  # type: ignore[arg-type]
    finally:
        store.close()  # type: ignore[attr-defined]
    return [(e.kind, e.act_id) for e in found if e.deliberation == number]


def text_of(answer: Any) -> str:
    """A page's text as read: tags removed, entities decoded, spaces collapsed."""
    assert answer.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", answer.content.decode())).split())


def page(client: Client, url: str) -> str:
    """The text of the page at `url`."""
    return text_of(client.get(url))


def test_the_imported_classification_lists_its_matters_in_the_draft_form() -> None:
    town = make_collectivity("Commune de Talant")
    clerk, drafter = make_user(town), make_user(town, Role.DRAFTER)
    writer = Client()
    assert writer.login(username=drafter.username, password=PASSWORD)
    draft = f"/c/{town.pk}/projets/nouveau/"
    assert 'name="matter_code" maxlength="10"' in writer.get(draft).content.decode()  # free field
    client = Client()
    assert client.login(username=clerk.username, password=PASSWORD)
    with CLASSIFICATION_FILE.open("rb") as upload:
        done = client.post(f"/c/{town.pk}/transmission/",
                           {"action": "classification", "file": upload}, follow=True)  # fmt: skip
    text = text_of(done)
    assert "Classification du 19/04/2017 importée" in text and "version du 19/04/2017" in text
    form = writer.get(draft).content.decode()
    assert '<select name="matter_code"' in form
    assert "classification de la préfecture du 19/04/2017" in form
    assert '<option value="1.1">1.1 — Marchés publics</option>' in form
    assert '<option value="1">' not in form  # @CTES needs two levels at least
    fields = {"subject": "Marché de voirie", "matter_code": "1.1", "statement": "",
              "operative_part": "", "heading": "", "rapporteur": ""}  # fmt: skip
    assert writer.post(draft, fields).status_code == 302
    assert (
        AgendaItem.objects.get(collectivity=town, subject="Marché de voirie").matter_code == "1.1"
    )
    refused = writer.post(draft, fields | {"subject": "Autre", "matter_code": "99.9"})
    assert refused.status_code == 200 and "Sélectionnez un choix valide" in refused.content.decode()
    assert (
        AuditEntry.objects.filter(collectivity=town, action="transmission.classification").count()
        == 1
    )


def test_the_operator_is_set_on_the_collectivity_page() -> None:
    town = make_collectivity("Commune de Plombières-lès-Dijon")
    client = Client()
    assert client.login(username=make_user(town).username, password=PASSWORD)
    url = f"/c/{town.pk}/transmission/"
    fields = {"action": "operator", "url": "https://s2low.example.fr", "departement": "2A",
              "arrondissement": "2", "nature": "34", "emails": "greffe@plombieres.fr, dgs@plombieres.fr",
              "cert_path": "/etc/registre/client.pem", "key_path": "/etc/registre/client.key",
              "timeout": "20"}  # fmt: skip
    refused = text_of(client.post(url, fields))
    assert "Trois caractères, par exemple 021 ou 02A." in refused
    done = text_of(client.post(url, fields | {"departement": "02a"}, follow=True))
    assert "Réglages de l'opérateur enregistrés." in done
    settings = OperatorSettings.objects.get(collectivity=town)
    assert (settings.departement, settings.email_list, settings.key_path) == (
        "02A", ("greffe@plombieres.fr", "dgs@plombieres.fr"), "/etc/registre/client.key")  # fmt: skip
    assert 'value="https://s2low.example.fr"' in client.get(url).content.decode()
    assert AuditEntry.objects.filter(collectivity=town, action="transmission.settings").exists()


def test_a_transmitted_item_is_acknowledged_once_and_its_published_act_enforceable(
    town: Town, operator: FakeOperator
) -> None:
    configured(town, operator)
    number = town.number(0)
    operator.script(number).status = ["ack"]
    act = publication.publish(town.clerk, CLOCK, town.votes[0])
    client = town.client()
    before = page(client, town.transmission_url)
    act_id = f"021-{town.collectivity.siren}-20261220-{number}-DE"
    assert act_id in before and "non transmis" in before and "Transmettre" in before
    assert "pas encore exécutoire : il manque la transmission au préfet" in before
    done = client.post(town.transmission_url, {"vote": town.votes[0].pk}, follow=True)
    assert f"Acte {act_id} acquitté par la préfecture le 21/11/2026" in done.content.decode()
    after = page(client, town.transmission_url)
    row = Transmission.objects.get(vote=town.votes[0])
    assert row.sent_on == timezone.localdate()  # the page's clock is the real one
    # published on the 20th, transmitted today: enforceable since the later of the two
    assert (
        "acquitté le 21/11/2026" in after
        and f"exécutoire depuis le {row.sent_on:%d/%m/%Y}" in after
    )
    # the other item: neither published nor transmitted
    assert "pas encore exécutoire : il manque la publication et la transmission au préfet" in after
    assert events_of(town, number) == [
        (EventKind.PUBLISHED, None), (EventKind.TRANSMITTED, act_id),
        (EventKind.ACKNOWLEDGED, act_id)]  # fmt: skip
    act.refresh_from_db()
    assert (act.act_id, act.prefecture_id, act.transmitted_on) == (
        act_id, "PREF021", dt.date(2026, 11, 21))  # fmt: skip
    with act.pdf.open("rb") as published:  # the act sent is the published act's PDF
        assert operator.transactions[0].files[0][2] == published.read()
    # pressed again (a reloaded form): nothing is sent, nothing recorded twice
    client.post(town.transmission_url, {"vote": town.votes[0].pk})
    assert operator.posts[number] == 1 and operator.stored[number] == 1
    assert [k for k, _ in events_of(town, number)].count(EventKind.ACKNOWLEDGED) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (TransmissionStatus.ACKNOWLEDGED, 2)
    assert AuditEntry.objects.filter(action="transmission.send", object_id=str(row.pk)).count() == 2


def test_a_refusal_is_shown_with_the_operators_message(town: Town, operator: FakeOperator) -> None:
    configured(town, operator)
    first, second = town.number(0), town.number(1)
    operator.script(first).create = ["ko:Le fichier PDF de l'acte est illisible"]
    operator.script(second).status = ["error:Matière incompatible avec la nature de l'acte"]
    client = town.client()
    with_pdf = {"vote": town.votes[0].pk, "pdf": _upload()}
    done = text_of(client.post(town.transmission_url, with_pdf, follow=True))
    assert "refusé : Le fichier PDF de l'acte est illisible" in done
    client.post(town.transmission_url, {"vote": town.votes[1].pk, "pdf": _upload()})
    text = page(client, town.transmission_url)
    assert "refusé : Le fichier PDF de l'acte est illisible" in text
    assert "refusé : Matière incompatible avec la nature de l'acte" in text
    buttons = client.get(town.transmission_url).content.decode()
    assert buttons.count('<button type="submit">Relancer</button>') == 2
    assert events_of(town, first) == []  # refused before the operator took it
    # taken by the operator, then refused: transmitted, never acknowledged
    assert [k for k, _ in events_of(town, second)] == [EventKind.TRANSMITTED]


def test_a_retry_after_a_timeout_does_not_send_twice(town: Town, operator: FakeOperator) -> None:
    configured(town, operator)
    number = town.number(1)
    operator.script(number).create = ["timeout", "ok"]
    operator.script(number).status = ["ack"]
    vote = town.votes[1]
    first = services.transmit(town.clerk, CLOCK, vote, pdf=PDF, policy=ONCE)
    assert first.status == TransmissionStatus.UNREACHABLE
    assert "n'a pas répondu" in first.message
    assert operator.stored[number] == 1  # it took the act, the answer came too late
    client = town.client()
    text = page(client, town.transmission_url)
    assert "non transmis : l'opérateur n'a pas répondu dans les 1 s" in text
    assert (
        '<button type="submit">Relancer</button>'
        in client.get(town.transmission_url).content.decode()
    )
    client.post(town.transmission_url, {"vote": vote.pk})
    assert "acquitté le 21/11/2026" in page(client, town.transmission_url)
    assert operator.posts[number] == 1 and operator.stored[number] == 1
    act_id = f"021-{town.collectivity.siren}-20261220-{number}-DE"
    assert events_of(town, number) == [(EventKind.TRANSMITTED, act_id),
                                       (EventKind.ACKNOWLEDGED, act_id)]  # fmt: skip
    # published after its acknowledgement: the clerk reports it, the operator is not asked
    act = publication.publish(town.clerk, CLOCK, vote)
    report = "Reporter l&#x27;accusé sur l&#x27;acte publié"
    assert report in client.get(town.transmission_url).content.decode()
    asked = len(operator.requests)
    client.post(town.transmission_url, {"vote": vote.pk})
    act.refresh_from_db()
    assert (act.act_id, act.prefecture_id, act.transmitted_on) == (
        act_id, "PREF021", dt.date(2026, 11, 21))  # fmt: skip
    assert len(operator.requests) == asked and report not in client.get(
        town.transmission_url).content.decode()  # fmt: skip


def test_an_item_without_a_matter_gets_a_french_error_naming_it(operator: FakeOperator) -> None:
    bare = closed_items([""])
    configured(bare, operator)
    client = bare.client()
    text = text_of(client.post(bare.transmission_url, {"vote": bare.votes[0].pk}, follow=True))
    assert "le paquet @CTES ne peut pas être constitué" in text
    assert "la matière @CTES de l'acte manque (au moins deux niveaux, par exemple 8.6)" in text
    assert operator.requests == [] and events_of(bare, bare.number(0)) == []
    assert not Transmission.objects.filter(vote=bare.votes[0]).exists()


def test_without_operator_settings_the_clerk_is_told_what_to_set(town: Town) -> None:
    with pytest.raises(services.ServiceError, match="Réglez d'abord l'opérateur"):
        services.transmit(town.clerk, CLOCK, town.votes[0], pdf=PDF)


def test_another_collectivitys_clerk_gets_404(town: Town) -> None:
    other = make_collectivity("Commune de Chenôve")
    stranger = Client()
    assert stranger.login(username=make_user(other).username, password=PASSWORD)
    for url in (town.transmission_url, f"/c/{town.collectivity.pk}/transmission/"):
        assert stranger.get(url).status_code == 404
        assert stranger.post(url, {"vote": town.votes[0].pk}).status_code == 404
    # their own collectivity's URL with this meeting's item: not found either
    mine = f"/c/{other.pk}/seances/{town.meeting.pk}/transmission/"
    assert stranger.post(mine, {"vote": town.votes[0].pk}).status_code == 404
    drafter = Client()
    assert drafter.login(username=make_user(town.collectivity, Role.DRAFTER).username,
                         password=PASSWORD)  # fmt: skip
    assert drafter.get(town.transmission_url).status_code == 403
    assert not PublishedAct.objects.exists() and not Transmission.objects.exists()


def _upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    return SimpleUploadedFile("extrait-signe.pdf", PDF, content_type="application/pdf")


def test_the_prefect_receives_the_act_as_adopted_not_the_redacted_copy(
    town: Town, operator: FakeOperator
) -> None:
    from django.utils import timezone as tz  # noqa: PLC0415

    from registre.web.publication.models import Redaction  # noqa: PLC0415

    configured(town, operator)
    number = town.number(0)
    operator.script(number).status = ["ack"]
    Redaction.objects.create(collectivity=town.collectivity, assembly=town.meeting.assembly,
                             number=number, text="mise à disposition", marked_at=tz.now())  # fmt: skip
    act = publication.publish(town.clerk, CLOCK, town.votes[0])
    services.transmit(town.clerk, CLOCK, town.votes[0], pdf=None)
    sent = operator.transactions[0].files[0][2]
    with act.pdf.open("rb") as published:
        assert sent != published.read()  # not the public, redacted copy
    assert "mise à disposition" in _pdf_text(sent)


def _pdf_text(pdf: bytes) -> str:
    import io  # noqa: PLC0415

    import pypdfium2  # noqa: PLC0415

    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    return "".join(page.get_textpage().get_text_range() for page in document)
