"""Meetings, drafts and agendas through the services: the validation circuit with
its history, agenda order, second convocations, decisions under delegation."""

from __future__ import annotations

import datetime as dt

import pytest
from webfactories import CLOCK, make_collectivity, make_item, make_meeting, make_user

from registre.web.core.models import AuditEntry, Role
from registre.web.core.services import ServiceError
from registre.web.meetings import services
from registre.web.meetings.models import AgendaItem, DraftStatus, Meeting

pytestmark = pytest.mark.django_db


def test_the_circuit_drafter_to_clerk_keeps_every_version() -> None:
    town = make_collectivity()
    clerk, drafter = make_user(town), make_user(town, Role.DRAFTER)
    item = services.save_draft(drafter, CLOCK, town, None,
                               services.DraftFields(subject="Tarifs de la cantine"))  # fmt: skip
    services.save_draft(drafter, CLOCK, town, item,
                        services.DraftFields(subject="Tarifs de la cantine 2027"))  # fmt: skip
    services.move_draft(drafter, CLOCK, item, "submit")
    with pytest.raises(ServiceError, match="seul le greffe"):
        services.save_draft(drafter, CLOCK, town, item, services.DraftFields(subject="Autre"))
    with pytest.raises(ServiceError, match="rôle"):
        services.move_draft(drafter, CLOCK, item, "validate")
    services.move_draft(clerk, CLOCK, item, "validate")
    item.refresh_from_db()
    assert item.status == DraftStatus.VALIDATED and item.subject == "Tarifs de la cantine 2027"
    history = list(item.revisions.order_by("version").values_list("version", "status", "content"))
    assert [(v, s) for v, s, _ in history] == [(1, "draft"), (2, "draft"), (3, "submitted"),
                                                (4, "validated")]  # fmt: skip
    assert history[0][2]["subject"] == "Tarifs de la cantine"
    assert (
        AuditEntry.objects.filter(object_id=str(item.pk), action__startswith="draft.").count() == 4
    )


def test_only_validated_drafts_enter_the_agenda_in_order() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    meeting = make_meeting(clerk, town)
    draft = make_item(clerk, town, "Brouillon", validated=False)
    with pytest.raises(ServiceError, match="validé"):
        services.add_to_agenda(clerk, CLOCK, meeting, draft)
    first, second, third = (make_item(clerk, town, s, meeting=meeting) for s in ("A", "B", "C"))
    services.reorder_agenda(clerk, CLOCK, meeting, third, -1)
    assert [i.subject for i in meeting.items.order_by("position")] == ["A", "C", "B"]
    services.remove_from_agenda(clerk, CLOCK, first)
    assert [(i.subject, i.position) for i in meeting.items.order_by("position")] == [
        ("C", 1), ("B", 2)]  # fmt: skip
    assert AuditEntry.objects.filter(action="agenda.reorder").get().before["order"] == str(
        [first.pk, second.pk, third.pk])  # fmt: skip


def test_an_item_of_another_collectivity_never_enters_an_agenda() -> None:
    a, b = make_collectivity("A"), make_collectivity("B")
    clerk_a, clerk_b = make_user(a), make_user(b)
    foreign = make_item(clerk_b, b, "Chez B")
    with pytest.raises(ServiceError):
        services.add_to_agenda(clerk_a, CLOCK, make_meeting(clerk_a, a), foreign)
    assert AgendaItem.objects.get(pk=foreign.pk).meeting is None


def test_second_convocation_names_the_meeting_without_quorum() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    first = make_meeting(clerk, town, dt.date(2026, 12, 1))
    with pytest.raises(ServiceError, match="séance où le quorum"):
        make_meeting(clerk, town, dt.date(2026, 12, 5), second_convocation=True)
    second = make_meeting(clerk, town, dt.date(2026, 12, 5), second_convocation=True,
                          first_meeting=first)  # fmt: skip
    assert second.first_meeting == first and Meeting.objects.count() == 2


def test_decisions_under_delegation_are_reported_at_a_later_meeting() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    meeting = make_meeting(clerk, town, dt.date(2026, 12, 1))
    decision = services.add_delegated_decision(clerk, CLOCK, town, number="2026-12",
                                               taken_on=dt.date(2026, 11, 2), subject="Bail",
                                               reported_at=meeting)  # fmt: skip
    assert list(meeting.reported_decisions.all()) == [decision]
    with pytest.raises(ServiceError, match="qui la suit"):
        services.add_delegated_decision(clerk, CLOCK, town, number="2026-13",
                                        taken_on=dt.date(2026, 12, 2), subject="Après",
                                        reported_at=meeting)  # fmt: skip


def test_attachments_keep_their_digest() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    item = make_item(clerk, town)
    attachment = services.attach_file(clerk, CLOCK, item, "annexe.pdf", b"%PDF-1.7 contenu")
    assert attachment.size == 16 and len(attachment.sha256) == 64
    with attachment.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.7 contenu"
    with pytest.raises(ServiceError, match="20 Mo"):
        services.attach_file(clerk, CLOCK, item, "trop.pdf", b"0" * (20 * 1024 * 1024 + 1))
