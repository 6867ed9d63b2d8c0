"""The members application."""

from django.apps import AppConfig


class MembersConfig(AppConfig):
    """Elected members and their mandates."""

    name = "registre.web.members"
    label = "members"
    verbose_name = "Élus et mandats"
