"""The public portal through Django's test client: a closed item published (its
`published` event in the register, its page, its PDF, the meeting's list, the Atom
feed), redacted text and withdrawn or unpublished acts never shown, and an archive
read from the 123 Montpellier extracts imported with its findings."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from django.test import Client
from django.utils import timezone
from webfactories import CLOCK, make_collectivity, make_item, make_meeting, make_member, make_user

from registre.register import EntryKind
from registre.web.live import services
from registre.web.live.models import ItemVote, Presence
from registre.web.live.register import assembly_key, open_store
from registre.web.publication import services as publication
from registre.web.publication.importing import import_results
from registre.web.publication.models import PublishedAct, Redaction

pytestmark = pytest.mark.django_db(transaction=True)
DATA = Path(__file__).parent.parent / "data"
ATOM = "{http://www.w3.org/2005/Atom}"
PRIVATE = "Jean-Eudes PARTICULIER"


def _closed_items(subjects: list[str]) -> tuple[Any, Any, list[ItemVote]]:
    town = make_collectivity("Commune de Saint-Aubin-sur-Yère")
    clerk = make_user(town)
    m = [make_member(clerk, town, last=f"ELU{i}", first="Jo").member for i in range(5)]
    meeting = make_meeting(clerk, town)
    items = [make_item(clerk, town, s, meeting=meeting) for s in subjects]
    sitting = services.open_sitting(clerk, CLOCK, meeting, m[0], [m[1]])
    for member in m:
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    votes = []
    for item in items:
        services.record_vote(clerk, CLOCK, sitting, item, for_=4, against=1, abstention=0,
                             not_voting=0)  # fmt: skip
        votes.append(services.close_item(clerk, CLOCK, sitting, item))
    return town, clerk, votes


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    return "".join(page.get_textpage().get_text_range() for page in document)


def test_a_published_act_on_the_portal_feed_and_register() -> None:
    town, clerk, votes = _closed_items(["Tarifs de la cantine scolaire", "Budget annexe de l'eau"])
    act = publication.publish(clerk, CLOCK, votes[0])
    client = Client()
    page = client.get(f"/public/{town.siren}/actes/{act.number}/").content.decode()
    assert "Tarifs de la cantine scolaire" in page and "4 pour, 1 contre" in page
    assert ("5 présents" in page and "Exécutoire" in page) or "exécutoire" in page
    pdf = client.get(f"/public/{town.siren}/actes/{act.number}/acte.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "cantine" in _text(b"".join(pdf.streaming_content))
    listing = client.get(f"/public/{town.siren}/actes/").content.decode()
    assert "Tarifs de la cantine" in listing and "Budget annexe" not in listing  # unpublished
    assert client.get(f"/public/{town.siren}/seances/2026-12-20/").status_code == 200
    feed = ET.fromstring(client.get(f"/public/{town.siren}/flux.atom").content)
    _assert_atom(feed, 1)
    store = open_store()
    try:  # this assembly's chain: the register is shared by every test of the run
        chain = store.entries(assembly_key(votes[0].item.meeting.assembly))  # type: ignore[attr-defined]
        events = [loads_event(e) for e in chain if e.kind is EntryKind.EVENT]
    finally:
        store.close()  # type: ignore[attr-defined]
    assert [(e["kind"], e["deliberation"]) for e in events] == [("published", act.number)]
    assert events[0]["url"].endswith(f"/public/{town.siren}/actes/{act.number}/")


def loads_event(entry: Any) -> dict[str, Any]:
    """The lifecycle event of an event entry, as JSON data."""
    return json.loads(entry.payload.decode("utf-8"))


def _assert_atom(feed: ET.Element, entries: int) -> None:
    """The RFC 4287 elements a reader needs: feed id, title, updated, a self or
    alternate link; each entry's id, title, updated, link."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    found = feed.findall(f"{ATOM}entry")
    assert len(found) == entries
    for entry in found:
        for name in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        assert entry.find(f"{ATOM}link").get("href", "").startswith("http")  # type: ignore[union-attr]


