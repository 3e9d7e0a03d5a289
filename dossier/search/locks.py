"""Cross-process locks for the indexer: one drainer at a time, and no drains during a rebuild.

PostgreSQL: session advisory locks on a connection of their own (released by the server
if the process dies). SQLite (one machine by nature): flock on files in DATA_DIR; every
SQLite transaction also starts with BEGIN IMMEDIATE, which serialises writers anyway.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import text

from dossier.extensions import db
from dossier.search.backends import database_is_postgres

DRAIN_KEY = 5_000_001  # advisory lock keys: arbitrary, unique within this application
REBUILD_KEY = 5_000_002
POLL_SECONDS = 0.05


def _lock_file(name: str) -> Path:
    directory = Path(current_app.config["DATA_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"search-{name}.lock"


def _retry(attempt: Any, wait: float | None) -> bool:
    """Call attempt() until it succeeds or `wait` seconds pass (None: forever)."""
    deadline = None if wait is None else time.monotonic() + wait
    while True:
        if attempt():
            return True
        if deadline is not None and time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)


@contextmanager
def _file_lock(name: str, wait: float | None) -> Iterator[bool]:
    with open(_lock_file(name), "a+b") as handle:
        acquired = _retry(lambda: _try_flock(handle), wait)
        try:
            yield acquired
        finally:
            if acquired:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _try_flock(handle: IO[bytes], shared: bool = False) -> bool:
    try:
        fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def _advisory_locks(keys: tuple[int, ...], wait: float | None) -> Iterator[bool]:
    connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    held: list[int] = []
    try:
        for key in keys:
            def attempt(key: int = key) -> bool:
                return bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                              {"key": key}))
            if not _retry(attempt, wait):
                break
            held.append(key)
        yield len(held) == len(keys)
    finally:
        for key in reversed(held):
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        connection.close()


@contextmanager
def drain_lock(wait: float | None) -> Iterator[bool]:
    """Yields whether this process is now the one drainer (waits at most `wait` s)."""
    if database_is_postgres(current_app):
        with _advisory_locks((DRAIN_KEY,), wait) as acquired:
            yield acquired
    else:
        with _file_lock("drain", wait) as acquired:
            yield acquired


@contextmanager
def rebuild_lock(wait: bool) -> Iterator[bool]:
    """Yields whether this process may rebuild; holds off drains until it is done."""
    timeout = None if wait else 0.0
    if database_is_postgres(current_app):
        with _advisory_locks((REBUILD_KEY, DRAIN_KEY), timeout) as acquired:
            yield acquired
        return
    with ExitStack() as stack:
        acquired = stack.enter_context(_file_lock("rebuild", timeout))
        acquired = acquired and stack.enter_context(_file_lock("drain", timeout))
        yield acquired


def rebuild_running() -> bool:
    """Is a rebuild under way somewhere (so search results may be incomplete)?"""
    if database_is_postgres(current_app):
        return bool(db.session.scalar(text(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = 0 AND objid = :key AND objsubid = 1 AND database ="
            " (SELECT oid FROM pg_database WHERE datname = current_database()))"),
            {"key": REBUILD_KEY}))
    with open(_lock_file("rebuild"), "a+b") as handle:
        if _try_flock(handle, shared=True):
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False
        return True
