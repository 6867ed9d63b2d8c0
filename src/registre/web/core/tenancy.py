"""The tenancy guard: a view reaches a collectivity's data only through the user's
membership of it, with a role the view allows.

Every view taking a collectivity is decorated with `collectivity_view(...)`; it
answers 404 to a user without membership (so as not to reveal that the
collectivity exists) and 403 to a role the view does not allow. Objects are
then looked up inside `request.tenant.collectivity` only (`scoped_or_404`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from registre.web.core.models import Collectivity, Membership, Role

View = Callable[..., HttpResponse]

EVERYONE = frozenset(Role)
STAFF = frozenset({Role.ADMINISTRATOR, Role.CLERK})
WRITERS = frozenset({Role.ADMINISTRATOR, Role.CLERK, Role.DRAFTER})
READERS_OF_WORK = frozenset({Role.ADMINISTRATOR, Role.CLERK, Role.DRAFTER, Role.READER})


@dataclass(frozen=True, slots=True)
class Tenant:
    """The collectivity a request acts on, and the user's role in it."""

    collectivity: Collectivity
    membership: Membership

    @property
    def role(self) -> Role:
        """The user's role in the collectivity."""
        return Role(self.membership.role)

    def can(self, roles: Iterable[Role]) -> bool:
        """Whether the user's role is one of these."""
        return self.role in frozenset(roles)


def collectivity_view(roles: frozenset[Role]) -> Callable[[View], View]:
    """Guard a view whose URL carries `cid`: membership required, role in `roles`."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, cid: int, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = (
                Membership.objects.select_related("collectivity", "member")
                .filter(user=request.user, collectivity_id=cid)
                .first()
            )
            if membership is None:
                raise Http404("Collectivité introuvable.")
            if Role(membership.role) not in roles:
                raise PermissionDenied("Votre rôle ne permet pas cette action.")
            request.tenant = Tenant(membership.collectivity, membership)
            return view(request, *args, **kwargs)

        guarded.tenancy_roles = roles  # type: ignore[attr-defined]
        return guarded

    return decorate


def public_view(view: View) -> View:
    """Mark a view that takes no collectivity (login, home): the tenancy test knows it."""
    view.tenancy_public = True  # type: ignore[attr-defined]
    return view


def tenant(request: HttpRequest) -> Tenant:
    """The guarded request's tenant."""
    found: Tenant = request.tenant
    return found


def scoped_or_404(queryset: QuerySet, request: HttpRequest, path: str, **lookup: Any) -> Any:
    """The object of `queryset` matching `lookup` whose `path` leads to the request's
    collectivity; 404 otherwise (another collectivity's id typed by hand)."""
    found = queryset.filter(**{path: tenant(request).collectivity}, **lookup).first()
    if found is None:
        raise Http404("Introuvable dans cette collectivité.")
    return found


def tenant_context(request: HttpRequest) -> dict[str, object]:
    """Template context: the current collectivity and role, and the user's others."""
    current = getattr(request, "tenant", None)
    return {"tenant": current}
