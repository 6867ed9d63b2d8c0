"""The writes of the transmission to the prefecture: the operator's settings, the
prefecture's classification, and sending a registered item (`transmit`); each with
the acting user and a clock, each audited.

Sending goes through `registre.actes.send` on the application's register: it reads
the register and asks the operator before posting, so a retry (after a timeout, an
unreachable operator, a page reloaded) never sends an act twice, and the register
ends with one `transmitted` and one `acknowledged` event per act.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path
from typing import cast

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from registre import actes
from registre.actes import ActesError, Emitter, PackageContents, RetryPolicy, SendResult
from registre.record import EventKind, LifecycleEvent, MeetingRecord
from registre.register import Store
from registre.web.clock import Clock
from registre.web.core import audit
from registre.web.core.models import Assembly, Collectivity, Role
from registre.web.core.services import ServiceError, require_role
from registre.web.live.models import ItemVote
from registre.web.live.record import item_number
from registre.web.live.register import assembly_key, open_store
from registre.web.publication.models import PublishedAct, Redaction
from registre.web.publication.services import frozen_record, render_extract
from registre.web.transmission.models import (
    Classification,
    ClassificationMatter,
    OperatorSettings,
    Transmission,
    TransmissionStatus,
)

CLERKS = {Role.ADMINISTRATOR, Role.CLERK}
KEY_PASSPHRASE_ENV = "REGISTRE_OPERATOR_KEY_PASSPHRASE"
# a clerk waits for the page: two posts and two reads of the status at most; an act
# still pending is followed by the next click (« Relancer »), which never posts again
WEB_POLICY = RetryPolicy(posts=2, polls=2, interval=1.0)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class OperatorFields:
    """The operator's settings as the clerk gives them."""

    url: str
    departement: str
    arrondissement: str
    nature: str
    emails: tuple[str, ...]
    cert_path: str = ""
    key_path: str = ""
    ca_path: str = ""
    referent: str = ""
    timeout: int = 20


@transaction.atomic
def configure_operator(
    actor: AbstractBaseUser, clock: Clock, collectivity: Collectivity, fields: OperatorFields
) -> OperatorSettings:
    """Set how the collectivity reaches its operator (created or replaced)."""
    require_role(actor, collectivity, CLERKS)
    found = OperatorSettings.objects.filter(collectivity=collectivity).first()
    before = audit.snapshot(found)
    settings = found or OperatorSettings(collectivity=collectivity)
    for name, value in dataclasses.asdict(fields).items():
        setattr(settings, name, ", ".join(value) if name == "emails" else value)
    settings.updated_at = clock()
    settings.save()
    audit.record(actor, clock, collectivity, "transmission.settings", settings,
                 f"Opérateur de transmission réglé : {settings.url}",
                 before=before, after=audit.snapshot(settings))  # fmt: skip
    return settings


@transaction.atomic
def import_classification(
    actor: AbstractBaseUser, clock: Clock, collectivity: Collectivity, xml_bytes: bytes
) -> Classification:
    """Import the prefecture's classification (`RetourClassification`): it replaces
    the collectivity's, unless it is an older version."""
    require_role(actor, collectivity, CLERKS)
    try:
        parsed = actes.parse_classification(xml_bytes)
    except ActesError as exc:
        raise ServiceError(f"Classification refusée : {exc}") from None
    found = Classification.objects.filter(collectivity=collectivity).first()
    if found is not None and found.version > parsed.version:
        raise ServiceError(f"Cette classification (version du {parsed.version:%d/%m/%Y}) est plus "
                           f"ancienne que celle en place (version du {found.version:%d/%m/%Y}).")  # fmt: skip
    before = audit.snapshot(found)
    classification = found or Classification(collectivity=collectivity)
    classification.version, classification.imported_at = parsed.version, clock()
    classification.save()
    classification.matters.all().delete()
    ClassificationMatter.objects.bulk_create(
        ClassificationMatter(classification=classification, code=m.code, label=m.label[:500],
                             level=m.level, position=i)
        for i, m in enumerate(parsed.matters)
    )  # fmt: skip
    audit.record(actor, clock, collectivity, "transmission.classification", classification,
                 f"Classification de la préfecture importée (version du {parsed.version:%d/%m/%Y}, "
                 f"{len(parsed.matters)} matières)",
                 before=before, after=audit.snapshot(classification))  # fmt: skip
    return classification


