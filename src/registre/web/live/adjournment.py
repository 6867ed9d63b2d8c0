"""After a quorum lost: the second convocation, three days later at least, with the
items postponed for want of a quorum; it deliberates without a quorum (L2121-17)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from registre.web.clock import Clock
from registre.web.core import audit
from registre.web.core.services import ServiceError, require_role
from registre.web.live.models import ItemVote, Sitting
from registre.web.live.services import CLERKS
from registre.web.meetings.models import AgendaItem, DraftStatus, Meeting
from registre.web.meetings.services import MeetingFields, add_to_agenda, create_meeting

INTERVAL = dt.timedelta(days=3)  # "à trois jours au moins d'intervalle"


def earliest_second_meeting(sitting: Sitting) -> dt.date:
    """The first day the second convocation may meet (L2121-17)."""
    return sitting.meeting.date + INTERVAL


@transaction.atomic
def prepare_second_convocation(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, *, on: dt.date | None = None,
    at: dt.time | None = None,
) -> Meeting:  # fmt: skip
    """A new meeting marked as a second convocation of this one, its agenda the items
    postponed here for want of a quorum, in their order; each a new draft carrying
    the text of the first, so the first meeting's record never changes."""
    first = sitting.meeting
    require_role(actor, first.collectivity, CLERKS)
    postponed = [v.item for v in ItemVote.objects.filter(item__meeting=first, postponement="quorum")
                 .select_related("item").order_by("item__position")]  # fmt: skip
    if not postponed:
        raise ServiceError("Aucun point n'a été reporté faute de quorum : pas de seconde "
                           "convocation à préparer (L2121-17).")  # fmt: skip
    if Meeting.objects.filter(first_meeting=first, second_convocation=True).exists():
        raise ServiceError("La seconde convocation de cette séance est déjà préparée.")
    on = on or earliest_second_meeting(sitting)
    if on < earliest_second_meeting(sitting):
        raise ServiceError(f"La seconde convocation se réunit à trois jours au moins "
                           f"d'intervalle : le {earliest_second_meeting(sitting):%d/%m/%Y} "
                           "au plus tôt (L2121-17).")  # fmt: skip
    second = create_meeting(actor, clock, first.assembly, MeetingFields(
        date=on, time=at or first.time, place=first.place, mode=first.mode,
        second_convocation=True, first_meeting=first))  # fmt: skip
    for item in postponed:
        add_to_agenda(actor, clock, second, _copy(actor, clock, item))
    return second


def _copy(actor: AbstractBaseUser, clock: Clock, item: AgendaItem) -> AgendaItem:
    copy = AgendaItem.objects.create(
        collectivity=item.collectivity, heading=item.heading, subject=item.subject,
        matter_code=item.matter_code, rapporteur=item.rapporteur, statement=item.statement,
        operative_part=item.operative_part, status=DraftStatus.VALIDATED, carried_from=item)  # fmt: skip
    audit.record(actor, clock, item.collectivity, "draft.carry_over", copy,
                 f"« {item.subject[:80]} » reporté faute de quorum, repris en seconde "
                 "convocation", after=audit.snapshot(copy))  # fmt: skip
    return copy
