"""`registre serve`, `registre demo` (the web demonstration) and `registre manage`:
the web application started for real, under uvicorn (a production ASGI server: the
live screens' streams wait in its event loop, `registre.web.asgi`)."""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import sys
import threading
import urllib.parse
import urllib.request

from registre.errors import RegistreError


def _setup(sqlite_file: str | None = None) -> None:
    """Configure and start Django (its settings read the environment)."""
    if sqlite_file:
        os.environ["REGISTRE_SQLITE"] = sqlite_file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registre.web.settings")
    import django  # noqa: PLC0415 (the web stack loads only for these commands)

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", verbosity=0, interactive=False)


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before any worker starts (French error if taken)."""
    try:
        listener = socket.create_server((host, port), reuse_port=False, backlog=1024)
    except OSError as exc:
        raise RegistreError(f"impossible d'écouter sur {host}:{port} ({exc.strerror}) : "
                            "choisissez un autre port avec --port.") from None  # fmt: skip
    listener.setblocking(False)
    return listener


GRACE = 2  # seconds


class Server:
    """uvicorn serving the ASGI application on a listening socket bound beforehand (as
    `registre serve` does; the browser tests run it in a thread)."""

    def __init__(self, listener: socket.socket) -> None:
        import uvicorn  # noqa: PLC0415

        from registre.web.asgi import application  # noqa: PLC0415

        self.listener = listener
        # the streams of open screens never end by themselves: cut after GRACE seconds
        config = uvicorn.Config(application, lifespan="off", log_level="warning",
                                access_log=False, proxy_headers=False, server_header=False,
                                timeout_graceful_shutdown=GRACE)  # fmt: skip
        self.uvicorn = uvicorn.Server(config)

    def run(self) -> None:
        """Serve until stopped (SIGINT, SIGTERM or `close`)."""
        self.uvicorn.run(sockets=[self.listener])

    @property
    def started(self) -> bool:
        """Whether it accepts connections."""
        return bool(self.uvicorn.started)

    def close(self) -> None:
        """Have `run` return (from another thread), the open streams cut."""
        self.uvicorn.should_exit = True


def run_serve(args: argparse.Namespace) -> int:
    """`registre serve`: migrate the database, then serve until interrupted, in
    `--workers` processes sharing one listening socket (each with an event loop for
    the live screens' streams and 8 threads for the requests)."""
    _setup()
    _migrate()
    listener = _listen(args.host, args.port)
    port = listener.getsockname()[1]
    print(f"registre sert l'application sur http://{args.host}:{port}/ avec "
          f"{args.workers} processus (Ctrl+C pour arrêter)", flush=True)  # fmt: skip
    _freeze_loaded()
    if args.workers <= 1:
        _run_until_interrupted(Server(listener))
        return 0
    return _prefork(listener, args.workers)


def _freeze_loaded() -> None:
    """Load the application, then move everything loaded so far out of the garbage
    collector's reach (`gc.freeze`). Django and registre's modules are 100,000-odd
    objects that live as long as the server; a full collection scanned them all, and
    its pause (about 90 ms, measured) landed on whichever request was running — the
    tail of the live meeting's votes. Done before the workers fork, so they also share
    these pages of memory instead of copying them as the collector touches them."""
    import gc  # noqa: PLC0415

    from django.urls import get_resolver  # noqa: PLC0415

    from registre.web.asgi import application  # noqa: F401, PLC0415

    get_resolver().check()  # the URL patterns, imported and compiled
    gc.collect()
    gc.freeze()


def _prefork(listener: socket.socket, workers: int) -> int:
    """Fork the workers (after closing the database connections, which must not be
    shared), wait for them, stop them all on Ctrl+C or SIGTERM."""
    from django.db import connections  # noqa: PLC0415

    connections.close_all()
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: serve until told to stop
            signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            _run_until_interrupted(Server(listener), quiet=True)
            os._exit(0)
        children.append(pid)
    signal.signal(signal.SIGTERM, lambda *_: _stop(children))
    try:
        for pid in children:
            os.waitpid(pid, 0)
    except KeyboardInterrupt:
        print("\narrêt du serveur.")
        _stop(children)
    return 0


def _stop(children: list[int]) -> None:
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for pid in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    raise SystemExit(0)


def _run_until_interrupted(server: Server, *, quiet: bool = False) -> None:
    try:
        server.run()
    except KeyboardInterrupt:
        if not quiet:
            print("\narrêt du serveur.")
    finally:
        server.close()


def run_web_demo(args: argparse.Namespace) -> int:
    """`registre demo`: a fresh SQLite database with Dijon métropole, a clerk account,
    then serve it; with --check, log in once on a free port and exit."""
    _setup("demo.sqlite3")
    from django.conf import settings  # noqa: PLC0415

    database = settings.DATABASES["default"]["NAME"]
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):  # the demo starts afresh each time
            if os.path.exists(f"{database}{suffix}"):
                os.remove(f"{database}{suffix}")
    _migrate()
    from registre.web.clock import system_clock  # noqa: PLC0415
    from registre.web.demo import load_demo  # noqa: PLC0415

    demo = load_demo(system_clock)
    listener = _listen(args.host, 0 if args.check else args.port)
    server = Server(listener)
    address = f"http://{args.host}:{listener.getsockname()[1]}/"
    print(f"Démonstration : Dijon métropole, 86 élus, séance du 23 novembre 2023.\n"
          f"Base : {database}\nAdresse : {address}\n"
          f"Identifiant : {demo.username}\nMot de passe : {demo.password}", flush=True)  # fmt: skip
    if args.check:
        return _check(server, address, demo.username, demo.password)
    _run_until_interrupted(server)
    return 0


