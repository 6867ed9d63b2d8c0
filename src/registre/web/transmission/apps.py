"""The transmission app."""

from django.apps import AppConfig


class TransmissionConfig(AppConfig):
    """The operator's settings, the prefecture's classification, the acts sent."""

    name = "registre.web.transmission"
    label = "transmission"
    verbose_name = "Transmission au préfet"
    default_auto_field = "django.db.models.BigAutoField"