def classification_of(collectivity: Collectivity) -> actes.Classification | None:
    """The collectivity's imported classification as `registre.actes` reads it
    (its matters; the natures are not kept), or None."""
    found = Classification.objects.filter(collectivity=collectivity).first()
    if found is None:
        return None
    matters = tuple(actes.Matter(m.code, m.label, m.level) for m in found.matters.all())
    return actes.Classification(found.version, (), matters)


def transmit(
    actor: AbstractBaseUser, clock: Clock, vote: ItemVote, *, pdf: bytes | None,
    policy: RetryPolicy | None = None,
) -> Transmission:  # fmt: skip
    """Send a closed, registered item to the prefecture through the collectivity's
    operator and keep the outcome. The act is the item's frozen record; its PDF is
    `pdf` (the signed extract) when given, else the published act's, else the
    extract rendered from the record. ServiceError (French, naming everything
    missing) when the package cannot be made; the operator's refusals and failures
    are kept in the outcome, not raised."""
    meeting = vote.item.meeting
    assert meeting is not None
    collectivity = meeting.collectivity
    require_role(actor, collectivity, CLERKS)
    if vote.register_sequence is None:
        raise ServiceError("Seul un point clos et inscrit au registre se transmet au préfet.")
    settings = OperatorSettings.objects.filter(collectivity=collectivity).first()
    if settings is None:
        raise ServiceError("Réglez d'abord l'opérateur de transmission de la collectivité "
                           "(adresse, certificat, département, arrondissement, nature).")  # fmt: skip
    number = item_number(vote.item)
    contents = _package(settings, meeting.assembly, vote.register_sequence, number, pdf, clock)
    result, events = _send(settings, contents, meeting.assembly, number, clock, policy)
    return _keep(actor, clock, vote, settings, result, events)


def _package(settings: OperatorSettings, assembly: Assembly, sequence: int, number: str,
             pdf: bytes | None, clock: Clock) -> PackageContents:  # fmt: skip
    """The item's package, read back as the operator will receive it."""
    record = with_departement(frozen_record(assembly, sequence), settings.departement)
    document = pdf if pdf is not None else _act_pdf(assembly, record, number)
    try:
        package = actes.package_for(
            record, number, _emitter(settings), pdf=document,
            built_on=timezone.localdate(clock()),
            classification=classification_of(settings.collectivity),
        )  # fmt: skip
        return actes.read_package(package.data)
    except ActesError as exc:
        raise ServiceError(str(exc)) from None


def with_departement(record: MeetingRecord, departement: str) -> MeetingRecord:
    """The record with the collectivity's département, which the act id needs and the
    frozen record does not carry (the operator settings give it)."""
    who = record.collectivity
    return dataclasses.replace(record, collectivity=dataclasses.replace(
        who, departement_code=who.departement_code or departement))  # fmt: skip


def _emitter(settings: OperatorSettings) -> Emitter:
    return Emitter(siren=settings.collectivity.siren, departement=settings.departement,
                   arrondissement=settings.arrondissement, nature=settings.nature,
                   emails=settings.email_list, referent_name=settings.referent or None)  # fmt: skip


def _act_pdf(assembly: Assembly, record: MeetingRecord, number: str) -> bytes:
    """The published act's PDF when it is published whole, else the extract rendered
    from the frozen record: the prefect's legality check reads the act as adopted,
    never the copy redacted for the public."""
    published = PublishedAct.objects.filter(assembly=assembly, number=number).first()
    redacted = Redaction.objects.filter(assembly=assembly, number=number).exists()
    if published is not None and published.pdf and not redacted:
        with published.pdf.open("rb") as stored:
            data: bytes = stored.read()
            return data
    return render_extract(record, number)


