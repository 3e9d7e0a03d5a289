"""Huey tasks of the scanner inbox: thin, they carry job ids only; the database holds the state.

Huey drops a task whose consumer is killed, so a task is only a nudge: the job row and its
lease decide who works on what, and the sweep (at worker start and every minute) queues
again whatever a dead worker or a lost task left.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import Flask, current_app, has_app_context
from huey import crontab

from dossier.extensions import db, huey
from dossier.ingest.inbox import settle
from dossier.ingest.models import IngestJob, JobState

log = logging.getLogger(__name__)
_worker_app: Flask | None = None


def use_app(app: Flask) -> None:
    """The app tasks run in; the worker sets it at start (else create_app() on first use)."""
    global _worker_app
    _worker_app = app


def task_app() -> Flask:
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if _worker_app is None:
        from dossier import create_app

        _worker_app = create_app()
    return _worker_app


def queue_jobs(jobs: Iterable[IngestJob]) -> None:
    """After the commit that registered or revived them: queue new jobs for the worker and
    set duplicates aside (their file moves to `duplicates/`).

    With the memory queue (tests) a queued job runs at once, in this thread.
    """
    ids = []
    for job in jobs:
        if job.state == JobState.QUEUED:
            ids.append(job.id)
        elif settle(job):
            db.session.commit()
    for job_id in ids:
        process_job(job_id)


@huey.task()
def process_job(job_id: int) -> None:
    from dossier.ingest.worker import run_job_in_worker

    with task_app().app_context():
        run_job_in_worker(job_id)


@huey.periodic_task(crontab(minute="*"))
def sweep_jobs() -> None:
    from dossier.ingest.worker import sweep_and_queue

    with task_app().app_context():
        sweep_and_queue(at_start=False)
