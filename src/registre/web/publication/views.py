"""The public portal (no login): published acts with filters and French full-text
search, an act's page and PDF, a meeting's list, Atom feeds. Everything is read from
`PublishedAct.objects.visible()`: what is not published, or withdrawn, is never here;
redacted text was replaced before the row was written."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from registre.record import AssemblyKind
from registre.web.core.models import ASSEMBLY_LABELS, Collectivity
from registre.web.core.tenancy import public_view
from registre.web.publication import search
from registre.web.publication.models import PublishedAct, PublishedDocument

PER_PAGE = 20
# past a capped count, the farthest page asked for (the 100,000 newest acts found): a
# page's offset costs the database the acts before it
MAX_PAGE = 5_000
OUTCOMES = {"adopted": "Adoptée", "rejected": "Rejetée", "postponed": "Reportée",
            "noted": "Prise d'acte", "dropped": "Retirée de l'ordre du jour"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Filters:
    """The portal's filters, read from the query string (unknown values ignored)."""

    q: str = ""
    assembly: str = ""
    year: int | None = None
    meeting: dt.date | None = None
    matter: str = ""
    outcome: str = ""

    @classmethod
    def of(cls, request: HttpRequest) -> Filters:
        """The filters of a request."""
        get = request.GET
        year = get.get("annee", "")
        try:
            meeting = dt.date.fromisoformat(get.get("seance", "")) if get.get("seance") else None
        except ValueError:
            meeting = None
        return cls(q=get.get("q", "").strip()[:200], assembly=get.get("assemblee", ""),
                   year=int(year) if year.isdigit() and len(year) == 4 else None,
                   meeting=meeting, matter=get.get("matiere", "")[:10],
                   outcome=get.get("resultat", "") if get.get("resultat") in OUTCOMES else "")  # fmt: skip

    def apply(self, acts: QuerySet[PublishedAct]) -> QuerySet[PublishedAct]:
        """The acts these filters keep, newest first (the search ranks the same way)."""
        if self.assembly:
            acts = acts.filter(assembly__kind=self.assembly)
        if self.year:
            acts = acts.filter(meeting_date__year=self.year)
        if self.meeting:
            acts = acts.filter(meeting_date=self.meeting)
        if self.matter:  # "7.1" keeps 7.1 and 7.1.x, not 7.10
            acts = acts.filter(
                Q(matter_code=self.matter) | Q(matter_code__startswith=f"{self.matter}.")
            )
        if self.outcome:
            acts = acts.filter(outcome=self.outcome)
        if self.q:
            return search.search_acts(acts, self.q)
        return acts.order_by("-meeting_date", "-number")


def _collectivity(siren: str | None) -> Collectivity | None:
    return get_object_or_404(Collectivity, siren=siren) if siren else None


class FoundPaginator(Paginator):
    """Django's paginator, for acts whose count may stop at COUNT_CAP + 1 (a plain
    search that found more): the pages then go on past the count, and a page has a
    next one when one more act follows it, read with the page."""

    def validate_number(self, number: object) -> int:
        """A page number: within the pages counted, or any past them when capped."""
        if not self.capped:
            return super().validate_number(number)
        try:
            page = int(str(number))
        except ValueError as exc:
            raise PageNotAnInteger("Numéro de page invalide") from exc
        if page < 1 or page > MAX_PAGE:
            raise EmptyPage("Numéro de page invalide")
        return page

    def get_page(self, number: object) -> Page:
        """As Django's: the first page for a number that is none, the last one
        counted for a page past the acts."""
        try:
            return super().get_page(number)
        except EmptyPage:
            return self.page(self.num_pages)

    @property
    def capped(self) -> bool:
        """Whether the count stopped at the cap (the number of pages is not known)."""
        return self.count > search.COUNT_CAP and search.is_capped(self.object_list)

    def page(self, number: object) -> Page:
        """The page `number`; past a capped count, EmptyPage when no act is left."""
        if not self.capped:
            return super().page(number)
        page = self.validate_number(number)
        start = (page - 1) * self.per_page
        acts = list(self.object_list[start : start + self.per_page + 1])
        if not acts:
            raise EmptyPage("Cette page ne contient aucun résultat")
        return _OpenPage(acts[: self.per_page], page, self, more=len(acts) > self.per_page)


