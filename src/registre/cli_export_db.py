"""`registre export ... --collectivity SIREN --year AAAA`: the acts the portal shows.

Only `PublishedAct.objects.visible()` is read: acts published and not withdrawn,
whose texts were redacted before they were written. Each act's record (JSON) gives
the vote and attendance; the act's own row, as published, gives the subject, the
matter (and whether it was inferred), the transmission and the prefecture.
The database is the one `registre serve` uses (settings from the environment).
"""

from __future__ import annotations

import os
from typing import Any

from registre.cli_export import Loaded
from registre.errors import RecordFormatError, RegistreError


def _setup() -> None:
    """Start Django as `registre serve` does (its settings read the environment)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registre.web.settings")
    import django  # noqa: PLC0415 (the web stack loads only for this path)

    django.setup()


def _acts(siren: str, year: int | None) -> tuple[Any, list[Any]]:
    from registre.web.core.models import Collectivity  # noqa: PLC0415
    from registre.web.publication.models import PublishedAct  # noqa: PLC0415

    collectivity = Collectivity.objects.filter(siren=siren).first()
    if collectivity is None:
        raise RegistreError(f"aucune collectivité de SIREN {siren} dans la base")
    acts = PublishedAct.objects.visible().filter(collectivity=collectivity)
    if year is not None:
        acts = acts.filter(meeting_date__year=year)
    ordered = acts.select_related("collectivity").order_by("meeting_date", "number", "id")
    return collectivity, list(ordered)


def load_database(siren: str, year: int | None, siret: str | None, base_url: str | None) -> Loaded:
    """The visible acts of the collectivity `siren` (of the year `year`, if given);
    `siret`, when given, overrides the collectivity's."""
    _setup()
    from django.db import DatabaseError  # noqa: PLC0415

    from registre.web.publication.opendata import open_item  # noqa: PLC0415

    try:
        collectivity, acts = _acts(siren, year)
    except DatabaseError as exc:
        raise RegistreError(
            f"base de données inutilisable ({exc}) : lancez d'abord « registre serve » "
            "(qui la met à jour) ou vérifiez DATABASE_URL"
        ) from None
    siret = siret or collectivity.siret or None
    if not siret:
        raise RegistreError(
            f"le SIRET de {collectivity.name} n'est pas renseigné : renseignez-le dans "
            "l'administration, ou donnez --siret"
        )
    loaded = Loaded(inputs=len(acts))
    for act in acts:
        try:
            loaded.items.append(open_item(act, siret, base_url))
        except RecordFormatError as exc:
            loaded.failures.append((f"acte n° {act.number}", str(exc)))
    return loaded
