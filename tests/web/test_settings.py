"""Settings: documented, secure in production (`check --deploy`), SQLite writers
waiting for each other rather than failing."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "src" / "registre" / "web" / "settings.py"


def test_every_environment_variable_is_documented() -> None:
    used = set(re.findall(r"[\"'](REGISTRE_[A-Z_]+|DATABASE_URL)[\"']", SETTINGS.read_text()))
    guide = (ROOT / "docs" / "exploitation.md").read_text(encoding="utf-8")
    assert used and {v for v in used if f"`{v}`" not in guide} == set()


def _manage(tmp_path: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    # the test settings and the browser tests' async switch are the suite's, not an operator's
    hidden = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in hidden}
    environment.update(REGISTRE_DATA=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-m", "registre.cli", "manage", *argv],
                          capture_output=True, text=True, env=environment, timeout=120,
                          check=False)  # fmt: skip


def test_check_deploy_is_clean_with_the_production_settings(tmp_path: Path) -> None:
    done = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING",
                   REGISTRE_PRODUCTION="1", REGISTRE_SECRET_KEY="k" * 20 + "-Zx9!q" * 10,
                   REGISTRE_ALLOWED_HOSTS="registre.example.fr")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_without_a_secret_key_is_refused(tmp_path: Path) -> None:
    done = _manage(tmp_path, "check", REGISTRE_PRODUCTION="1")
    assert done.returncode != 0 and "REGISTRE_SECRET_KEY est obligatoire" in done.stderr


def test_sqlite_settings_make_writers_wait() -> None:
    from registre.web.settings import database  # noqa: PLC0415

    options = database(None, Path("/tmp"))["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5  # type: ignore[index]
    assert "journal_mode=WAL" in options["init_command"]  # type: ignore[index]


def test_database_url_gives_postgresql() -> None:
    from registre.web.settings import database  # noqa: PLC0415

    found = database("postgresql://app:s%40cret@db.example:5433/registre", Path("/tmp"))
    assert (found["ENGINE"], found["USER"], found["PASSWORD"], found["HOST"], found["PORT"],
            found["NAME"]) == ("django.db.backends.postgresql", "app", "s@cret", "db.example",
                               "5433", "registre")  # fmt: skip
    with pytest.raises(ValueError, match="postgresql://"):
        database("mysql://x@y/z", Path("/tmp"))


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_sqlite_wait_instead_of_failing() -> None:
    """Eight threads, each with its own connection, save drafts at once: all land."""
    from django.db import connection, connections  # noqa: PLC0415

    if connection.vendor != "sqlite":
        pytest.skip("propre à SQLite")
    from webfactories import make_collectivity, make_user  # noqa: PLC0415

    from registre.web.clock import system_clock  # noqa: PLC0415
    from registre.web.meetings.models import AgendaItem  # noqa: PLC0415
    from registre.web.meetings.services import DraftFields, save_draft  # noqa: PLC0415

    if connection.settings_dict["NAME"] == ":memory:" or "mode=memory" in str(
        connection.settings_dict["NAME"]
    ):
        pytest.skip("base de test en mémoire : un seul connecteur")
    town = make_collectivity()
    clerk = make_user(town)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                save_draft(clerk, system_clock, town, None, DraftFields(subject=f"{n}-{i}"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and AgendaItem.objects.count() == 80
    assert not isinstance(errors, sqlite3.OperationalError)