class _OpenPage(Page):
    """A page of a capped count: whether another follows is known from the page."""

    def __init__(self, acts: list[PublishedAct], number: int, paginator: Paginator,
                 *, more: bool) -> None:  # fmt: skip
        super().__init__(acts, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


@require_GET
@public_view
def acts(request: HttpRequest, siren: str | None = None) -> HttpResponse:
    """Published acts, of one collectivity or of the whole installation."""
    collectivity = _collectivity(siren)
    base = PublishedAct.objects.visible().select_related("collectivity", "assembly")
    if collectivity is not None:
        base = base.filter(collectivity=collectivity)
    filters = Filters.of(request)
    paginator = FoundPaginator(filters.apply(base), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "registre/portal/acts.html", {
        "collectivity": collectivity, "page": page, "filters": filters, "outcomes": OUTCOMES,
        "assemblies": [(k.value, ASSEMBLY_LABELS[k]) for k in AssemblyKind if k in ASSEMBLY_LABELS],
        "years": _years(base, siren), "query": _query_without_page(request),
        "more_than": search.COUNT_CAP if paginator.capped else None,
    })  # fmt: skip


def _years(acts: QuerySet[PublishedAct], siren: str | None) -> list[int]:
    """The years of the year filter, newest first: from the oldest and the newest
    act (two reads of the newest-first index, where listing the distinct years scans
    every act), kept a few minutes."""
    key = f"portal:years:{siren or 'all'}"
    years = cache.get(key)
    if years is None:
        dates = acts.values_list("meeting_date", flat=True)
        newest = dates.order_by("-meeting_date").first()
        oldest = dates.order_by("meeting_date").first()
        years = list(range(newest.year, oldest.year - 1, -1)) if newest and oldest else []
        cache.set(key, years, 300)
    return years


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _act(request: HttpRequest, siren: str, number: str) -> PublishedAct:
    """The act of that number; where two assemblies share it, the one `?assemblee=`
    names, else the assembly created first (the council, made with the collectivity)."""
    acts = PublishedAct.objects.visible().select_related("collectivity", "assembly").filter(
        collectivity__siren=siren, number=number)  # fmt: skip
    if kind := request.GET.get("assemblee"):
        acts = acts.filter(assembly__kind=kind)
    found = acts.order_by("assembly_id").first()
    if found is None:
        raise Http404("Aucun acte publié sous ce numéro.")
    return found


@require_GET
@public_view
def act(request: HttpRequest, siren: str, number: str) -> HttpResponse:
    """An act's page: subject, date, outcome, tally, attendance, its PDF, its
    publication date, its act id, whether it is enforceable."""
    found = _act(request, siren, number)
    findings = [f for f in json.loads(found.findings_json) if f.get("severity") == "error"]
    return render(request, "registre/portal/act.html", {
        "act": found, "outcome": OUTCOMES.get(found.outcome, found.outcome),
        "enforceable": enforceability(found), "errors": findings,
    })  # fmt: skip


def enforceability(act: PublishedAct) -> str:
    """In French, whether the act is enforceable: published, and, when the law asks
    it, transmitted to the prefect (L2131-1, L2131-2)."""
    if act.published_on is None:
        return "Date de publication inconnue : caractère exécutoire non établi."
    if act.transmitted_on:
        since = max(act.published_on, act.transmitted_on)
        return f"Exécutoire depuis le {since:%d/%m/%Y} (publié et transmis au préfet)."
    return (f"Publié le {act.published_on:%d/%m/%Y} ; exécutoire dès sa transmission au préfet "
            "si la loi l'y soumet (L2131-2), dès sa publication sinon (L2131-1).")  # fmt: skip


@require_GET
@public_view
def act_pdf(request: HttpRequest, siren: str, number: str) -> FileResponse:
    """The published PDF of an act."""
    found = _act(request, siren, number)
    if not found.pdf:
        raise Http404("Pas de document pour cet acte.")
    return FileResponse(found.pdf.open("rb"), content_type="application/pdf",
                        filename=f"{siren}-{number}.pdf")  # fmt: skip


@require_GET
@public_view
def meeting(request: HttpRequest, siren: str, day: str) -> HttpResponse:
    """The list of the deliberations of a meeting (L2121-25), by assembly."""
    collectivity = _collectivity(siren)
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404("Date de séance illisible.") from None
    found = list(PublishedAct.objects.visible().filter(collectivity=collectivity, meeting_date=date)
                 .select_related("assembly").order_by("assembly__kind", "number"))  # fmt: skip
    if not found:
        raise Http404("Aucun acte publié pour cette séance.")
    documents = PublishedDocument.objects.filter(collectivity=collectivity, meeting_date=date)
    return render(request, "registre/portal/meeting.html", {
        "collectivity": collectivity, "date": date, "acts": found, "outcomes": OUTCOMES,
        "documents": documents})  # fmt: skip


@require_GET
@public_view
def meeting_pdf(request: HttpRequest, siren: str, day: str, kind: str) -> FileResponse:
    """A meeting's published list of deliberations or minutes."""
    found = get_object_or_404(PublishedDocument, collectivity__siren=siren, meeting_date=day,
                              kind=kind)  # fmt: skip
    return FileResponse(found.pdf.open("rb"), content_type="application/pdf",
                        filename=f"{siren}-{day}-{kind}.pdf")  # fmt: skip


@require_GET
@public_view
def collectivities(request: HttpRequest) -> HttpResponse:
    """The collectivities that publish on this installation."""
    rows = (Collectivity.objects.filter(acts__withdrawn_at__isnull=True)
            .annotate(count=Count("acts")).order_by("name"))  # fmt: skip
    return render(request, "registre/portal/index.html", {"collectivities": rows})
