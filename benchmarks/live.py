"""Benchmark of the live meeting (run with `.venv/bin/python benchmarks/live.py`).

A sitting of 150 members, all present, its first item in debate; 100 screens open
(90 public screens without login, 10 clerks' consoles on 2 sessions); meanwhile 2
clerks each record a named vote on the item once per second (another list of members
against each time, so each vote changes the tally). Two ways for the screens to
follow, each measured on its own server:

- « flux » (what the screens do): each screen holds one stream of server-sent events
  (its state URL with `Accept: text/event-stream`) and notes when each version
  arrives; the clerks' consoles follow theirs too, so a vote is answered by a 204
  with the version it produced (`X-Registre-Version`);
- « relève » (the fallback, for comparison): each screen polls its state URL every
  second (`?v=` the version it last saw: 204 while current, else the fragment), on a
  fixed schedule from a random start; a vote is answered by the console's fragment.

Measured: the vote's latency (objective p95 < 100 ms), the delay from its answer
until all 100 screens have received its version or a later one (objective: within
1 s), the failures (a vote refused, late or in error; a stream refused or cut; a poll
late or in error). On SQLite, then on PostgreSQL (a server started for the run).
Each run has its own `registre serve --workers 2` (both cores, shared with this
script), warmed up by 12 votes before the screens open (« vote seul »). Prints « OK »
or « SOUS L'OBJECTIF » per objective, and the two ways side by side; exits 0. About
5 minutes (`--quick`: 8 s of votes instead of 20, 3 minutes in all).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from live_clients import (
    TIMEOUT,
    VERSION,
    Poll,
    Screen,
    Site,
    Vote,
    connect,
    open_streams,
    poll,
    record_vote,
    send,
)
from registre.cli_web import free_port
from web import (
    SLOW_MS,
    cpu_seconds,
    load_data,
    pressure,
    report_log,
    report_slow,
    server_env,
    start_server,
    stop_server,
)

MEMBERS = 150
SCREENS = 100  # a tenth of them clerks' consoles, the others public screens
CLERKS = ("greffe", "greffe2")
VOTE_P95 = 0.100  # seconds
UPDATE_LIMIT = 1.0  # seconds: every screen shows a vote within this delay after its answer
THREADS = 192  # the polls' and votes' senders (the streams have a thread each)
WORKERS = 2  # `registre serve --workers`
PUSH = 0.0  # the « period » of a run whose screens follow a stream

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
class Plan:
    """What each database gets: seconds of votes, the runs (PUSH for the streams, else
    a poll period), the number of screens."""

    seconds: float
    runs: tuple[float, ...]
    screens: int

    @property
    def consoles(self) -> int:
        return self.screens // 10


@dataclass(slots=True)
class Outcome:
    """One run: a database, the streams or a poll period, and what was measured."""

    database: str
    period: float
    alone: float  # median latency of a vote before the screens open (warm-up)
    votes: list[Vote]
    polls: list[Poll]
    broken: int  # streams refused or cut
    delays: list[float]  # per successful vote: until the last screen received its version
    unseen: int  # successful votes some screen never received before the end
    cpu: float  # cores used by the server's processes (PostgreSQL's counted apart)
    pg_cpu: float | None
    own_cpu: float  # cores used by this script, the screens' and clerks' side

    @property
    def way(self) -> str:
        return "flux" if self.period == PUSH else f"relève {self.period:g} s"

    @property
    def vote_failures(self) -> int:
        return sum(not v.ok for v in self.votes)

    @property
    def screen_failures(self) -> int:
        return self.broken + sum(not p.ok for p in self.polls)

    @property
    def updated_in_time(self) -> bool:
        return self.unseen == 0 and bool(self.delays) and max(self.delays) <= UPDATE_LIMIT

    @property
    def p95(self) -> float:
        return quantile([v.latency for v in self.votes], 0.95)  # the failed ones too


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("inf")


def warm_up(site: Site, push: bool) -> float:
    """Templates, connections and both workers warmed, the answers checked (a slow
    first answer is forgiven, a refusal is not); the median latency of a vote alone
    (no screen open)."""
    latencies = []
    for n in range(12):
        vote = record_vote(site, n % 2, n, time.perf_counter(), push)
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
    status, page, _ = send(site.port, "GET", site.public + "etat/")
    found = VERSION.search(page)
    if status != 200 or found is None:
        raise SystemExit(f"état public : réponse {status} sans version")
    return int(found[1])


def screens_of(site: Site, plan: Plan) -> list[Screen]:
    version = current_version(site)
    return [Screen(site.public + "etat/", "", version)
            for _ in range(plan.screens - plan.consoles)] + [
        Screen(site.console + "etat/", site.sessions[n % 2].cookie, version)
        for n in range(plan.consoles)
    ]  # fmt: skip


def schedule(site: Site, plan: Plan, period: float, screens: int) -> list[tuple[float, int, int]]:
    """(due, screen or -1 - clerk, vote number), in order: the clerks' votes once a
    second each, the polls every `period` from a random start (none for streams)."""
    rng, due_list = random.Random(0), []
    end = plan.seconds + period + TIMEOUT
    for s in range(screens if period != PUSH else 0):
        due = rng.uniform(0, period)
        while due < end:
            due_list.append((due, s, 0))
            due += period
    for clerk in range(len(site.sessions)):
        due_list += [(0.25 + clerk / len(site.sessions) + n, -1 - clerk, n)
                     for n in range(int(plan.seconds))]  # fmt: skip
    return sorted(due_list)


def run(site: Site, database: str, period: float, plan: Plan, pg: int | None) -> Outcome:
    """The screens following (streams, or polls every `period` from a random start),
    the clerks voting once a second each, for `plan.seconds`; then one more period and
    the timeout, so that each screen can receive the last vote."""
    push = period == PUSH
    alone, screens = warm_up(site, push), screens_of(site, plan)
    votes: list[Vote] = []
    polls: list[Poll] = []
    lock, stop = threading.Lock(), threading.Event()

    def one(due: float, who: int, n: int) -> None:
        if who < 0:
            votes.append(record_vote(site, -1 - who, n, due, push))  # list.append is atomic
        else:
            polls.append(poll(site, screens[who], due, lock))

    streams = open_streams(site, screens, stop) if push else []
    cpu, pg_cpu = cpu_seconds(site.pid), cpu_seconds(pg) if pg else 0.0
    own = time.process_time()
    pool = ThreadPoolExecutor(THREADS if not push else 8)
    start = time.perf_counter() + 0.1
    try:
        for offset, who, n in schedule(site, plan, period, len(screens)):
            pause = start + offset - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            pool.submit(one, start + offset, who, n)
        if push:  # the last vote's events
            time.sleep(max(0.0, start + plan.seconds + 1 + TIMEOUT - time.perf_counter()))
    finally:  # on Ctrl+C, the requests not yet sent are dropped
        pool.shutdown(wait=True, cancel_futures=True)
        stop.set()
        for thread in streams:
            thread.join()
    wall = time.perf_counter() - start
    delays, unseen = update_delays(votes, screens)
    return Outcome(database, period, alone, votes, polls, sum(bool(s.failure) for s in screens),
                   delays, unseen, (cpu_seconds(site.pid) - cpu) / wall,
                   (cpu_seconds(pg) - pg_cpu) / wall if pg else None,
                   (time.process_time() - own) / wall)  # fmt: skip


def update_delays(votes: list[Vote], screens: list[Screen]) -> tuple[list[float], int]:
    """For each successful vote, the delay from its answer until the last of the
    screens received its version (or a later one); and how many votes some screen
    never received."""
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
    pg = f", PostgreSQL {o.pg_cpu:.2f} cœur" if o.pg_cpu is not None else ""
    if o.period == PUSH:
        screens = f"{o.broken} flux refusés ou coupés"
    else:
        fresh = [p.latency * 1000 for p in o.polls if p.status == 200]
        same = [p.latency * 1000 for p in o.polls if p.status == 204]
        screens = (f"{len(o.polls)} relèves : {len(fresh)} fragments (p95 "
                   f"{quantile(fresh, 0.95):.0f} ms), {len(same)} « 204 » (p95 "
                   f"{quantile(same, 0.95):.0f} ms), échecs {o.screen_failures}")  # fmt: skip
    print(f"  {o.way} : vote seul {o.alone * 1000:.0f} ms ; {len(o.votes)} votes (p50 {quantile(ms, 0.5):.0f} ms, "
          f"p95 {quantile(ms, 0.95):.0f} ms, max {quantile(ms, 1.0):.0f} ms, échecs {o.vote_failures}) ; "
          f"{screens} ; tous les écrans à jour : p95 {quantile(o.delays, 0.95) * 1000:.0f} ms, "
          f"max {quantile(o.delays, 1.0) * 1000:.0f} ms, votes jamais vus de tous {o.unseen} ; "
          f"CPU serveur {o.cpu:.2f} cœur{pg}, générateur {o.own_cpu:.2f} cœur", flush=True)  # fmt: skip
    reasons: dict[str, int] = {}
    for why in [v.why for v in o.votes] + [
        f"statut de relève {p.status}" for p in o.polls if not p.ok
    ]:
        if why:
            reasons[why] = reasons.get(why, 0) + 1
    if reasons:  # a poll's status 0: a timeout or a refused connection
        print(f"  échecs : {reasons}")


def measure(database: str, url: str | None, plan: Plan, pg: int | None) -> list[Outcome]:
    """The runs on one database and data folder, a server started for each (an
    overloaded one takes long to drain the requests the screens gave up)."""
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="registre-live-bench-") as tmp:
        env = server_env(Path(tmp), url)
        data = load_data(
            env, f"MEMBERS, CLERKS = {MEMBERS}, {CLERKS!r}\n{SETUP}", "préparation de la séance"
        )
        print(f"{database} :", flush=True)
        for period in plan.runs:
            port, log = free_port(), Path(tmp) / f"serveur-{period:g}.log"
            server = start_server(env, port, log, WORKERS)
            try:
                site = connect(port, server.pid, data)
                outcomes.append(run(site, database, period, plan, pg))
            finally:
                stop_server(server)
            print_outcome(outcomes[-1])
            report_log(f"{database}, {outcomes[-1].way}", log)
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
        where = f"{o.database}, {o.way}"
        ms = [v.latency for v in o.votes]  # the failed ones too
        late = _ms(quantile(o.delays, 1.0)) if o.unseen == 0 else f"{o.unseen} non vus"
        failures = o.vote_failures + o.screen_failures
        rows = [
            (f"Vote nominatif seul, médiane ({where})", _ms(o.alone), "", ""),
            (f"Vote nominatif, p50 ({where})", _ms(quantile(ms, 0.5)), "", ""),
            (f"Vote nominatif, p95 ({where})", _ms(o.p95), "< 100 ms", verdict(o.p95 < VOTE_P95)),
            (f"Vote nominatif, max ({where})", _ms(quantile(ms, 1.0)), "", ""),
            (f"Tous les écrans à jour, p95 ({where})", _ms(quantile(o.delays, 0.95)), "", ""),
            (f"Tous les écrans à jour, max ({where})", late, "<= 1 s",
             verdict(o.updated_in_time)),
            (f"Échecs : votes {o.vote_failures}, écrans {o.screen_failures} ({where})",
             str(failures), "0", verdict(failures == 0)),
        ]  # fmt: skip
        for label, value, target, state in rows:
            print(f"{label:<62} {value:>10} {target:>10}  {state}")


def print_comparison(outcomes: list[Outcome]) -> None:
    """The streams against the polls, database by database: the ratio of each figure."""
    pairs = [(a, b) for a in outcomes for b in outcomes
             if a.database == b.database and a.period == PUSH and b.period != PUSH]  # fmt: skip
    if not pairs:
        return
    print(f"\n{'Flux / relève':<40} {'flux':>10} {'relève':>10} {'rapport':>8}")
    for push, polled in pairs:
        where = f"{push.database}, {polled.way}"
        for label, a, b, unit in (
            ("vote p95", push.p95 * 1000, polled.p95 * 1000, "ms"),
            ("écrans à jour, max", quantile(push.delays, 1.0) * 1000,
             quantile(polled.delays, 1.0) * 1000, "ms"),
            ("CPU serveur", push.cpu, polled.cpu, ""),
        ):  # fmt: skip
            known = b and float("inf") not in (a, b)  # inf: no vote went through
            ratio = f"{a / b:.2f}" if known else "—"
            shown = ["—" if x == float("inf") else f"{x:.0f} ms" if unit == "ms"
                     else f"{x:.2f} cœur" for x in (a, b)]  # fmt: skip
            print(f"{f'{label} ({where})':<40} {shown[0]:>10} {shown[1]:>10} {ratio:>8}")


def _ms(seconds: float) -> str:
    return "—" if seconds == float("inf") else f"{seconds * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 s de votes au lieu de 20")
    parser.add_argument("--period", type=float, action="append",
                        help="période de relève des écrans en secondes, mesurée après le "
                             "flux (répétable ; 1 par défaut)")  # fmt: skip
    parser.add_argument("--no-poll", action="store_true", help="le flux seul, sans relève")
    parser.add_argument("--screens", type=int, default=SCREENS,
                        help=f"écrans ouverts, dont un dixième de consoles (défaut {SCREENS})")  # fmt: skip
    args = parser.parse_args(argv)
    runs = (PUSH,) + (() if args.no_poll else tuple(args.period or (1.0,)))
    plan = Plan(8.0 if args.quick else 20.0, runs, args.screens)
    sys.setswitchinterval(0.001)  # the scheduling thread waits less for the workers
    results = measure("SQLite", None, plan, None)
    postgres = measure_postgres(plan)
    print(f"\nSéance en direct : {MEMBERS} élus présents ; {plan.screens - plan.consoles} écrans "
          f"publics et {plan.consoles} consoles (2 sessions) suivant l'état par un flux, puis "
          f"par relève à période fixe (départ aléatoire) ; 2 greffiers enregistrant chacun un "
          f"vote nominatif par seconde pendant {plan.seconds:g} s ; serveur {WORKERS} processus "
          f"uvicorn (8 fils pour les requêtes chacun), sans épinglage (serveur, PostgreSQL et "
          f"générateur se partagent les {os.cpu_count()} cœurs) ; charge moyenne "
          f"{os.getloadavg()[0]:.1f}{pressure()}")  # fmt: skip
    if postgres is None:
        print("PostgreSQL non installé : mesures PostgreSQL non faites.")
    print_results(results + (postgres or []))
    print_comparison(results + (postgres or []))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the servers were stopped on the way out
        sys.exit("\ninterrompu.")
