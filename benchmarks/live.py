"""Benchmark of the live meeting (run with `.venv/bin/python benchmarks/live.py`).

A sitting of 150 members, all present, its first item in debate; 100 screens open
(90 public screens without login, 10 clerks' consoles on 2 sessions) each poll their
state URL every second (`?v=` the version they last saw: 204 while current, else the
fragment), on a fixed schedule from a random start; meanwhile 2 clerks each record a
named vote on the item once per second (another list of members against each time, so
each vote changes the tally). Measured: the vote's latency (objective p95 < 100 ms),
the delay from its answer until all 100 screens have fetched its version or a later
one (objective: within 1 s), a poll's latency, the failures. On SQLite, then on
PostgreSQL (a server started for the run). Each run has its own `registre serve
--workers 2` (both cores, shared with this script), warmed up by 12 votes before the
screens open (« vote seul »). When the screens miss the 1 s objective, the run is made
again with a poll every 0.5 s. Prints « OK » or « SOUS L'OBJECTIF » per objective;
exits 0. About 3 minutes (`--quick`: 8 s of votes instead of 20, 90 s in all).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookiejar
import os
import random
import re
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from registre.cli_web import free_port
from web import (
    SLOW_MS,
    cpu_seconds,
    load_data,
    pressure,
    report_log,
    report_slow,
    server_env,
    session,
    start_server,
    stop_server,
)

MEMBERS = 150
SCREENS = 100  # a tenth of them clerks' consoles, the others public screens
CLERKS = ("greffe", "greffe2")
VOTE_P95 = 0.100  # seconds
UPDATE_LIMIT = 1.0  # seconds: every screen shows a vote within this delay after its answer
TIMEOUT = 2.0  # seconds: a request not answered (or not sent) by then is a failure
THREADS = 192
WORKERS = 2  # `registre serve --workers`
PERIODS = (1.0, 0.5)  # the poll period; the second only when the first misses the objective
VERSION = re.compile(rb'data-version="(\d+)"')
REFUSAL = re.compile(rb'class="message error">([^<]*)<')

SETUP = """
import datetime as dt, json, os, secrets, django
os.environ["DJANGO_SETTINGS_MODULE"] = "registre.web.settings"
django.setup()
from django.core.management import call_command
from django.utils import timezone
from registre.record import CollectivityKind
from registre.web.clock import system_clock as clock
from registre.web.core.models import Role
from registre.web.core.services import create_collectivity, grant_role
from registre.web.live import services as live
from registre.web.live.models import Presence
from registre.web.meetings import services as meetings
from registre.web.members.models import Member
from registre.web.members.services import import_members
call_command("migrate", verbosity=0, interactive=False)
password = secrets.token_urlsafe(12)
town = create_collectivity(None, clock, name="Commune du banc d'essai",
    kind=CollectivityKind.COMMUNE, siren="219990001", population=50000)
clerk, _ = [grant_role(None, clock, town, username=name, role=Role.CLERK,
                       password=password).user for name in CLERKS]
