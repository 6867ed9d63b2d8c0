"""The register of deliberations kept in the application's own database (a table
of its own, append-only: `registre.register`), reached through its own connection."""

from __future__ import annotations

from django.db import connection

from registre.record import LifecycleEvent, MeetingRecord
from registre.register import Entry, SqliteStore, append_deliberation, append_event
from registre.web.clock import Clock
from registre.web.core.models import Assembly


def assembly_key(assembly: Assembly) -> str:
    """The assembly's chain in the register: its collectivity's SIREN and its kind."""
    return f"{assembly.collectivity.siren}:{assembly.kind}:{assembly.pk}"


def open_store() -> object:
    """A store on the application's database (SQLite file or PostgreSQL)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return SqliteStore(settings["NAME"])
    from registre.register.postgres import SCHEMA, PostgresStore  # noqa: PLC0415

    dsn = (f"host={settings['HOST'] or 'localhost'} port={settings['PORT'] or 5432} "
           f"dbname={settings['NAME']} user={settings['USER']} password={settings['PASSWORD']}")  # fmt: skip
    store = PostgresStore(dsn)
    exists = store.connection.execute("SELECT to_regclass('register_entry')").fetchone()
    if exists is None or exists[0] is None:  # the operator's install() made it otherwise
        store.connection.execute(SCHEMA)
    return store


def append_to_register(
    assembly: Assembly, record: MeetingRecord, number: str, clock: Clock
) -> Entry:
    """Enter one deliberation of the meeting into the assembly's chain."""
    store = open_store()
    try:
        return append_deliberation(store, assembly_key(assembly), record, number, clock)  # type: ignore[arg-type]
    finally:
        store.close()  # type: ignore[attr-defined]


def append_event_to_register(assembly: Assembly, event: LifecycleEvent, clock: Clock) -> Entry:
    """Enter a lifecycle event (a correction…) into the assembly's chain."""
    store = open_store()
    try:
        return append_event(store, assembly_key(assembly), event, clock)  # type: ignore[arg-type]
    finally:
        store.close()  # type: ignore[attr-defined]
