"""The installation's admin site, for the operators (superusers) only.

A collectivity's users are never staff: their work goes through the application
and its services. A signed-in user who is not staff gets 403 here, not the
admin's login page, so that no route answers them with another collectivity's data.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from registre.web.core.models import Assembly, AuditEntry, Collectivity, Membership
from registre.web.meetings.models import AgendaItem, Convocation, DelegatedDecision, Meeting
from registre.web.members.models import Mandate, Member, MunicipalCouncillor


class OperatorsSite(admin.AdminSite):
    """Django's admin, refused (403) to signed-in users who are not superusers."""

    site_header = "registre — administration de l'installation"
    site_title = "registre"

    def has_permission(self, request: HttpRequest) -> bool:
        """Only the installation's operators."""
        return bool(request.user.is_active and request.user.is_superuser)

    def admin_view(self, view: Callable[..., HttpResponse], cacheable: bool = False) -> Any:
        """The admin's view, refused to a signed-in user without permission."""
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("Réservé aux administrateurs de l'installation.")
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, view)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """A signed-in non-operator is refused rather than asked to sign in again."""
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied("Réservé aux administrateurs de l'installation.")
        return super().login(request, extra_context)


site = OperatorsSite(name="admin")
for model in (Collectivity, Assembly, Membership, Member, Mandate, MunicipalCouncillor, Meeting,
              AgendaItem, DelegatedDecision, Convocation):  # fmt: skip
    site.register(model)


@admin.register(AuditEntry, site=site)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log, read only."""

    list_display = ("at", "collectivity", "actor", "action", "summary")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Never changed."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Never deleted."""
        return False
