"""What the benchmarks share: table rows, timings, clocks, and pinning to one core."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a table: a rate (None when not measured) and its objective."""

    label: str
    rate: float | None
    unit: str = "extraits/s"
    target: float | None = None
    note: str = ""
    cpu_rate: float | None = None
    median_rate: float | None = None


@dataclass(frozen=True, slots=True)
class Timing:
    """Seconds of one call or batch: best wall clock, best CPU (with the commands it
    ran), and the median wall clock when there were several runs."""

    wall: float
    cpu: float
    median: float | None = None

    def row(
        self,
        label: str,
        count: int,
        unit: str = "extraits/s",
        *,
        target: float | None = None,
        note: str = "",
    ) -> Row:
        """The table row for `count` documents (or pages) done in this time."""
        median = count / self.median if self.median else None
        return Row(label, count / self.wall, unit, target, note, count / self.cpu, median)


def clocks() -> tuple[float, float]:
    """Wall clock, and CPU seconds of this process and of its finished commands."""
    t = os.times()
    return time.perf_counter(), t.user + t.system + t.children_user + t.children_system


def pin_one_core() -> str:
    """Pin this process (and the commands it starts) to one CPU; say which."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"processeur n° {cpu}"
    return "un seul fil d'exécution (affinité non disponible)"


def once(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call, the collector off, as timeit does: its passes
    depend on what else the process holds (pdfplumber's or WeasyPrint's modules), not
    on the code measured."""
    gc.collect()
    gc.disable()
    try:
        wall0, cpu0 = clocks()
        fn()
        wall1, cpu1 = clocks()
    finally:
        gc.enable()
    return wall1 - wall0, max(cpu1 - cpu0, 1e-9)


def rate_text(value: float | None) -> str:
    """A rate as the tables print it."""
    if value is None:
        return "non mesuré"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def print_rows(rows: Sequence[Row]) -> None:
    """The header and one line per measure: rate, median, CPU rate, unit, objective, note."""
    print(f"{'Mesure':<44} {'débit':>11} {'médiane':>9} {'débit CPU':>12} {'unité':<11} {'objectif':>9}  remarque")  # fmt: skip
    for row in rows:
        target = f">= {row.target:.0f}" if row.target else ""
        cpu = "—" if row.cpu_rate is None else rate_text(row.cpu_rate)
        median = "—" if row.median_rate is None else rate_text(row.median_rate)
        print(f"{row.label:<44} {rate_text(row.rate):>11} {median:>9} {cpu:>12} {row.unit:<11} {target:>9}  {row.note}")  # fmt: skip
