"""Meetings, their agendas of draft deliberations, the executive's decisions under
delegation reported at them, and the convocations sent for them."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db import models

from registre.web.core.models import Assembly, Collectivity
from registre.web.members.models import Member


class MeetingMode(models.TextChoices):
    """Where the members sit."""

    IN_PERSON = "in_person", "En présentiel"
    VIDEOCONFERENCE = "videoconference", "En visioconférence"


class Meeting(models.Model):
    """One sitting of an assembly."""

    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField("date")
    time = models.TimeField("heure")
    place = models.CharField("lieu", max_length=300)
    mode = models.CharField(
        "modalité", max_length=20, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    urgency = models.BooleanField("urgence (délai réduit à un jour franc)", default=False)
    second_convocation = models.BooleanField(
        "seconde convocation après défaut de quorum (L2121-17)", default=False
    )
    first_meeting = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="séance sans quorum",
    )  # fmt: skip

    class Meta:
        verbose_name = "séance"
        ordering = ["-date", "-time"]
        indexes = [models.Index(fields=["assembly", "date"])]

    def __str__(self) -> str:
        return f"{self.assembly} du {self.date:%d/%m/%Y}"

    @property
    def collectivity(self) -> Collectivity:
        """The collectivity the meeting belongs to."""
        return self.assembly.collectivity


class DraftStatus(models.TextChoices):
    """The validation circuit of a draft: drafter -> clerk -> validated."""

    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumis au greffe"
    VALIDATED = "validated", "Validé"


class AgendaItem(models.Model):
    """A draft deliberation (projet de délibération), placed on a meeting's agenda
    at `position` once validated."""

    collectivity = models.ForeignKey(
        Collectivity, on_delete=models.PROTECT, related_name="agenda_items"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    position = models.PositiveIntegerField("rang", null=True, blank=True)
    heading = models.CharField("rubrique", max_length=300, blank=True)
    subject = models.CharField("objet", max_length=1000)
    matter_code = models.CharField("matière (@CTES)", max_length=10, blank=True)
    rapporteur = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="rapporteur",
    )  # fmt: skip
    statement = models.TextField("exposé des motifs", blank=True)
    operative_part = models.TextField("dispositif", blank=True)
    status = models.CharField(
        "état", max_length=20, choices=DraftStatus.choices, default=DraftStatus.DRAFT
    )
    version = models.PositiveIntegerField("version", default=1)
    carried_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="reporté faute de quorum depuis",
    )  # fmt: skip

    class Meta:
        verbose_name = "projet de délibération"
        verbose_name_plural = "projets de délibération"
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="one_item_per_rank",
                condition=models.Q(meeting__isnull=False),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.subject


class ItemRevision(models.Model):
    """One saved state of a draft: the history of every change."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=DraftStatus.choices)
    content = models.JSONField()

    class Meta:
        ordering = ["item", "-version"]


class Attachment(models.Model):
    """A file annexed to a draft (annexe)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField("nom", max_length=200)
    file = models.FileField(upload_to="annexes/%Y/")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.name


class DelegatedDecision(models.Model):
    """A decision taken by the executive under delegation (L2122-22), reported at
    the next meeting of the council (L2122-23)."""

    collectivity = models.ForeignKey(
        Collectivity, on_delete=models.PROTECT, related_name="delegated_decisions"
    )
    number = models.CharField("numéro", max_length=40)
    taken_on = models.DateField("date de la décision")
    subject = models.CharField("objet", max_length=1000)
    reported_at = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="reported_decisions",
        verbose_name="rendue compte à la séance",
    )  # fmt: skip

    class Meta:
        verbose_name = "décision prise par délégation"
        ordering = ["-taken_on", "number"]

    def __str__(self) -> str:
        return f"{self.number} — {self.subject}"


class RecipientKind(StrEnum):
    """Who a convocation goes to."""

    MEMBER = "member"
    COMMUNE_COUNCILLOR = "councillor"


RECIPIENT_LABELS = {
    RecipientKind.MEMBER: "Élu",
    RecipientKind.COMMUNE_COUNCILLOR: "Conseiller municipal d'une commune membre (copie)",
}


class Convocation(models.Model):
    """One convocation sent for a meeting, with its proof (message id, time)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="convocations")
    kind = models.CharField(max_length=20, choices=list(RECIPIENT_LABELS.items()))
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="convocations"
    )
    name = models.CharField("destinataire", max_length=250)
    email = models.EmailField("courriel")
    sent_at = models.DateTimeField("envoyée le")
    message_id = models.CharField("identifiant du message", max_length=250)
    document_sha256 = models.CharField("empreinte de la convocation", max_length=64)
    late = models.BooleanField("envoyée hors délai", default=False)

    class Meta:
        verbose_name = "convocation"
        ordering = ["meeting", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
