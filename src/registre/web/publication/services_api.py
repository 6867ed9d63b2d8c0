"""Writes made through the public API by a clerk's integrations, and their tokens.

A token belongs to one collectivity and acts on it only (`TokenScopeError`
otherwise). Each write takes the acting token and a clock and leaves an audit
entry. The audit's actor is a user and a token is none: `audit.record` takes
None, so an entry written for a token has no actor and names the token (its id and
name) in its summary; the token's creation, made by a clerk, names the clerk."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename

from registre.errors import RegistreError
from registre.record import AssemblyKind, EventKind, LifecycleEvent, dumps, loads
from registre.web.clock import Clock
from registre.web.core import audit
from registre.web.core.models import Assembly, Collectivity, Role
from registre.web.core.services import ServiceError, require_role
from registre.web.publication.acts import MASK, redact
from registre.web.publication.models import ApiToken, PublishedAct, Redaction
from registre.web.publication.search import reindex
from registre.web.publication.services import render_extract

MANAGERS = {Role.ADMINISTRATOR, Role.CLERK}
REDACTED_FIELDS = ("subject", "statement", "operative_part")


class TokenScopeError(ServiceError):
    """Raised when a token acts on another collectivity than its own."""


class ActNotFoundError(ServiceError):
    """Raised when no act of the collectivity bears the number (in the assembly named)."""


class AmbiguousActError(ServiceError):
    """Raised when acts of several assemblies bear the number and none was named."""


@dataclass(frozen=True, slots=True)
class Marked:
    """A redaction mark written: the act it applied to (None when the act is not
    published yet: the mark applies at publication) and how many times the text was
    replaced in its subject, statement and operative part."""

    mark: Redaction
    act: PublishedAct | None
    replaced: int


def digest(clear: str) -> str:
    """What is stored of a token: the SHA-256 of its clear value, in hex."""
    return hashlib.sha256(clear.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def create_token(
    actor: AbstractBaseUser | None, clock: Clock, collectivity: Collectivity, name: str
) -> str:
    """A new token for an integration of the collectivity. The clear token is returned
    here once; only its digest is kept. `actor` is a clerk or an administrator of the
    collectivity (None: the operator)."""
    if actor is not None:
        require_role(actor, collectivity, MANAGERS)
    name = name.strip()
    if not name or len(name) > 100:
        raise ServiceError(
            "Nommez le jeton (100 caractères au plus) : l'intégration qui l'emploie."
        )
    clear = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(collectivity=collectivity, name=name, digest=digest(clear),
                                    created_at=clock())  # fmt: skip
    audit.record(actor, clock, collectivity, "api_token.create", token,
                 f"Jeton d'API « {name} » créé", after={"name": name})  # fmt: skip
    return clear


@transaction.atomic
def revoke_token(actor: AbstractBaseUser | None, clock: Clock, token: ApiToken) -> None:
    """Revoke the token: it is refused from now on."""
    if actor is not None:
        require_role(actor, token.collectivity, MANAGERS)
    if token.revoked_at is not None:
        raise ServiceError(f"Le jeton « {token.name} » est déjà révoqué.")
    token.revoked_at = clock()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, clock, token.collectivity, "api_token.revoke", token,
                 f"Jeton d'API « {token.name} » révoqué",
                 after={"revoked_at": token.revoked_at.isoformat()})  # fmt: skip


def authenticate(clear: str) -> ApiToken | None:
    """The live (not revoked) token of this clear value; None otherwise."""
    return (ApiToken.objects.select_related("collectivity")
            .filter(digest=digest(clear), revoked_at__isnull=True).first())  # fmt: skip


def one_act(acts: QuerySet[PublishedAct], number: str, assembly: str | None) -> PublishedAct:
    """The act of `acts` bearing the number (in the assembly of that kind, when
    named): ActNotFoundError, or AmbiguousActError when several assemblies have one."""
    if assembly:
        acts = acts.filter(assembly__kind=assembly)
    found = list(acts.filter(number=number).select_related("collectivity", "assembly")[:2])
    if not found:
        raise ActNotFoundError(f"Aucun acte publié ne porte le numéro « {number} » ici.")
    if len(found) > 1:
        raise AmbiguousActError(f"Plusieurs assemblées ont un acte n° « {number} » : "
                                "précisez l'assemblée (assemblee=…).")  # fmt: skip
    return found[0]


def _scope(token: ApiToken, siren: str) -> Collectivity:
    """The token's collectivity, when it is the one named."""
    if token.collectivity.siren != siren:
        raise TokenScopeError("Ce jeton n'agit que sur sa propre collectivité "
                              f"(SIREN {token.collectivity.siren}).")  # fmt: skip
    return token.collectivity


def _by(token: ApiToken) -> str:
    return f"par le jeton d'API n° {token.pk} « {token.name} »"