def _check(server: Server, address: str, username: str, password: str) -> int:
    """Load the home page, log in as the clerk, and read the dashboard."""
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        login = opener.open(address, timeout=30)  # redirected to the login page
        page = login.read().decode("utf-8")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if login.status != 200 or token is None or "Connexion" not in page:
            print("ÉCHEC : la page d'accueil ne mène pas à la connexion.", file=sys.stderr)
            return 1
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token[1], "username": username,
                                       "password": password}).encode()  # fmt: skip
        request = urllib.request.Request(login.url, data=form, headers={"Referer": login.url})
        dashboard = opener.open(request, timeout=60).read().decode("utf-8")
    finally:
        server.close()
    if "Dijon métropole" not in dashboard or "86 membres en exercice" not in dashboard:
        print("ÉCHEC : après connexion, le tableau de bord de Dijon métropole manque.",
              file=sys.stderr)  # fmt: skip
        return 1
    print("Vérification : page d'accueil chargée, connexion du greffe réussie, "
          "tableau de bord de Dijon métropole affiché (86 membres en exercice).")  # fmt: skip
    return 0


def run_manage(args: argparse.Namespace) -> int:
    """`registre manage …`: Django's management commands (migrate, createsuperuser…)."""
    _setup()
    from django.core.management import execute_from_command_line  # noqa: PLC0415

    execute_from_command_line(["registre manage", *args.rest])
    return 0


def free_port() -> int:
    """A TCP port free on the loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def add_web(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `serve` and `manage` (the web `demo` options are added by `cli`)."""
    serve = commands.add_parser("serve", help="démarre l'application web (uvicorn)",
                                description="Démarre l'application web du greffe.")  # fmt: skip
    add_address(serve)
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="processus servant ensemble (1 ; le nombre de cœurs en production)")  # fmt: skip
    serve.set_defaults(run=run_serve)
    manage = commands.add_parser("manage", help="commandes d'administration de Django",
                                 description="Commandes Django : migrate, createsuperuser…")  # fmt: skip
    manage.add_argument("rest", nargs=argparse.REMAINDER, metavar="COMMANDE")
    manage.set_defaults(run=run_manage)


def add_address(parser: argparse.ArgumentParser) -> None:
    """--host and --port."""
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port d'écoute (8000)")
