"""No test waits by sleeping or asserts how long something took.

A loaded CI machine must neither fail such a test nor make it pass vacuously: tests wait on
observable state (a lock table, an event, a recorded snapshot) and performance lives in
benchmarks/. This scan finds sleeps and elapsed-time checks in every test file; the only ones
allowed are listed below, each a polling helper that waits for a condition with a timeout as a
safety net, or a remaining case with the reason it is still there.
"""

from __future__ import annotations

import functools
import os
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_ROOTS = ("tests", "firelab/tests")
SUFFIXES = (".py", ".mjs", ".js", ".ts")

SLEEP = re.compile(
    r"\btime\.sleep\(|\basyncio\.sleep\(|\bawait sleep\(|setTimeout\(\s*resolve|\bsleep\(\s*\d"
)
"""Waiting by the clock: a sleep, or a promise resolved by a timer."""
CLOCK = re.compile(
    r"\btime\.monotonic\(|\bperf_counter(_ns)?\(|\btime\.time\(|\bDate\.now\(|performance\.now\("
)
"""Reading the wall clock, which a test may only do to bound a wait for a condition (an
elapsed-time assertion needs one too, so this finds those)."""

POLLING = "a polling helper: waits for a condition, the clock only bounds the wait"

ALLOWED: dict[tuple[str, str], tuple[int, str]] = {
    # (path, kind): (how many lines, why)
    ("firelab/tests/server/test_rules.py", "clock"): (2, POLLING + " (a refused listener stops)"),
    ("firelab/tests/server/test_rules.py", "sleep"): (1, POLLING),
    ("firelab/tests/server/test_server_process.py", "clock"): (
        2,
        POLLING + " (the server's threads are gone after stop)",
    ),
    ("firelab/tests/server/test_server_process.py", "sleep"): (1, POLLING),
    ("firelab/tests/server/test_webchannel.py", "clock"): (
        2,
        "a frame reader's bound on blocking reads (no sleep)",
    ),
    ("firelab/tests/stack/test_auth_emulator.py", "clock"): (
        2,
        POLLING + " (the orphaned emulator's port closes)",
    ),
    ("firelab/tests/stack/test_auth_emulator.py", "sleep"): (
        2,
        POLLING + "; the other is the killed parent's idle body, not a wait of the test",
    ),
    ("tests/mitche_dev/devstack/test_main_job.py", "clock"): (
        2,
        "a bound on reading the banner line by line (no sleep)",
    ),
    ("tests/mitche_dev/migrate/test_private_account.py", "clock"): (
        2,
        POLLING + " (a child process reaches its gate file)",
    ),
    ("tests/mitche_dev/migrate/test_private_account.py", "sleep"): (1, POLLING),
}


def scanned_files() -> list[Path]:
    files = []
    for root in TEST_ROOTS:
        for directory, subdirectories, names in os.walk(ROOT / root):
            subdirectories[:] = sorted(d for d in subdirectories if d != "node_modules")
            for name in sorted(names):
                path = Path(directory) / name
                if path.suffix not in SUFFIXES or path == Path(__file__).resolve():
                    continue
                if "oracle" in path.parts and path.suffix != ".py":
                    continue
                files.append(path)
    return files


@functools.cache
def findings() -> Counter[tuple[str, str]]:
    """(path, kind) → how many lines sleep ("sleep") or read the clock ("clock")."""
    found: Counter[tuple[str, str]] = Counter()
    for path in scanned_files():
        relative = path.relative_to(ROOT).as_posix()
        for line in path.read_text("utf-8", errors="replace").splitlines():
            if SLEEP.search(line):
                found[(relative, "sleep")] += 1
            elif CLOCK.search(line):
                found[(relative, "clock")] += 1
    return found


def test_no_test_sleeps_or_times_itself_beyond_the_allowed_list() -> None:
    """A new sleep or clock reading in a test fails here: wait on state instead."""
    excess = {
        key: count for key, count in findings().items() if count > ALLOWED.get(key, (0, ""))[0]
    }
    assert excess == {}, (
        "tests that sleep or read the clock (wait on observable state instead, or add a "
        f"polling helper with a reason to ALLOWED): {excess}"
    )


def test_the_allowed_list_is_no_longer_than_needed() -> None:
    """When a sleep goes, its allowance goes too, so it cannot come back unnoticed."""
    found = findings()
    stale = {key: allowed for key, (allowed, _) in ALLOWED.items() if found[key] < allowed}
    assert stale == {}, f"lower or remove these allowances: {stale}"


def test_the_scan_sees_what_it_forbids() -> None:
    """The patterns match the forms they are meant to catch (a scan that matches nothing
    would pass vacuously)."""
    for line in (
        "time.sleep(0.3)",
        "await asyncio.sleep(1)",
        "await sleep(300);",
        "await new Promise((resolve) => setTimeout(resolve, 300));",
    ):
        assert SLEEP.search(line), line
    for line in (
        "assert time.monotonic() - start < 0.5",
        "elapsed = time.perf_counter() - t0",
        "started = time.time()",
        "while (Date.now() - this.lastEvent < this.quietMs)",
    ):
        assert CLOCK.search(line), line
    assert not SLEEP.search("threading.Event().wait(timeout=10)")
