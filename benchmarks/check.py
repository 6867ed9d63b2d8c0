"""Benchmark of `registre.rules.check` on a large meeting (run with `make bench`).

Builds, deterministically (random.Random(0)), a meeting of 150 members with 100
deliberations, each with its own attendance snapshot, a consistent tally and, for
a few, named votes; verifies that `check` finds no error in it; then measures how
many deliberations `check` handles per second on one core (best of several
repeats), the JSON decoding (`loads`) separately, and, for comparison, the same
consistency checks written as a clerk's script would write them: list scans over
the raw JSON dict.

Exits with status 1 when `check` handles fewer than 2000 deliberations per second.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from registre.record import (
    Assembly,
    AssemblyKind,
    Attendance,
    Civility,
    Collectivity,
    CollectivityKind,
    DeclaredCounts,
    DeliberationRecord,
    Meeting,
    MeetingMode,
    MeetingRecord,
    Member,
    NamedVote,
    Outcome,
    Proxy,
    Vote,
    VoteChoice,
    VoteMode,
    dumps,
    loads,
)
from registre.rules import Severity, check
from timing import pin_one_core

MEMBERS = 150
ITEMS = 100
TARGET = 2000  # deliberations per second
MEETING_DAY = date(2024, 3, 14)


# --- the meeting ------------------------------------------------------------------


def _members() -> tuple[Member, ...]:
    return tuple(
        Member(
            id=f"membre-{i:03d}",
            last_name=f"NOM{i:03d}",
            first_name=f"Prénom{i}",
            civility=Civility.MADAME if i % 2 else Civility.MONSIEUR,
            mandate_start=date(2020, 7, 15),
        )
        for i in range(1, MEMBERS + 1)
    )


def _attendance(
    rng: random.Random, ids: list[str], officers: set[str]
) -> tuple[Attendance, list[str]]:
    """One item's snapshot (about 120 present) and the members withdrawn for interest."""
    others = [m for m in ids if m not in officers]
    rng.shuffle(others)
    absent_n, represented_n = rng.randint(8, 16), rng.randint(10, 20)
    withdrawn_n = rng.randint(1, 3) if rng.random() < 0.15 else 0
    absent = others[:absent_n]
    represented = others[absent_n : absent_n + represented_n]
    withdrawn = others[absent_n + represented_n : absent_n + represented_n + withdrawn_n]
    gone = {*absent, *represented, *withdrawn}
    present = [m for m in ids if m not in gone]
    holders = rng.sample(present, represented_n)
    order = {m: i for i, m in enumerate(ids)}
    att = Attendance(
        present=tuple(present),
        absent=tuple(sorted(absent, key=order.__getitem__)),
        represented=tuple(sorted(represented, key=order.__getitem__)),
        withdrawn=tuple(sorted(withdrawn, key=order.__getitem__)),
        proxies=tuple(
            Proxy(giver=g, holder=h, given_on=MEETING_DAY - timedelta(days=rng.randint(1, 6)))
            for g, h in sorted(zip(represented, holders, strict=True), key=lambda gh: order[gh[0]])
        ),
        declared=DeclaredCounts(
            present=len(present), withdrawn=withdrawn_n, represented=represented_n, absent=absent_n
        ),
    )
    return att, sorted(withdrawn, key=order.__getitem__)


