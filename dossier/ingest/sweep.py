"""The sweep: at worker start and every minute, put right what a crash or a lost task left.

- a file in the work area that no job records (claimed, then the process died before the
  commit) is registered;
- a job whose worker died (lease ran out, or its process on this host is gone) is queued
  again, or failed once it has used up its attempts (a file that kills every worker);
- a queued job nobody picked up (its task was lost) is queued again;
- a finished job whose work file is still there (died between commit and clean-up) has
  its file removed or set aside.
"""

from __future__ import annotations

import logging
import socket
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from dossier.auth.models import utcnow
from dossier.extensions import db
from dossier.ingest import jobs
from dossier.ingest.inbox import Inbox, original_name, settle
from dossier.ingest.models import IngestJob, JobSource, JobState

log = logging.getLogger(__name__)
STRAY_AFTER_SECONDS = 60.0  # a claimed file is registered within this time by its claimer
STALE_QUEUED = timedelta(minutes=10)


@dataclass
class SweepResult:
    to_queue: list[int] = field(default_factory=list)
    registered: int = 0
    requeued: int = 0
    failed: int = 0
    settled: int = 0


def run_sweep(inbox: Inbox, max_attempts: int, at_start: bool = False,
              stray_after: float = STRAY_AFTER_SECONDS) -> SweepResult:
    """Repair, commit, and return what to queue. `at_start`: every queued job is queued again
    (the queue may have lost them with the worker); later only those waiting too long."""
    inbox.ensure()
    inbox.clean_spool()
    result = SweepResult()
    strays = _register_strays(inbox, result, stray_after)
    lost = _recover_lost(inbox, max_attempts, result)
    waiting = jobs.queued_jobs() if at_start else jobs.stale_queued(STALE_QUEUED)
    for job in waiting:
        job.updated_at = utcnow()  # so the next sweep does not queue it again at once
    db.session.commit()
    result.to_queue = sorted({job.id for job in [*strays, *lost, *waiting]
                              if job.state == JobState.QUEUED})
    result.settled = settle_finished()
    return result


def _register_strays(inbox: Inbox, result: SweepResult, after: float) -> list[IngestJob]:
    recorded = set(db.session.scalars(
        select(IngestJob.work_path).where(IngestJob.work_path.is_not(None))))
    found = []
    for path in inbox.work_files():
        if str(path) in recorded or not _settled_for(path, after):
            continue
        found.append(jobs.register(inbox, path, original_name(path), JobSource.INBOX))
        result.registered += 1
    return found


def _settled_for(path: Path, seconds: float) -> bool:
    """Not touched (renamed into the work area, written) for `seconds`."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return False
    return time.time() - max(stat.st_ctime, stat.st_mtime) >= seconds


def _recover_lost(inbox: Inbox, max_attempts: int, result: SweepResult) -> list[IngestJob]:
    lost = {job.id: job for job in jobs.expired_jobs()}
    lost.update({job.id: job for job in jobs.orphaned_jobs(socket.gethostname())})
    requeued = []
    for job in lost.values():
        if job.attempts >= max_attempts:
            log.warning("ingest job %s lost its worker %s times; failing it", job.id,
                        job.attempts)
            jobs.fail(job, inbox, "worker_lost", _(
                "Processing stopped %(count)s times without finishing (the worker was "
                "killed or ran out of memory); the file was set aside.", count=job.attempts))
            result.failed += 1
        else:
            log.info("ingest job %s lost its worker (%s); queueing it again", job.id,
                     job.worker_id)
            jobs.requeue(job)
            requeued.append(job)
            result.requeued += 1
    return requeued


def settle_finished() -> int:
    """Move or remove the work files of finished jobs; commits. Returns how many."""
    finished = list(db.session.scalars(select(IngestJob).where(
        IngestJob.work_path.is_not(None),
        IngestJob.state.not_in([JobState.QUEUED.value, JobState.PROCESSING.value]))))
    count = 0
    for job in finished:
        try:
            count += settle(job)
        except OSError:
            log.exception("could not move the file of ingest job %s", job.id)
    db.session.commit()
    return count
