"""The public JSON API (django-ninja), at /api/public/v1/ with its OpenAPI at
/api/public/v1/openapi.json and its documentation page at /api/public/v1/docs.

Reading needs no login and sees only `PublishedAct.objects.visible()`: what is
unpublished or withdrawn is never here, and redacted text was replaced before the
row was written. Writing (withdrawing an act, marking a text for redaction) takes a
token of the collectivity's integrations (`Authorization: Bearer <jeton>`) and acts
on that collectivity only. Every error has one shape (`api_errors`)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import ninja
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, re_path, reverse
from django.utils.http import urlencode
from ninja import NinjaAPI, Query, Schema
from ninja.openapi.docs import DocsBase
from ninja.security import HttpBearer

from registre.record import AssemblyKind
from registre.web.clock import system_clock
from registre.web.core.models import Collectivity
from registre.web.publication import api_errors, opendata
from registre.web.publication import services_api as services
from registre.web.publication.api_errors import ErrorOut
from registre.web.publication.api_schemas import (
    ActFilters,
    ActOut,
    ActPage,
    ActPath,
    CollectivityPage,
    ExportFilters,
    MarkIn,
    MarkOut,
    MeetingFilters,
    MeetingPage,
    PageOnly,
    Which,
    WithdrawIn,
    WithdrawnOut,
)
from registre.web.publication.models import ApiToken, PublishedAct
from registre.web.publication.search import is_capped, search_acts
from registre.web.publication.services import act_url
from registre.web.publication.views import OUTCOMES, enforceability

# the errors each operation may answer, all in the one shape
ERRORS: dict[Any, type[Schema]] = {frozenset({400, 404, 405, 409, 422, 500}): ErrorOut}
WRITE_ERRORS: dict[Any, type[Schema]] = {
    frozenset({400, 401, 403, 404, 405, 409, 422, 500}): ErrorOut
}
REDOC = Path(ninja.__file__).parent / "static" / "ninja" / "redoc.standalone.js"


class LocalRedoc(DocsBase):
    """The documentation page (ReDoc), its script served by this API: no third-party
    resource."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        """The page, reading the OpenAPI schema of this API."""
        schema, script = self.get_openapi_url(api, kwargs), reverse("public_api:redoc_js")
        return HttpResponse(
            '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            f"<title>{api.title}</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f'<body><div id="redoc"></div><script src="{script}"></script>'
            f"<script>Redoc.init({json.dumps(schema)}, {{}}, document.getElementById('redoc'));</script>"
            "</body></html>"
        )


api = NinjaAPI(
    title="registre — API publique", version="1", urls_namespace="public_api",
    docs=LocalRedoc(), docs_url="/docs",
    description="Les actes publiés (délibérations), leurs séances et les collectivités qui "
                "les publient ; écriture par jeton pour les intégrations du greffe. "
                'Toute erreur : {"erreur": {"code", "message", "champ"}}.',
)  # fmt: skip
api_errors.install(api)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <jeton>`: a live token of a collectivity's integration."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        """The token, when it exists and is not revoked."""
        return services.authenticate(token)


def _visible() -> QuerySet[PublishedAct]:
    return PublishedAct.objects.visible().select_related("collectivity", "assembly")


def _url(request: HttpRequest, name: str, query: dict[str, str] | None = None,
         **kwargs: str) -> str:  # fmt: skip
    path = reverse(f"public_api:{name}", kwargs=kwargs or None)
    return request.build_absolute_uri(path + (f"?{urlencode(query)}" if query else ""))


def _paged(rows: QuerySet[Any], page: int, per_page: int) -> tuple[dict[str, int], list[Any]]:
    total = rows.count()
    start = (page - 1) * per_page
    pages = {"total": total, "total_plafonne": is_capped(rows), "page": page,
             "par_page": per_page, "pages": math.ceil(total / per_page)}  # fmt: skip
    return pages, list(rows[start : start + per_page])


def _item(request: HttpRequest, act: PublishedAct) -> dict[str, Any]:
    siren, kind = act.collectivity.siren, act.assembly.kind
    return {"collectivite": siren, "assemblee": kind, "numero": act.number,
            "objet": act.subject, "date_seance": act.meeting_date,
            "matiere_code": act.matter_code, "matiere_libelle": act.matter_label,
            "resultat": act.outcome, "resultat_libelle": OUTCOMES.get(act.outcome, act.outcome),
            "publie_le": act.published_on,
            "url": _url(request, "act", {"assemblee": kind}, collectivite=siren,
                        numero=act.number)}  # fmt: skip


def filtered(filters: ActFilters) -> QuerySet[PublishedAct]:
    """The visible acts these filters keep, newest first."""
    acts = _visible()
    if filters.collectivite:
        acts = acts.filter(collectivity__siren=filters.collectivite)
    if filters.assemblee:
        acts = acts.filter(assembly__kind=filters.assemblee.value)
    if filters.annee:
        acts = acts.filter(meeting_date__year=filters.annee)
    if filters.seance:
        acts = acts.filter(meeting_date=filters.seance)
    if filters.matiere:  # a code and the codes below it: 7.1 keeps 7.1.2, not 7.10
        code = filters.matiere
        acts = acts.filter(Q(matter_code=code) | Q(matter_code__startswith=f"{code}."))
    if filters.resultat:
        acts = acts.filter(outcome=filters.resultat.value)
    query = (filters.q or "").strip()
    if query:
        return search_acts(acts, query)
    return acts.order_by("-meeting_date", "-number")


@api.get("/actes", response={200: ActPage, **ERRORS}, url_name="acts", summary="Actes publiés")
def acts(request: HttpRequest, filters: Query[ActFilters]) -> dict[str, Any]:
    """Published acts, newest first, with filters and pages (100 a page at most)."""
    pages, rows = _paged(filtered(filters), filters.page, filters.par_page)
    return {**pages, "items": [_item(request, a) for a in rows]}


@api.post("/actes/{collectivite}/{numero}/retrait", auth=TokenAuth(), url_name="withdraw",
          response={200: WithdrawnOut, **WRITE_ERRORS}, summary="Retirer un acte")  # fmt: skip
def withdraw(
    request: HttpRequest, where: ninja.Path[ActPath], which: Query[Which], payload: WithdrawIn
) -> dict[str, Any]:
    """Withdraw an act of the token's collectivity: it leaves the portal, the feeds,
    the exports and this API."""
    act = services.withdraw_act(request.auth, system_clock, where.collectivite, where.numero,
                                payload.motif, assembly=_kind(which.assemblee))  # fmt: skip
    return {"collectivite": where.collectivite, "assemblee": act.assembly.kind,
            "numero": act.number, "retire_le": act.withdrawn_at, "motif": act.withdrawn_reason}  # fmt: skip


def _kind(kind: AssemblyKind | None) -> str | None:
    return kind.value if kind is not None else None


@api.get(
    "/actes/{collectivite}/{numero}",
    response={200: ActOut, **ERRORS},
    url_name="act",
    summary="Un acte publié",
)
def act(request: HttpRequest, where: ninja.Path[ActPath], which: Query[Which]) -> dict[str, Any]:
    """One act: its text (redacted), vote, attendance, publication, enforceability, PDF."""
    found = services.one_act(_visible().filter(collectivity__siren=where.collectivite),
                             where.numero, _kind(which.assemblee))  # fmt: skip
    pdf = reverse("portal_act_pdf", kwargs={"siren": where.collectivite, "number": found.number})
    return {
        **_item(request, found), "collectivite_nom": found.collectivity.name,
        "assemblee_nom": found.assembly.name, "identifiant": found.act_id,
        "expose": found.statement, "dispositif": found.operative_part,
        "huis_clos": found.in_camera,
        "vote": {"pour": found.votes_for, "contre": found.against,
                 "abstention": found.abstention, "ne_prend_pas_part": found.not_voting},
        "presences": {"en_exercice": found.members_in_office, "presents": found.present,
                      "representes": found.represented},
        "auteur": found.author, "transmis_le": found.transmitted_on,
        "executoire": enforceability(found), "page": act_url(found),
        "pdf": f"{settings.PUBLIC_URL}{pdf}" if found.pdf else None,
    }  # fmt: skip


@api.get(
    "/seances",
    response={200: MeetingPage, **ERRORS},
    url_name="meetings",
    summary="Séances ayant des actes publiés",
)
def meetings(request: HttpRequest, filters: Query[MeetingFilters]) -> dict[str, Any]:
    """The meetings having published acts, newest first, with their acts' count."""
    acts = PublishedAct.objects.visible()
    if filters.collectivite:
        acts = acts.filter(collectivity__siren=filters.collectivite)
    if filters.assemblee:
        acts = acts.filter(assembly__kind=filters.assemblee.value)
    if filters.annee:
        acts = acts.filter(meeting_date__year=filters.annee)
    rows = (acts.values("collectivity__siren", "assembly_id", "assembly__kind", "assembly__name",
                        "meeting_date")
            .annotate(count=Count("id"))
            .order_by("-meeting_date", "collectivity__siren", "assembly__kind", "assembly_id"))  # fmt: skip
    pages, found = _paged(rows, filters.page, filters.par_page)
    return {**pages, "items": [_meeting(request, row) for row in found]}


