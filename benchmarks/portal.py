"""Benchmark of the public portal at scale (run with `.venv/bin/python benchmarks/portal.py`).

N generated deliberations (default 1,000,000; `--records`; made in memory before the
load's clock starts, their generation timed apart), their words drawn from the real
corpus (Montpellier's subjects of 2013 for the subjects, the minutes of
tests/data/corpus/text for the statements and operative parts, chained word to word
as they follow each other there), loaded by the bulk path (`bulk_load`, progress bar
on stderr) into SQLite, then into a PostgreSQL server started for the run. Then, from
this process, on loopback, against `registre serve` (one process) on that data:
the fixed query set of tests/data/publication/search-queries.json (rare and common
words of real subjects), each as `GET /public/actes/?q=…` (20 per page, newest first),
and the plain listing `GET /public/actes/` (pages 1, 2 and 50), one request at a time;
the same through a bare view calling `search_acts` (count and first page, no filters
nor template), to tell the search's own cost from the page's. Objectives: load ≥ 5,000
acts/s; search p95 < 100 ms on PostgreSQL, < 250 ms on SQLite. Prints « OK » or
« SOUS L'OBJECTIF »; exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import http.client
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "register"))

from registre.cli_web import free_port
from web import pressure, report_log, report_slow, server_env, stop_server

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
QUERIES = list(json.loads((DATA / "publication" / "search-queries.json").read_text("utf-8")))
LOAD_TARGET = 5000.0  # acts/s
SEARCH_P95 = {"SQLite": 0.250, "PostgreSQL": 0.100}  # seconds
BARE = "/banc/recherche/"  # the bare view's path, added by --serve
MATTERS = ("Commande publique", "Urbanisme", "Domaine et patrimoine", "Finances locales",
           "Fonction publique", "Institutions et vie politique", "Environnement",
           "Culture", "Enseignement", "Aide sociale")  # fmt: skip


def chain(texts: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Each word's followers as they occur in `texts` (repeated as often), and the
    first words of the texts."""
    followers: dict[str, list[str]] = {}
    starts = []
    for text in texts:
        words = text.split()
        if len(words) < 2:
            continue
        starts.append(words[0])
        for word, after in itertools.pairwise(words):
            followers.setdefault(word, []).append(after)
    return followers, starts


def walk(rng: random.Random, followers: dict[str, list[str]], starts: list[str],
         length: int) -> str:  # fmt: skip
    """A text of about `length` words, each following the last as in the corpus."""
    words = [rng.choice(starts)]
    while len(words) < length:
        after = followers.get(words[-1])
        words.append(rng.choice(after) if after else rng.choice(starts))
    return " ".join(words)


def corpus_texts() -> tuple[list[str], list[str]]:
    """The real subjects (their parts) and the sentences of the real minutes."""
    with (DATA / "publication" / "montpellier-2013-11-2013-12.csv").open(encoding="utf-8") as f:
        titles = [row["Titre"] for row in csv.DictReader(f, delimiter=";")]
    subjects = [part.strip(" -") for t in titles for part in t.split("_x0001_") if part.strip()]
    text = " ".join(p.read_text("utf-8") for p in sorted((DATA / "corpus" / "text").glob("*.txt"))
                    if not p.name.endswith(".source.txt"))  # fmt: skip
    sentences = [s for s in re.split(r"(?<=[.;:])\s+", " ".join(text.split())) if len(s) > 20]
    return subjects, sentences


def generate(count: int, assemblies: list[Any], seed: int = 0) -> Iterator[Any]:
    """`count` unsaved acts of the assemblies, over 2000–2025, 0.5 % withdrawn; their
    texts drawn from pools made first (before the caller starts its clock)."""
    rng = random.Random(seed)
    subjects, sentences = corpus_texts()
    sub, text = chain(subjects), chain(sentences)
    pools = ([walk(rng, *sub, rng.randint(5, 16)) for _ in range(50_000)],
             [walk(rng, *text, rng.randint(80, 200)) for _ in range(5_000)],
             ["- d'approuver " + walk(rng, *text, rng.randint(15, 40)) for _ in range(5_000)])  # fmt: skip
    return _acts(rng, count, assemblies, pools)


def _acts(
    rng: random.Random, count: int, assemblies: list[Any], pools: tuple[list[str], ...]
) -> Iterator[Any]:
    from django.utils import timezone  # noqa: PLC0415

    from registre.web.publication.models import PublishedAct  # noqa: PLC0415

    subjects, statements, operative = pools
    sequence: dict[tuple[int, int], int] = {}
    first, now = dt.date(2000, 1, 1).toordinal(), timezone.now()
    for _ in range(count):
        assembly = rng.choice(assemblies)
        day = dt.date.fromordinal(first + rng.randrange(9490))
        number = sequence[assembly.pk, day.year] = sequence.get((assembly.pk, day.year), 0) + 1
        yield PublishedAct(
            collectivity_id=assembly.collectivity_id, assembly=assembly, meeting_date=day,
            number=f"{day.year}_{number:05d}", subject=rng.choice(subjects),
            statement=rng.choice(statements), operative_part=rng.choice(operative),
            matter_label=rng.choice(MATTERS), outcome="adopted", record_json="{}",
            published_on=day + dt.timedelta(days=3), published_at=now,
            withdrawn_at=now if rng.random() < 0.005 else None,
        )  # fmt: skip