def withdraw_act(
    token: ApiToken, clock: Clock, siren: str, number: str, reason: str,
    *, assembly: str | None = None,
) -> PublishedAct:  # fmt: skip
    """Withdraw a published act: it leaves the portal, the feed, the exports and the
    API. An act of the register gets a `withdrawn` event in it (the register keeps
    the act; the event says it no longer stands)."""
    collectivity = _scope(token, siren)
    reason = reason.strip()
    if not reason:
        raise ServiceError("Indiquez le motif du retrait.")
    act = one_act(PublishedAct.objects.filter(collectivity=collectivity), number, assembly)
    if act.withdrawn_at is not None:
        raise ServiceError(f"L'acte n° {number} est déjà retiré.")
    now = clock()
    if act.register_sequence is not None:
        from registre.web.live.register import append_event_to_register  # noqa: PLC0415

        event = LifecycleEvent(kind=EventKind.WITHDRAWN, on=timezone.localdate(now),
                               deliberation=number, reason=reason)  # fmt: skip
        append_event_to_register(act.assembly, event, clock)
    with transaction.atomic():
        # only if still standing: a concurrent withdrawal may have come first
        kept = PublishedAct.objects.filter(pk=act.pk, withdrawn_at__isnull=True)
        if not kept.update(withdrawn_at=now, withdrawn_reason=reason[:500]):
            raise ServiceError(f"L'acte n° {number} est déjà retiré.")
        act.withdrawn_at, act.withdrawn_reason = now, reason[:500]
        audit.record(None, clock, collectivity, "act.withdraw", act,
                     f"Acte n° {number} retiré {_by(token)} : {reason}",
                     before={"withdrawn_at": None},
                     after={"withdrawn_at": now.isoformat(), "withdrawn_reason": reason[:500]})  # fmt: skip
    return act


def mark_redaction(
    token: ApiToken, clock: Clock, siren: str, number: str, text: str,
    *, assembly: str | None = None,
) -> Marked:  # fmt: skip
    """Mark a text (a private person's name) for redaction in an act: the mark is kept
    (a later publication applies it) and, when the act is published, the text is
    replaced by the mask in its stored fields, its record and its PDF."""
    collectivity = _scope(token, siren)
    text = text.strip()
    if len(text) < 2:
        raise ServiceError("Le texte à occulter compte au moins deux caractères.")
    with transaction.atomic():
        # the act is read again under a lock: two marks at once both reach its text
        acts = PublishedAct.objects.select_for_update(of=("self",))
        try:
            act: PublishedAct | None = one_act(acts.filter(collectivity=collectivity), number,
                                               assembly)  # fmt: skip
        except ActNotFoundError:
            act = None
        body = act.assembly if act is not None else _assembly(collectivity, assembly)
        mark, _ = Redaction.objects.get_or_create(
            assembly=body, number=number, text=text,
            defaults={"collectivity": collectivity, "marked_at": clock()},
        )  # fmt: skip
        replaced = _apply(act, text) if act is not None else 0
        # the text itself stays out of the journal, which clerks and readers see
        audit.record(None, clock, collectivity, "act.redact", mark,
                     f"Texte occulté dans l'acte n° {number} {_by(token)} "
                     f"({replaced} remplacement(s))", after={"redaction": mark.pk})  # fmt: skip
    return Marked(mark, act, replaced)


def _assembly(collectivity: Collectivity, kind: str | None) -> Assembly:
    """The collectivity's assembly of that kind (the council when none is named)."""
    found = collectivity.assemblies.filter(kind=kind or AssemblyKind.CONSEIL.value)
    assembly = found.order_by("pk").first()
    if assembly is None:
        raise ActNotFoundError("Cette collectivité n'a pas d'assemblée de ce type.")
    return assembly


def _apply(act: PublishedAct, text: str) -> int:
    """Replace the text by the mask in the act's row, record, search index and PDF."""
    replaced = sum(getattr(act, name).count(text) for name in REDACTED_FIELDS)
    for name in REDACTED_FIELDS:
        setattr(act, name, getattr(act, name).replace(text, MASK))
    record = redact(loads(act.record_json), [text])
    act.record_json = dumps(record)
    if act.pdf:
        _replace_pdf(act, record)
    act.save()
    _reindex(act)
    return replaced


def _replace_pdf(act: PublishedAct, record: object) -> None:
    """The PDF still holds the text (a signed document cannot be edited): it is
    replaced by the extract rendered from the redacted record, as publication does
    when something is redacted; when it cannot be rendered, it is taken down."""
    old = act.pdf.name
    try:
        pdf: bytes | None = render_extract(record, act.number)  # type: ignore[arg-type]
    except RegistreError:
        pdf = None
    act.pdf_sha256 = hashlib.sha256(pdf).hexdigest() if pdf is not None else ""
    if pdf is not None:
        name = get_valid_filename(f"{act.collectivity.siren}-{act.number}.pdf")
        act.pdf.save(name, ContentFile(pdf), save=False)
    else:
        act.pdf = ""
    storage = act.pdf.storage
    transaction.on_commit(lambda: storage.delete(old))


def _reindex(act: PublishedAct) -> None:
    """The search index forgets the text too."""
    reindex([act])