def _meeting(request: HttpRequest, row: dict[str, Any]) -> dict[str, Any]:
    siren, kind, day = row["collectivity__siren"], row["assembly__kind"], row["meeting_date"]
    query = {"collectivite": siren, "assemblee": kind, "seance": day.isoformat()}
    return {"collectivite": siren, "assemblee": kind, "assemblee_nom": row["assembly__name"],
            "date": day, "nombre_actes": row["count"], "actes": _url(request, "acts", query)}  # fmt: skip


@api.get(
    "/collectivites",
    response={200: CollectivityPage, **ERRORS},
    url_name="collectivities",
    summary="Collectivités publiant des actes",
)
def collectivities(request: HttpRequest, paging: Query[PageOnly]) -> dict[str, Any]:
    """The collectivities having published acts, by name, with their acts' count."""
    rows = (Collectivity.objects.filter(acts__withdrawn_at__isnull=True)
            .annotate(count=Count("acts")).order_by("name", "siren"))  # fmt: skip
    pages, found = _paged(rows, paging.page, paging.par_page)
    items = [{"siren": c.siren, "nom": c.name, "nature": c.kind, "siret": c.siret or None,
              "nombre_actes": c.count,
              "actes": _url(request, "acts", {"collectivite": c.siren})} for c in found]  # fmt: skip
    return {**pages, "items": items}


