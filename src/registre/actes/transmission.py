"""Sending an act to the operator and recording it in the register, never twice.

`send` is idempotent: the register is read first (an act already acknowledged is
not sent again; one already transmitted is only polled), and before any post the
operator is asked whether it already holds the act (by its number): a post whose
answer was lost (a timeout) is then found instead of being sent again. Exactly
one `transmitted` event (when the operator has taken the act: its transaction
exists) and one `acknowledged` event (the prefecture's date of receipt) are
appended per act, whatever fails in between.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from registre.actes.errors import OperatorError, OperatorRefusal
from registre.actes.operator import (
    FAILED,
    Acknowledgement,
    OperatorStatus,
    TransactionStatus,
)
from registre.actes.package import PackageContents
from registre.record import EventKind, LifecycleEvent, from_data
from registre.register import Clock, EntryKind, Store, append_event


class Operator(Protocol):
    """What `send` needs of an operator (`OperatorClient` over HTTP)."""

    def create(self, contents: PackageContents) -> str: ...
    def status(self, transaction: str) -> TransactionStatus: ...
    def find(self, number: str) -> str | None: ...
    def transaction_url(self, transaction: str) -> str: ...


# Words of S²LOW's refusal of a second act with the same number: it already has it.
DUPLICATE = "même numéro"


class Outcome(StrEnum):
    """How a sending ended."""

    ACKNOWLEDGED = "acknowledged"  # the prefecture acknowledged receipt
    PENDING = "pending"  # taken by the operator, no acknowledgement yet: send again later
    REFUSED = "refused"  # refused by the operator or the prefecture: `message` says why
    UNREACHABLE = "unreachable"  # nothing could be sent: `message` says why
    ELSEWHERE = "elsewhere"  # the register says it was transmitted by other means: not sent


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try: `posts` attempts to hand the act over, `polls` reads of its
    status, `interval` seconds between two tries (`sleep` is how to wait: tests
    pass one that does not)."""

    posts: int = 3
    polls: int = 10
    interval: float = 5.0
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True, slots=True)
class SendResult:
    """What `send` did: the outcome, the operator's message (refusal, error), the
    transaction, the acknowledgement, and the events it appended (none when the
    register already had them)."""

    act_id: str
    outcome: Outcome
    message: str = ""
    transaction: str | None = None
    acknowledgement: Acknowledgement | None = None
    appended: tuple[LifecycleEvent, ...] = ()


def register_events(store: Store, assembly: str) -> list[LifecycleEvent]:
    """Every lifecycle event of an assembly's chain, in the register's order."""
    return [
        from_data(LifecycleEvent, json.loads(entry.payload))
        for entry in store.entries(assembly)
        if entry.kind is EntryKind.EVENT
    ]


def _recorded(
    events: Sequence[LifecycleEvent], kind: EventKind, act_id: str
) -> LifecycleEvent | None:
    return next((e for e in events if e.kind is kind and e.act_id == act_id), None)


def _transaction_of(event: LifecycleEvent | None) -> str | None:
    if event is None or not event.url:
        return None
    values = urllib.parse.parse_qs(urllib.parse.urlsplit(event.url).query).get("transaction")
    return values[0] if values else None


@dataclass(slots=True)
class _Sending:
    """One run of `send`: its inputs and what it appended so far."""

    operator: Operator
    contents: PackageContents
    store: Store
    assembly: str
    clock: Clock
    deliberation: str
    policy: RetryPolicy
    appended: list[LifecycleEvent]

    @property
    def act_id(self) -> str:
        return str(self.contents.message.act_id)

    def record(self, kind: EventKind, event: LifecycleEvent) -> None:
        """Append `event` unless the register already has one of `kind` for the act
        (read again just before: another run may have written it meanwhile)."""
        if _recorded(register_events(self.store, self.assembly), kind, self.act_id) is None:
            append_event(self.store, self.assembly, event, self.clock)
            self.appended.append(event)

    def result(self, outcome: Outcome, message: str = "", transaction: str | None = None,
               acknowledgement: Acknowledgement | None = None) -> SendResult:  # fmt: skip
        return SendResult(self.act_id, outcome, message, transaction, acknowledgement,
                          tuple(self.appended))  # fmt: skip


