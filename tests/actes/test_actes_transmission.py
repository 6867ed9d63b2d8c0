"""Sending to a fake operator on loopback (a real HTTP server, tests/actes/fake_operator.py):
acknowledgements, refusals, errors and a timeout; the register ends with exactly one
`transmitted` and one `acknowledged` event per act, and nothing is sent twice."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from actes_factories import PDF, classification, emitter
from fake_operator import FakeOperator, Script

from factories import FakeClock, dijon_record, with_item
from registre.actes import (
    OperatorClient,
    OperatorConfig,
    Outcome,
    PackageContents,
    RetryPolicy,
    build_package,
    parse_acknowledgement,
    read_package,
    register_events,
    send,
    transmission_for,
    validate,
)
from registre.record import EventKind, LifecycleEvent
from registre.register import SqliteStore, append_event, verify

ASSEMBLY = "242100410:conseil:1"
NO_WAIT = RetryPolicy(posts=3, polls=6, interval=0, sleep=lambda _: None)


def package_of(number: str) -> PackageContents:
    """A package of the Dijon deliberation renumbered `number`."""
    record = with_item(dijon_record(), 0, number=number)
    transmission = transmission_for(record, number, pdf=PDF, classification=classification())
    return read_package(build_package(transmission, emitter(), built_on=date(2023, 11, 24)).data)


@pytest.fixture
def operator() -> Iterator[FakeOperator]:
    with FakeOperator(departement="021", siren="242100410", delay=1.0) as fake:
        yield fake


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "registre.sqlite")
    yield opened
    opened.close()


def client(fake: FakeOperator) -> OperatorClient:
    return OperatorClient(OperatorConfig(fake.url, timeout=0.4))


def kinds(store: SqliteStore, act_id: str) -> list[EventKind]:
    return [e.kind for e in register_events(store, ASSEMBLY) if e.act_id == act_id]


def test_every_failure_in_between_ends_with_one_event_of_each(
    operator: FakeOperator, store: SqliteStore
) -> None:
    scripts = {
        "A1": Script(),  # all goes well
        "B2": Script(create=["timeout", "ok"]),  # the operator took it but answered too late
        "C3": Script(create=["http500", "ok"]),  # the operator failed before taking it
        "D4": Script(status=["http500", "timeout", "posted", "transmitted", "ack"]),
        "E5": Script(create=["http500", "timeout"], status=["timeout", "ack"]),
    }  # fmt: skip
    operator.scripts.update(scripts)
    clock = FakeClock("2023-11-24T09:00:00+00:00")
    results = {n: send(client(operator), package_of(n), store, ASSEMBLY, clock,
                       deliberation=n, policy=NO_WAIT) for n in scripts}  # fmt: skip
    for number, result in results.items():
        assert result.outcome is Outcome.ACKNOWLEDGED, (number, result)
        assert operator.stored[number] == 1, f"{number} taken {operator.stored[number]} times"
        assert kinds(store, result.act_id) == [EventKind.TRANSMITTED, EventKind.ACKNOWLEDGED]
    # after a timeout the operator was asked before anything was posted again
    assert operator.posts["B2"] == 1 and operator.posts["C3"] == 2 and operator.posts["E5"] == 2
    events = [e for e in register_events(store, ASSEMBLY) if e.act_id == results["B2"].act_id]
    assert events[0].on == date(2023, 11, 24) and events[0].deliberation == "B2"
    assert events[0].url and events[0].url.endswith(f"transaction={results['B2'].transaction}")
    assert events[1].on == date(2023, 11, 24)  # the acknowledgement's date of receipt
    assert verify(store.entries()).ok


def test_sending_again_sends_nothing(operator: FakeOperator, store: SqliteStore) -> None:
    clock = FakeClock()
    first = send(client(operator), package_of("F6"), store, ASSEMBLY, clock, policy=NO_WAIT)
    assert first.outcome is Outcome.ACKNOWLEDGED and len(first.appended) == 2
    seen = len(operator.requests)
    again = send(client(operator), package_of("F6"), store, ASSEMBLY, clock, policy=NO_WAIT)
    assert again.outcome is Outcome.ACKNOWLEDGED and again.appended == ()
    assert len(operator.requests) == seen  # the register said it all: the operator is not asked
    assert kinds(store, first.act_id) == [EventKind.TRANSMITTED, EventKind.ACKNOWLEDGED]


def test_a_later_run_polls_instead_of_posting(operator: FakeOperator, store: SqliteStore) -> None:
    operator.scripts["G7"] = Script(status=["posted", "posted", "transmitted", "ack"])
    short = replace(NO_WAIT, polls=2)
    clock = FakeClock()
    first = send(client(operator), package_of("G7"), store, ASSEMBLY, clock, policy=short)
    assert first.outcome is Outcome.PENDING and kinds(store, first.act_id) == [
        EventKind.TRANSMITTED
    ]
    later = send(client(operator), package_of("G7"), store, ASSEMBLY, clock, policy=short)
    assert later.outcome is Outcome.ACKNOWLEDGED and later.transaction == first.transaction
    assert operator.posts["G7"] == 1 and operator.stored["G7"] == 1
    assert kinds(store, first.act_id) == [EventKind.TRANSMITTED, EventKind.ACKNOWLEDGED]


def test_a_run_that_lost_its_answer_finds_the_act(
    operator: FakeOperator, store: SqliteStore
) -> None:
    """Every post timed out, yet the operator took the act: a later run finds it."""
    operator.scripts["H8"] = Script(create=["timeout"])
    clock = FakeClock()
    one_post = replace(NO_WAIT, posts=1)
    first = send(client(operator), package_of("H8"), store, ASSEMBLY, clock, policy=one_post)
    assert first.outcome is Outcome.UNREACHABLE and "n'a pas répondu" in first.message
    assert kinds(store, first.act_id) == []
    later = send(client(operator), package_of("H8"), store, ASSEMBLY, clock, policy=NO_WAIT)
    assert later.outcome is Outcome.ACKNOWLEDGED
    assert operator.stored["H8"] == 1 and operator.posts["H8"] == 1
    assert kinds(store, first.act_id) == [EventKind.TRANSMITTED, EventKind.ACKNOWLEDGED]


def test_an_act_transmitted_elsewhere_is_not_sent(
    operator: FakeOperator, store: SqliteStore
) -> None:
    """The register already says it was transmitted (read from a published extract,
    or sent by the previous software): no transaction here, so nothing is sent."""
    contents = package_of("P13")
    event = LifecycleEvent(kind=EventKind.TRANSMITTED, on=date(2023, 11, 24), deliberation="P13",
                           act_id=str(contents.message.act_id))  # fmt: skip
    append_event(store, ASSEMBLY, event, FakeClock())
    result = send(client(operator), contents, store, ASSEMBLY, FakeClock(), policy=NO_WAIT)
    assert result.outcome is Outcome.ELSEWHERE and "déjà transmis le 24/11/2023" in result.message
    assert operator.posts["P13"] == 0 and result.appended == ()


def test_refusal_by_the_operator(operator: FakeOperator, store: SqliteStore) -> None:
    operator.scripts["K9"] = Script(create=["ko:La classification utilisée n'est plus à jour"])
    result = send(client(operator), package_of("K9"), store, ASSEMBLY, FakeClock(), policy=NO_WAIT)
    assert result.outcome is Outcome.REFUSED
    assert result.message == "La classification utilisée n'est plus à jour"  # read from ISO-8859-1
    assert kinds(store, result.act_id) == [] and operator.posts["K9"] == 1


def test_refusal_by_the_prefecture(operator: FakeOperator, store: SqliteStore) -> None:
    operator.scripts["L10"] = Script(status=["posted", "error:Anomalie 004 : acte illisible"])
    result = send(client(operator), package_of("L10"), store, ASSEMBLY, FakeClock(), policy=NO_WAIT)
    assert result.outcome is Outcome.REFUSED and result.message == "Anomalie 004 : acte illisible"
    assert EventKind.ACKNOWLEDGED not in kinds(store, result.act_id)
    assert kinds(store, result.act_id) == [EventKind.TRANSMITTED]  # it was handed over


def test_unreachable_operator(store: SqliteStore) -> None:
    dead = OperatorClient(OperatorConfig("http://127.0.0.1:9", timeout=0.4))
    result = send(dead, package_of("M11"), store, ASSEMBLY, FakeClock(), policy=NO_WAIT)
    assert result.outcome is Outcome.UNREACHABLE and "injoignable" in result.message
    assert kinds(store, result.act_id) == []


def test_the_fake_acknowledgement_is_valid_actes(
    operator: FakeOperator, store: SqliteStore
) -> None:
    send(client(operator), package_of("N12"), store, ASSEMBLY, FakeClock(), policy=NO_WAIT)
    transaction = operator.transactions[-1]
    xml = operator.acknowledgement(transaction)
    assert validate(xml) == []
    ack = parse_acknowledgement(xml)
    assert ack.act_id == "021-242100410-20231123-N12-DE" and ack.received_on == date(2023, 11, 24)
    assert ack.classification_date == date(2017, 4, 19)
    # what the operator received: the form S²LOW's create reads
    assert transaction.fields["classif1"] == "8" and transaction.fields["classif2"] == "6"
    assert transaction.fields["subject"].startswith("Signature de la Stratégie pour l'Insertion")
    assert transaction.fields["type_acte"] == "99_DE" and transaction.files[0][2] == PDF


def test_mutual_tls(tmp_path: Path, store: SqliteStore) -> None:
    """Over TLS on loopback: the collectivity's client certificate opens the door;
    without it the operator refuses the connection and nothing is recorded."""
    from tls import TestAuthority  # noqa: PLC0415

    authority = TestAuthority(tmp_path)
    cert, key = authority.issue("collectivite", "Dijon métropole (test)", server=False)
    with FakeOperator(departement="021", siren="242100410", tls=authority.server_context()) as fake:
        config = OperatorConfig(fake.url, cert=cert, key=key, ca=authority.ca_path, timeout=5)
        assert fake.url.startswith("https://127.0.0.1:")
        result = send(
            OperatorClient(config), package_of("T1"), store, ASSEMBLY, FakeClock(), policy=NO_WAIT
        )
        assert result.outcome is Outcome.ACKNOWLEDGED
        anonymous = OperatorClient(replace(config, cert=None, key=None))
        refused = send(anonymous, package_of("T2"), store, ASSEMBLY, FakeClock(), policy=NO_WAIT)
        assert refused.outcome is Outcome.UNREACHABLE and fake.stored["T2"] == 0
        assert kinds(store, refused.act_id) == []
