"""Members: the list in office, adding, importing from CSV, ending and replacing."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from registre.errors import RegistreError
from registre.web.clock import system_clock
from registre.web.core.tenancy import (
    READERS_OF_WORK,
    STAFF,
    collectivity_view,
    scoped_or_404,
    tenant,
)
from registre.web.forms import (
    DATE_FORMATS,
    CouncillorForm,
    EndMandateForm,
    ImportForm,
    MemberForm,
    ReplaceForm,
)
from registre.web.members import services
from registre.web.members.models import Mandate, Member


def _on(request: HttpRequest) -> dt.date:
    """The date the list is asked for (?date=AAAA-MM-JJ), today by default."""
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(request.GET.get("date", ""), pattern).date()
        except ValueError:
            continue
    return timezone.localdate()


def _folded(text: str) -> str:
    """A name as the French alphabetical order reads it: without accents, case,
    apostrophes or hyphens (Çelik with C, d'Harcourt with D, Lœuvre as Loeuvre)."""
    bare = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae"))
    return "".join(c for c in bare if c.isalnum())


def _alphabetical(mandate: Mandate) -> tuple[str, str, int]:
    member = mandate.member
    return _folded(member.last_name), _folded(member.first_name), member.pk


@collectivity_view(READERS_OF_WORK)
def member_list(request: HttpRequest) -> HttpResponse:
    """Members in office on a date, by assembly (derived from the mandates)."""
    collectivity, on = tenant(request).collectivity, _on(request)
    groups = [
        (assembly, sorted(Mandate.objects.in_office(on).filter(assembly=assembly)
                          .select_related("member", "substitute_for"), key=_alphabetical))
        for assembly in collectivity.assemblies.all()
    ]  # fmt: skip
    return render(request, "registre/members/list.html", {"groups": groups, "on": on})


@collectivity_view(STAFF)
def member_add(request: HttpRequest) -> HttpResponse:
    """Add one member and their mandate."""
    collectivity = tenant(request).collectivity
    form = MemberForm(collectivity, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mandate = services.add_member(request.user, system_clock,
                                          form.cleaned_data["assembly"], form.new_member())  # fmt: skip
        except RegistreError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{mandate.member} ajouté(e) à {mandate.assembly}.")
            return redirect("member_list", cid=collectivity.pk)
    return render(request, "registre/members/add.html", {"form": form})


@collectivity_view(STAFF)
def member_import(request: HttpRequest) -> HttpResponse:
    """Import members from a CSV file; the report lists the refused lines."""
    collectivity = tenant(request).collectivity
    form = ImportForm(collectivity, request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_members(request.user, system_clock,
                                             form.cleaned_data["assembly"], upload.read(),
                                             upload.name)  # fmt: skip
        except RegistreError as exc:
            form.add_error("file", str(exc))
    return render(request, "registre/members/import.html", {"form": form, "result": result})


@collectivity_view(READERS_OF_WORK)
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    """A member, their mandates, and the forms to end or replace a running one."""
    member = scoped_or_404(Member.objects.all(), request, "collectivity", pk=member_id)
    mandates = member.mandates.select_related("assembly", "substitute_for").order_by("-start")
    return render(request, "registre/members/detail.html", {
        "member": member, "mandates": mandates,
        "end_form": EndMandateForm(), "replace_form": ReplaceForm(),
    })  # fmt: skip


@collectivity_view(STAFF)
def mandate_end(request: HttpRequest, mandate_id: int) -> HttpResponse:
    """End a mandate (POST)."""
    return _mandate_action(request, mandate_id, replace=False)


@collectivity_view(STAFF)
def mandate_replace(request: HttpRequest, mandate_id: int) -> HttpResponse:
    """End a mandate and seat the successor (POST)."""
    return _mandate_action(request, mandate_id, replace=True)


def _mandate_action(request: HttpRequest, mandate_id: int, *, replace: bool) -> HttpResponse:
    mandate = scoped_or_404(Mandate.objects.select_related("member", "assembly"), request,
                            "assembly__collectivity", pk=mandate_id)  # fmt: skip
    form = (ReplaceForm if replace else EndMandateForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        end, reason = form.cleaned_data["end"], form.cleaned_data["reason"]
        try:
            if isinstance(form, ReplaceForm):
                services.replace_member(request.user, system_clock, mandate, end, reason,
                                        form.successor())  # fmt: skip
            else:
                services.end_mandate(request.user, system_clock, mandate, end, reason)
        except RegistreError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Mandat mis à jour.")
    else:
        messages.error(request, "Formulaire incomplet : " + "; ".join(
            f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip()
            for f, e in form.errors.items()))  # fmt: skip
    return redirect(
        "member_detail", cid=mandate.assembly.collectivity_id, member_id=mandate.member_id
    )


@collectivity_view(STAFF)
def councillor_list(request: HttpRequest) -> HttpResponse:
    """An EPCI's copy recipients: the municipal councillors of its member communes
    (L5211-40-2), and the form to add one."""
    collectivity = tenant(request).collectivity
    form = CouncillorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_councillor(request.user, system_clock, collectivity, **form.cleaned_data)
        except RegistreError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Destinataire des copies ajouté.")
            return redirect("councillor_list", cid=collectivity.pk)
    return render(request, "registre/members/councillors.html", {
        "form": form, "councillors": collectivity.councillors.all(),
        "is_epci": collectivity.kind_enum.is_epci,
    })  # fmt: skip
