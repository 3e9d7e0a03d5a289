"""Huey tasks: job ids through the real Redis queue to real worker processes; the sweep task."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from dossier.auth.models import utcnow
from dossier.barcodes import make_cover
from dossier.documents.models import Document
from dossier.extensions import configure_huey, db, huey
from dossier.ingest.inbox import Inbox
from dossier.ingest.models import IngestJob, JobSource, JobState
from dossier.ingest.services import ingest_file
from dossier.ingest.tasks import queue_jobs, sweep_jobs
from tests.conftest import build_app, migrate_and_seed
from tests.factories import CustomerFactory
from tests.ingest.pipeline_scans import (
    DUTCH,
    ENGLISH,
    code_page,
    save_png,
    save_tiff,
    text_page,
)
from tests.ingest.worker_process import WorkerProcess, wait_for, worker_environment
from tests.support.databases import fresh_database

REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture
def redis_app(tmp_path: Path) -> Iterator[Flask]:
    """A committed app whose queue is the real Redis; the memory queue is put back after.

    The queue has a name of its own, so test runs sharing the Redis never meet.
    """
    queue_name = f"dossier-test-{secrets.token_hex(4)}"
    with fresh_database(tmp_path) as url:
        app = build_app(url, tmp_path, QUEUE_URL=REDIS_URL, QUEUE_NAME=queue_name)
        migrate_and_seed(app)
        huey.flush()
        try:
            yield app
        finally:
            huey.flush()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            restore = Flask("restore")
            restore.config.update(QUEUE_URL="memory://", DATA_DIR=str(tmp_path))
            configure_huey(restore)


@pytest.mark.committed
def test_jobs_go_through_redis_to_several_workers_and_each_is_done_once(
        redis_app: Flask, tmp_path: Path):
    with redis_app.app_context():
        customer = CustomerFactory()
        db.session.commit()
        jobs = []
        for number in range(3):
            lines = [*DUTCH, f"Kenmerk {number}"] if number % 2 else [*ENGLISH, f"Ref {number}"]
            scan = save_png(text_page(lines), tmp_path / f"scan{number}.png")
            jobs.append(ingest_file(scan, source=JobSource.UPLOAD))
        db.session.commit()
        queue_jobs(jobs)  # not run here: the tasks wait in Redis
        assert huey.pending_count() == 3
        cover = code_page(make_cover(customer.id, "correspondence", "sales"))
        routed = save_tiff([cover, text_page(DUTCH)], tmp_path / "routed.tif")
        jobs.append(ingest_file(routed, source=JobSource.CLI))
        db.session.commit()
        queue_jobs(jobs[-1:])
        ids = [job.id for job in jobs]
        db.session.remove()

    env = worker_environment(redis_app, DOSSIER_QUEUE_URL=REDIS_URL,
                             DOSSIER_QUEUE_NAME=redis_app.config["QUEUE_NAME"])
    workers = [WorkerProcess(env, tmp_path / "worker1.log", "--no-watch"),
               WorkerProcess(env, tmp_path / "worker2.log", "--no-watch", "-n")]
    try:
        def finished() -> list[IngestJob] | None:
            with redis_app.app_context():
                found = list(db.session.scalars(select(IngestJob).where(IngestJob.id.in_(ids))))
                db.session.remove()
            done = all(job.state not in (JobState.QUEUED, JobState.PROCESSING)
                       for job in found)
            return found if done else None

        results = wait_for(finished, 90, workers[0], "the workers to finish every job")
    finally:
        for worker in workers:
            worker.stop()
    states = {job.id: (job.state, job.reason) for job in results}
    assert [states[i][0] for i in ids] == ["triage", "triage", "triage", "done"], states
    assert all(job.attempts == 1 for job in results)  # nobody processed a job twice
    assert huey.pending_count() == 0
    with redis_app.app_context():
        assert db.session.scalar(select(func.count(Document.id))) == 1
        db.session.remove()


def test_the_periodic_sweep_task_processes_what_waits(app, inbox: Inbox, tmp_path: Path):
    job = ingest_file(save_png(text_page(DUTCH), tmp_path / "nacht.png"),
                      source=JobSource.INBOX)
    db.session.commit()
    assert job.state == JobState.QUEUED
    job.updated_at = utcnow() - timedelta(hours=1)  # its task was lost long ago
    db.session.commit()
    sweep_jobs.call_local()
    db.session.refresh(job)
    assert job.state == JobState.TRIAGE
