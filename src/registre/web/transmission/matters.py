"""The drafters' choice of a matter in the collectivity's imported classification."""

from __future__ import annotations

from django import forms

from registre.web.core.models import Collectivity
from registre.web.meetings.models import AgendaItem
from registre.web.transmission.models import Classification

Choices = list[tuple[str, object]]


def matter_field(collectivity: Collectivity, current: str | None) -> forms.ChoiceField | None:
    """A choice among the matters of the collectivity's classification (two levels
    at least, as @CTES requires, grouped under their first level), with the version
    date in its label; None when no classification is imported (the free field
    stays). A draft's matter absent from the classification stays choosable, marked."""
    classification = Classification.objects.filter(collectivity=collectivity).first()
    if classification is None:
        return None
    # a draft keeps at most this many characters of a code: deeper codes are left out
    longest = AgendaItem._meta.get_field("matter_code").max_length
    matters = [m for m in classification.matters.all() if len(m.code) <= longest]
    groups: dict[str, list[tuple[str, str]]] = {m.code: [] for m in matters if m.level == 1}
    labels = {m.code: f"{m.code} {m.label}" for m in matters if m.level == 1}
    for m in matters:
        top = m.code.split(".")[0]
        if m.level >= 2 and top in groups:
            indent = "\u00a0\u00a0" * (m.level - 2)  # sub-levels shown under their parent
            groups[top].append((m.code, f"{indent}{m.code} — {m.label}"))
    choices: Choices = [("", "— aucune —")]
    choices += [(labels[code], options) for code, options in groups.items() if options]
    if current and not any(m.code == current and m.level >= 2 for m in matters):
        choices.append((current, f"{current} (absente de la classification)"))
    return forms.ChoiceField(
        label=f"Matière (classification de la préfecture du {classification.version:%d/%m/%Y})",
        choices=choices, required=False,
    )  # fmt: skip
