"""The clerk's forms: French labels and messages; each form's cleaned data becomes
the value object a service takes (forms never save models)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms

from registre.web.core.models import Assembly, Collectivity
from registre.web.meetings.models import AgendaItem, Meeting, MeetingMode
from registre.web.meetings.services import DraftFields, MeetingFields
from registre.web.members.models import Civility, Member
from registre.web.members.services import NewMember
from registre.web.transmission.matters import matter_field

MATTER = re.compile(r"^[1-9](\.[0-9]{1,2}){0,4}$")


class DateInput(forms.DateInput):
    """The browser's date picker; the value is sent as AAAA-MM-JJ."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's time picker."""

    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class AssemblyChoice(forms.ModelChoiceField):
    """An assembly of the current collectivity only."""

    def __init__(self, collectivity: Collectivity, **kwargs: object) -> None:
        assemblies = Assembly.objects.filter(collectivity=collectivity)
        council = assemblies.filter(kind="conseil").first()
        super().__init__(assemblies, label="Assemblée", empty_label=None, initial=council,
                         **kwargs)  # fmt: skip


class MemberForm(forms.Form):
    """Add a member with their mandate."""

    civility = forms.ChoiceField(label="Civilité", choices=[("", "—"), *Civility.choices],
                                 required=False)  # fmt: skip
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    email = forms.EmailField(label="Courriel", required=False)
    birth_date = forms.DateField(label="Date de naissance", required=False, widget=DateInput(),
                                 input_formats=DATE_FORMATS)  # fmt: skip
    start = forms.DateField(label="Début du mandat", widget=DateInput(), input_formats=DATE_FORMATS)
    role = forms.CharField(label="Qualité (facultatif)", max_length=100, required=False)

    def __init__(self, collectivity: Collectivity, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assembly"] = AssemblyChoice(collectivity)
        if collectivity.kind_enum.is_epci:
            self.fields["substitute_for"] = forms.ModelChoiceField(
                Member.objects.filter(collectivity=collectivity), required=False,
                label="Suppléant de (communautés, L5211-6)",
            )  # fmt: skip

    def new_member(self) -> NewMember:
        """The cleaned data as the service's value."""
        data = self.cleaned_data
        return NewMember(
            first_name=data["first_name"].strip(), last_name=data["last_name"].strip(),
            civility=data["civility"], email=data["email"], birth_date=data["birth_date"],
            start=data["start"], role=data["role"], substitute_for=data.get("substitute_for"),
        )  # fmt: skip


