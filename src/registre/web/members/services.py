"""Writes on members and mandates: add, import from CSV, end, replace; each with the
acting user and a clock, each in one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from registre.web.clock import Clock
from registre.web.core import audit
from registre.web.core.models import Assembly, AuditEntry, Collectivity, Role
from registre.web.core.services import ServiceError, require_role
from registre.web.members.csvimport import ImportReport, MemberRow, parse_members_csv
from registre.web.members.models import Mandate, Member, MunicipalCouncillor

MANAGERS = {Role.ADMINISTRATOR, Role.CLERK}
# The largest assemblies seat a few hundred members; 10,000 lines leave room for
# every councillor of an EPCI's communes while refusing a wrong file at once.
MAX_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class NewMember:
    """What the clerk types to add a member (a form's cleaned data)."""

    first_name: str
    last_name: str
    civility: str = ""
    email: str = ""
    birth_date: dt.date | None = None
    start: dt.date | None = None
    role: str = ""
    substitute_for: Member | None = None
    end: dt.date | None = None  # an imported mandate may have ended already


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import created, and the lines it refused (line, French reason)."""

    created: int
    rejected: tuple[tuple[int, str], ...]
    encoding: str


def _same_person(collectivity: Collectivity, new: NewMember) -> Member | None:
    return Member.objects.filter(
        collectivity=collectivity, first_name__iexact=new.first_name,
        last_name__iexact=new.last_name, birth_date=new.birth_date,
    ).first()  # fmt: skip


@transaction.atomic
def add_member(
    actor: AbstractBaseUser, clock: Clock, assembly: Assembly, new: NewMember
) -> Mandate:
    """A member and their mandate in the assembly from `new.start` (today if none)."""
    collectivity = assembly.collectivity
    require_role(actor, collectivity, MANAGERS)
    if _same_person(collectivity, new) is not None:
        raise ServiceError(f"{new.first_name} {new.last_name} figure déjà parmi les élus : "
                           "modifiez sa fiche plutôt que d'en créer une seconde.")  # fmt: skip
    if new.substitute_for is not None and not collectivity.kind_enum.is_epci:
        raise ServiceError("Les suppléants n'existent que dans les communautés (L5211-6).")
    member = Member.objects.create(
        collectivity=collectivity, civility=new.civility, first_name=new.first_name,
        last_name=new.last_name, email=new.email, birth_date=new.birth_date,
    )  # fmt: skip
    mandate = Mandate.objects.create(
        member=member, assembly=assembly, start=new.start or timezone.localdate(clock()), role=new.role,
        substitute_for=new.substitute_for,
    )  # fmt: skip
    audit.record(actor, clock, collectivity, "member.add", member, f"Ajout de l'élu {member}",
                 after={**(audit.snapshot(member) or {}), "mandate_start": mandate.start.isoformat()})  # fmt: skip
    return mandate


@transaction.atomic
def end_mandate(
    actor: AbstractBaseUser, clock: Clock, mandate: Mandate, end: dt.date, reason: str
) -> Mandate:
    """End a running mandate on `end` (inclusive)."""
    collectivity = mandate.assembly.collectivity
    require_role(actor, collectivity, MANAGERS)
    if mandate.end is not None:
        raise ServiceError(f"Ce mandat a déjà pris fin le {mandate.end:%d/%m/%Y}.")
    if end < mandate.start:
        raise ServiceError(f"La fin ({end:%d/%m/%Y}) précède le début du mandat "
                           f"({mandate.start:%d/%m/%Y}).")  # fmt: skip
    before = audit.snapshot(mandate)
    mandate.end, mandate.end_reason = end, reason
    mandate.save(update_fields=["end", "end_reason"])
    audit.record(actor, clock, collectivity, "mandate.end", mandate,
                 f"Fin du mandat de {mandate.member} le {end:%d/%m/%Y}",
                 before=before, after=audit.snapshot(mandate))  # fmt: skip
    return mandate


@transaction.atomic
def replace_member(
    actor: AbstractBaseUser, clock: Clock, mandate: Mandate, end: dt.date, reason: str,
    successor: NewMember,
) -> Mandate:  # fmt: skip
    """End a mandate and seat the successor from the next day (same assembly, role)."""
    end_mandate(actor, clock, mandate, end, reason)
    start = end + dt.timedelta(days=1)
    new = add_member(actor, clock, mandate.assembly, _with_start(successor, start, mandate))
    new.replaces = mandate
    new.save(update_fields=["replaces"])
    return new


def _with_start(new: NewMember, start: dt.date, mandate: Mandate) -> NewMember:
    return NewMember(
        first_name=new.first_name, last_name=new.last_name, civility=new.civility,
        email=new.email, birth_date=new.birth_date, start=start,
        role=new.role or mandate.role, substitute_for=mandate.substitute_for,
    )  # fmt: skip


@transaction.atomic
def import_members(
    actor: AbstractBaseUser, clock: Clock, assembly: Assembly, data: bytes, filename: str
) -> ImportResult:
    """Members from a CSV file: the valid lines are added (in bulk: a 10 MB file has
    100,000 lines), the others reported; a file refused as a whole
    (CsvImportError) adds nothing."""
    collectivity = assembly.collectivity
    require_role(actor, collectivity, MANAGERS)
    report: ImportReport = parse_members_csv(data, filename)
    lines = len(report.rows) + len(report.rejected)
    if lines > MAX_ROWS:
        raise ServiceError(f"{filename} : {lines} lignes, plus que les {MAX_ROWS} élus qu'un "
                           "import admet ; vérifiez qu'il s'agit bien de la liste des élus, "
                           "ou scindez-le.")  # fmt: skip
    rejected = [(r.line, r.reason) for r in report.rejected]
    known = {_key(m.first_name, m.last_name, m.birth_date) for m in collectivity.members.all()}
    # titulars first, so that a substitute may name a titular of the same file
    titulars = [r for r in report.rows if not r.substitute_of]
    created = _import_rows(actor, clock, assembly, titulars, {}, known, rejected, filename)
    substitutes = [r for r in report.rows if r.substitute_of]
    if substitutes and not collectivity.kind_enum.is_epci:
        rejected.extend((r.line, f"ligne {r.line} : les suppléants n'existent que dans les "
                                 "communautés (L5211-6)") for r in substitutes)  # fmt: skip
    elif substitutes:
        by_name = {f"{m.first_name} {m.last_name}".casefold(): m
                   for m in collectivity.members.all()}  # fmt: skip
        created += _import_rows(actor, clock, assembly, substitutes, by_name, known, rejected,
                                filename)  # fmt: skip
    return ImportResult(created, tuple(sorted(rejected)), report.encoding)


def _import_rows(
    actor: AbstractBaseUser, clock: Clock, assembly: Assembly, rows: list[MemberRow],
    titulars: dict[str, Member], known: set[tuple[str, str, dt.date | None]],
    rejected: list[tuple[int, str]], filename: str,
) -> int:  # fmt: skip
    accepted: list[NewMember] = []
    for row in rows:
        new = _from_row(row, titulars)
        if isinstance(new, str):
            rejected.append((row.line, new))
        elif _key(new.first_name, new.last_name, new.birth_date) in known:
            rejected.append((row.line, f"ligne {row.line} : {new.first_name} {new.last_name} "
                                       "figure déjà parmi les élus"))  # fmt: skip
        else:
            known.add(_key(new.first_name, new.last_name, new.birth_date))
            accepted.append(new)
    _bulk_add(actor, clock, assembly, accepted, filename)
    return len(accepted)


def _key(first: str, last: str, born: dt.date | None) -> tuple[str, str, dt.date | None]:
    return first.casefold(), last.casefold(), born


def _bulk_add(
    actor: AbstractBaseUser, clock: Clock, assembly: Assembly, accepted: list[NewMember],
    filename: str,
) -> None:  # fmt: skip
    collectivity, today = assembly.collectivity, timezone.localdate(clock())
    members = Member.objects.bulk_create(
        Member(collectivity=collectivity, civility=n.civility, first_name=n.first_name,
               last_name=n.last_name, email=n.email, birth_date=n.birth_date)
        for n in accepted
    )  # fmt: skip
    Mandate.objects.bulk_create(
        Mandate(member=m, assembly=assembly, start=n.start or today, role=n.role,
                substitute_for=n.substitute_for, end=n.end,
                end_reason="fin du mandat indiquée à l'import" if n.end else "")
        for m, n in zip(members, accepted, strict=True)
    )  # fmt: skip
    AuditEntry.objects.bulk_create(
        AuditEntry(collectivity=collectivity, actor=actor, at=clock(), action="member.import",
                   object_type="members.member", object_id=str(m.pk),
                   summary=f"Import de l'élu {m} ({filename})", after=audit.snapshot(m))
        for m in members
    )  # fmt: skip


def _from_row(row: MemberRow, titulars: dict[str, Member]) -> NewMember | str:
    if row.mandate_end and not row.mandate_start:
        return (f"ligne {row.line} : la fin du mandat est donnée sans son début ; "
                "ajoutez la date de début du mandat")  # fmt: skip
    titular = None
    if row.substitute_of:
        titular = titulars.get(" ".join(row.substitute_of.split()).casefold())
        if titular is None:
            return (f"ligne {row.line} : le titulaire « {row.substitute_of} » est inconnu ; "
                    "importez les titulaires d'abord")  # fmt: skip
    return NewMember(
        first_name=row.first_name, last_name=row.last_name,
        civility=row.civility.value if row.civility else "", email=row.email,
        birth_date=row.birth_date, start=row.mandate_start, role=row.role,
        substitute_for=titular, end=row.mandate_end,
    )  # fmt: skip


@transaction.atomic
def add_councillor(
    actor: AbstractBaseUser, clock: Clock, epci: Collectivity, *, commune: str,
    first_name: str, last_name: str, email: str,
) -> MunicipalCouncillor:  # fmt: skip
    """A municipal councillor of a member commune, who gets copies (L5211-40-2)."""
    require_role(actor, epci, MANAGERS)
    if not epci.kind_enum.is_epci:
        raise ServiceError("Seul un EPCI adresse des copies aux conseillers municipaux.")
    councillor = MunicipalCouncillor.objects.create(
        epci=epci, commune=commune, first_name=first_name, last_name=last_name, email=email
    )
    audit.record(actor, clock, epci, "councillor.add", councillor,
                 f"Ajout de {councillor} aux destinataires des copies",
                 after=audit.snapshot(councillor))  # fmt: skip
    return councillor
