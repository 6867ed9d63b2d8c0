"""A published act: what the portal, the feed, the exports and the API may show.

Only what was published is here, already redacted: an act never published, or
withdrawn (`withdrawn_at`), is not `visible()`; the names the clerk marked for
redaction were replaced before the row was written, so no reader of this table can
leak them."""

from __future__ import annotations

from django.db import models

from registre.web.core.models import Assembly, Collectivity


class Source(models.TextChoices):
    """Where the act comes from."""

    REGISTER = "register", "Registre de registre"
    DOCUMENTS = "documents", "Lu dans un document publié"


class PublishedQuerySet(models.QuerySet["PublishedAct"]):
    """Published acts."""

    def visible(self) -> PublishedQuerySet:
        """The acts the public may see: published and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class PublishedAct(models.Model):
    """One deliberation as published: its text (redacted), its vote, its attendance
    counts, its signed PDF with the publication mentions, and its record (JSON)."""

    # no index of their own: the indexes below begin with each (migration 0007)
    collectivity = models.ForeignKey(
        Collectivity, on_delete=models.PROTECT, related_name="acts", db_index=False
    )
    assembly = models.ForeignKey(
        Assembly, on_delete=models.PROTECT, related_name="acts", db_index=False
    )
    meeting_date = models.DateField("date de la séance")
    number = models.CharField("numéro", max_length=60)
    act_id = models.CharField("identifiant @CTES", max_length=60, blank=True)
    subject = models.TextField("objet")
    statement = models.TextField("exposé", blank=True)
    operative_part = models.TextField("dispositif", blank=True)
    matter_code = models.CharField("matière (code)", max_length=10, blank=True)
    matter_label = models.CharField("matière", max_length=300, blank=True)
    matter_inferred = models.BooleanField(default=False)
    outcome = models.CharField("résultat", max_length=20, blank=True)
    votes_for = models.PositiveIntegerField(null=True)
    against = models.PositiveIntegerField(null=True)
    abstention = models.PositiveIntegerField(null=True)
    not_voting = models.PositiveIntegerField(null=True)
    members_in_office = models.PositiveIntegerField(null=True)
    present = models.PositiveIntegerField(null=True)
    represented = models.PositiveIntegerField(null=True)
    in_camera = models.BooleanField(default=False)
    record_json = models.TextField("enregistrement (JSON, occulté)")
    findings_json = models.TextField("constats des règles (JSON)", default="[]")
    pdf = models.FileField(upload_to="actes/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    author = models.CharField("auteur (prénom, nom, qualité)", max_length=300, blank=True)
    # unknown for an act read from a document that does not print it
    published_on = models.DateField("date de publication", null=True, blank=True)
    published_at = models.DateTimeField("entré sur le portail le")
    register_sequence = models.PositiveIntegerField(null=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.REGISTER)
    transmitted_on = models.DateField("transmis au préfet le", null=True, blank=True)
    prefecture_id = models.CharField(max_length=9, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)
    # the words the search reads, accents and case folded, French-stemmed
    search_text = models.TextField(blank=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = "acte publié"
        verbose_name_plural = "actes publiés"
        ordering = ["-meeting_date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "number"], name="one_act_per_number"),
        ]
        indexes = [
            models.Index(fields=["collectivity", "-meeting_date"]),
            models.Index(fields=["assembly", "-meeting_date"]),
            models.Index(fields=["matter_code"]),
            models.Index(fields=["-meeting_date", "-number"], name="act_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.subject[:80]}"

    @property
    def year(self) -> int:
        """The year of the meeting."""
        return self.meeting_date.year


class Redaction(models.Model):
    """A text the clerk marked for redaction in an act (a private person's name):
    replaced before publication everywhere the act is shown."""

    collectivity = models.ForeignKey(Collectivity, on_delete=models.PROTECT, related_name="+")
    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=60)
    text = models.CharField(max_length=300)
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "number", "text"], name="one_mark_per_text"
            ),
        ]


class ApiToken(models.Model):
    """A token for a clerk's integration to write through the API (hashed)."""

    collectivity = models.ForeignKey(Collectivity, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)


class MeetingDocumentKind(models.TextChoices):
    """The documents of a meeting that are published beside its acts."""

    LIST = "deliberation_list", "Liste des délibérations (L2121-25)"
    MINUTES = "minutes", "Procès-verbal (L2121-15)"


class PublishedDocument(models.Model):
    """A meeting's list of deliberations or its minutes, as published."""

    collectivity = models.ForeignKey(Collectivity, on_delete=models.PROTECT, related_name="+")
    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="+")
    meeting_date = models.DateField()
    kind = models.CharField(max_length=30, choices=MeetingDocumentKind.choices)
    pdf = models.FileField(upload_to="seances/%Y/")
    pdf_sha256 = models.CharField(max_length=64)
    published_on = models.DateField()
    published_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assembly", "meeting_date", "kind"],
                                    name="one_document_per_meeting"),
        ]  # fmt: skip
