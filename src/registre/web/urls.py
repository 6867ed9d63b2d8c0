"""The application's routes. Every route under `c/<cid>/` is guarded by
`collectivity_view`; the others are marked `public_view` (a test enumerates them)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path, register_converter
from django.views.static import serve

from registre.web.admin import site
from registre.web.api import api
from registre.web.core import views as core
from registre.web.core.tenancy import public_view
from registre.web.live import cards
from registre.web.live import views as live
from registre.web.meetings import views as meetings
from registre.web.members import views as members
from registre.web.publication import clerk as publication_clerk
from registre.web.publication import views as portal
from registre.web.publication.api import public_urls
from registre.web.publication.feeds import acts_feed
from registre.web.publication.urls import ActNumber, Siren
from registre.web.transmission import views as transmission

login = public_view(auth_views.LoginView.as_view(template_name="registre/login.html",
                                                 redirect_authenticated_user=True))  # fmt: skip
logout = public_view(auth_views.LogoutView.as_view())

collectivity = [
    path("", core.dashboard, name="dashboard"),
    path("journal/", core.journal, name="journal"),
    path("elus/", members.member_list, name="member_list"),
    path("elus/ajouter/", members.member_add, name="member_add"),
    path("elus/importer/", members.member_import, name="member_import"),
    path("elus/<int:member_id>/", members.member_detail, name="member_detail"),
    path("copies/", members.councillor_list, name="councillor_list"),
    path("mandats/<int:mandate_id>/fin/", members.mandate_end, name="mandate_end"),
    path("mandats/<int:mandate_id>/remplacer/", members.mandate_replace, name="mandate_replace"),
    path("seances/", meetings.meeting_list, name="meeting_list"),
    path("seances/creer/", meetings.meeting_add, name="meeting_add"),
    path("seances/<int:meeting_id>/", meetings.meeting_detail, name="meeting_detail"),
    path("seances/<int:meeting_id>/ordre-du-jour/", meetings.agenda_change, name="agenda_change"),
    path("seances/<int:meeting_id>/convocations/", meetings.convocations_send,
         name="convocations_send"),
    path("seances/<int:meeting_id>/convocation.pdf", meetings.convocation_document,
         name="convocation_document"),
    path("mes-convocations/", meetings.my_convocations, name="my_convocations"),
    path("seances/<int:meeting_id>/console/", live.console, name="console"),
    path("seances/<int:meeting_id>/console/etat/", live.console_state, name="console_state"),
    path("seances/<int:meeting_id>/console/action/", live.console_action, name="console_action"),
    path("seances/<int:meeting_id>/console/ouverture/", cards.opening_card, name="console_opening"),
    path("seances/<int:meeting_id>/console/scrutin/", cards.ballot_card, name="console_ballot"),
    path("seances/<int:meeting_id>/documents.zip", live.meeting_documents, name="meeting_documents"),
    path("seances/<int:meeting_id>/publication/", publication_clerk.meeting_publication,
         name="meeting_publication"),
    path("seances/<int:meeting_id>/transmission/", transmission.meeting_transmission,
         name="meeting_transmission"),
    path("transmission/", transmission.transmission_settings, name="transmission_settings"),
    path("seances/<int:meeting_id>/absence/", live.declare_absence, name="declare_absence"),
    path("projets/", meetings.draft_list, name="draft_list"),
    path("projets/<int:item_id>/annexes/", meetings.draft_attach, name="draft_attach"),
    path("projets/nouveau/", meetings.draft_edit, name="draft_new"),
    path("projets/<int:item_id>/", meetings.draft_detail, name="draft_detail"),
    path("projets/<int:item_id>/modifier/", meetings.draft_edit, name="draft_edit"),
    path("projets/<int:item_id>/circuit/", meetings.draft_move, name="draft_move"),
    path("decisions/", meetings.decision_list, name="decision_list"),
]  # fmt: skip

register_converter(Siren, "siren")
register_converter(ActNumber, "act")
portal_urls = [
    path("actes/", portal.acts, name="portal_acts"),
    path("collectivites/", portal.collectivities, name="portal_index"),
    path("<siren:siren>/actes/", portal.acts, name="portal_collectivity_acts"),
    path("<siren:siren>/actes/<act:number>/", portal.act, name="portal_act"),
    path("<siren:siren>/actes/<act:number>/acte.pdf", portal.act_pdf, name="portal_act_pdf"),
    path("<siren:siren>/seances/<str:day>/", portal.meeting, name="portal_meeting"),
    path("<siren:siren>/seances/<str:day>/<str:kind>.pdf", portal.meeting_pdf,
         name="portal_meeting_pdf"),
    path("<siren:siren>/flux.atom", acts_feed, name="portal_feed"),
    path("<siren:siren>/<str:kind>/flux.atom", acts_feed, name="portal_assembly_feed"),
]  # fmt: skip

urlpatterns = [
    path("", core.home, name="home"),
    path("connexion/", login, name="login"),
    path("deconnexion/", logout, name="logout"),
    path("c/<int:cid>/", include(collectivity)),
    path("public/seances/<int:meeting_id>/", live.public_screen, name="public_screen"),
    path("public/seances/<int:meeting_id>/etat/", live.public_state, name="public_state"),
    path("public/", include(portal_urls)),
    path("admin/", site.urls),
    path("api/public/v1/", public_urls()),
    path("api/", api.urls),
]
if not settings.PRODUCTION:  # in production the web server serves the static files
    urlpatterns.append(
        re_path(
            r"^static/(?P<path>.*)$",
            public_view(serve),
            {"document_root": settings.PACKAGE / "static"},
        )
    )
