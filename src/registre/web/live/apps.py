"""The live meeting application."""

from django.apps import AppConfig


class LiveConfig(AppConfig):
    """Roll call, proxies, events and votes of a meeting as it is held."""

    name = "registre.web.live"
    label = "live"
    verbose_name = "Séance en cours"