def test_redacted_withdrawn_and_unpublished_content_is_never_shown() -> None:
    town, clerk, votes = _closed_items([f"Subvention à {PRIVATE}", "Convention de mécénat"])
    item = votes[0].item
    Redaction.objects.create(collectivity=town, assembly=item.meeting.assembly,
                             number=publication.item_number(item), text=PRIVATE,
                             marked_at=timezone.now())  # fmt: skip
    redacted = publication.publish(clerk, CLOCK, votes[0])
    second = publication.publish(clerk, CLOCK, votes[1])
    PublishedAct.objects.filter(pk=second.pk).update(withdrawn_at=timezone.now())
    client = Client()
    pages = [client.get(url) for url in (
        f"/public/{town.siren}/actes/", "/public/actes/", f"/public/{town.siren}/flux.atom",
        f"/public/{town.siren}/actes/{redacted.number}/", "/public/actes/?q=subvention",
        f"/public/{town.siren}/seances/2026-12-20/")]  # fmt: skip
    for page in pages:
        body = page.content.decode()
        assert PRIVATE not in body and "PARTICULIER" not in body
        assert "mécénat" not in body  # withdrawn
    assert "[occulté]" in pages[3].content.decode()
    with redacted.pdf.open("rb") as stored:
        assert "PARTICULIER" not in _text(stored.read())
    assert client.get(f"/public/{town.siren}/actes/{second.number}/").status_code == 404
    assert client.get(f"/public/{town.siren}/actes/{second.number}/acte.pdf").status_code == 404


def test_an_act_is_published_once_and_only_once_registered() -> None:
    from registre.web.core.services import ServiceError  # noqa: PLC0415

    _, clerk, votes = _closed_items(["Tarifs"])
    publication.publish(clerk, CLOCK, votes[0])
    with pytest.raises(ServiceError, match="déjà publiée"):
        publication.publish(clerk, CLOCK, votes[0])


def test_the_montpellier_archive_imported_with_its_findings(tmp_path: Path) -> None:
    from registre.cli import main  # noqa: PLC0415

    folder = DATA / "corpus" / "montpellier"
    results = tmp_path / "montpellier.jsonl"
    assert main(["read", str(folder), "-o", str(results)]) in (0, 1)
    lines = results.read_text(encoding="utf-8").splitlines()
    report = import_results(lines, CLOCK)
    pdfs = sorted(folder.rglob("*.pdf"))
    assert len(pdfs) == 123 and report.added == 123, report.problems
    assert len(report.problems) == 1 and "PUBLISHER-README" in report.problems[0]
    again = import_results(lines, CLOCK)
    assert (again.added, again.already) == (0, 123)  # idempotent
    client = Client()
    for act in PublishedAct.objects.all():
        assert act.source == "documents" and json.loads(act.findings_json) is not None
        page = client.get(f"/public/213401722/actes/{act.number}/")
        assert page.status_code == 200 and "lu dans le document publié" in page.content.decode()
    flagged = PublishedAct.objects.filter(findings_json__contains="CONVOCATION_TOO_LATE").first()
    assert flagged is not None
    page = client.get(f"/public/213401722/actes/{flagged.number}/").content.decode()
    assert "Constats du contrôle" in page


def test_the_clerk_publishes_from_the_meeting_page_with_a_redaction() -> None:
    from webfactories import PASSWORD  # noqa: PLC0415

    town, clerk, votes = _closed_items([f"Indemnité versée à {PRIVATE}"])
    client = Client()
    client.login(username=clerk.username, password=PASSWORD)
    url = f"/c/{town.pk}/seances/{votes[0].item.meeting_id}/publication/"
    assert "Publier" in client.get(url).content.decode()
    page = client.post(url, {"vote": votes[0].pk, "action": "redact", "text": PRIVATE}, follow=True)
    assert "Texte marqué" in page.content.decode()
    page = client.post(url, {"vote": votes[0].pk, "action": "publish"}, follow=True)
    assert "publiée le" in page.content.decode()
    act = PublishedAct.objects.get()
    assert PRIVATE not in act.subject and PRIVATE not in act.record_json
    page = client.post(url, {"vote": votes[0].pk, "action": "redact", "text": "versée"},
                       follow=True)  # fmt: skip
    assert "déjà publié" in page.content.decode()


