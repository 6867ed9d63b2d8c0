"""Benchmark of the web application (run with `.venv/bin/python benchmarks/web.py`).

The agenda page (GET /c/<cid>/seances/<id>/) and a draft's save (POST
/c/<cid>/projets/<id>/modifier/), on SQLite and on PostgreSQL: the highest fixed arrival
rate whose p95 latency stays under 100 ms without error (objectives 100 pages/s, 30 saves/s).
The server is `registre serve` (uvicorn, 8 request threads) on the demo data, in its own process
on core 1 (with PostgreSQL); this script, on core 0, loads it in open loop: request i is
due at t0 + i/rate whatever the answers (64 threads, a new connection each), its latency
counted from then. Each rate runs 5 s (`--quick`: 2 s), once more when it fails, going up
until the first that fails twice. Prints « OK » or « SOUS L'OBJECTIF » per objective; exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "register"))

from registre.cli_web import free_port

P95_LIMIT = 0.100  # seconds
TIMEOUT = 2.0  # seconds: a request not answered (or not sent) by then is a failure
WORKERS = 64
PAGE_RATES = (25, 50, 75, 100, 150, 200, 300, 400, 600, 800)
SAVE_RATES = (10, 20, 30, 40, 60, 80, 120, 160, 240, 320)
TARGETS = {"GET": 100.0, "POST": 30.0}
EXPECTED = {"GET": 200, "POST": 302}  # a save redirects to the draft; 200 is a rejected form
SERVER_CORE, LOAD_CORE = 1, 0
SLOW_MS = 50  # PostgreSQL logs the statements slower than this

SETUP = """
import json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "registre.web.settings"
django.setup()
from django.core.management import call_command
from registre.web.clock import system_clock
from registre.web.demo import load_demo
from registre.web.meetings.models import AgendaItem
call_command("migrate", verbosity=0, interactive=False)
demo, item = load_demo(system_clock), AgendaItem.objects.get()
form = {name: getattr(item, name) for name in
        ("subject", "heading", "matter_code", "statement", "operative_part")}
print(json.dumps({"cid": demo.collectivity_id, "meeting": demo.meeting_id, "item": item.pk,
    "username": demo.username, "password": demo.password,
    "form": {**form, "rapporteur": item.rapporteur_id or ""}}))
"""


@dataclass(frozen=True, slots=True)
class Target:
    """What the requests need: the address, the paths, the cookies and the form."""

    port: int
    pid: int  # the server's process
    page: str
    edit: str
    cookie: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Step:
    """One rate held for a while: latencies of the answered requests and failures."""

    rate: float
    latencies: list[float]
    failures: int
    cpu: float  # server CPU seconds per request (its own process, not PostgreSQL's)

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("inf")

    @property
    def ok(self) -> bool:
        return self.failures == 0 and self.quantile(0.95) < P95_LIMIT


# whether this machine can give the server and the generator a core each
CAN_PIN = hasattr(os, "sched_setaffinity") and {SERVER_CORE, LOAD_CORE} <= os.sched_getaffinity(0)


SERVER_PROCESSES = [1]  # `registre serve --workers`, set by main


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its workers so far (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(int(child)) for child in children)


def server_env(folder: Path, url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REGISTRE_DEBUG")}
    env.update(REGISTRE_DATA=str(folder), REGISTRE_SQLITE="bench.sqlite3")
    return {**env, "DATABASE_URL": url} if url else env


def load_data(
    env: dict[str, str], code: str = SETUP, what: str = "chargement de la démonstration"
) -> dict[str, object]:
    """Run `code` (migrate and create the data) in a subprocess; the JSON it printed last."""
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{what} impossible :\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def start_server(
    env: dict[str, str], port: int, log: Path, workers: int
) -> subprocess.Popen[bytes]:
    """`registre serve --workers N` on `port`, one process pinned to the server's core;
    returns once it answers."""
    command = [sys.executable, "-m", "registre.cli", "serve", "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        if CAN_PIN and workers == 1:  # before it imports Django, long before it serves
            os.sched_setaffinity(process.pid, {SERVER_CORE})
        wait_for(process, port, log)
    except BaseException:  # Ctrl+C included: the server does not outlive the run
        stop_server(process)
        raise
    return process


def wait_for(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"le serveur s'est arrêté :\n{log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("le serveur ne répond pas après 60 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def session(port: int, username: str, password: str, page: str) -> tuple[str, str]:
    """Log in over HTTP; the session and CSRF cookies, and the form token of `page`."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    login = opener.open(f"{base}/connexion/", timeout=30)
    form = {"csrfmiddlewaretoken": _token(login.read().decode("utf-8")),
            "username": username, "password": password}  # fmt: skip
    request = urllib.request.Request(login.url, data=urllib.parse.urlencode(form).encode(),
                                     headers={"Referer": login.url})  # fmt: skip
    opener.open(request, timeout=30).read()
    token = _token(opener.open(base + page, timeout=30).read().decode("utf-8"))
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies or "csrftoken" not in cookies:
        raise SystemExit(f"connexion de {username} impossible (cookies : {sorted(cookies)})")
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), token


