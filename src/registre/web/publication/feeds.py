"""Atom feeds of the published acts, per collectivity and per assembly: what a
citizen or a re-user follows to learn of each new act."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from registre.web.core.models import Assembly, Collectivity
from registre.web.core.tenancy import public_view
from registre.web.publication.models import PublishedAct
from registre.web.publication.services import act_url

ENTRIES = 50


class ActsFeed(Feed):
    """The newest published acts of a collectivity, or of one of its assemblies."""

    feed_type = Atom1Feed

    def get_object(
        self, request: HttpRequest, siren: str, kind: str | None = None
    ) -> Collectivity | Assembly:
        collectivity = get_object_or_404(Collectivity, siren=siren)
        if kind is None:
            return collectivity
        return get_object_or_404(Assembly, collectivity=collectivity, kind=kind)

    def title(self, obj: Collectivity | Assembly) -> str:
        return f"Délibérations publiées — {obj}"

    def link(self, obj: Collectivity | Assembly) -> str:
        siren = obj.siren if isinstance(obj, Collectivity) else obj.collectivity.siren
        return reverse("portal_collectivity_acts", kwargs={"siren": siren})

    def subtitle(self, obj: Collectivity | Assembly) -> str:
        return "Actes publiés par voie électronique (L2131-1, R2131-1)."

    def items(self, obj: Collectivity | Assembly) -> list[PublishedAct]:
        acts = PublishedAct.objects.visible().select_related("collectivity", "assembly")
        acts = (
            acts.filter(assembly=obj)
            if isinstance(obj, Assembly)
            else acts.filter(collectivity=obj)
        )
        return list(acts.order_by("-published_at", "-number")[:ENTRIES])

    def item_title(self, item: PublishedAct) -> str:
        return f"{item.number} — {item.subject[:200]}"

    def item_description(self, item: PublishedAct) -> str:
        return f"Séance du {item.meeting_date:%d/%m/%Y} — {item.assembly}."

    def item_link(self, item: PublishedAct) -> str:
        return act_url(item)

    def item_guid(self, item: PublishedAct) -> str:
        return act_url(item)

    def item_pubdate(self, item: PublishedAct) -> datetime:
        return item.published_at

    def item_updateddate(self, item: PublishedAct) -> datetime:
        return item.published_at


acts_feed = public_view(ActsFeed())
