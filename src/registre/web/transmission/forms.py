"""The forms of the transmission pages: the operator's settings and the upload of
the prefecture's classification (forms never save models)."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import RegexValidator

from registre.web.transmission.models import OperatorSettings
from registre.web.transmission.services import OperatorFields

MAX_CLASSIFICATION = 5 * 1024 * 1024
MAX_PDF = 30 * 1024 * 1024
DEPARTEMENT = re.compile(r"[09][0-9][AB0-9]")


class OperatorForm(forms.Form):
    """How the collectivity reaches its operator, and how the envelope names it."""

    url = forms.URLField(label="Adresse de l'opérateur (https://…)", max_length=300,
                         assume_scheme="https")  # fmt: skip
    cert_path = forms.CharField(label="Certificat client (fichier PEM sur le serveur)",
                                max_length=500, required=False)  # fmt: skip
    key_path = forms.CharField(label="Clé du certificat (fichier PEM sur le serveur ; phrase de "
                               "passe : variable REGISTRE_OPERATOR_KEY_PASSPHRASE)",
                               max_length=500, required=False)  # fmt: skip
    ca_path = forms.CharField(label="Autorité de certification de l'opérateur (si le système ne "
                              "la connaît pas)", max_length=500, required=False)  # fmt: skip
    departement = forms.CharField(label="Département (trois caractères : 021, 02A, 974)",
                                  max_length=3)  # fmt: skip
    arrondissement = forms.CharField(label="Arrondissement (un chiffre, donné par la préfecture)",
                                     validators=[RegexValidator(r"^[0-9]$", "Un chiffre.")])  # fmt: skip
    nature = forms.CharField(label="Nature de la collectivité dans @CTES (deux chiffres)",
                             validators=[RegexValidator(r"^[0-9]{2}$", "Deux chiffres.")])  # fmt: skip
    emails = forms.CharField(label="Adresses de retour de la préfecture (séparées par des virgules)",
                             max_length=500)  # fmt: skip
    referent = forms.CharField(label="Référent nommé dans l'enveloppe", max_length=200,
                               required=False)  # fmt: skip
    timeout = forms.IntegerField(label="Attente d'une réponse de l'opérateur (secondes)",
                                 min_value=1, max_value=300, initial=20)  # fmt: skip

    @staticmethod
    def initial_of(settings: OperatorSettings | None) -> dict[str, object] | None:
        """The form's values for the settings in place."""
        if settings is None:
            return None
        names = ("url", "cert_path", "key_path", "ca_path", "departement", "arrondissement",
                 "nature", "emails", "referent", "timeout")  # fmt: skip
        return {name: getattr(settings, name) for name in names}

    def clean_departement(self) -> str:
        """Three characters, Corsica's letter in upper case (021, 02A, 974)."""
        code: str = self.cleaned_data["departement"].strip().upper()
        if not DEPARTEMENT.fullmatch(code):
            raise forms.ValidationError("Trois caractères, par exemple 021 ou 02A.")
        return code

    def clean_emails(self) -> tuple[str, ...]:
        """One address at least, each valid."""
        found = tuple(e.strip() for e in self.cleaned_data["emails"].split(",") if e.strip())
        if not found:
            raise forms.ValidationError("Une adresse de retour au moins.")
        for address in found:
            forms.EmailField().clean(address)
        return found

    def fields_value(self) -> OperatorFields:
        """The cleaned data as the service's value."""
        data = self.cleaned_data
        return OperatorFields(
            url=data["url"], departement=data["departement"],
            arrondissement=data["arrondissement"], nature=data["nature"], emails=data["emails"],
            cert_path=data["cert_path"].strip(), key_path=data["key_path"].strip(),
            ca_path=data["ca_path"].strip(), referent=data["referent"].strip(),
            timeout=data["timeout"],
        )  # fmt: skip


class ClassificationForm(forms.Form):
    """The prefecture's classification file (`RetourClassification`, XML)."""

    file = forms.FileField(label="Classification de la préfecture (fichier XML)")

    def clean_file(self) -> bytes:
        """The file's bytes, 5 MB at most."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CLASSIFICATION:
            raise forms.ValidationError(
                "Le fichier dépasse 5 Mo : ce n'est pas une classification."
            )
        data: bytes = upload.read()
        return data
