"""The fault-injection harness (tests/faultkit.py) on a small seeded subset: every fault
kind injected at least once (the SQLite lock past its 30 s timeout is left to
`benchmarks/fault_injection.py`), with and without --job-dir, on SQLite and on a Redis with
persistence; then nothing lost, nothing doubled, nothing forbidden fetched, no temporary
file left, the state equal to what was delivered, every exit status documented, no
traceback."""

from __future__ import annotations

import time

import faultkit
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.redis]


def test_faults_lose_nothing_double_nothing_fetch_nothing_forbidden(tmp_path):
    env = faultkit.Environment.create(tmp_path / "faults")
    if env.redis is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    expected = {fault for fault in faultkit.FAULTS if fault != "sqlite_lock_long"
                and env.skipped(fault) is None}
    totals = faultkit.Totals()
    problems = []
    started = time.monotonic()
    try:
        for spec in faultkit.covering_scenarios():
            result = faultkit.run_scenario(env, spec)
            totals.add(result)
            problems += [f"{spec.describe()}: {problem}" for problem in result.problems()]
    finally:
        env.close()
    table = totals.table(time.monotonic() - started)
    print(table)
    for skipped in sorted(totals.skipped):
        print(f"skipped: {skipped}")
    assert not problems, "\n".join(problems) + "\n\n" + table
    assert totals.ok, table
    assert expected <= set(totals.faults), \
        f"not injected: {sorted(expected - set(totals.faults))}\n{table}"
