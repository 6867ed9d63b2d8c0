"""Writes on collectivities, assemblies and roles: the only write path, each with
the acting user and a clock, each leaving an audit entry."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from registre.errors import RegistreError
from registre.record import AssemblyKind, CollectivityKind
from registre.web.clock import Clock
from registre.web.core import audit
from registre.web.core.models import (
    ASSEMBLY_LABELS,
    Assembly,
    Collectivity,
    Membership,
    Role,
)


class ServiceError(RegistreError):
    """Raised when a write is refused: the message (French) says why and what to do."""


def require_role(actor: AbstractBaseUser, collectivity: Collectivity, roles: set[Role]) -> Role:
    """The actor's role in the collectivity; ServiceError when it is not one of `roles`."""
    membership = Membership.objects.filter(user_id=actor.pk, collectivity=collectivity).first()
    if membership is None or Role(membership.role) not in roles:
        raise ServiceError("Votre rôle dans cette collectivité ne permet pas cette action.")
    return Role(membership.role)


@transaction.atomic
def create_collectivity(
    actor: AbstractBaseUser | None, clock: Clock, *, name: str, kind: CollectivityKind,
    siren: str, population: int | None = None, assemblies: tuple[AssemblyKind, ...] = (),
) -> Collectivity:  # fmt: skip
    """A collectivity with its assemblies (the council at least)."""
    if Collectivity.objects.filter(siren=siren).exists():
        raise ServiceError(f"Une collectivité de SIREN {siren} existe déjà.")
    collectivity = Collectivity.objects.create(
        name=name, kind=kind.value, siren=siren, population=population
    )
    audit.record(actor, clock, collectivity, "collectivity.create", collectivity,
                 f"Création de la collectivité {name}", after=audit.snapshot(collectivity))  # fmt: skip
    for kind_ in assemblies or (AssemblyKind.CONSEIL,):
        create_assembly(actor, clock, collectivity, kind_)
    return collectivity


def create_assembly(
    actor: AbstractBaseUser | None, clock: Clock, collectivity: Collectivity,
    kind: AssemblyKind, name: str | None = None,
) -> Assembly:  # fmt: skip
    """An assembly of the collectivity (conseil, bureau, commission permanente…)."""
    assembly = Assembly.objects.create(
        collectivity=collectivity, kind=kind.value,
        name=name or f"{ASSEMBLY_LABELS[kind]} — {collectivity.name}",
    )  # fmt: skip
    audit.record(actor, clock, collectivity, "assembly.create", assembly,
                 f"Création de l'assemblée {assembly.name}", after=audit.snapshot(assembly))  # fmt: skip
    return assembly


@transaction.atomic
def grant_role(
    actor: AbstractBaseUser | None, clock: Clock, collectivity: Collectivity, *,
    username: str, role: Role, password: str | None = None, email: str = "",
    member_id: int | None = None,
) -> Membership:  # fmt: skip
    """Give a user (created when new) a role in the collectivity."""
    users = get_user_model()
    user = users.objects.filter(username=username).first()
    if user is None:
        user = users.objects.create_user(username=username, password=password, email=email)
    membership, _ = Membership.objects.update_or_create(
        user=user, collectivity=collectivity,
        defaults={"role": role.value, "member_id": member_id},
    )  # fmt: skip
    audit.record(actor, clock, collectivity, "membership.grant", membership,
                 f"Rôle {role.label} donné à {username}", after=audit.snapshot(membership))  # fmt: skip
    return membership
