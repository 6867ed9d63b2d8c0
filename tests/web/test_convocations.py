"""Convocations sent through a real SMTP server on loopback: one per member in
office with the PDF, copies for an EPCI's communes, the proof kept, lateness
warned with the delay `registre.rules` gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from webfactories import make_collectivity, make_item, make_meeting, make_member, make_user

from factories import FakeClock
from registre.record import CollectivityKind
from registre.web.core.services import ServiceError
from registre.web.meetings.convocations import meeting_record, send_convocations, timing
from registre.web.meetings.models import Convocation
from registre.web.members.services import add_councillor

pytestmark = pytest.mark.django_db
SENT_ON = "2026-12-01T08:00:00+00:00"  # the meetings below are on 20 December


def _convened(kind: CollectivityKind = CollectivityKind.COMMUNE, population: int = 5000) -> Any:
    town = make_collectivity(kind=kind, population=population)
    clerk = make_user(town)
    for last in ("ARNAUD", "BÉNARD", "CÔTÉ"):
        make_member(clerk, town, last=last, first="Zoé")
    make_member(clerk, town, last="SANSMAIL", email="")
    meeting = make_meeting(clerk, town, dt.date(2026, 12, 20))
    make_item(clerk, town, "Budget primitif 2027", meeting=meeting)
    return town, clerk, meeting


def test_each_member_receives_the_convocation_and_the_proof_is_kept(mailbox: Any) -> None:
    _, clerk, meeting = _convened()
    sending = send_convocations(clerk, FakeClock(SENT_ON), meeting)
    assert len(sending.sent) == 3 and sending.without_email == ("Marie SANSMAIL",)
    assert len(mailbox.messages) == 3
    message = mailbox.to("zoé.bénard@example.org")[0]
    [attachment] = list(message.iter_attachments())
    pdf = attachment.get_content()
    assert attachment.get_filename() == "convocation-2026-12-20.pdf" and pdf.startswith(b"%PDF")
    proof = Convocation.objects.get(email="zoé.bénard@example.org")
    assert proof.message_id == message["Message-ID"] and not proof.late
    assert proof.sent_at.isoformat().startswith("2026-12-01T08:00")
    # sent again, nobody receives it twice
    assert send_convocations(clerk, FakeClock(SENT_ON), meeting).sent == ()
    assert len(mailbox.messages) == 3


def test_the_pdf_carries_the_agenda_and_the_note_of_synthesis(mailbox: Any) -> None:
    import pypdfium2 as pdfium  # noqa: PLC0415

    _, clerk, meeting = _convened(population=5000)
    send_convocations(clerk, FakeClock(SENT_ON), meeting)
    [attachment] = list(mailbox.messages[0].iter_attachments())
    document = pdfium.PdfDocument(attachment.get_content())
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert "Budget primitif 2027" in text and "Note explicative de synthèse" in text
    assert "Exposé." in text


def test_an_epci_copies_the_councillors_of_its_communes(mailbox: Any) -> None:
    epci, clerk, meeting = _convened(CollectivityKind.COMMUNAUTE_D_AGGLOMERATION)
    add_councillor(clerk, FakeClock(), epci, commune="Saint-Apollinaire", first_name="Léa",
                   last_name="MOREAU", email="lea.moreau@example.org")  # fmt: skip
    send_convocations(clerk, FakeClock(SENT_ON), meeting)
    [copy] = mailbox.to("lea.moreau@example.org")
    assert "copie" in copy["Subject"] and "L5211-40-2" in copy["Subject"]
    assert Convocation.objects.get(email="lea.moreau@example.org").kind == "councillor"


@pytest.mark.parametrize(
    ("kind", "population", "latest"),
    [(CollectivityKind.COMMUNE, 800, dt.date(2026, 12, 16)),  # 3 clear days (L2121-11)
     (CollectivityKind.COMMUNE, 5000, dt.date(2026, 12, 14)),  # 5 clear days (L2121-12)
     (CollectivityKind.DEPARTEMENT, None, dt.date(2026, 12, 8))],  # 12 days (L3121-19)
)  # fmt: skip
def test_lateness_follows_the_rules(
    kind: CollectivityKind, population: int | None, latest: dt.date, mailbox: Any
) -> None:  # fmt: skip
    _, clerk, meeting = _convened(kind, population or 0)
    on_time = timing(meeting, FakeClock(f"{latest}T10:00:00+00:00"))
    late = timing(meeting, FakeClock(f"{latest + dt.timedelta(days=1)}T10:00:00+00:00"))
    assert on_time.deadline is not None and on_time.deadline.latest == latest
    assert not on_time.late and late.late
    clock = FakeClock(f"{latest + dt.timedelta(days=1)}T10:00:00+00:00")
    with pytest.raises(ServiceError, match=r"Envoi tardif.*au plus tard"):
        send_convocations(clerk, clock, meeting)
    assert not mailbox.messages and not Convocation.objects.exists()
    sent = send_convocations(clerk, clock, meeting, accept_late=True).sent
    assert sent and all(c.late for c in sent)


def test_the_meeting_record_is_what_the_rules_and_documents_read() -> None:
    _, _, meeting = _convened()
    record = meeting_record(meeting, dt.date(2026, 12, 1))
    assert record.meeting.members_in_office == 4 and record.meeting.synthesis_note_sent
    assert [d.subject for d in record.deliberations] == ["Budget primitif 2027"]
    assert record.meeting.members[1].last_name == "BÉNARD"


def test_an_empty_agenda_sends_nothing(mailbox: Any) -> None:
    town = make_collectivity()
    clerk = make_user(town)
    make_member(clerk, town)
    meeting = make_meeting(clerk, town)
    with pytest.raises(ServiceError, match="ordre du jour est vide"):
        send_convocations(clerk, FakeClock(SENT_ON), meeting)
    assert not mailbox.messages
