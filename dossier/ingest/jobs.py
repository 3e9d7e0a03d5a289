"""Ingest jobs: record a claimed file, lease it to one worker, keep the lease, requeue lost ones.

A job is leased by a conditional UPDATE (and on PostgreSQL a `SELECT ... FOR UPDATE SKIP
LOCKED` first, so a worker never waits on a row another worker is taking). While it
works, a worker renews the lease from a thread (lease_keeper.py); a worker that dies stops
renewing, and the sweep puts its job back in the queue. The worker that finishes a job
proves it still holds the lease in the same transaction that records the result, so a
job taken over after a lost lease never makes its documents twice.
"""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from dossier.auth.models import utcnow
from dossier.extensions import db
from dossier.ingest.inbox import Inbox, reason_file_of
from dossier.ingest.models import IngestJob, JobSource, JobState, Stage

CHUNK = 1024 * 1024


class LeaseLost(RuntimeError):
    """Another worker holds the job now; this one must drop its result."""


@dataclass(frozen=True)
class Ticket:
    """What a worker needs of a leased job, so it holds no database transaction while working."""

    id: int
    sha256: str
    original_name: str
    source: str
    path: Path
    created_by_id: int | None
    attempts: int
    worker_id: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def worker_identity() -> str:
    """host:pid:token; the sweep on the same host can tell a dead worker from a slow one."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_of(sha256: str) -> IngestJob | None:
    """The job that holds this content (every job except recorded duplicates)."""
    return db.session.scalar(select(IngestJob).where(
        IngestJob.sha256 == sha256, IngestJob.state != JobState.DUPLICATE.value))


def register(inbox: Inbox, path: Path, original_name: str, source: JobSource | str,
             created_by_id: int | None = None) -> IngestJob:
    """Record a file that now sits in the work area: a queued job, or a duplicate.

    The same content as a failed job revives that job (the file was dropped again, e.g.
    after the cause was fixed); the same content as any other job is recorded as its
    duplicate, to be set aside in `duplicates/`. The caller commits, then hands the job to
    `tasks.queue_jobs`.
    """
    sha256, size = sha256_of(path), path.stat().st_size
    job = IngestJob(sha256=sha256, original_name=original_name[:255], source=str(source),
                    work_path=str(path), size_bytes=size, created_by_id=created_by_id,
                    barcodes=[], document_ids=[])
    try:
        # Insert first: the unique index decides who owns the content, also between
        # processes registering the same file at the same moment.
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:
        owner = owner_of(sha256)
        if owner is None:
            raise
    else:
        return job
    if owner.work_path == str(path):  # the watcher and the sweep both saw this file
        return owner
    if owner.state == JobState.FAILED:
        return _revive(owner, path)
    duplicate = _duplicate(owner, path, original_name, source, size, created_by_id)
    duplicate.failed_path = str(inbox.duplicate_path(duplicate.id, original_name))
    return duplicate


def _revive(job: IngestJob, path: Path) -> IngestJob:
    stale_copy = job.failed_path
    job.work_path, job.failed_path = str(path), None
    reset_for_retry(job)
    if stale_copy:  # the same bytes arrived again; the copy in failed/ is now redundant
        _remove_quietly(Path(stale_copy))
        _remove_quietly(reason_file_of(Path(stale_copy)))
    db.session.flush()
    return job


def reset_for_retry(job: IngestJob) -> None:
    job.state, job.stage = JobState.QUEUED.value, Stage.QUEUED.value
    job.reason, job.message = None, ""
    job.attempts, job.worker_id, job.lease_expires_at = 0, None, None
    job.page = job.page_total = None
    job.finished_at = None


def _duplicate(owner: IngestJob, path: Path, name: str, source: JobSource | str, size: int,
               created_by_id: int | None) -> IngestJob:
    job = IngestJob(sha256=owner.sha256, original_name=name[:255], source=str(source),
                    state=JobState.DUPLICATE.value, stage=Stage.FINISHED.value,
                    reason="duplicate", message=duplicate_message(owner),
                    details={"duplicate_of": owner.id, "document_ids": list(owner.document_ids)},
                    work_path=str(path), size_bytes=size, duplicate_of=owner,
                    document_ids=list(owner.document_ids or []), barcodes=[],
                    created_by_id=created_by_id, finished_at=utcnow())
    db.session.add(job)
    db.session.flush()
    return job


def duplicate_message(owner: IngestJob) -> str:
    """In the default language, as written into the reason file beside the set-aside copy."""
    if owner.document_ids:
        return _("Duplicate of document %(numbers)s (ingest job %(job)s).",
                 numbers=", ".join(str(number) for number in owner.document_ids), job=owner.id)
    return _("Duplicate of ingest job %(job)s, which is not finished yet.", job=owner.id)


def _plain(details: dict[str, Any]) -> dict[str, Any]:
    """Details as JSON can hold them (numbers and text)."""
    return {key: value if isinstance(value, int | float | bool) or value is None else str(value)
            for key, value in details.items()}


def _remove_quietly(path: Path) -> None:
    path.unlink(missing_ok=True)


def _leasable(now: datetime) -> ColumnElement[bool]:
    return or_(IngestJob.state == JobState.QUEUED.value,
               and_(IngestJob.state == JobState.PROCESSING.value,
                    IngestJob.lease_expires_at < now))


def _is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def lease(job_id: int, worker_id: str, seconds: int) -> Ticket | None:
    """Take the job for `seconds` if it is queued or its lease ran out; None otherwise.

    Commits, so the lease is visible to every other worker before any work starts.
    """
    now = utcnow()
    if _is_postgres():
        free = select(IngestJob.id).where(IngestJob.id == job_id, _leasable(now))
        if db.session.scalar(free.with_for_update(skip_locked=True)) is None:
            db.session.rollback()
            return None
    taken = db.session.execute(
        update(IngestJob).where(IngestJob.id == job_id, _leasable(now)).values(
            state=JobState.PROCESSING.value, worker_id=worker_id,
            lease_expires_at=now + timedelta(seconds=seconds),
            attempts=IngestJob.attempts + 1, stage=Stage.READING.value,
            page=None, page_total=None, updated_at=now,
        ).execution_options(synchronize_session=False))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return None
    job = db.session.get(IngestJob, job_id, populate_existing=True)
    assert job is not None
    ticket = Ticket(job.id, job.sha256, job.original_name, job.source, Path(job.work_path or ""),
                    job.created_by_id, job.attempts, worker_id)
    db.session.commit()
    return ticket


def confirm(ticket: Ticket) -> IngestJob:
    """Start the transaction that records a job's result: prove the lease is still ours.

    This UPDATE is the transaction's first statement, so it takes the write lock (SQLite)
    or the row lock (PostgreSQL) until commit: nobody can take the job over in between.
    """
    now = utcnow()
    held = db.session.execute(
        update(IngestJob).where(
            IngestJob.id == ticket.id, IngestJob.worker_id == ticket.worker_id,
            IngestJob.state == JobState.PROCESSING.value,
        ).values(updated_at=now).execution_options(synchronize_session=False))
    if held.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise LeaseLost(f"ingest job {ticket.id} is no longer leased to {ticket.worker_id}")
    job = db.session.get(IngestJob, ticket.id, populate_existing=True)
    assert job is not None
    return job


def expired_jobs(now: datetime | None = None) -> list[IngestJob]:
    """Jobs whose worker stopped renewing: dead, or cut off from the database."""
    now = now or utcnow()
    query = select(IngestJob).where(IngestJob.state == JobState.PROCESSING.value,
                                    IngestJob.lease_expires_at < now).order_by(IngestJob.id)
    if _is_postgres():
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def orphaned_jobs(host: str) -> list[IngestJob]:
    """Jobs leased by a process of this host that no longer runs (a restart after a kill)."""
    query = select(IngestJob).where(IngestJob.state == JobState.PROCESSING.value,
                                    IngestJob.worker_id.like(f"{host}:%"))
    if _is_postgres():
        query = query.with_for_update(skip_locked=True)
    return [job for job in db.session.scalars(query)
            if job.worker_id and not _process_alive(job.worker_id)]


def _process_alive(worker_id: str) -> bool:
    try:
        pid = int(worker_id.split(":")[1])
    except (IndexError, ValueError):
        return True  # not ours to judge: wait for the lease to run out
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_queued(older_than: timedelta) -> list[IngestJob]:
    """Queued jobs nobody picked up for a while (the queue lost their task)."""
    cutoff = utcnow() - older_than
    return list(db.session.scalars(select(IngestJob).where(
        IngestJob.state == JobState.QUEUED.value, IngestJob.updated_at < cutoff)
        .order_by(IngestJob.id)))


def queued_jobs() -> list[IngestJob]:
    return list(db.session.scalars(select(IngestJob).where(
        IngestJob.state == JobState.QUEUED.value).order_by(IngestJob.id)))


def requeue(job: IngestJob) -> None:
    job.state, job.stage = JobState.QUEUED.value, Stage.QUEUED.value
    job.worker_id, job.lease_expires_at = None, None
    job.page = job.page_total = None
    job.updated_at = utcnow()


def fail(job: IngestJob, inbox: Inbox, reason: str, message: str,
         details: dict[str, Any] | None = None) -> None:
    """Record why a job failed and where its file goes (moved there after the commit)."""
    job.state, job.stage = JobState.FAILED.value, Stage.FINISHED.value
    job.reason, job.message, job.details = reason[:40], message, _plain(details or {})
    job.worker_id, job.lease_expires_at = None, None
    job.finished_at = utcnow()
    if job.work_path:
        job.failed_path = str(inbox.failed_path(job.id, job.original_name))
