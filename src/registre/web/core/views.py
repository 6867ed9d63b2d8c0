"""Home, a collectivity's dashboard and its audit log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from registre.web.core.models import Membership
from registre.web.core.tenancy import EVERYONE, STAFF, collectivity_view, public_view, tenant
from registre.web.meetings.models import AgendaItem, DraftStatus, Meeting
from registre.web.members.models import Mandate


@public_view
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's collectivities; straight to the dashboard when there is one."""
    memberships = list(Membership.objects.filter(user=request.user).select_related("collectivity"))
    if len(memberships) == 1:
        return redirect("dashboard", cid=memberships[0].collectivity_id)
    return render(request, "registre/home.html", {"memberships": memberships})


@collectivity_view(EVERYONE)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The collectivity at a glance: assemblies, next meetings, drafts to handle."""
    collectivity = tenant(request).collectivity
    today = timezone.localdate()
    meetings = Meeting.objects.filter(assembly__collectivity=collectivity)
    context = {
        "assemblies": [
            (a, Mandate.objects.in_office(today).filter(assembly=a, substitute_for__isnull=True).count())
            for a in collectivity.assemblies.all()
        ],
        "upcoming": meetings.filter(date__gte=today).order_by("date", "time")[:5],
        "submitted": AgendaItem.objects.filter(
            collectivity=collectivity, status=DraftStatus.SUBMITTED
        ).count(),
    }  # fmt: skip
    return render(request, "registre/dashboard.html", context)


@collectivity_view(STAFF)
def journal(request: HttpRequest) -> HttpResponse:
    """The audit log of the collectivity, newest first."""
    entries = tenant(request).collectivity.audit_entries.select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "registre/journal.html", {"page": page})
