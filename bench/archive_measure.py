"""The archive benchmark's measurements: scan runs, pages, CPU shares and profiles.

CPU is read from /proc: this process (the load generator's threads), the gunicorn
processes it started, and the whole machine (/proc/stat), so the figures say what the
load generator itself cost on the same two cores, and how busy the machine was.
"""

from __future__ import annotations

import cProfile
import math
import os
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Engine, event, text

from bench.archive_load import Browser, Clerk, Pool, Shared, run_clients
from bench.search_memory import descendants
from bench.search_profile import profile_text, statement_shape, statement_table
from dossier.extensions import db

TICKS = os.sysconf("SC_CLK_TCK")


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)] if ordered else 0.0


def summary(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0, "n": 0}
    return {"p50": statistics.median(samples), "p95": percentile(samples, 0.95),
            "p99": percentile(samples, 0.99), "max": max(samples), "n": len(samples)}


def _process_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _gunicorn_pids() -> list[int]:
    found = []
    for pid in descendants(os.getpid()):
        try:
            if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def _machine() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICKS, sum(values) / TICKS


def database_backends(app: Flask) -> list[int]:
    """PostgreSQL: the server processes serving the benchmark's database (gunicorn's
    connections), whose CPU time is the database's share of a scan."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return []
        with db.engine.connect() as conn:
            pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = "
                                     "current_database() AND pid <> pg_backend_pid()"))
            found = [int(pid) for pid in pids.scalars()]
        db.engine.dispose()
    return found


@dataclass
class CpuMeter:
    """CPU seconds spent between start() and stop(), by whom."""

    own: float = 0.0
    server: float = 0.0
    database: float = 0.0
    machine_busy: float = 0.0
    machine_total: float = 0.0

    def start(self, backends: list[int]) -> CpuMeter:
        times = os.times()
        self.own = times.user + times.system
        self._pids = _gunicorn_pids()
        self._backends = backends
        self.server = sum(_process_seconds(pid) for pid in self._pids)
        self.database = sum(_process_seconds(pid) for pid in backends)
        self.machine_busy, self.machine_total = _machine()
        return self

    def stop(self, wall: float, backends: list[int]) -> dict[str, float]:
        times = os.times()
        busy, total = _machine()
        cores = os.cpu_count() or 1
        own = times.user + times.system - self.own
        server = sum(_process_seconds(pid) for pid in self._pids) - self.server
        database = sum(_process_seconds(pid) for pid in backends) - self.database
        machine = busy - self.machine_busy
        return {"generator": own, "server": server, "database": max(0.0, database),
                "machine": machine,
                "other": max(0.0, machine - own - server - database), "wall": wall,
                "cores": cores,
                "machine_share": machine / max(1e-9, total - self.machine_total)}


def scan_run(app: Flask, clerks: list[Clerk], seconds: float, rate: float) -> dict[str, Any]:
    """Let the clerks scan for `seconds` (paced to `rate` scans/s in all, or unpaced)."""
    for clerk in clerks:
        clerk.interval = len(clerks) / rate if rate else 0.0
    load_before = os.getloadavg()[0]
    backends = database_backends(app)
    meter = CpuMeter().start(backends)
    wall = run_clients(clerks, seconds)
    cpu = meter.stop(wall, backends)
    samples = [sample for clerk in clerks for sample in clerk.samples]
    scans = [s for s in samples if s.kind == "scan"]
    modes = [s for s in samples if s.kind == "mode"]
    return {"rate_target": rate, "clients": len(clerks), "seconds": wall,
            "scans": len(scans), "rate": len(scans) / wall,
            "latency": summary([s.latency_ms for s in scans]),
            "service": summary([s.service_ms for s in scans]),
            "modes": summary([s.service_ms for s in modes]),
            "by_mode": {mode: summary([s.latency_ms for s in scans if s.mode == mode])
                        for mode in sorted({s.mode for s in scans})},
            "reasons": dict(Counter(s.reason for s in scans).most_common()),
            "levels": dict(Counter(s.level for s in scans)), "cpu": cpu,
            "load": [load_before, *os.getloadavg()]}


def server_cpu(backends: list[int]) -> float:
    """CPU seconds so far of the gunicorn processes and the database's server processes."""
    return sum(_process_seconds(pid) for pid in _gunicorn_pids() + backends)


def page_times(browser: Browser, path: str, rounds: int, marker: bytes,
               backends: list[int]) -> dict[str, Any]:
    """GET `path` `rounds` times after one warm-up; every answer must be 200 and hold
    `marker`. The CPU time the server (and database) spent on each request is read from
    /proc: it hardly depends on what else the machine is doing."""
    times, cpu, size = [], [], 0
    for index in range(rounds + 1):
        before = server_cpu(backends)
        began = time.perf_counter()
        status, body, _url = browser.open(path)
        took = (time.perf_counter() - began) * 1000
        if status != 200 or marker not in body:
            raise RuntimeError(f"GET {path}: {status}, {len(body)} bytes, "
                               f"{marker!r} not in it")
        size = len(body)
        if index:
            times.append(took)
            cpu.append((server_cpu(backends) - before) * 1000)
    return summary(times) | {"bytes": size, "cpu_p50": statistics.median(cpu)}


class TestClientBrowser(Browser):
    """The same browser on the app in this process (Flask's test client, CSRF on), for
    profiling the production code under cProfile."""

    def __init__(self, app: Flask) -> None:
        super().__init__("")
        self.client = app.test_client()

    def open(self, path: str, data: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes, str]:
        headers = dict(headers or {})
        if data is not None and "Content-Type" not in headers:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = self.client.open(path, method="POST" if data is not None else "GET",
                                    data=data, headers=headers, follow_redirects=True)
        url = response.request.path if response.request else path
        return response.status_code, response.get_data(), url


def profile_scans(app: Flask, pool: Pool, shared: Shared, username: str, password: str,
                  scans: int) -> dict[str, str]:
    """cProfile and SQL statement times of `scans` scans of the same mix, in process
    (each request in its own app context, as under gunicorn)."""
    browser = TestClientBrowser(app)
    browser.login(username, password)
    clerk = Clerk(0, browser, pool, shared, 0.0, 99)
    clerk.recording = True
    with app.app_context():
        engine = db.engine
    profile = cProfile.Profile()
    with statement_times(engine) as statements:
        profile.enable()
        while sum(sample.kind == "scan" for sample in clerk.samples) < scans:
            clerk._stretch(_never())
        profile.disable()
    done = sum(sample.kind == "scan" for sample in clerk.samples)
    executed = sum(len(times) for times in statements.values())
    return {"python": profile_text(profile, "cumulative", 30),
            "own": profile_text(profile, "tottime", 18),
            "sql": statement_table(statements, done), "scans": str(done),
            "statements": f"{executed / max(1, done):.1f}"}


@contextmanager
def statement_times(engine: Engine) -> Iterator[dict[str, list[float]]]:
    """Milliseconds per executed statement, grouped by its shape, while in the block."""
    times: dict[str, list[float]] = {}
    started: list[float] = []

    def before(*_args: Any) -> None:
        started.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        took = (time.perf_counter() - started.pop()) * 1000 if started else 0.0
        times.setdefault(statement_shape(statement), []).append(took)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield times
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


class _NeverSet:
    def is_set(self) -> bool:
        return False


def _never() -> Any:
    return _NeverSet()