def operator_client(settings: OperatorSettings) -> actes.OperatorClient:
    """A client of the collectivity's operator; the key's passphrase comes from the
    environment, never from the database."""
    config = actes.OperatorConfig(
        settings.url, cert=Path(settings.cert_path) if settings.cert_path else None,
        key=Path(settings.key_path) if settings.key_path else None,
        ca=Path(settings.ca_path) if settings.ca_path else None,
        key_password=os.environ.get(KEY_PASSPHRASE_ENV) or None, timeout=float(settings.timeout),
    )  # fmt: skip
    try:
        return actes.OperatorClient(config)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        raise ServiceError(f"Certificat client ou clé de l'opérateur inutilisable ({exc}) : "
                           "vérifiez les réglages de la transmission.") from None  # fmt: skip


def _send(settings: OperatorSettings, contents: PackageContents, assembly: Assembly,
          number: str, clock: Clock, policy: RetryPolicy | None,
          ) -> tuple[SendResult, list[LifecycleEvent]]:  # fmt: skip
    """Send through the library on the application's register; the outcome and the
    item's events in the register afterwards."""
    client = operator_client(settings)
    chain = assembly_key(assembly)
    store = cast(Store, open_store())

    def local() -> dt.datetime:  # the events are dated in the collectivity's day, not UTC's
        return timezone.localtime(clock())

    try:
        result = actes.send(client, contents, store, chain, local, deliberation=number,
                            policy=policy or WEB_POLICY)  # fmt: skip
        events = [e for e in actes.register_events(store, chain) if e.deliberation == number]
    finally:
        store.close()  # type: ignore[attr-defined]
    return result, events


def _first(events: list[LifecycleEvent], kind: EventKind, act_id: str) -> LifecycleEvent | None:
    return next((e for e in events if e.kind is kind and e.act_id == act_id), None)


@transaction.atomic
def _keep(actor: AbstractBaseUser, clock: Clock, vote: ItemVote, settings: OperatorSettings,
          result: SendResult, events: list[LifecycleEvent]) -> Transmission:  # fmt: skip
    """Write the outcome (and, once acknowledged, the published act's prefecture
    fields), audited."""
    found = Transmission.objects.select_for_update().filter(vote=vote).first()
    before = audit.snapshot(found)
    row = found or Transmission(collectivity=settings.collectivity, vote=vote)
    sent = _first(events, EventKind.TRANSMITTED, result.act_id)
    acknowledged = _first(events, EventKind.ACKNOWLEDGED, result.act_id)
    row.act_id, row.status = result.act_id, TransmissionStatus(result.outcome.value)
    row.message = result.message
    row.transaction_url = (sent.url if sent and sent.url else "") or row.transaction_url
    row.sent_on = sent.on if sent else None
    row.acknowledged_on = acknowledged.on if acknowledged else None
    row.attempts, row.updated_at = row.attempts + 1, clock()
    row.save()
    if acknowledged is not None:
        _mark_published(vote, settings, result.act_id, events)
    audit.record(actor, clock, settings.collectivity, "transmission.send", row,
                 f"Transmission au préfet de {result.act_id} : {row.get_status_display()}"
                 + (f" ({result.message})" if result.message else ""),
                 before=before, after=audit.snapshot(row))  # fmt: skip
    return row


def _mark_published(vote: ItemVote, settings: OperatorSettings, act_id: str,
                    events: list[LifecycleEvent]) -> None:  # fmt: skip
    """Give the published act (if it is) its act id and SCDL's prefecture columns."""
    meeting = vote.item.meeting
    assert meeting is not None
    columns = actes.prefecture_columns(events, settings.departement)
    PublishedAct.objects.filter(assembly=meeting.assembly, number=item_number(vote.item)).update(
        transmitted_on=columns.pref_date, prefecture_id=columns.pref_id or "", act_id=act_id
    )