class ImportForm(forms.Form):
    """A CSV file of members (Excel's Windows-1252 with ;, or UTF-8)."""

    file = forms.FileField(label="Fichier CSV des élus")

    def __init__(self, collectivity: Collectivity, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assembly"] = AssemblyChoice(collectivity)


class EndMandateForm(forms.Form):
    """End a mandate (resignation, death, loss of office)."""

    end = forms.DateField(label="Dernier jour du mandat", widget=DateInput(),
                          input_formats=DATE_FORMATS)  # fmt: skip
    reason = forms.CharField(label="Motif", max_length=200)


class ReplaceForm(EndMandateForm):
    """End a mandate and seat the successor the next day."""

    civility = forms.ChoiceField(label="Civilité du successeur",
                                 choices=[("", "—"), *Civility.choices], required=False)  # fmt: skip
    first_name = forms.CharField(label="Prénom du successeur", max_length=100)
    last_name = forms.CharField(label="Nom du successeur", max_length=100)
    email = forms.EmailField(label="Courriel du successeur", required=False)

    def successor(self) -> NewMember:
        """The successor as the service's value."""
        data = self.cleaned_data
        return NewMember(first_name=data["first_name"].strip(), last_name=data["last_name"].strip(),
                         civility=data["civility"], email=data["email"])  # fmt: skip


class MeetingForm(forms.Form):
    """Create a meeting."""

    date = forms.DateField(label="Date", widget=DateInput(), input_formats=DATE_FORMATS)
    time = forms.TimeField(label="Heure", widget=TimeInput())
    place = forms.CharField(label="Lieu", max_length=300)
    mode = forms.ChoiceField(label="Modalité", choices=MeetingMode.choices)
    urgency = forms.BooleanField(label="Urgence (un jour franc)", required=False)
    second_convocation = forms.BooleanField(
        label="Seconde convocation après défaut de quorum (L2121-17)", required=False
    )

    def __init__(self, collectivity: Collectivity, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assembly"] = AssemblyChoice(collectivity)
        self.fields["first_meeting"] = forms.ModelChoiceField(
            Meeting.objects.filter(assembly__collectivity=collectivity), required=False,
            label="Séance sans quorum (pour une seconde convocation)",
        )  # fmt: skip

    def fields_value(self) -> MeetingFields:
        """The cleaned data as the service's value."""
        data = self.cleaned_data
        return MeetingFields(
            date=data["date"], time=data["time"], place=data["place"], mode=data["mode"],
            urgency=data["urgency"], second_convocation=data["second_convocation"],
            first_meeting=data["first_meeting"],
        )  # fmt: skip


class DraftForm(forms.Form):
    """A draft deliberation."""

    heading = forms.CharField(label="Rubrique", max_length=300, required=False)
    subject = forms.CharField(label="Objet", max_length=1000)
    matter_code = forms.CharField(label="Matière (nomenclature @CTES, ex. 7.1)", max_length=10,
                                  required=False)  # fmt: skip
    statement = forms.CharField(label="Exposé des motifs", widget=forms.Textarea, required=False)
    operative_part = forms.CharField(label="Dispositif", widget=forms.Textarea, required=False)

    def __init__(self, collectivity: Collectivity, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rapporteur"] = forms.ModelChoiceField(
            Member.objects.filter(collectivity=collectivity), required=False, label="Rapporteur"
        )
        # the prefecture's classification, once imported, is the list to pick from
        matter = matter_field(collectivity, self.initial.get("matter_code"))
        if matter is not None:
            self.fields["matter_code"] = matter

    @staticmethod
    def initial_of(item: AgendaItem) -> dict[str, object]:
        """The form's initial values for an existing draft."""
        return {"heading": item.heading, "subject": item.subject,
                "matter_code": item.matter_code, "statement": item.statement,
                "operative_part": item.operative_part, "rapporteur": item.rapporteur}  # fmt: skip

    def clean_matter_code(self) -> str:
        """A code of the @CTES nomenclature: digits separated by dots (7.1, 8.4.2)."""
        code: str = self.cleaned_data["matter_code"].strip()
        if code and not MATTER.match(code):
            raise forms.ValidationError(
                "Code de matière invalide : chiffres séparés par des points, par exemple 7.1."
            )
        return code

    def fields_value(self) -> DraftFields:
        """The cleaned data as the service's value."""
        data = self.cleaned_data
        return DraftFields(
            subject=data["subject"].strip(), heading=data["heading"].strip(),
            matter_code=data["matter_code"], rapporteur=data["rapporteur"],
            statement=data["statement"], operative_part=data["operative_part"],
        )  # fmt: skip


class CouncillorForm(forms.Form):
    """A municipal councillor of a member commune, who receives copies (L5211-40-2)."""

    commune = forms.CharField(label="Commune", max_length=200)
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    email = forms.EmailField(label="Courriel")


class DecisionForm(forms.Form):
    """A decision taken under delegation, to report at a meeting."""

    number = forms.CharField(label="Numéro", max_length=40)
    taken_on = forms.DateField(label="Date de la décision", widget=DateInput(),
                               input_formats=DATE_FORMATS)  # fmt: skip
    subject = forms.CharField(label="Objet", max_length=1000)

    def __init__(self, collectivity: Collectivity, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_at"] = forms.ModelChoiceField(
            Meeting.objects.filter(assembly__collectivity=collectivity), required=False,
            label="Rendue compte à la séance",
        )  # fmt: skip


def today() -> dt.date:
    """Today, in the application's time zone (forms' defaults)."""
    from django.utils import timezone  # noqa: PLC0415

    return timezone.localdate()
