"""The ingest side of a worker process: its one OCR pool, its jobs, the watcher and the sweep.

`flask dossier worker` calls `start()` before the Huey consumer runs and `stop()` after;
the Huey tasks (tasks.py) call `run_job_in_worker` and `sweep_and_queue`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

from flask import Flask, current_app

from dossier.extensions import db, huey
from dossier.ingest import pipeline
from dossier.ingest.inbox import Inbox
from dossier.ingest.jobs import Ticket
from dossier.ingest.lease_keeper import LeaseKeeper
from dossier.ingest.models import IngestJob, Stage
from dossier.ingest.ocr_pool import OcrPool
from dossier.ingest.services import register_claimed
from dossier.ingest.sweep import SweepResult, run_sweep
from dossier.ingest.watcher import InboxWatcher

log = logging.getLogger(__name__)
_pool: OcrPool | None = None
_pool_lock = threading.Lock()


def ocr_pool() -> OcrPool:
    """This process's OCR pool, shared by all its jobs (made on first use)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = OcrPool.from_config(current_app.config)
        return _pool


def close_pool() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.close()
            _pool = None


class InlineProgress:
    """Progress of a job run inside the caller (the memory queue): nobody else can lease it,
    so there is no lease to keep, and the caller's own session records the outcome."""

    def report(self, stage: Stage | str, page: int | None = None,
               total: int | None = None) -> None:
        self.stage, self.page, self.total = str(stage), page, total

    def check(self) -> None:
        return None


@contextlib.contextmanager
def _inline(ticket: Ticket) -> Iterator[InlineProgress]:
    yield InlineProgress()


def lease_keeper(ticket: Ticket) -> AbstractContextManager[LeaseKeeper]:
    return LeaseKeeper(db.engine, ticket, int(current_app.config["INGEST_LEASE_SECONDS"]))


def run_job_in_worker(job_id: int) -> IngestJob | None:
    progress_for = _inline if huey.immediate else lease_keeper
    return pipeline.run_job(job_id, ocr_pool(), progress_for)


def current_inbox() -> Inbox:
    return Inbox(Path(current_app.config["INBOX"]))


def sweep_and_queue(at_start: bool) -> SweepResult:
    """Repair what crashes left (see sweep.py), then queue the jobs that wait."""
    result = run_sweep(current_inbox(), int(current_app.config["INGEST_MAX_ATTEMPTS"]),
                       at_start=at_start)
    from dossier.ingest.tasks import process_job

    for job_id in result.to_queue:
        process_job(job_id)
    return result


def claimed_handler(app: Flask) -> Callable[[Path], None]:
    """What the watcher does with a claimed file: record it, commit, queue it."""

    def on_claimed(path: Path) -> None:
        from dossier.ingest.tasks import queue_jobs

        with app.app_context():
            job = register_claimed(path)
            db.session.commit()
            log.info("claimed %s as ingest job %s (%s)", path.name, job.id, job.state)
            queue_jobs([job])

    return on_claimed


def start(app: Flask, watch: bool = True) -> InboxWatcher | None:
    """At worker start: sweep (files and jobs a crash left), then watch the inbox."""
    with app.app_context():
        result = sweep_and_queue(at_start=True)
        log.info("ingest sweep at start: %s", result)
    if not watch:
        return None
    config = app.config
    return InboxWatcher(Inbox(Path(config["INBOX"])), claimed_handler(app),
                        stable_seconds=float(config["INBOX_STABLE_SECONDS"]),
                        poll_seconds=float(config["INBOX_POLL_SECONDS"])).start()


def stop(watcher: InboxWatcher | None) -> None:
    if watcher is not None:
        watcher.stop()
    close_pool()
