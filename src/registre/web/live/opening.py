"""The opening beyond the roll call: a substitute taking an absent titular's seat
(L5211-6), and the written proxy itself (its scan, its date, the meetings it covers),
which a later meeting finds again at its own roll call."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction

from registre.web.clock import Clock
from registre.web.core.services import ServiceError, require_role
from registre.web.live.models import OpeningProxy, OpeningSubstitute, Presence, RollCall, Sitting
from registre.web.live.services import CLERKS, give_proxy, touch
from registre.web.members.models import Mandate, Member

MAX_SCAN = 10 * 1024 * 1024
MAX_COVERED = 3  # meetings a proxy may cover, save illness (L2121-20)
# what a scan or a photo of a signed proxy starts with
SIGNATURES = {b"%PDF-": "PDF", b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}


@transaction.atomic
def seat_substitute(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, titular: Member, substitute: Member
) -> OpeningSubstitute:
    """The titular is absent and their substitute sits with a deliberative vote; only
    in a communauté de communes or d'agglomération, and only their own substitute."""
    meeting = sitting.meeting
    require_role(actor, meeting.collectivity, CLERKS)
    if not meeting.collectivity.kind_enum.allows_substitutes:
        raise ServiceError("Un suppléant ne siège qu'au conseil d'une communauté de communes "
                           "ou d'agglomération (L5211-6).")  # fmt: skip
    mandate = Mandate.objects.in_office(meeting.date).filter(
        assembly=meeting.assembly, member=substitute, substitute_for=titular).first()  # fmt: skip
    if mandate is None:
        raise ServiceError(f"{substitute} n'est pas le suppléant en exercice de {titular} "
                           "(L5211-6) : vérifiez les mandats.")  # fmt: skip
    answer = RollCall.objects.filter(sitting=sitting, member=titular).first()
    if answer is not None and answer.status == Presence.PRESENT:
        raise ServiceError(f"{titular} est présent(e) : son suppléant ne siège pas (L5211-6).")
    if OpeningProxy.objects.filter(sitting=sitting, giver=titular).exists():
        raise ServiceError(f"{titular} a donné pouvoir : retirez le pouvoir avant de faire "
                           "siéger son suppléant, qui prend sa place (L5211-6).")  # fmt: skip
    seat, _ = OpeningSubstitute.objects.update_or_create(
        sitting=sitting, titular=titular, defaults={"substitute": substitute})  # fmt: skip
    RollCall.objects.update_or_create(sitting=sitting, member=titular,
                                      defaults={"status": Presence.ABSENT})  # fmt: skip
    touch(actor, clock, sitting, "sitting.substitute", seat,
          f"{substitute} siège en suppléance de {titular}")  # fmt: skip
    return seat


@transaction.atomic
def written_proxy(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, giver: Member, holder: Member, *,
    given_on: dt.date | None = None, covers: list[dt.date] | None = None,
    scan: tuple[str, bytes] | None = None,
) -> OpeningProxy:  # fmt: skip
    """A written proxy with what the paper says: its date, the meetings it covers
    (this one at least, three at most, L2121-20) and its scan (PDF, JPEG or PNG)."""
    dates = sorted({*(covers or ()), sitting.meeting.date})
    if len(dates) > MAX_COVERED:
        raise ServiceError(f"Le pouvoir de {giver} couvre {len(dates)} séances : il ne vaut "
                           "que pour trois séances consécutives au plus (L2121-20).")  # fmt: skip
    if given_on is not None and given_on > sitting.meeting.date:
        raise ServiceError(f"Le pouvoir de {giver} est daté après la séance : vérifiez sa date.")
    proxy = give_proxy(actor, clock, sitting, giver, holder)
    proxy.given_on, proxy.covers = given_on, [d.isoformat() for d in dates]
    if scan is not None:
        name, data = scan
        _check_scan(name, data)
        digest = hashlib.sha256(data).hexdigest()
        proxy.document.save(f"{digest[:16]}-{name}", ContentFile(data), save=False)
    proxy.save()
    touch(actor, clock, sitting, "sitting.proxy_paper", proxy,
          f"Pouvoir écrit de {giver} à {holder}" + (" (scan joint)" if scan else ""))  # fmt: skip
    return proxy


def _check_scan(name: str, data: bytes) -> None:
    if not data:
        raise ServiceError(f"Le fichier « {name} » est vide : numérisez à nouveau le pouvoir.")
    if len(data) > MAX_SCAN:
        raise ServiceError(f"Le scan « {name} » dépasse 10 Mo : numérisez-le en résolution "
                           "plus basse.")  # fmt: skip
    if not any(data.startswith(magic) for magic in SIGNATURES):
        raise ServiceError(f"Le fichier « {name} » n'est ni un PDF, ni une photo JPEG ou PNG : "
                           "joignez le scan ou la photo du pouvoir signé.")  # fmt: skip


def standing_proxies(sitting: Sitting) -> list[OpeningProxy]:
    """Written proxies given at an earlier meeting of the assembly that also cover
    this one: the roll call offers them again."""
    meeting = sitting.meeting
    return [
        p for p in OpeningProxy.objects.filter(
            sitting__meeting__assembly=meeting.assembly, sitting__meeting__date__lt=meeting.date,
        ).select_related("giver", "holder")
        if meeting.date.isoformat() in p.covers
    ]  # fmt: skip


def apply_standing_proxies(actor: AbstractBaseUser, clock: Clock, sitting: Sitting) -> list[str]:
    """Carry the standing proxies into this roll call; what cannot apply (the holder
    absent, already holding one), said in French."""
    problems = []
    for earlier in standing_proxies(sitting):
        try:
            with transaction.atomic():
                proxy = give_proxy(actor, clock, sitting, earlier.giver, earlier.holder)
                proxy.given_on, proxy.covers = earlier.given_on, earlier.covers
                proxy.document = earlier.document
                proxy.save()
        except ServiceError as exc:
            problems.append(str(exc))
    return problems
