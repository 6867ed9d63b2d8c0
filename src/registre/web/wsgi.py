"""WSGI entry point, for a production server (gunicorn, uWSGI) behind a web server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registre.web.settings")
application = get_wsgi_application()