def run_load(count: int) -> None:
    """(In the loading subprocess) migrate, create 40 collectivities, load `count`
    acts; print the load's seconds as JSON."""
    import django  # noqa: PLC0415

    os.environ["DJANGO_SETTINGS_MODULE"] = "registre.web.settings"
    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    from registre.record import AssemblyKind, CollectivityKind  # noqa: PLC0415
    from registre.web.clock import system_clock  # noqa: PLC0415
    from registre.web.core.services import create_collectivity  # noqa: PLC0415
    from registre.web.publication.bulk import bulk_load  # noqa: PLC0415

    call_command("migrate", verbosity=0, interactive=False)
    assemblies = [create_collectivity(None, system_clock, name=f"Commune {i}", siren=f"{210000000 + i}",
                                      kind=CollectivityKind.COMMUNE,
                                      assemblies=(AssemblyKind.CONSEIL,)).assemblies.get()
                  for i in range(40)]  # fmt: skip
    # made before the clock starts: the load is timed, not this benchmark's generator
    # (what a real load reads, an archive's records, is on disk already)
    started = time.perf_counter()
    acts = list(generate(count, assemblies))
    generated = time.perf_counter() - started
    start, cpu = time.perf_counter(), time.process_time()
    bulk_load(acts, total=count, defer_index=True, batch_size=2000)
    # the loader's own CPU (its threads, not its worker processes nor the database's)
    print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                      "generated": generated}))  # fmt: skip


def run_serve(port: int) -> None:
    """(In the server subprocess) `registre serve`'s server, plus the bare view."""
    import django  # noqa: PLC0415

    os.environ["DJANGO_SETTINGS_MODULE"] = "registre.web.settings"
    django.setup()
    import uvicorn  # noqa: PLC0415
    from django.core.paginator import Paginator  # noqa: PLC0415
    from django.http import HttpResponse  # noqa: PLC0415
    from django.urls import clear_url_caches, path  # noqa: PLC0415

    from registre.web import urls  # noqa: PLC0415
    from registre.web.asgi import application  # noqa: PLC0415
    from registre.web.core.tenancy import public_view  # noqa: PLC0415
    from registre.web.publication.models import PublishedAct  # noqa: PLC0415
    from registre.web.publication.search import search_acts  # noqa: PLC0415

    @public_view
    def bare(request: Any) -> HttpResponse:
        acts = PublishedAct.objects.visible().order_by("-meeting_date", "-number")
        if request.GET.get("q"):
            acts = search_acts(acts, request.GET["q"])
        page = Paginator(acts, 20).get_page(request.GET.get("page"))
        lines = [f"<li>{a.number} {a.subject}</li>" for a in page]
        return HttpResponse(f"<p>{page.paginator.count}</p><ul>{''.join(lines)}</ul>")

    urls.urlpatterns.insert(0, path(BARE.strip("/") + "/", bare))
    clear_url_caches()
    # as `registre serve` runs it (uvicorn, one process), the bare view added
    uvicorn.run(application, host="127.0.0.1", port=port, lifespan="off", log_level="warning",
                access_log=False, server_header=False)  # fmt: skip


