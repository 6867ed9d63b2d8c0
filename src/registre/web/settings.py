"""Settings of registre's web application, read from the environment.

Every setting an operator may change is an environment variable, listed in
`docs/exploitation.md` (a test fails when one is missing there):

- `REGISTRE_DATA`: the data folder (SQLite database, attachments); default the
  user's data folder (`$XDG_DATA_HOME/registre`, else `~/.local/share/registre`).
- `DATABASE_URL`: `postgresql://user:password@host:port/name` for PostgreSQL 15;
  without it, SQLite in the data folder, in the file `REGISTRE_SQLITE`
  (default `registre.sqlite3`; `registre demo` uses `demo.sqlite3`).
- `REGISTRE_SECRET_KEY`: required in production; a key kept in the data folder
  otherwise.
- `REGISTRE_PRODUCTION=1`: the production settings (no debug, HTTPS only, secure
  cookies, HSTS); `REGISTRE_ALLOWED_HOSTS` (comma-separated) then names the hosts.
- `REGISTRE_EMAIL_HOST`, `REGISTRE_EMAIL_PORT`, `REGISTRE_EMAIL_USER`,
  `REGISTRE_EMAIL_PASSWORD`, `REGISTRE_EMAIL_TLS=1`, `REGISTRE_EMAIL_FROM`: the
  SMTP server the convocations leave through.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

PACKAGE = Path(__file__).resolve().parent


def data_folder() -> Path:
    """Where registre keeps its database and files (created when missing)."""
    given = os.environ.get("REGISTRE_DATA")
    if given:
        folder = Path(given)
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        folder = Path(base) / "registre"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database(url: str | None, folder: Path) -> dict[str, object]:
    """Django's DATABASES entry for `DATABASE_URL`, or the SQLite file."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": folder / os.environ.get("REGISTRE_SQLITE", "registre.sqlite3"),
            # kept open across requests: opening one costs more than most pages' queries
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            # writers wait for each other instead of failing with "database is locked"
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(
            f"DATABASE_URL : seul postgresql:// est pris en charge (reçu {parts.scheme}://)"
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"server_side_binding": True},
    }


def _secret_key(folder: Path, production: bool) -> str:
    given = os.environ.get("REGISTRE_SECRET_KEY")
    if given:
        return given
    if production:
        raise RuntimeError("REGISTRE_SECRET_KEY est obligatoire en production")
    keyfile = folder / "secret_key"
    if not keyfile.exists():
        keyfile.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        keyfile.chmod(0o600)
    return keyfile.read_text(encoding="utf-8").strip()


DATA = data_folder()
PRODUCTION = os.environ.get("REGISTRE_PRODUCTION") == "1"
SECRET_KEY = _secret_key(DATA, PRODUCTION)
DEBUG = os.environ.get("REGISTRE_DEBUG") == "1" and not PRODUCTION
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("REGISTRE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "registre.web.core",
    "registre.web.members",
    "registre.web.meetings",
    "registre.web.live",
    "registre.web.publication",
    "registre.web.transmission",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "registre.web.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "registre.web.core.tenancy.tenant_context",
            ],
        },
    }
]
WSGI_APPLICATION = "registre.web.wsgi.application"
DATABASES = {"default": database(os.environ.get("DATABASE_URL"), DATA)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE / "static"]
STATIC_ROOT = DATA / "static"
MEDIA_ROOT = DATA / "fichiers"
FILE_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024  # a 10 MB members' CSV stays in memory
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("REGISTRE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("REGISTRE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("REGISTRE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("REGISTRE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("REGISTRE_EMAIL_TLS") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("REGISTRE_EMAIL_FROM", "registre@localhost")

# the address the public portal is reached at: the URLs of published acts (the
# register's `published` events, the Atom feed, SCDL's DELIB_URL) are built on it
PUBLIC_URL = os.environ.get("REGISTRE_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# the collectivity's publication certificate (PKCS#12): it signs the R2131-1 mention
# on each published act; without it, acts are published without the mention
PUBLICATION_P12 = os.environ.get("REGISTRE_PUBLICATION_P12", "")
PUBLICATION_PASSPHRASE = os.environ.get("REGISTRE_PUBLICATION_PASSPHRASE", "")

X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
