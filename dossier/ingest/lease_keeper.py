"""Keeps a running job's lease and carries its progress to the database, from a thread.

The thread uses its own connections, so the web app sees "OCR page 3 of 12" while the
worker's own session holds no transaction. A worker that is killed stops renewing; the
sweep then gives its job to another worker.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine

from dossier.auth.models import utcnow
from dossier.ingest.jobs import LeaseLost, Ticket
from dossier.ingest.models import IngestJob, JobState, Stage

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 1.0  # seconds between progress writes while a job runs


class LeaseKeeper:
    """Renews the lease of `ticket` every third of its length, and writes its progress.

    `report()` may be called from any thread; `check()` raises LeaseLost once another
    worker has taken the job over.
    """

    def __init__(self, engine: Engine, ticket: Ticket, lease_seconds: int) -> None:
        self._engine, self._ticket, self._seconds = engine, ticket, lease_seconds
        self._lock = threading.Lock()
        self._progress: tuple[str, int | None, int | None] = (Stage.READING.value, None, None)
        self._written: tuple[str, int | None, int | None] | None = None
        self._renewed_at = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{ticket.id}", daemon=True)
        self.lost = False

    def report(self, stage: Stage | str, page: int | None = None, total: int | None = None) -> None:
        with self._lock:
            self._progress = (str(stage), page, total)

    def __enter__(self) -> LeaseKeeper:
        self._renewed_at = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(PROGRESS_INTERVAL):
            with self._lock:
                progress = self._progress
            due = time.monotonic() - self._renewed_at >= self._seconds / 3
            if progress != self._written or due:
                self._write(progress)

    def _write(self, progress: tuple[str, int | None, int | None]) -> None:
        stage, page, total = progress
        now = utcnow()
        values: dict[str, Any] = {"stage": stage, "page": page, "page_total": total,
                                  "lease_expires_at": now + timedelta(seconds=self._seconds),
                                  "updated_at": now}
        try:
            with self._engine.begin() as connection:
                result = connection.execute(update(IngestJob).where(
                    IngestJob.id == self._ticket.id,
                    IngestJob.worker_id == self._ticket.worker_id,
                    IngestJob.state == JobState.PROCESSING.value).values(**values))
        except Exception:  # a busy database must not stop the work; the next beat retries
            log.warning("could not renew the lease of ingest job %s", self._ticket.id,
                        exc_info=True)
            return
        self._written, self._renewed_at = progress, time.monotonic()
        if result.rowcount != 1:
            self.lost = True

    def check(self) -> None:
        if self.lost:
            raise LeaseLost(f"ingest job {self._ticket.id} was taken over")
