"""Collectivities, their assemblies, who may act on them, and the audit log.

These are the tenancy's roots: every other model reaches a `Collectivity`, and
every view reaches data only through the collectivity of the user's `Membership`.
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from registre.record import AssemblyKind, CollectivityKind

KIND_LABELS = {
    CollectivityKind.COMMUNE: "Commune",
    CollectivityKind.COMMUNAUTE_DE_COMMUNES: "Communauté de communes",
    CollectivityKind.COMMUNAUTE_D_AGGLOMERATION: "Communauté d'agglomération",
    CollectivityKind.COMMUNAUTE_URBAINE: "Communauté urbaine",
    CollectivityKind.METROPOLE: "Métropole",
    CollectivityKind.SYNDICAT: "Syndicat",
    CollectivityKind.DEPARTEMENT: "Département",
    CollectivityKind.REGION: "Région",
}
ASSEMBLY_LABELS = {
    AssemblyKind.CONSEIL: "Conseil",
    AssemblyKind.BUREAU: "Bureau",
    AssemblyKind.COMMISSION_PERMANENTE: "Commission permanente",
    AssemblyKind.COMITE_SYNDICAL: "Comité syndical",
}


class Role(StrEnum):
    """What a user may do in a collectivity."""

    ADMINISTRATOR = "administrator"
    CLERK = "clerk"
    DRAFTER = "drafter"
    MEMBER = "member"
    READER = "reader"

    @property
    def label(self) -> str:
        """The role's name in French."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMINISTRATOR: "Administrateur",
    Role.CLERK: "Greffe",
    Role.DRAFTER: "Rédacteur",
    Role.MEMBER: "Élu",
    Role.READER: "Lecteur",
}


class Collectivity(models.Model):
    """A public body (commune, EPCI, département, région), identified by its SIREN."""

    name = models.CharField("nom", max_length=200)
    kind = models.CharField(
        "nature", max_length=40, choices=[(k.value, v) for k, v in KIND_LABELS.items()]
    )
    siren = models.CharField(
        "SIREN",
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^\d{9}$", "Le SIREN compte 9 chiffres.")],
    )
    # the seat's SIRET, which open data (SCDL COLL_SIRET) names the collectivity by
    siret = models.CharField(
        "SIRET du siège", max_length=14, blank=True,
        validators=[RegexValidator(r"^\d{14}$", "Le SIRET compte 14 chiffres.")],
    )  # fmt: skip
    population = models.PositiveIntegerField("population municipale", null=True, blank=True)
    departement_code = models.CharField("département", max_length=3, blank=True)
    member_communes = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="epcis",
        verbose_name="communes membres",
    )  # fmt: skip

    class Meta:
        verbose_name = "collectivité"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_enum(self) -> CollectivityKind:
        """The kind as the record's enum."""
        return CollectivityKind(self.kind)


class Assembly(models.Model):
    """A body that votes: the council, its bureau, a permanent commission."""

    collectivity = models.ForeignKey(
        Collectivity, on_delete=models.PROTECT, related_name="assemblies"
    )
    kind = models.CharField(
        "organe", max_length=30, choices=[(k.value, v) for k, v in ASSEMBLY_LABELS.items()]
    )
    name = models.CharField("nom", max_length=200)

    class Meta:
        verbose_name = "assemblée"
        ordering = ["collectivity", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one collectivity; an elected member's user is linked to their
    `Member`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    collectivity = models.ForeignKey(
        Collectivity, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=20, choices=[(r.value, r.label) for r in Role])
    member = models.ForeignKey(
        "members.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "habilitation"
        constraints = [
            models.UniqueConstraint(fields=["user", "collectivity"], name="one_role_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.collectivity})"


class AuditEntry(models.Model):
    """Who did what, when, to which object, with the values before and after.
    Written only by `registre.web.core.audit.record`, never changed."""

    collectivity = models.ForeignKey(
        Collectivity, on_delete=models.PROTECT, null=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField("date")
    action = models.CharField("action", max_length=60)
    object_type = models.CharField("objet", max_length=60)
    object_id = models.CharField("identifiant", max_length=40)
    summary = models.CharField("résumé", max_length=300)
    before = models.JSONField("avant", null=True)
    after = models.JSONField("après", null=True)

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["collectivity", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.summary}"
