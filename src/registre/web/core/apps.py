"""The core application."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Collectivities, assemblies, roles and the audit log."""

    name = "registre.web.core"
    label = "core"
    verbose_name = "Collectivités"
