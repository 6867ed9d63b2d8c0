"""What the application keeps about the transmission to the prefecture: how each
collectivity reaches its operator, the prefecture's classification it imported,
and the last outcome of each registered item's transmission.

The register stays the truth about what was transmitted and acknowledged (its
`transmitted` and `acknowledged` events); `Transmission` is the clerk's view of
the last attempt (the operator's message, the transaction), written only by
`registre.web.transmission.services`.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from registre.web.core.models import Collectivity
from registre.web.live.models import ItemVote


class OperatorSettings(models.Model):
    """How a collectivity reaches its @CTES operator and how the envelope names it.

    The client key's passphrase is never stored: it is read from the environment
    (`REGISTRE_OPERATOR_KEY_PASSPHRASE`) when an act is sent.
    """

    collectivity = models.OneToOneField(
        Collectivity, on_delete=models.CASCADE, related_name="operator_settings"
    )
    url = models.URLField("adresse de l'opérateur", max_length=300)
    cert_path = models.CharField("certificat client (PEM, chemin sur le serveur)",
                                 max_length=500, blank=True)  # fmt: skip
    key_path = models.CharField("clé du certificat (PEM, chemin sur le serveur)",
                                max_length=500, blank=True)  # fmt: skip
    ca_path = models.CharField("autorité de l'opérateur (PEM, chemin, si le système ne la connaît pas)",
                               max_length=500, blank=True)  # fmt: skip
    departement = models.CharField(
        "département", max_length=3,
        validators=[RegexValidator(r"^[09][0-9][AB0-9]$", "Trois caractères, par exemple 021 ou 02A.")],
    )  # fmt: skip
    arrondissement = models.CharField(
        "arrondissement", max_length=1, validators=[RegexValidator(r"^[0-9]$", "Un chiffre.")]
    )
    nature = models.CharField(
        "nature de la collectivité dans @CTES", max_length=2,
        validators=[RegexValidator(r"^[0-9]{2}$", "Deux chiffres.")],
    )  # fmt: skip
    emails = models.CharField("adresses de retour (séparées par des virgules)", max_length=500)
    referent = models.CharField("référent nommé dans l'enveloppe", max_length=200, blank=True)
    timeout = models.PositiveSmallIntegerField("attente d'une réponse (secondes)", default=20)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "réglages de l'opérateur"

    def __str__(self) -> str:
        return f"{self.collectivity} — {self.url}"

    @property
    def email_list(self) -> tuple[str, ...]:
        """The return addresses, one by one."""
        return tuple(e.strip() for e in self.emails.split(",") if e.strip())


class Classification(models.Model):
    """The prefecture's classification a collectivity imported (`RetourClassification`):
    its version date and its matters; a new import replaces it."""

    collectivity = models.OneToOneField(
        Collectivity, on_delete=models.CASCADE, related_name="classification"
    )
    version = models.DateField("date de version")
    imported_at = models.DateTimeField("importée le")

    class Meta:
        verbose_name = "classification de la préfecture"

    def __str__(self) -> str:
        return f"{self.collectivity} — classification du {self.version:%d/%m/%Y}"


class ClassificationMatter(models.Model):
    """One matter of an imported classification: dotted code (`8.6`), label, level."""

    classification = models.ForeignKey(
        Classification, on_delete=models.CASCADE, related_name="matters"
    )
    code = models.CharField("code", max_length=14)
    label = models.CharField("libellé", max_length=500)
    level = models.PositiveSmallIntegerField("niveau")
    position = (
        models.PositiveIntegerField()
    )  # the classification's order: each level after its parent

    class Meta:
        ordering = ["classification", "position"]
        constraints = [
            models.UniqueConstraint(fields=["classification", "code"], name="one_matter_per_code")
        ]


class TransmissionStatus(models.TextChoices):
    """How an item's last transmission ended (`registre.actes.Outcome`'s values)."""

    ACKNOWLEDGED = "acknowledged", "acquitté"
    PENDING = "pending", "en attente"
    REFUSED = "refused", "refusé"
    UNREACHABLE = "unreachable", "non transmis"
    ELSEWHERE = "elsewhere", "transmis par un autre moyen"


class Transmission(models.Model):
    """A registered item's transmission: its act id, how the last attempt ended, the
    operator's message, its transaction, and the dates the register holds."""

    collectivity = models.ForeignKey(Collectivity, on_delete=models.PROTECT, related_name="+")
    vote = models.OneToOneField(ItemVote, on_delete=models.PROTECT, related_name="transmission")
    act_id = models.CharField("identifiant de l'acte", max_length=60)
    status = models.CharField("statut", max_length=20, choices=TransmissionStatus.choices)
    message = models.TextField("message de l'opérateur", blank=True)
    transaction_url = models.URLField("transaction chez l'opérateur", max_length=500, blank=True)
    sent_on = models.DateField("transmis le", null=True, blank=True)
    acknowledged_on = models.DateField("accusé de réception du", null=True, blank=True)
    attempts = models.PositiveIntegerField("essais", default=0)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "transmission au préfet"
        verbose_name_plural = "transmissions au préfet"

    def __str__(self) -> str:
        return f"{self.act_id} — {self.get_status_display()}"