def log_in(port: int, pid: int, data: dict[str, object]) -> Target:
    """Log in as the clerk once; the session and CSRF cookies and token every request reuses."""
    edit = f"/c/{data['cid']}/projets/{data['item']}/modifier/"
    cookie, token = session(port, str(data["username"]), str(data["password"]), edit)
    fields = {**data["form"], "csrfmiddlewaretoken": token}  # type: ignore[dict-item]
    return Target(port, pid, f"/c/{data['cid']}/seances/{data['meeting']}/", edit, cookie,
                  urllib.parse.urlencode(fields).encode())  # fmt: skip


def _token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if found is None:
        raise SystemExit("jeton CSRF introuvable dans la page")
    return found[1]


def send(target: Target, method: str) -> int:
    """One request on a new connection; its HTTP status."""
    connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=TIMEOUT)
    headers = {"Cookie": target.cookie, "Content-Type": "application/x-www-form-urlencoded"}
    path, body = (target.edit, target.body) if method == "POST" else (target.page, None)
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def run_step(
    pool: ThreadPoolExecutor, target: Target, method: str, rate: float, seconds: float
) -> Step:
    """Requests due at t0 + i/rate for `seconds`, whatever the answers."""
    latencies: list[float] = []
    failures: list[float] = []

    def one(due: float) -> None:
        status = 0
        with contextlib.suppress(OSError):  # timeouts, refused or reset connections
            if time.perf_counter() - due < TIMEOUT:  # a request late by more is abandoned
                status = send(target, method)
        latency = time.perf_counter() - due
        ok = status == EXPECTED[method] and latency < TIMEOUT
        (latencies if ok else failures).append(latency)  # list.append is atomic

    count, cpu = int(rate * seconds), cpu_seconds(target.pid)
    start = time.perf_counter() + 0.05
    futures = []
    for i in range(count):
        due = start + i / rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        futures.append(pool.submit(one, due))
    for future in futures:
        future.result()
    return Step(rate, latencies, len(failures), (cpu_seconds(target.pid) - cpu) / count)


def ramp(pool: ThreadPoolExecutor, target: Target, method: str, seconds: float) -> Step | None:
    """The last step passed, the rate going up until the first failing one."""
    for _ in range(20):  # warm-up (templates, connections), and the answers checked
        if (status := send(target, method)) != EXPECTED[method]:
            raise SystemExit(f"{method} : réponse {status}, {EXPECTED[method]} attendu")
    passed = None
    for rate in PAGE_RATES if method == "GET" else SAVE_RATES:
        step = run_step(pool, target, method, rate, seconds)
        if not step.ok:  # a second chance: the VM's other tenants come and go
            print_step(method, step)
            time.sleep(2)  # the server's queue drains
            step = run_step(pool, target, method, rate, seconds)
        print_step(method, step)
        if not step.ok:
            break
        passed = step
    return passed


def print_step(method: str, step: Step) -> None:
    print(f"  {method} {step.rate:>4g}/s : {len(step.latencies) + step.failures} requêtes, "
          f"p50 {step.quantile(0.5) * 1000:.0f} ms, p95 {step.quantile(0.95) * 1000:.0f} ms, "
          f"max {step.quantile(1.0) * 1000:.0f} ms, échecs {step.failures}, "
          f"CPU serveur {step.cpu * 1000:.1f} ms/requête", flush=True)  # fmt: skip


Result = tuple[str, str, Step | None]  # label, method, last step passed


def measure(database: str, url: str | None, seconds: float) -> list[Result]:
    """Both measures on one database, with its own server and data folder."""
    with tempfile.TemporaryDirectory(prefix="registre-web-bench-") as tmp:
        env = server_env(Path(tmp), url)
        data = load_data(env)
        port, log = free_port(), Path(tmp) / "serveur.log"
        server = start_server(env, port, log, SERVER_PROCESSES[0])
        try:
            target = log_in(port, server.pid, data)
            pool = ThreadPoolExecutor(WORKERS)
            try:
                print(f"{database} :", flush=True)
                page = ramp(pool, target, "GET", seconds)
                save = ramp(pool, target, "POST", seconds)
            finally:  # on Ctrl+C, the requests not yet sent are dropped
                pool.shutdown(wait=True, cancel_futures=True)
        finally:
            stop_server(server)
            report_log(database, log)
    return [(f"Page de la séance, {database}", "GET", page),
            (f"Enregistrement d'un projet, {database}", "POST", save)]  # fmt: skip


