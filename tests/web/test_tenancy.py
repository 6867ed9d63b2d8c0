"""Tenancy: every route of the application (from Django's URL resolver), called as a
user of collectivity A with collectivity B's ids, answers 403 or 404; a view added
without the guard makes this test fail."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from webfactories import PASSWORD, make_user, two_collectivities

from registre.web.core.models import Role

pytestmark = pytest.mark.django_db

# the parameter of each route, and which of B's objects gives it
PARAMETERS = {
    "cid": lambda b: b["collectivity"].pk,
    "member_id": lambda b: b["mandate"].member_id,
    "mandate_id": lambda b: b["mandate"].pk,
    "meeting_id": lambda b: b["meeting"].pk,
    "item_id": lambda b: b["item"].pk,
}
PUBLIC = {"", "connexion/", "deconnexion/", "public/seances/<int:meeting_id>/",
          "public/seances/<int:meeting_id>/etat/", "^static/(?P<path>.*)$",
          # the public portal: published acts only (tests/web/test_publication_portal.py)
          "public/actes/", "public/collectivites/", "public/<siren:siren>/actes/",
          "public/<siren:siren>/actes/<act:number>/",
          "public/<siren:siren>/actes/<act:number>/acte.pdf",
          "public/<siren:siren>/seances/<str:day>/", "public/<siren:siren>/flux.atom",
          "public/<siren:siren>/seances/<str:day>/<str:kind>.pdf",
          "public/<siren:siren>/<str:kind>/flux.atom"}  # fmt: skip


def _routes(
    patterns: list[Any], prefix: str = "", names: tuple[str, ...] = ()
) -> list[tuple[str, Any, tuple[str, ...]]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, prefix + str(entry.pattern),
                             names + tuple(entry.pattern.converters))  # fmt: skip
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback,
                          names + tuple(entry.pattern.converters)))  # fmt: skip
    return found


def _url(route: str, b: dict[str, Any], a: dict[str, Any], foreign_cid: bool) -> str:
    """The route with B's ids (and A's collectivity when `foreign_cid` is False)."""
    url = route.replace("^", "").replace("$", "").replace("\\Z", "")
    for name, pick in PARAMETERS.items():
        value = pick(b) if (name != "cid" or foreign_cid) else a["collectivity"].pk
        url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    return "/" + url


def test_every_route_refuses_another_collectivitys_data() -> None:
    data = two_collectivities()
    a, b = data["a"], data["b"]
    routes = _routes(get_resolver().url_patterns)
    assert len(routes) > 20  # the resolver was walked, admin included
    checked = 0
    for role in (Role.ADMINISTRATOR, Role.CLERK, Role.DRAFTER, Role.MEMBER, Role.READER):
        client = Client()
        user = a["clerk"] if role is Role.CLERK else make_user(a["collectivity"], role)
        assert client.login(username=user.username, password=PASSWORD)
        for route, callback, params in routes:
            if getattr(callback, "tenancy_public", False) or (
                not params and route.startswith("api/")
            ):
                continue  # login, home, static files, public screens, the OpenAPI schema
            if "admin" in route:
                urls = [_admin_url(route, b)]
            elif "<" in route and not (set(params) - set(PARAMETERS)):
                urls = [_url(route, b, a, True), _url(route, b, a, False)]
                if set(params) == {"cid"}:
                    urls = urls[:1]  # A's own collectivity pages are A's to see
            else:
                raise AssertionError(f"route sans garde connue : {route} {params}")
            for url in urls:
                for method in ("get", "post"):
                    status = getattr(client, method)(url).status_code
                    assert status in (403, 404, 405), f"{role} {method.upper()} {url} → {status}"
                    checked += 1
    assert checked > 200


def _admin_url(route: str, b: dict[str, Any]) -> str:
    url = "/" + route.replace("^", "").replace("$", "").replace("\\Z", "")
    url = url.replace("(?P<app_label>core|members|meetings|auth)/", "core/")
    url = url.replace("(?P<app_label>members|meetings|core|auth)/", "core/")
    for group in ("(?P<object_id>.+)", "<path:object_id>"):
        url = url.replace(group, str(b["collectivity"].pk))
    url = url.replace("<int:content_type_id>", "1").replace("<path:object_id>", "1")
    return url.replace("(?P<url>.*)", "x").replace("<path:url>", "x")


def test_every_view_is_guarded_or_declared_public() -> None:
    """A view under c/<cid>/ must carry the tenancy guard; any other must be declared
    public (login, home…) or be the operators' admin."""
    for route, callback, _ in _routes(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/")):
            continue  # the operators' admin; the API guards inside each operation
        guarded = getattr(callback, "tenancy_roles", None) is not None
        public = getattr(callback, "tenancy_public", False)
        if route.startswith("c/"):
            assert guarded, f"vue sans garde de collectivité : {route}"
        else:  # public by design, and listed here: a view made public by mistake fails
            assert public and route in PUBLIC, f"vue hors collectivité non déclarée : {route}"


def test_own_collectivity_is_reachable_and_others_are_404(client: Client) -> None:
    data = two_collectivities()
    a, b = data["a"], data["b"]
    client.login(username=a["clerk"].username, password=PASSWORD)
    assert client.get(f"/c/{a['collectivity'].pk}/seances/{a['meeting'].pk}/").status_code == 200
    assert client.get(f"/c/{b['collectivity'].pk}/").status_code == 404
    assert client.get(f"/c/{a['collectivity'].pk}/seances/{b['meeting'].pk}/").status_code == 404
    assert client.get("/admin/").status_code == 403
    api = client.get(f"/api/collectivites/{a['collectivity'].pk}/seances").json()
    assert [m["id"] for m in api] == [a["meeting"].pk] and api[0]["agenda"]
    assert client.get(f"/api/collectivites/{b['collectivity'].pk}/elus").status_code == 404
    assert Client().get(f"/api/collectivites/{a['collectivity'].pk}/elus").status_code == 401


def test_roles_limit_what_a_member_of_the_collectivity_does(client: Client) -> None:
    data = two_collectivities()
    a = data["a"]
    cid = a["collectivity"].pk
    reader = make_user(a["collectivity"], Role.READER)
    client.login(username=reader.username, password=PASSWORD)
    assert client.get(f"/c/{cid}/seances/").status_code == 200
    assert client.get(f"/c/{cid}/seances/creer/").status_code == 403
    assert client.post(f"/c/{cid}/seances/{a['meeting'].pk}/convocations/").status_code == 403
    drafter = make_user(a["collectivity"], Role.DRAFTER)
    client.login(username=drafter.username, password=PASSWORD)
    assert client.get(f"/c/{cid}/projets/nouveau/").status_code == 200
    assert client.get(f"/c/{cid}/elus/ajouter/").status_code == 403
