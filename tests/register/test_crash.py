"""Crash safety: a process killed at random points while appending never leaves a
broken chain; the next start continues from the last complete entry."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from registre.register import SqliteStore, verify

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import sys
sys.path.insert(0, {tests!r})
from factories import fill_register
from registre.register import SqliteStore
store = SqliteStore({path!r})
print("prêt", flush=True)
while True:
    fill_register(store, 10)
"""


def _start(path: Path) -> subprocess.Popen[str]:
    code = WRITER.format(tests=str(ROOT / "tests"), path=str(path))
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "prêt"
    return process


def test_killed_writers_never_break_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "registre.sqlite"
    rng = random.Random(0)
    last = 0
    for _ in range(6):
        process = _start(path)
        time.sleep(rng.uniform(0.3, 1.2))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert process.stdout is not None
        process.stdout.close()
        store = SqliteStore(path)
        result = verify(store.entries())
        assert result.ok, result.broken
        head = store.head("conseil")
        assert head is not None and head[0] >= last
        last = head[0]
        store.close()
    assert last > 0
