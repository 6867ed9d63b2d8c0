"""Factories of the @CTES tests: the example classification, an emitter, a PDF, and a
seeded generator of varied acts (numbers, subjects with every awkward character,
matters, annexes)."""

from __future__ import annotations

import random
import string
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from registre.actes import (
    ActId,
    ActNature,
    Attachment,
    Classification,
    Emitter,
    Transmission,
    parse_classification,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "actes"
CLASSIFICATION_FILE = DATA / "exemple_codes_matieres.xml"
PDF = b"%PDF-1.7\n% test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DIJON_SIREN = "242100410"


@cache
def classification() -> Classification:
    """The prefecture's example classification (2017-04-19, STELA)."""
    return parse_classification(CLASSIFICATION_FILE.read_bytes())


def emitter(siren: str = DIJON_SIREN, departement: str = "021") -> Emitter:
    """Dijon métropole as an envelope names it (arrondissement and nature are test values)."""
    return Emitter(siren=siren, departement=departement, arrondissement="2", nature="34",
                   emails=("greffe@dijon-metropole.fr",), referent_name="Greffe des assemblées",
                   referent_phone="03 80 00 00 00")  # fmt: skip


WORDS = ("délibération", "l’Insertion", "Côte-d’Or", "œuvre", "5 000 €", "« SIECO »", "R&D",
         "a<b", 'dit "x"', "crèche", "Ça", "zone d'activité", "n° 12", "2024/2025", "…")  # fmt: skip
DEPARTEMENTS = [f"{n:03d}" for n in range(1, 96) if n != 20] + ["02A", "02B", "971", "974", "976"]


def generated_transmission(rng: random.Random) -> tuple[Transmission, Emitter]:
    """One varied act and its emitter, drawn from `rng`."""
    siren = "".join(rng.choice(string.digits) for _ in range(9))
    departement = rng.choice(DEPARTEMENTS)
    alphabet = string.ascii_letters + string.digits + "_"
    number = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 15)))
    day = date(2004, 1, 1) + timedelta(days=rng.randrange(9000))
    subject = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 60)))[:500]
    matter = rng.choice([m for m in classification().matters if m.level >= 2])
    annexes = tuple(Attachment(f"annexe-{i}.{rng.choice(['pdf', 'png', 'odt'])}", PDF,
                               rng.choice(["99_AU", "41_PJ", "22_AG"]))
                    for i in range(rng.randint(0, 3)))  # fmt: skip
    act = ActId(departement, siren, day, number, ActNature.DELIBERATION)
    transmission = Transmission(act_id=act, subject=subject.strip() or "Objet",
                                matter_code=matter.code, pdf=PDF, attachments=annexes,
                                classification=classification())  # fmt: skip
    return transmission, emitter(siren, departement)