@api.post("/marques", auth=TokenAuth(), url_name="marks",
          response={201: MarkOut, **WRITE_ERRORS}, summary="Occulter un texte dans un acte")  # fmt: skip
def mark(request: HttpRequest, payload: MarkIn) -> ninja.Status[dict[str, Any]]:
    """Mark a text for redaction in an act of the token's collectivity: replaced by
    « [occulté] » wherever the act is shown (a later publication applies it too)."""
    done = services.mark_redaction(request.auth, system_clock, payload.collectivite,
                                   payload.numero, payload.texte,
                                   assembly=_kind(payload.assemblee))  # fmt: skip
    return ninja.Status(201, {"collectivite": payload.collectivite, "numero": payload.numero,
                              "assemblee": done.mark.assembly.kind,
                              "acte_publie": done.act is not None,
                              "remplacements": done.replaced})  # fmt: skip


def _export_acts(filters: ExportFilters) -> tuple[Collectivity, list[PublishedAct]]:
    collectivity = Collectivity.objects.filter(siren=filters.collectivite).first()
    if collectivity is None:
        raise Http404(f"Aucune collectivité de SIREN {filters.collectivite}.")
    acts = _visible().filter(collectivity=collectivity)
    if filters.annee is not None:
        acts = acts.filter(meeting_date__year=filters.annee)
    return collectivity, list(
        acts.select_related("collectivity").order_by("meeting_date", "number")
    )


CSV = {"content": {"text/csv": {"schema": {"type": "string"}}}}


@api.get("/exports/scdl.csv", response={200: None, **ERRORS}, url_name="export_scdl",
         summary="Export SCDL « Délibérations » 2.1.5 (CSV)",
         openapi_extra={"responses": {200: {"description": "CSV SCDL", **CSV}}})  # fmt: skip
def export_scdl(request: HttpRequest, filters: Query[ExportFilters]) -> HttpResponse:
    """The collectivity's visible acts as SCDL « Délibérations » (one row each)."""
    collectivity, acts = _export_acts(filters)
    text = opendata.scdl_csv(acts, collectivity.siret or None)
    return HttpResponse(text, content_type="text/csv; charset=utf-8")


@api.get("/exports/popolo.json", response={200: dict[str, Any], **ERRORS},
         url_name="export_popolo", summary="Export Popolo (votes, présence, pouvoirs)")  # fmt: skip
def export_popolo(request: HttpRequest, filters: Query[ExportFilters]) -> HttpResponse:
    """The collectivity's visible acts in the Popolo / Open Civic Data shape."""
    collectivity, acts = _export_acts(filters)
    return HttpResponse(opendata.popolo(acts, collectivity.siret or None),
                        content_type="application/json")  # fmt: skip


@api.get("/docs/redoc.js", include_in_schema=False, url_name="redoc_js")
def redoc_js(request: HttpRequest) -> FileResponse:
    """The documentation page's script (ReDoc, shipped with django-ninja)."""
    response = FileResponse(REDOC.open("rb"), content_type="text/javascript")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def public_urls() -> tuple[list[URLPattern], str, str]:
    """The API's URL patterns, for `include` at /api/public/v1/: each answers its
    errors in the one shape, and an unknown address under it too."""
    patterns, app_name, namespace = api.urls
    wrapped = [URLPattern(p.pattern, api_errors.uniform(p.callback), p.default_args, p.name)
               for p in patterns]  # fmt: skip
    wrapped.append(re_path(r"^.*$", api_errors.uniform(api_errors.not_found), name="unknown"))
    return wrapped, app_name, namespace
