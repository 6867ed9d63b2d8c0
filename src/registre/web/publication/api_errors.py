"""The public API's one error shape, for every error, 4xx and 5xx:
`{"erreur": {"code": "...", "message": "<en français>", "champ": "<champ ou null>"}}`.

Installed as exception handlers on the NinjaAPI (validation errors, HTTP errors,
authentication, 404, refused writes, anything else) and, for what happens before an
operation runs (a method the address does not take, an unknown address), around the
URL patterns' views."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from registre.web.core.services import ServiceError
from registre.web.core.tenancy import public_view
from registre.web.publication.services_api import (
    ActNotFoundError,
    AmbiguousActError,
    TokenScopeError,
)

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("registre.api")

# the stable code of each status, when nothing more precise is known
CODES = {400: "requete_illisible", 401: "non_authentifie", 403: "interdit", 404: "introuvable",
         405: "methode_non_permise", 409: "conflit", 422: "validation", 429: "trop_de_requetes",
         500: "erreur_interne"}  # fmt: skip
MESSAGES = {
    400: "Le corps de la requête est illisible : un objet JSON est attendu.",
    401: "Jeton d'accès absent, inconnu ou révoqué : envoyez « Authorization: Bearer <jeton> ».",
    403: "Cette action n'est pas permise.",
    404: "Introuvable.",
    429: "Trop de requêtes : réessayez plus tard.",
    500: "Erreur interne : elle est consignée ; réessayez plus tard.",
}
# pydantic's error types, in French ({…} from the error's context)
VALIDATION = {
    "missing": "Ce champ est obligatoire.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_type": "Un nombre entier est attendu.",
    "greater_than_equal": "La valeur doit être au moins {ge}.",
    "less_than_equal": "La valeur doit être au plus {le}.",
    "string_type": "Un texte est attendu.",
    "string_too_short": "Le texte doit compter au moins {min_length} caractère(s).",
    "string_too_long": "Le texte doit compter au plus {max_length} caractères.",
    "string_pattern_mismatch": "La valeur n'a pas la forme attendue ({pattern}).",
    "enum": "Valeur inconnue : valeurs permises {expected}.",
    "date_parsing": "Une date AAAA-MM-JJ est attendue.",
    "date_from_datetime_parsing": "Une date AAAA-MM-JJ est attendue.",
    "date_from_datetime_inexact": "Une date AAAA-MM-JJ est attendue.",
    "date_type": "Une date AAAA-MM-JJ est attendue.",
    "model_attributes_type": "Un objet JSON est attendu.",
    "dict_type": "Un objet JSON est attendu.",
    "json_invalid": "Le corps de la requête n'est pas du JSON valide.",
}


class Erreur(Schema):
    """What went wrong: a stable code, a French message, the field concerned (or null)."""

    code: str
    message: str
    champ: str | None


class ErrorOut(Schema):
    """The one error shape of the public API."""

    erreur: Erreur


class ApiError(HttpError):
    """Raised by an operation to answer an error with its own code and field."""

    def __init__(self, status: int, code: str, message: str, champ: str | None = None) -> None:
        super().__init__(status, message)
        self.code, self.champ = code, champ


def body(code: str, message: str, champ: str | None = None) -> dict[str, Any]:
    """The error shape as a JSON value."""
    return {"erreur": {"code": code, "message": message, "champ": champ}}


def install(api: NinjaAPI) -> None:
    """Answer every error the operations raise in the one shape."""

    def respond(request: HttpRequest, status: int, code: str, message: str,
                champ: str | None = None) -> HttpResponse:  # fmt: skip
        return api.create_response(request, body(code, message, champ), status=status)

    # ninja types a handler's exception as the class or an instance: Any below
    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:  # ValidationError
        return respond(request, 422, CODES[422], *_validation_message(exc.errors))

    def on_http(request: HttpRequest, exc: Any) -> HttpResponse:  # HttpError
        if isinstance(exc, ApiError):
            return respond(request, exc.status_code, exc.code, exc.message, exc.champ)
        status = exc.status_code
        response = respond(request, status, CODES.get(status, "erreur"),
                           MESSAGES.get(status, "Requête refusée."))  # fmt: skip
        if status == 401:  # RFC 6750: the scheme the client should use
            response["WWW-Authenticate"] = 'Bearer realm="registre"'
        return response

    def on_service(request: HttpRequest, exc: Any) -> HttpResponse:  # ServiceError
        status, code = _service_status(exc)
        return respond(request, status, code, str(exc))

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("Erreur interne de l'API publique : %s %s", request.method, request.path)
        return respond(request, 500, CODES[500], MESSAGES[500])

    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(AuthenticationError, on_http)
    api.add_exception_handler(Http404, lambda r, e: respond(r, 404, CODES[404], MESSAGES[404]))
    api.add_exception_handler(
        PermissionDenied, lambda r, e: respond(r, 403, CODES[403], MESSAGES[403])
    )
    api.add_exception_handler(ServiceError, on_service)
    api.add_exception_handler(Exception, on_unexpected)


def _service_status(exc: ServiceError) -> tuple[int, str]:
    """The status of a refused write: the token's scope, a missing or ambiguous act."""
    if isinstance(exc, TokenScopeError):
        return 403, "autre_collectivite"
    if isinstance(exc, ActNotFoundError):
        return 404, "acte_introuvable"
    if isinstance(exc, AmbiguousActError):
        return 409, "acte_ambigu"
    return 409, "refuse"


def _validation_message(errors: list[dict[str, Any]]) -> tuple[str, str | None]:
    """The French message of ninja's validation errors, and the first field at fault."""
    parts = [(_field(e.get("loc", ())), _french(e)) for e in errors] or [
        (None, "Requête invalide.")
    ]
    if len(parts) == 1:
        return parts[0][1], parts[0][0]
    return " ; ".join(f"{f or 'requête'} : {m}" for f, m in parts), parts[0][0]


def _field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """The field's name: the location without its source (query, path, body) nor the
    operation's parameter name that ninja puts before the body's fields."""
    names = [str(p) for p in loc[1:]]
    if loc and loc[0] == "body" and len(names) > 1:
        names = names[1:]
    return ".".join(names) or None


def _french(error: dict[str, Any]) -> str:
    template = VALIDATION.get(str(error.get("type")))
    if template is None:
        return "Valeur invalide."
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):  # a context without the expected key: the plain message
        return template.split(" ({")[0].replace("{", "").replace("}", "")


def uniform(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view, answering in the error shape what ninja answers before any operation
    runs (a method the address does not take, its root address), and marked public
    for the tenancy test (the API has no collectivity guard: it is public or token-bound)."""

    @wraps(view)
    def answered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/"):
            allowed = response.get("Allow", "")
            answer = JsonResponse(body(CODES[405], f"Méthode {request.method} non permise ici "
                                        f"(permises : {allowed}).", None), status=405)  # fmt: skip
            answer["Allow"] = allowed
            return answer
        return response

    return public_view(answered)


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """An address the API does not have."""
    return JsonResponse(body(CODES[404], f"Adresse inconnue de l'API : {request.path}", None),
                        status=404)  # fmt: skip