def _vote(rng: random.Random, att: Attendance, named: bool) -> tuple[Vote, Outcome]:
    present, represented = att.present or (), att.represented or ()
    voters = len(present) + len(represented)
    rejected = rng.random() < 0.05
    against = (
        rng.randint(voters // 2 + 5, voters - 10)
        if rejected
        else rng.choice((0, 0, rng.randint(1, 30)))
    )
    abstention = rng.randint(0, min(8, voters - against))
    not_voting = rng.randint(0, min(2, voters - against - abstention))
    for_ = voters - against - abstention - not_voting
    assert for_ != against
    mode = VoteMode.SHOW_OF_HANDS
    named_votes: tuple[NamedVote, ...] = ()
    requested: tuple[str, ...] = ()
    if named:
        ballots: list[tuple[str, str | None]] = [(m, None) for m in present]
        ballots += [(p.holder or "", p.giver) for p in att.proxies]
        rng.shuffle(ballots)
        choices = (
            [VoteChoice.FOR] * for_
            + [VoteChoice.AGAINST] * against
            + [VoteChoice.ABSTENTION] * abstention
            + [VoteChoice.NOT_VOTING] * not_voting
        )
        named_votes = tuple(
            NamedVote(member=m, choice=c, on_behalf_of=g)
            for (m, g), c in zip(ballots, choices, strict=True)
        )
        mode, requested = VoteMode.PUBLIC, tuple(present[: len(present) // 3])
    vote = Vote(
        mode=mode,
        for_=for_,
        against=against,
        abstention=abstention,
        not_voting=not_voting,
        proxies_counted=len(represented),
        unanimous=against == 0,
        public_requested_by=requested,
        named_votes=named_votes,
    )
    return vote, Outcome.ADOPTED if for_ > against else Outcome.REJECTED


def build_meeting(seed: int = 0) -> MeetingRecord:
    """The 150-member, 100-deliberation meeting, the same for a given seed."""
    rng = random.Random(seed)
    members = _members()
    ids = [m.id for m in members]
    president, secretary = ids[0], ids[1]
    items = []
    for n in range(ITEMS):
        att, withdrawn = _attendance(rng, ids, {president, secretary})
        vote, outcome = _vote(rng, att, named=n % 12 == 5)
        items.append(
            DeliberationRecord(
                number=f"2024-{n + 1:03d}",
                subject=f"Délibération de démonstration n° {n + 1}",
                matter_code=rng.choice(("1.1", "3.2", "7.1", "8.6")),
                rapporteur=rng.choice(att.present or ()),
                interested=tuple(withdrawn),
                attendance=att,
                vote=vote,
                outcome=outcome,
            )
        )
    opening = items[0].attendance
    assert opening is not None
    return MeetingRecord(
        collectivity=Collectivity(
            name="Métropole de démonstration", kind=CollectivityKind.METROPOLE
        ),
        assembly=Assembly(kind=AssemblyKind.CONSEIL, name="Conseil métropolitain"),
        meeting=Meeting(
            date=MEETING_DAY,
            members_in_office=MEMBERS,
            members=members,
            time=None,
            place="Salle du conseil",
            convocation_date=MEETING_DAY - timedelta(days=8),
            urgency=False,
            synthesis_note_sent=True,
            second_convocation=False,
            mode=MeetingMode.IN_PERSON,
            president=president,
            secretaries=(secretary,),
        ),
        attendance=opening,
        deliberations=tuple(items),
    )


# --- what a clerk's script would do ---------------------------------------------------


def naive_check(data: dict[str, Any]) -> list[str]:
    """The same consistency checks over the raw JSON, with lists and `in` scans."""
    problems: list[str] = []
    meeting = data["meeting"]
    roster = [m["id"] for m in meeting["members"]]
    day = date.fromisoformat(meeting["date"])
    if (day - date.fromisoformat(meeting["convocation_date"])).days - 1 < 5:
        problems.append("convocation tardive")
    if not meeting["secretaries"]:
        problems.append("pas de secrétaire")
    for officer in [meeting["president"], *meeting["secretaries"]]:
        if officer not in roster:
            problems.append(f"{officer} hors du conseil")
    for item in data["deliberations"]:
        problems += _naive_attendance(item, roster, meeting["members_in_office"])
        problems += _naive_proxies(item)
        problems += _naive_tally(item)
        problems += _naive_named_votes(item)
    return problems


def _naive_attendance(item: dict[str, Any], roster: list[str], seats: int) -> list[str]:
    problems: list[str] = []
    n, att = item["number"], item["attendance"]
    everyone = att["present"] + att["withdrawn"] + att["represented"] + att["absent"]
    seen: list[str] = []
    for m in everyone:
        if m not in roster:
            problems.append(f"{n}: {m} hors du conseil")
        if m in seen:
            problems.append(f"{n}: {m} listé deux fois")
        seen.append(m)
    if len(seen) != seats:
        problems.append(f"{n}: total {len(seen)} pour {seats} sièges")
    for key in ("present", "withdrawn", "represented", "absent"):
        declared = (att["declared"] or {}).get(key)
        if declared is not None and declared != len(att[key]):
            problems.append(f"{n}: {key} déclarés {declared}, listés {len(att[key])}")
    if len(att["present"]) <= seats // 2:
        problems.append(f"{n}: quorum")
    for m in item["interested"]:
        if m in att["present"]:
            problems.append(f"{n}: {m} intéressé et présent")
    return problems


def _naive_proxies(item: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    n, att = item["number"], item["attendance"]
    present, represented, proxies = att["present"], att["represented"], att["proxies"]
    holders: list[str] = []
    for p in proxies:
        if p["giver"] in present:
            problems.append(f"{n}: {p['giver']} présent et représenté")
        if p["giver"] not in represented:
            continue
        if p["holder"] in att["withdrawn"] or (
            p["holder"] in item["interested"] and p["holder"] in present
        ):
            problems.append(f"{n}: mandataire intéressé {p['holder']}")
        elif p["holder"] not in present:
            problems.append(f"{n}: mandataire absent {p['holder']}")
        if p["holder"] in holders:
            problems.append(f"{n}: {p['holder']} a deux procurations")
        holders.append(p["holder"])
    for giver in represented:
        if not any(p["giver"] == giver and p["holder"] for p in proxies):
            problems.append(f"{n}: mandataire inconnu pour {giver}")
    if item["vote"]["proxies_counted"] != len(represented):
        problems.append(
            f"{n}: procurations {item['vote']['proxies_counted']} pour {len(represented)}"
        )
    return problems


def _naive_tally(item: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    n, att, vote = item["number"], item["attendance"], item["vote"]
    voters = len(att["present"]) + len(att["represented"])
    total = sum(
        vote[k] or 0 for k in ("for", "against", "abstention", "not_voting", "blank", "void")
    )
    if total != voters:
        problems.append(f"{n}: décompte {total} pour {voters} votants")
    if vote["unanimous"] and vote["against"]:
        problems.append(f"{n}: unanimité avec des voix contre")
    if (item["outcome"] == "adopted") != (vote["for"] > vote["against"]):
        problems.append(f"{n}: résultat incohérent")
    if vote["mode"] == "public" and not vote["named_votes"]:
        problems.append(f"{n}: scrutin public sans noms")
    return problems


def _naive_named_votes(item: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    n, att, named = item["number"], item["attendance"], item["vote"]["named_votes"]
    choices = [v["choice"] for v in named]
    for choice in ("for", "against", "abstention", "not_voting"):
        if named and choices.count(choice) != item["vote"][choice]:
            problems.append(f"{n}: votes nominatifs « {choice} »")
    ballots: list[tuple[str, str | None]] = []
    for v in named:
        ballot = (v["member"], v["on_behalf_of"])
        if ballot in ballots:
            problems.append(f"{n}: {v['member']} a voté deux fois")
        ballots.append(ballot)
        if v["member"] in att["withdrawn"] or v["member"] in item["interested"]:
            problems.append(f"{n}: {v['member']} intéressé a voté")
        elif v["on_behalf_of"] is None and v["member"] not in att["present"]:
            problems.append(f"{n}: {v['member']} a voté sans être présent")
        elif v["on_behalf_of"] is not None and not any(
            p["giver"] == v["on_behalf_of"] and p["holder"] == v["member"] for p in att["proxies"]
        ):
            problems.append(f"{n}: {v['member']} vote sans procuration")
    return problems


# --- timing ---------------------------------------------------------------------------


def best_time(fn: Callable[[], object], repeat: int, min_seconds: float = 0.2) -> float:
    """Seconds per call: the best of `repeat` runs of enough calls to last `min_seconds`."""
    start = time.perf_counter()
    fn()
    number = max(1, int(min_seconds / max(time.perf_counter() - start, 1e-9)))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=7, help="mesures par chronométrage (défaut : 7)"
    )
    args = parser.parse_args(argv)

    record = build_meeting(0)
    text = dumps(record)
    data = json.loads(text)
    assert loads(text) == record

    findings = check(record)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        print(f"La séance de test n'est pas conforme : {errors[0].message}", file=sys.stderr)
        return 2
    naive = naive_check(data)
    if naive:
        print(f"Le script naïf signale un problème inattendu : {naive[0]}", file=sys.stderr)
        return 2
    broken = json.loads(text)
    broken["deliberations"][7]["attendance"]["present"].pop()
    bad = loads(json.dumps(broken, ensure_ascii=False))
    if not naive_check(broken) or not any(f.severity is Severity.ERROR for f in check(bad)):
        print(
            "Une séance altérée passe sans erreur : le banc d'essai ne contrôle rien.",
            file=sys.stderr,
        )
        return 2

    core = pin_one_core()
    t_check = best_time(lambda: check(record), args.repeat)
    t_loads = best_time(lambda: loads(text), args.repeat)
    t_json = best_time(lambda: json.loads(text), args.repeat)
    t_naive = best_time(lambda: naive_check(data), args.repeat)

    rate = ITEMS / t_check
    present = (
        sum(len(d.attendance.present or ()) for d in record.deliberations if d.attendance) / ITEMS
    )
    named = sum(1 for d in record.deliberations if d.vote and d.vote.named_votes)
    print(f"Séance : {MEMBERS} membres, {ITEMS} délibérations, {present:.0f} présents en moyenne, "
          f"{named} votes nominatifs, JSON de {len(text.encode()) / 1024:.0f} Kio ; "
          f"constats : {len(findings)} (aucune erreur) ; mesuré sur {core}, meilleur de {args.repeat}.")  # fmt: skip
    print(f"  check            : {t_check * 1e3:8.2f} ms par séance, {rate:9.0f} délibérations/s")
    print(
        f"  loads (décodage) : {t_loads * 1e3:8.2f} ms par séance, {ITEMS / t_loads:9.0f} délibérations/s"
    )
    print(f"  loads + check    : {(t_loads + t_check) * 1e3:8.2f} ms par séance, "
          f"{ITEMS / (t_loads + t_check):9.0f} délibérations/s")  # fmt: skip
    print(f"  script naïf (listes, JSON brut) : {t_naive * 1e3:8.2f} ms par séance ; "
          f"avec json.loads : {(t_json + t_naive) * 1e3:.2f} ms")  # fmt: skip
    print(f"  rapport script naïf / check : {t_naive / t_check:.2f} "
          f"(de bout en bout, json.loads + naïf / loads + check : {(t_json + t_naive) / (t_loads + t_check):.2f})")  # fmt: skip
    print(
        f"check: {MEMBERS} membres, {ITEMS} délibérations : {rate:.0f} délibérations/s (objectif >= {TARGET})"
    )
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
