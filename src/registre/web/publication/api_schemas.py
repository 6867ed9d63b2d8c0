"""The public API's schemas: what its operations take (filters, pages, bodies) and
answer (acts, meetings, collectivities), with French field names, as re-users read
them."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from registre.record import AssemblyKind, Outcome

SIREN = r"^\d{9}$"
NO_NUL = r"^[^\x00]*$"  # PostgreSQL refuses the NUL character in text
MATTER = r"^\d{1,2}(\.\d{1,2}){0,3}$"
NUMBER = r"^[^\x00/]+$"  # numbers are stored without a slash ("2014 / 131" is 2014-131)


class Page(Schema):
    """A page of results: how many in all, which page, how many a page."""

    total: int
    total_plafonne: bool = Field(
        False,
        description="vrai quand une recherche a trouvé plus d'actes que ceux comptés : "
        "« total » et « pages » s'arrêtent là, les pages suivantes existent (les demander "
        "jusqu'à une page vide)",
    )
    page: int
    par_page: int
    pages: int


class ActItem(Schema):
    """An act in a list."""

    collectivite: str = Field(description="SIREN de la collectivité")
    assemblee: str = Field(description="conseil, bureau, commission_permanente…")
    numero: str
    objet: str
    date_seance: dt.date
    matiere_code: str
    matiere_libelle: str
    resultat: str = Field(description="adopted, rejected, postponed, noted, dropped ou vide")
    resultat_libelle: str
    publie_le: dt.date
    url: str = Field(description="l'adresse de l'acte dans cette API")


class Tally(Schema):
    """The vote: for, against, abstentions, not taking part (null when unknown)."""

    pour: int | None
    contre: int | None
    abstention: int | None
    ne_prend_pas_part: int | None


class Presence(Schema):
    """Attendance: members in office, present, represented (null when unknown)."""

    en_exercice: int | None
    presents: int | None
    representes: int | None


class ActOut(ActItem):
    """One act, as published (redacted)."""

    collectivite_nom: str
    assemblee_nom: str
    identifiant: str = Field(description="identifiant de l'acte (@CTES), vide s'il est inconnu")
    expose: str
    dispositif: str
    huis_clos: bool
    vote: Tally
    presences: Presence
    auteur: str
    transmis_le: dt.date | None
    executoire: str = Field(description="caractère exécutoire (L2131-1, L2131-2), en clair")
    page: str = Field(description="l'adresse de l'acte sur le portail")
    pdf: str | None = Field(description="l'adresse du PDF publié, null s'il n'y en a pas")


class ActPage(Page):
    """A page of acts, newest first."""

    items: list[ActItem]


class ActFilters(Schema):
    """The filters of the acts' list, and its page."""

    collectivite: str | None = Field(None, pattern=SIREN, description="SIREN")
    assemblee: AssemblyKind | None = None
    annee: int | None = Field(None, ge=1000, le=9999, description="année de la séance")
    seance: dt.date | None = Field(None, description="date de la séance")
    matiere: str | None = Field(None, pattern=MATTER, description="code de matière, ex. 7.1")
    resultat: Outcome | None = None
    q: str | None = Field(None, max_length=200, pattern=NO_NUL, description="recherche")
    page: int = Field(1, ge=1, le=100_000)
    par_page: int = Field(20, ge=1, le=100)


class ActPath(Schema):
    """An act's address: its collectivity's SIREN and its number."""

    collectivite: str = Field(pattern=SIREN)
    numero: str = Field(max_length=60, pattern=NUMBER)


class Which(Schema):
    """The assembly, when acts of several assemblies bear the number."""

    assemblee: AssemblyKind | None = None


class WithdrawIn(Schema):
    """Why the act is withdrawn."""

    motif: str = Field(min_length=1, max_length=500, pattern=NO_NUL)


class WithdrawnOut(Schema):
    """The act withdrawn: it is no longer shown."""

    collectivite: str
    assemblee: str
    numero: str
    retire_le: dt.datetime
    motif: str


class MeetingFilters(Schema):
    """The filters of the meetings' list, and its page."""

    collectivite: str | None = Field(None, pattern=SIREN, description="SIREN")
    assemblee: AssemblyKind | None = None
    annee: int | None = Field(None, ge=1000, le=9999)
    page: int = Field(1, ge=1, le=100_000)
    par_page: int = Field(20, ge=1, le=100)


class MeetingItem(Schema):
    """A meeting that has published acts, and how many."""

    collectivite: str
    assemblee: str
    assemblee_nom: str
    date: dt.date
    nombre_actes: int
    actes: str = Field(description="l'adresse de la liste de ses actes dans cette API")


class MeetingPage(Page):
    """A page of meetings, newest first."""

    items: list[MeetingItem]


class PageOnly(Schema):
    """A page."""

    page: int = Field(1, ge=1, le=100_000)
    par_page: int = Field(20, ge=1, le=100)


class CollectivityItem(Schema):
    """A collectivity that publishes acts here."""

    siren: str
    nom: str
    nature: str
    siret: str | None
    nombre_actes: int
    actes: str = Field(description="l'adresse de la liste de ses actes dans cette API")


class CollectivityPage(Page):
    """A page of collectivities, by name."""

    items: list[CollectivityItem]


class MarkIn(Schema):
    """A text to redact in an act (a private person's name)."""

    collectivite: str = Field(pattern=SIREN, description="SIREN de la collectivité du jeton")
    numero: str = Field(min_length=1, max_length=60, pattern=NUMBER)
    assemblee: AssemblyKind | None = None
    texte: str = Field(min_length=2, max_length=300, pattern=NO_NUL)


class MarkOut(Schema):
    """The mark kept; whether the act is published, and how many times the text was
    replaced in its subject, statement and operative part."""

    collectivite: str
    numero: str
    assemblee: str
    acte_publie: bool
    remplacements: int


class ExportFilters(Schema):
    """Which acts an export takes: a collectivity's, of a year if given."""

    collectivite: str = Field(pattern=SIREN, description="SIREN")
    annee: int | None = Field(None, ge=1000, le=9999, description="année de la séance")