def test_the_list_of_deliberations_and_the_minutes_published_for_the_meeting() -> None:
    from webfactories import PASSWORD  # noqa: PLC0415

    town, clerk, votes = _closed_items(["Tarifs de la cantine scolaire"])
    publication.publish(clerk, CLOCK, votes[0])
    client = Client()
    client.login(username=clerk.username, password=PASSWORD)
    url = f"/c/{town.pk}/seances/{votes[0].item.meeting_id}/publication/"
    page = client.post(url, {"action": "document", "kind": "minutes"}, follow=True)
    assert "Joignez le procès-verbal adopté" in page.content.decode()
    page = client.post(url, {"action": "document", "kind": "deliberation_list"}, follow=True)
    assert "Liste des délibérations (L2121-25) publié." in page.content.decode()
    public = Client().get(f"/public/{town.siren}/seances/2026-12-20/").content.decode()
    assert "Liste des délibérations (L2121-25) (PDF)" in public
    pdf = Client().get(f"/public/{town.siren}/seances/2026-12-20/deliberation_list.pdf")
    assert "cantine" in _text(b"".join(pdf.streaming_content))


def test_the_published_pdf_carries_the_signed_r2131_1_mention(
    settings: Any, tmp_path: Path
) -> None:
    from registre.rules import Severity  # noqa: PLC0415
    from registre.signatures import check_publication, read_mention  # noqa: PLC0415
    from signatures.testca import PASSPHRASE, DemoCA  # noqa: PLC0415

    ca = DemoCA()
    settings.PUBLICATION_P12 = str(ca.issue(tmp_path, "Commune de Saint-Aubin publication"))
    settings.PUBLICATION_PASSPHRASE = PASSPHRASE.decode()
    _, clerk, votes = _closed_items(["Tarifs de la cantine scolaire"])
    act = publication.publish(clerk, CLOCK, votes[0])
    with act.pdf.open("rb") as stored:
        pdf = stored.read()
    mention = read_mention(pdf)
    assert mention is not None and (mention.first_name, mention.last_name) == ("Jo", "ELU0")
    assert "Président(e) de séance" in mention.capacity
    assert mention.published_on == act.published_on and mention.url == publication.act_url(act)
    findings = check_publication(pdf, [ca.root])
    assert not [f for f in findings if f.severity is Severity.ERROR], findings
    # one byte of the signed content changed: the mention no longer holds
    middle = len(pdf) // 3
    tampered = pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1 :]
    assert [f for f in check_publication(tampered, [ca.root]) if f.severity is Severity.ERROR]


def test_the_matter_filter_and_a_number_shared_by_two_assemblies() -> None:
    town, clerk, votes = _closed_items(["Tarifs de la cantine scolaire", "Budget annexe de l'eau"])
    first = publication.publish(clerk, CLOCK, votes[0])
    second = publication.publish(clerk, CLOCK, votes[1])
    PublishedAct.objects.filter(pk=first.pk).update(matter_code="7.1")
    PublishedAct.objects.filter(pk=second.pk).update(matter_code="7.10")
    client = Client()
    page = client.get(f"/public/{town.siren}/actes/", {"matiere": "7.1"}).content.decode()
    assert "Tarifs de la cantine" in page and "Budget annexe" not in page
    # the bureau publishes an act under the council's number: both pages answer
    bureau = town.assemblies.get(kind="bureau")
    PublishedAct.objects.filter(pk=second.pk).update(assembly=bureau, number=first.number)
    assert client.get(f"/public/{town.siren}/actes/{first.number}/").status_code == 200
    page = client.get(f"/public/{town.siren}/actes/{first.number}/", {"assemblee": "bureau"})
    assert "Budget annexe" in page.content.decode()
