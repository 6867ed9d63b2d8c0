"""Settings of the test suite: the application's own settings, with a data folder of
its own, and PostgreSQL when REGISTRE_TEST_DATABASE=postgresql.

With PostgreSQL, a real server is started for the run (initdb in a temporary
folder, as a non-root user, on loopback: `tests/register/pgserver.py`) and stopped
at exit; `make test` runs the web tests once on SQLite and once on it.
"""

from __future__ import annotations

import atexit
import os
import sys
import tempfile
from pathlib import Path

os.environ["REGISTRE_DATA"] = tempfile.mkdtemp(prefix="registre-tests-")
os.environ.pop("DATABASE_URL", None)

from registre.web.settings import *  # noqa: F403
from registre.web.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
# a file, as in production, not Django's in-memory test base: the concurrency of
# writers (WAL, BEGIN IMMEDIATE, busy timeout) is then tested for real
DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["REGISTRE_DATA"], "test.sqlite3")}

if os.environ.get("REGISTRE_TEST_DATABASE") == "postgresql":
    sys.path.insert(0, str(Path(__file__).resolve().parent / "register"))
    import pgserver

    _server = pgserver.start()
    if _server is None:
        raise RuntimeError("PostgreSQL absent : make test l'installe (scripts/system-deps)")
    atexit.register(_server.stop)
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": pgserver.DATABASE,
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": str(_server.port),
    }
