"""The meetings application."""

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, drafts and convocations."""

    name = "registre.web.meetings"
    label = "meetings"
    verbose_name = "Séances"