def send(
    operator: Operator, contents: PackageContents, store: Store, assembly: str, clock: Clock,
    *, deliberation: str | None = None, policy: RetryPolicy | None = None,
) -> SendResult:  # fmt: skip
    """Hand the act of a package to the operator, wait for the prefecture's
    acknowledgement, and record both in the register (chain `assembly`);
    `deliberation` is the item's number in its meeting (default: the act's number).
    Never raises for the operator's failures: the result says what happened."""
    number = deliberation or contents.message.act_id.number
    run = _Sending(operator, contents, store, assembly, clock, number, policy or RetryPolicy(), [])
    history = register_events(store, assembly)
    acknowledged = _recorded(history, EventKind.ACKNOWLEDGED, run.act_id)
    if acknowledged is not None:
        return run.result(
            Outcome.ACKNOWLEDGED,
            "accusé de réception déjà inscrit au registre : rien n'est renvoyé",
        )
    transmitted = _recorded(history, EventKind.TRANSMITTED, run.act_id)
    transaction = _transaction_of(transmitted)
    if transmitted is not None and transaction is None:
        transaction = _found(run)
        if transaction is None:
            day = transmitted.on.strftime("%d/%m/%Y")
            return run.result(Outcome.ELSEWHERE, f"déjà transmis le {day} selon le registre, "
                              "sans transaction chez cet opérateur : rien n'est renvoyé")  # fmt: skip
    if transaction is None:
        handed = _hand_over(run)
        if isinstance(handed, SendResult):
            return handed
        transaction = handed
    return _poll(run, transaction)


def _found(run: _Sending) -> str | None:
    """The act's transaction at the operator, or None (also when it cannot be asked)."""
    try:
        return run.operator.find(run.contents.message.act_id.number)
    except (OperatorError, OperatorRefusal):
        return None


def _hand_over(run: _Sending) -> str | SendResult:
    """The act's transaction at the operator, posting it only when the operator
    does not already hold it; records `transmitted`."""
    number, last = run.contents.message.act_id.number, ""
    for attempt in range(run.policy.posts):
        if attempt:
            run.policy.sleep(run.policy.interval)
        try:
            transaction = run.operator.find(number) or run.operator.create(run.contents)
        except OperatorRefusal as refusal:
            if DUPLICATE in refusal.message:  # it has it after all: find it next turn
                last = refusal.message
                continue
            return run.result(Outcome.REFUSED, refusal.message)
        except OperatorError as exc:  # a timeout included: find() comes first next turn
            last = str(exc)
            continue
        # the status URL is kept in the event: a later run polls it instead of posting
        run.record(EventKind.TRANSMITTED, LifecycleEvent(
            kind=EventKind.TRANSMITTED, on=run.clock().date(), deliberation=run.deliberation,
            act_id=run.act_id, url=run.operator.transaction_url(transaction),
        ))  # fmt: skip
        return transaction
    return run.result(Outcome.UNREACHABLE, last)


def _poll(run: _Sending, transaction: str) -> SendResult:
    """Read the transaction's status until the acknowledgement, a refusal, or the
    end of the policy's polls; records `acknowledged`."""
    last = ""
    for attempt in range(run.policy.polls):
        if attempt:
            run.policy.sleep(run.policy.interval)
        try:
            status = run.operator.status(transaction)
        except OperatorRefusal as refusal:
            return run.result(Outcome.REFUSED, refusal.message, transaction)
        except OperatorError as exc:
            last = str(exc)
            continue
        if status.acknowledgement is not None:
            ack = status.acknowledgement
            run.record(EventKind.ACKNOWLEDGED, LifecycleEvent(
                kind=EventKind.ACKNOWLEDGED, on=ack.received_on, deliberation=run.deliberation,
                act_id=run.act_id,
            ))  # fmt: skip
            other = ack.act_id and ack.act_id != run.act_id
            note = f"l'accusé de réception porte l'identifiant {ack.act_id}" if other else ""
            return run.result(Outcome.ACKNOWLEDGED, note, transaction, ack)
        if status.status in FAILED:
            label = "annulé" if status.status is OperatorStatus.CANCELLED else "erreur"
            return run.result(Outcome.REFUSED, status.message or label, transaction)
        last = f"statut {status.code} chez l'opérateur"
    return run.result(Outcome.PENDING, last, transaction)
