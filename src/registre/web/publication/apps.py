"""The publication app."""

from django.apps import AppConfig


class PublicationConfig(AppConfig):
    """Published acts, the portal and its search index."""

    name = "registre.web.publication"
    label = "publication"
    verbose_name = "Publication"
    default_auto_field = "django.db.models.BigAutoField"
