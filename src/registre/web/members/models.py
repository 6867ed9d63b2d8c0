"""Elected members and their mandates. Who is in office on a date is derived from
the mandates, never typed."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q, QuerySet

from registre.record import Civility as RecordCivility
from registre.web.core.models import Assembly, Collectivity


class Civility(models.TextChoices):
    """How documents address a member."""

    MADAME = "Mme", "Madame"
    MONSIEUR = "M.", "Monsieur"


# the record's civility for each stored one: one mapping for every place a member
# becomes part of a record (convocations, the live meeting, the demo)
RECORD_CIVILITY = {"Mme": RecordCivility.MADAME,
                   "M.": RecordCivility.MONSIEUR}  # fmt: skip
STORED_CIVILITY = {record: stored for stored, record in RECORD_CIVILITY.items()}


class Member(models.Model):
    """A person who holds or held a seat in one of the collectivity's assemblies."""

    collectivity = models.ForeignKey(Collectivity, on_delete=models.PROTECT, related_name="members")
    civility = models.CharField("civilité", max_length=4, choices=Civility.choices, blank=True)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("courriel", blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)

    class Meta:
        verbose_name = "élu"
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["collectivity", "last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def full_name(self) -> str:
        """Civility, first name and name, as documents print them."""
        return " ".join(p for p in (self.civility, self.first_name, self.last_name.upper()) if p)


class MandateQuerySet(QuerySet["Mandate"]):
    """Mandates, with the in-office filter every list uses."""

    def in_office(self, on: dt.date) -> MandateQuerySet:
        """Mandates running on a date (begun, not ended)."""
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


class Mandate(models.Model):
    """A member's seat in an assembly, from `start` to `end` (inclusive); a substitute's
    mandate names the titular it stands in for (L5211-6)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="mandates")
    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="mandates")
    start = models.DateField("début du mandat")
    end = models.DateField("fin du mandat", null=True, blank=True)
    end_reason = models.CharField("motif de fin", max_length=200, blank=True)
    role = models.CharField("qualité", max_length=100, blank=True)
    substitute_for = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="substitutes",
        verbose_name="suppléant de",
    )  # fmt: skip
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="remplace le mandat",
    )  # fmt: skip

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = "mandat"
        ordering = ["assembly", "member__last_name", "member__first_name"]
        indexes = [models.Index(fields=["assembly", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="mandate_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.assembly}"

    @property
    def is_substitute(self) -> bool:
        """Whether this mandate is a substitute's (suppléant)."""
        return self.substitute_for_id is not None


def members_in_office(assembly: Assembly, on: dt.date) -> list[Mandate]:
    """The titular mandates of an assembly running on a date (substitutes apart):
    the members in office, the base of the quorum."""
    return list(
        Mandate.objects.in_office(on)
        .filter(assembly=assembly, substitute_for__isnull=True)
        .select_related("member")
    )


class MunicipalCouncillor(models.Model):
    """A municipal councillor of a member commune of an EPCI, who receives a copy of
    its convocations (L5211-40-2)."""

    epci = models.ForeignKey(Collectivity, on_delete=models.CASCADE, related_name="councillors")
    commune = models.CharField("commune", max_length=200)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("courriel")

    class Meta:
        verbose_name = "conseiller municipal d'une commune membre"
        ordering = ["commune", "last_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name.upper()} ({self.commune})"