assembly = town.assemblies.get()
FIRST = ["Marie", "Jean", "Anne", "Pierre", "Claire", "Louis", "Sophie", "Paul", "Julie",
         "Michel", "Nadia", "Karim", "Léa", "Hugo", "Inès"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau"]
rows = [f"{FIRST[i % 15]};{LAST[i // 15]};01/07/2020" for i in range(MEMBERS)]
data = ("prénom;nom;début du mandat\\n" + "\\n".join(rows) + "\\n").encode()
imported = import_members(clerk, clock, assembly, data, "elus.csv")
assert imported.created == MEMBERS and not imported.rejected, imported
members = list(Member.objects.filter(collectivity=town).order_by("pk"))
meeting = meetings.create_meeting(clerk, clock, assembly, meetings.MeetingFields(
    date=timezone.localdate(), time=dt.time(18, 0), place="Salle du conseil",
    mode="in_person"))
items = []
for subject in ("Budget primitif", "Tarifs de la cantine", "Subventions aux associations"):
    draft = meetings.save_draft(clerk, clock, town, None, meetings.DraftFields(
        subject=subject, statement="Exposé des motifs.", operative_part="Article 1 : approuve."))
    meetings.move_draft(clerk, clock, draft, "submit")
    meetings.move_draft(clerk, clock, draft, "validate")
    items.append(meetings.add_to_agenda(clerk, clock, meeting, draft))
sitting = live.open_sitting(clerk, clock, meeting, members[0], [members[1]])
for member in members:
    live.call_roll(clerk, clock, sitting, member, Presence.PRESENT)
live.start_item(clerk, clock, sitting, items[0])
print(json.dumps({"cid": town.pk, "meeting": meeting.pk, "items": [i.pk for i in items],
    "members": [m.pk for m in members], "clerks": CLERKS, "password": password}))
"""


@dataclass(frozen=True, slots=True)
class Session:
    """A logged-in clerk: the cookies every request sends, the CSRF token of the forms."""

    cookie: str
    token: str


@dataclass(frozen=True, slots=True)
class Site:
    """The server and what the requests need."""

    port: int
    pid: int
    console: str  # /c/<cid>/seances/<id>/console/
    public: str  # /public/seances/<id>/
    members: tuple[int, ...]
    sessions: tuple[Session, ...]


@dataclass(slots=True)
class Screen:
    """An open screen: its state URL, its cookies (none for a public screen), the
    version it shows, and each fragment it fetched (answered at, version)."""

    path: str
    cookie: str
    version: int
    seen: list[tuple[float, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Vote:
    """One named vote: its latency from the time it was due, when it was answered,
    the version its answer shows (0 when it failed)."""

    latency: float
    answered: float
    version: int
    why: str  # empty when it succeeded, else the failure: a status, a timeout, the refusal

    @property
    def ok(self) -> bool:
        return not self.why


@dataclass(frozen=True, slots=True)
class Poll:
    """One poll: its latency from the time it was due, its status (0: no answer)."""

    latency: float
    status: int
    ok: bool


@dataclass(frozen=True, slots=True)
class Plan:
    """What each run does: seconds of votes, the poll periods tried (the next one only
    while the screens miss the objective, unless `every`), the number of screens."""

    seconds: float
    periods: tuple[float, ...]
    every: bool
    screens: int

    @property
    def consoles(self) -> int:
        return self.screens // 10


@dataclass(slots=True)
class Outcome:
    """One run: a database, a poll period, and what was measured."""

    database: str
    period: float
    alone: float  # median latency of a vote before the screens open (warm-up)
    votes: list[Vote]
    polls: list[Poll]
    delays: list[float]  # per successful vote: until the last screen fetched its version
    unseen: int  # successful votes some screen never fetched before the end
    cpu: float  # cores used by the server's processes (PostgreSQL's counted apart)
    pg_cpu: float | None
    own_cpu: float  # cores used by this script, the screens' and clerks' side

    @property
    def vote_failures(self) -> int:
        return sum(not v.ok for v in self.votes)

    @property
    def poll_failures(self) -> int:
        return sum(not p.ok for p in self.polls)

    @property
    def updated_in_time(self) -> bool:
        return self.unseen == 0 and bool(self.delays) and max(self.delays) <= UPDATE_LIMIT


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("inf")


def send(
    port: int, method: str, path: str, cookie: str = "", body: bytes | None = None
) -> tuple[int, bytes]:
    """One request on a new connection; its status and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers |= {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def connect(port: int, pid: int, data: dict[str, object]) -> Site:
    console = f"/c/{data['cid']}/seances/{data['meeting']}/console/"
    sessions = tuple(Session(*session(port, name, str(data["password"]), console))
                     for name in data["clerks"])  # type: ignore[attr-defined]  # fmt: skip
    return Site(port, pid, console, f"/public/seances/{data['meeting']}/",
                tuple(data["members"]), sessions)  # type: ignore[arg-type]  # fmt: skip


def vote_body(site: Site, clerk: int, n: int) -> bytes:
    """The form of clerk `clerk`'s `n`-th named vote: all for but 1 to 10 members
    against, the count changing from one vote to the next (the clerks alternate)."""
    against = 1 + (2 * n + clerk) % 10
    fields = [("csrfmiddlewaretoken", site.sessions[clerk].token), ("action", "named"),
              ("default", "for")] + [("against", str(pk)) for pk in site.members[10:10 + against]]  # fmt: skip
    return urllib.parse.urlencode(fields).encode()


def record_vote(site: Site, clerk: int, n: int, due: float) -> Vote:
    """A named vote, answered by the console's fragment; a refusal (shown as a message
    in a 200 fragment), another status, no version or a late answer is a failure."""
    body = vote_body(site, clerk, n)
    status, page = 0, b""
    with contextlib.suppress(OSError):  # timeouts, refused or reset connections
        if time.perf_counter() - due < TIMEOUT:
            status, page = send(site.port, "POST", site.console + "action/",
                                site.sessions[clerk].cookie, body)  # fmt: skip
    answered = time.perf_counter()
    found, refused = VERSION.search(page), REFUSAL.search(page)
    why = ("délai dépassé" if status == 0 or answered - due >= TIMEOUT
           else f"statut {status}" if status != 200
           else f"refus : {refused[1].decode(errors='replace')[:80]}" if refused
           else "fragment sans version" if found is None else "")  # fmt: skip
    return Vote(answered - due, answered, int(found[1]) if found and not why else 0, why)


def poll(site: Site, screen: Screen, due: float, lock: threading.Lock) -> Poll:
    """One poll of a screen with the version it shows."""
    status, page = 0, b""
    with contextlib.suppress(OSError):
        if time.perf_counter() - due < TIMEOUT:
            status, page = send(site.port, "GET", f"{screen.path}?v={screen.version}",
                                screen.cookie)  # fmt: skip
    answered = time.perf_counter()
    ok = status in (200, 204) and answered - due < TIMEOUT
    if ok and status == 200:
        found = VERSION.search(page)
        if found is None:
            ok = False
        else:
            with lock:
                screen.seen.append((answered, int(found[1])))
                screen.version = max(screen.version, int(found[1]))
    return Poll(answered - due, status, ok)


def warm_up(site: Site) -> float:
    """Templates, connections and both workers warmed, the answers checked (a slow
    first answer is forgiven, a refusal is not); the median latency of a vote alone
    (no screen open)."""
    latencies = []
    for n in range(12):
        vote = record_vote(site, n % 2, n, time.perf_counter())
        if not vote.ok and vote.why != "délai dépassé":
            raise SystemExit(f"vote nominatif refusé ou en échec pendant la mise en route "
                             f"({vote})")  # fmt: skip
        latencies.append(vote.latency)
    lock = threading.Lock()
    for n in range(20):
        public = Screen(site.public + "etat/", "", 0)
        console = Screen(site.console + "etat/", site.sessions[n % 2].cookie, 0)
        for screen in (public, console):
            if (answer := poll(site, screen, time.perf_counter(), lock)).status not in (0, 200):
                raise SystemExit(f"{screen.path} : réponse {answer.status}, 200 attendu")
    return quantile(latencies[2:], 0.5)


def current_version(site: Site) -> int:
    status, page = send(site.port, "GET", site.public + "etat/")
    found = VERSION.search(page)
    if status != 200 or found is None:
        raise SystemExit(f"état public : réponse {status} sans version")
    return int(found[1])


def run(site: Site, database: str, period: float, plan: Plan, pg: int | None) -> Outcome:
    """The screens polling every `period` from a random start, the clerks voting once a
    second each, for `plan.seconds`; then the screens poll for one more period (plus the
    timeout), so that each can fetch the last vote."""
    rng, alone = random.Random(0), warm_up(site)
    version = current_version(site)
    screens = [Screen(site.public + "etat/", "", version)
               for _ in range(plan.screens - plan.consoles)] + [
        Screen(site.console + "etat/", site.sessions[n % 2].cookie, version)
        for n in range(plan.consoles)
    ]  # fmt: skip
    due_list: list[tuple[float, int, int]] = []  # (due, screen or -1 - clerk, vote number)
    end = plan.seconds + period + TIMEOUT
    for s in range(len(screens)):
        due = rng.uniform(0, period)
        while due < end:
            due_list.append((due, s, 0))
            due += period
    for clerk in range(len(site.sessions)):
        due_list += [(0.25 + clerk / len(site.sessions) + n, -1 - clerk, n)
                     for n in range(int(plan.seconds))]  # fmt: skip
    due_list.sort()
    votes: list[Vote] = []
    polls: list[Poll] = []
    lock = threading.Lock()

    def one(due: float, who: int, n: int) -> None:
        if who < 0:
            votes.append(record_vote(site, -1 - who, n, due))  # list.append is atomic
        else:
            polls.append(poll(site, screens[who], due, lock))

    cpu, pg_cpu = cpu_seconds(site.pid), cpu_seconds(pg) if pg else 0.0
    own = time.process_time()
    pool = ThreadPoolExecutor(THREADS)
    start = time.perf_counter() + 0.1
    try:
        for offset, who, n in due_list:
            pause = start + offset - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            pool.submit(one, start + offset, who, n)
    finally:  # on Ctrl+C, the requests not yet sent are dropped
        pool.shutdown(wait=True, cancel_futures=True)
    wall = time.perf_counter() - start
    delays, unseen = update_delays(votes, screens)
    return Outcome(database, period, alone, votes, polls, delays, unseen,
                   (cpu_seconds(site.pid) - cpu) / wall,
                   (cpu_seconds(pg) - pg_cpu) / wall if pg else None,
                   (time.process_time() - own) / wall)  # fmt: skip


def update_delays(votes: list[Vote], screens: list[Screen]) -> tuple[list[float], int]:
    """For each successful vote, the delay from its answer until the last of the
    screens fetched its version (or a later one); and how many votes some screen
    never fetched."""
    delays, unseen = [], 0
    timelines = [sorted(screen.seen) for screen in screens]
    for vote in (v for v in votes if v.ok):
        latest = 0.0
        for seen in timelines:
            when = next((t for t, version in seen if version >= vote.version), None)
            if when is None:
                unseen += 1
                break
            latest = max(latest, when - vote.answered)
        else:
            delays.append(latest)
    return delays, unseen


def print_outcome(o: Outcome) -> None:
    ms = [v.latency * 1000 for v in o.votes]  # the failed ones too: mostly timeouts
    fresh = [p.latency * 1000 for p in o.polls if p.status == 200]
    same = [p.latency * 1000 for p in o.polls if p.status == 204]
    pg = f", PostgreSQL {o.pg_cpu:.2f} cœur" if o.pg_cpu is not None else ""
    print(f"  relève toutes les {o.period:g} s : vote seul {o.alone * 1000:.0f} ms ; {len(o.votes)} votes (p50 {quantile(ms, 0.5):.0f} ms, "
          f"p95 {quantile(ms, 0.95):.0f} ms, max {quantile(ms, 1.0):.0f} ms, échecs {o.vote_failures}) ; "
          f"{len(o.polls)} relèves : {len(fresh)} fragments (p95 {quantile(fresh, 0.95):.0f} ms), "
          f"{len(same)} « 204 » (p95 {quantile(same, 0.95):.0f} ms), échecs {o.poll_failures} ; "
          f"tous les écrans à jour : p95 {quantile(o.delays, 0.95) * 1000:.0f} ms, "
          f"max {quantile(o.delays, 1.0) * 1000:.0f} ms, votes jamais vus de tous {o.unseen} ; "
          f"CPU serveur {o.cpu:.2f} cœur{pg}, générateur {o.own_cpu:.2f} cœur", flush=True)  # fmt: skip
    reasons: dict[str, int] = {}
    for v in o.votes:
        if v.why:
            reasons[v.why] = reasons.get(v.why, 0) + 1
    if reasons:
        print(f"  échecs des votes : {reasons}")
    statuses: dict[int, int] = {}
    for p in o.polls:
        if not p.ok:
            statuses[p.status] = statuses.get(p.status, 0) + 1
    if statuses:  # 0: a timeout or a refused connection
        print(f"  échecs des relèves par statut (0 : délai dépassé) : {statuses}")


def measure(database: str, url: str | None, plan: Plan, pg: int | None) -> list[Outcome]:
    """The runs on one database and data folder: the first poll period, then the next
    ones while the screens miss the objective; a server started for each (an overloaded
    one takes long to drain the requests the screens gave up)."""
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="registre-live-bench-") as tmp:
        env = server_env(Path(tmp), url)
        data = load_data(
            env, f"MEMBERS, CLERKS = {MEMBERS}, {CLERKS!r}\n{SETUP}", "préparation de la séance"
        )
        print(f"{database} :", flush=True)
        for period in plan.periods:
            port, log = free_port(), Path(tmp) / f"serveur-{period:g}.log"
            server = start_server(env, port, log, WORKERS)
            try:
                site = connect(port, server.pid, data)
                outcomes.append(run(site, database, period, plan, pg))
            finally:
                stop_server(server)
            print_outcome(outcomes[-1])
            report_log(f"{database}, relève {period:g} s", log)
            if outcomes[-1].updated_in_time and not plan.every:
                break
    return outcomes


def measure_postgres(plan: Plan) -> list[Outcome] | None:
    """The runs on a PostgreSQL server started for the run; None when not installed."""
    import pgserver  # noqa: PLC0415

    server = pgserver.start()
    if server is None:
        return None
    try:
        for sql in (f"ALTER SYSTEM SET log_min_duration_statement = {SLOW_MS}",
                    "SELECT pg_reload_conf()"):  # fmt: skip
            server.run("psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres",
                       "-d", "postgres", "-c", sql)  # fmt: skip
        postmaster = int((server.folder / "data" / "postmaster.pid").read_text().split()[0])
        url = f"postgresql://postgres@127.0.0.1:{server.port}/{pgserver.DATABASE}"
        return measure("PostgreSQL", url, plan, postmaster)
    finally:
        report_slow(server.folder / "log")
        server.stop()


def verdict(ok: bool) -> str:
    return "OK" if ok else "SOUS L'OBJECTIF"


def print_results(outcomes: list[Outcome]) -> None:
    print(f"{'Mesure':<62} {'valeur':>10} {'objectif':>10}  état")
    for o in outcomes:
        where = f"{o.database}, relève {o.period:g} s"
        ms = [v.latency for v in o.votes]  # the failed ones too
        p95 = quantile(ms, 0.95)
        late = _ms(quantile(o.delays, 1.0)) if o.unseen == 0 else f"{o.unseen} non vus"
        failures = o.vote_failures + o.poll_failures
        rows = [
            (f"Vote nominatif seul, médiane ({where})", _ms(o.alone), "", ""),
            (f"Vote nominatif, p50 ({where})", _ms(quantile(ms, 0.5)), "", ""),
            (f"Vote nominatif, p95 ({where})", _ms(p95), "< 100 ms", verdict(p95 < VOTE_P95)),
            (f"Vote nominatif, max ({where})", _ms(quantile(ms, 1.0)), "", ""),
            (f"Tous les écrans à jour, p95 ({where})", _ms(quantile(o.delays, 0.95)), "", ""),
            (f"Tous les écrans à jour, max ({where})", late, "<= 1 s",
             verdict(o.updated_in_time)),
            (f"Relève de l'état, p95 ({where})", _ms(quantile([p.latency for p in o.polls], 0.95)),
             "", ""),
            (f"Échecs : votes {o.vote_failures}, relèves {o.poll_failures} ({where})",
             str(failures), "0", verdict(failures == 0)),
        ]  # fmt: skip
        for label, value, target, state in rows:
            print(f"{label:<62} {value:>10} {target:>10}  {state}")


def _ms(seconds: float) -> str:
    return "—" if seconds == float("inf") else f"{seconds * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 s de votes au lieu de 20")
    parser.add_argument("--period", type=float, action="append",
                        help="période de relève des écrans en secondes (répétable ; par "
                             "défaut 1, puis 0,5 si 1 manque l'objectif)")  # fmt: skip
    parser.add_argument("--screens", type=int, default=SCREENS,
                        help=f"écrans ouverts, dont un dixième de consoles (défaut {SCREENS})")  # fmt: skip
    args = parser.parse_args(argv)
    plan = Plan(8.0 if args.quick else 20.0, tuple(args.period or PERIODS), bool(args.period),
                args.screens)  # fmt: skip
    sys.setswitchinterval(0.001)  # the scheduling thread waits less for the workers
    results = measure("SQLite", None, plan, None)
    postgres = measure_postgres(plan)
    print(f"\nSéance en direct : {MEMBERS} élus présents ; {plan.screens - plan.consoles} écrans "
          f"publics et {plan.consoles} consoles (2 sessions) relevant leur état à période fixe, "
          f"départ aléatoire ; 2 greffiers enregistrant chacun un vote nominatif par seconde "
          f"pendant {plan.seconds:g} s ; serveur {WORKERS} processus waitress de 8 fils, sans épinglage "
          f"(serveur, PostgreSQL et générateur se partagent les {os.cpu_count()} cœurs) ; "
          f"charge moyenne {os.getloadavg()[0]:.1f}{pressure()}")  # fmt: skip
    if postgres is None:
        print("PostgreSQL non installé : mesures PostgreSQL non faites.")
    print_results(results + (postgres or []))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the servers were stopped on the way out
        sys.exit("\ninterrompu.")