def get(port: int, path: str) -> float:
    """One GET on a new connection; its seconds (SystemExit unless 200)."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise SystemExit(f"GET {path} : réponse {response.status}\n{body[:2000]!r}")
    return time.perf_counter() - start


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure_requests(port: int, rounds: int) -> dict[str, list[float]]:
    """Latencies of the search and the listing, page and bare view, `rounds` passes."""
    searches = [f"?q={urllib.parse.quote(q)}" for q in QUERIES]
    listings = ["", "?page=2", "?page=50"]
    kinds = {"search": searches, "listing": listings}
    times: dict[str, list[float]] = {}
    for path in searches[:5] + listings:  # warm-up: templates, connections, caches
        get(port, "/public/actes/" + path)
        get(port, BARE + path)
    for _ in range(rounds):
        for kind, queries in kinds.items():
            for query in queries:
                times.setdefault(f"{kind} page", []).append(get(port, "/public/actes/" + query))
                times.setdefault(f"{kind} bare", []).append(get(port, BARE + query))
    return times


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """The server subprocess (this file with --serve), once it answers."""
    command = [sys.executable, __file__, "--serve", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
                return process
            if process.poll() is not None:
                raise SystemExit(f"le serveur s'est arrêté :\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        raise SystemExit("le serveur ne répond pas après 60 s")
    except BaseException:
        stop_server(process)
        raise


def measure(database: str, url: str | None, count: int, rounds: int) -> dict[str, Any]:
    """Load `count` acts into a fresh database, then time the requests."""
    with tempfile.TemporaryDirectory(prefix="registre-portal-bench-") as tmp:
        env = server_env(Path(tmp), url)
        print(f"{database} : {count:,} actes".replace(",", " "), flush=True)
        done = subprocess.run([sys.executable, __file__, "--load", str(count)], env=env,
                              stdout=subprocess.PIPE, text=True, check=False)  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"chargement {database} impossible")
        loaded = json.loads(done.stdout.strip().splitlines()[-1])
        port, log = free_port(), Path(tmp) / "serveur.log"
        server = serve(env, port, log)
        try:
            times = measure_requests(port, rounds)
        finally:
            stop_server(server)
            report_log(database, log)
    seconds = loaded["seconds"]
    return {"database": database, "rate": count / seconds, "seconds": seconds,
            "cpu": loaded["cpu"] / count, "generated": loaded["generated"],
            "times": times}  # fmt: skip


def measure_postgres(count: int, rounds: int) -> dict[str, Any] | None:
    """The same on a PostgreSQL server started for the run (fsync off, as in the tests)."""
    import pgserver  # noqa: PLC0415

    server = pgserver.start()
    if server is None:
        return None
    try:
        for sql in ("ALTER SYSTEM SET log_min_duration_statement = 100",
                    "ALTER SYSTEM SET shared_buffers = '1GB'",
                    "ALTER SYSTEM SET work_mem = '32MB'"):  # fmt: skip
            server.run("psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres",
                       "-d", "postgres", "-c", sql)  # fmt: skip
        server.run("pg_ctl", "-D", str(server.folder / "data"), "-l", str(server.folder / "log"),
                   "-w", "restart")  # fmt: skip
        url = f"postgresql://postgres@127.0.0.1:{server.port}/{pgserver.DATABASE}"
        return measure("PostgreSQL", url, count, rounds)
    finally:
        report_slow(server.folder / "log")
        server.stop()


def print_table(results: list[dict[str, Any]], count: int) -> None:
    """The summary: load rate, p50/p95 of search and listing, objectives."""
    ok = {True: "OK", False: "SOUS L'OBJECTIF"}
    print(f"\nPortail, {count:,} actes générés".replace(",", " ") + f" ; charge moyenne "
          f"{os.getloadavg()[0]:.1f}{pressure()}")  # fmt: skip
    print(f"{'Mesure':<46} {'p50':>8} {'p95':>8} {'objectif':>12}  état")
    for result in results:
        name, rate, seconds = result["database"], result["rate"], result["seconds"]
        loaded = f"{rate:,.0f} actes/s ({seconds:.0f} s)".replace(",", " ")
        print(f"{'Chargement ' + name:<46} {loaded:>17} {'>= 5 000/s':>12}  "
              f"{ok[rate >= LOAD_TARGET]:<16} CPU du chargeur {result['cpu'] * 1e6:.0f} µs/acte")  # fmt: skip
        both = result["generated"] + seconds
        print(f"  (génération des actes avant le chargement : {result['generated']:.0f} s ; "
              f"génération et chargement : {count / both:,.0f} actes/s)".replace(",", " "))  # fmt: skip
        for kind, label in (("search", "Recherche"), ("listing", "Liste")):
            for how, where in (("page", "page /public/actes/"), ("bare", "search_acts seul")):
                times = result["times"][f"{kind} {how}"]
                p50, p95 = quantile(times, 0.5) * 1000, quantile(times, 0.95) * 1000
                target = SEARCH_P95[name] * 1000 if kind == "search" else None
                state = ok[p95 < target] if target else ""
                goal = f"< {target:.0f} ms" if target else "—"
                print(f"{f'{label} {name}, {where}':<46} {p50:>5.0f} ms {p95:>5.0f} ms "
                      f"{goal:>12}  {state}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000, help="actes générés")
    parser.add_argument("--rounds", type=int, default=5, help="passes sur les requêtes")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="une seule base")
    parser.add_argument("--load", type=int, help=argparse.SUPPRESS)  # the loading subprocess
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the server subprocess
    args = parser.parse_args(argv)
    if args.load is not None:
        run_load(args.load)
        return 0
    if args.serve is not None:
        run_serve(args.serve)
        return 0
    results = []
    if args.only != "postgresql":
        results.append(measure("SQLite", None, args.records, args.rounds))
    if args.only != "sqlite":
        postgres = measure_postgres(args.records, args.rounds)
        if postgres is None:
            print("PostgreSQL non installé : mesures PostgreSQL non faites.")
        else:
            results.append(postgres)
    print_table(results, args.records)
    return 0


if __name__ == "__main__":
    sys.exit(main())