def report_log(database: str, log: Path) -> None:
    """What the server said besides its banner: errors, warnings."""
    lines = [line for line in log.read_text(errors="replace").splitlines()
             if line.strip() and not line.startswith(("registre sert", "arrêt du serveur"))]  # fmt: skip
    if lines:
        distinct = list(dict.fromkeys(re.sub(r"\d+", "N", line) for line in lines))
        print(f"  journal du serveur {database} : {len(lines)} lignes, dont :")
        for line in distinct[:5]:
            print(f"    {line[:160]}")


def measure_postgres(seconds: float) -> list[Result] | None:
    """Both measures on a PostgreSQL server started for the run (on the server's core)."""
    import pgserver  # noqa: PLC0415

    pinned = CAN_PIN and SERVER_PROCESSES[0] == 1
    if pinned:  # the postmaster inherits this affinity
        os.sched_setaffinity(0, {SERVER_CORE})
    try:
        server = pgserver.start()
    finally:
        if pinned:
            os.sched_setaffinity(0, {LOAD_CORE})
    if server is None:
        return None
    try:
        for sql in (f"ALTER SYSTEM SET log_min_duration_statement = {SLOW_MS}",
                    "SELECT pg_reload_conf()"):  # fmt: skip
            server.run("psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres",
                       "-d", "postgres", "-c", sql)  # fmt: skip
        url = f"postgresql://postgres@127.0.0.1:{server.port}/{pgserver.DATABASE}"
        return measure("PostgreSQL", url, seconds)
    finally:
        report_slow(server.folder / "log")
        server.stop()


def report_slow(log: Path) -> None:
    """The statements PostgreSQL logged as slower than SLOW_MS, the slowest first."""
    text = log.read_text(errors="replace") if log.exists() else ""
    slow = [line for line in text.splitlines() if "duration:" in line]
    slow.sort(key=lambda line: -float(line.split("duration:")[1].split()[0]))
    print(f"  requêtes SQL PostgreSQL de plus de {SLOW_MS} ms : {len(slow)}")
    for line in slow[:3]:
        print(f"    {line.split('duration:')[1][:200]}")


def print_results(results: list[Result]) -> None:
    print(f"{'Mesure':<40} {'débit max (p95 < 100 ms)':>25} {'p95':>7} {'objectif':>10}  "
          f"{'état':<16} CPU serveur")  # fmt: skip
    for label, method, step in results:
        target, unit = TARGETS[method], "pages/s" if method == "GET" else "enreg./s"
        rate = step.rate if step else 0.0
        p95 = f"{step.quantile(0.95) * 1000:.0f} ms" if step else "—"
        cpu = f"{step.cpu * 1000:.1f} ms/requête" if step else "—"
        state = "OK" if rate >= target else "SOUS L'OBJECTIF"
        print(f"{label:<40} {f'{rate:g} {unit}':>25} {p95:>7} "
              f"{f'>= {target:g}/s':>10}  {state:<16} {cpu}")  # fmt: skip


def pressure() -> str:
    """The share of the last minute some task waited for a CPU (Linux's PSI), if known."""
    try:
        some = Path("/proc/pressure/cpu").read_text().split()[2]  # avg60=…
    except (OSError, IndexError):
        return ""
    return f", attente de processeur {some.split('=')[1]} % de la dernière minute"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 s par débit au lieu de 5 s")
    parser.add_argument("--workers", type=int, default=2,
                        help="processus du serveur (2 : les deux cœurs, partagés avec le "
                             "générateur ; 1 : un cœur chacun)")  # fmt: skip
    args = parser.parse_args(argv)
    seconds = 2.0 if args.quick else 5.0
    SERVER_PROCESSES[0] = args.workers
    pinned = CAN_PIN and args.workers == 1
    if CAN_PIN and args.workers == 1:
        os.sched_setaffinity(0, {LOAD_CORE})
    sys.setswitchinterval(0.001)  # the scheduling thread waits less for the workers
    results = measure("SQLite", None, seconds)
    postgres = measure_postgres(seconds)
    placement = (f"serveur (et PostgreSQL) sur le cœur {SERVER_CORE}, générateur sur le cœur "
                 f"{LOAD_CORE}" if pinned else "sans épinglage : serveur, PostgreSQL et générateur "
                 "se partagent les cœurs")  # fmt: skip
    print(f"\nApplication web : {args.workers} processus uvicorn de 8 fils ; boucle ouverte, {WORKERS} fils, {seconds:g} s "
          f"par débit (refait une fois s'il échoue) ; {placement} ; charge moyenne "
          f"{os.getloadavg()[0]:.1f}{pressure()}")  # fmt: skip
    if postgres is None:
        print("PostgreSQL non installé : mesures PostgreSQL non faites.")
    print_results(results + (postgres or []))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the servers were stopped on the way out
        sys.exit("\ninterrompu.")
