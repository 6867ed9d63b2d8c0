"""A real PostgreSQL server for the tests: initdb in a temporary folder, started on
loopback as the `postgres` user (the server refuses to run as root), stopped at the end."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

OWNER, APP, DATABASE = "registre_owner", "registre_app", "registre"


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """A started server, its folder and port; `dsn(user)` to connect."""

    folder: Path
    port: int
    bin: Path

    def dsn(self, user: str, database: str = DATABASE) -> str:
        """A connection string on loopback (trust authentication: a test server)."""
        return f"host=127.0.0.1 port={self.port} user={user} dbname={database}"

    def run(self, *args: str) -> None:
        """Run a server program as the server's user."""
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def stop(self) -> None:
        """Stop the server at once and remove its folder."""
        self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> PgServer | None:
    """Initialise and start a server; None when PostgreSQL is not installed."""
    binaries = _bin()
    if binaries is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="registre-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = PgServer(folder, _free_port(), binaries)
    data = str(folder / "data")
    server.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    options = f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    server.run("pg_ctl", "-D", data, "-o", options, "-l", str(folder / "log"), "-w", "start")
    setup = [
        f"CREATE ROLE {OWNER} LOGIN", f"CREATE ROLE {APP} LOGIN",
        f"CREATE DATABASE {DATABASE} OWNER {OWNER}",
    ]  # fmt: skip
    for statement in setup:
        server.run("psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres",
                   "-d", "postgres", "-c", statement)  # fmt: skip
    return server
