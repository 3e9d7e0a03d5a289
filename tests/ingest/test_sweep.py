"""The sweep repairs what a crash left: stray work files, lost leases, lost tasks, leftovers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from dossier.auth.models import utcnow
from dossier.extensions import db
from dossier.ingest import jobs
from dossier.ingest.inbox import Inbox, reason_file_of
from dossier.ingest.models import IngestJob, JobSource, JobState
from dossier.ingest.sweep import run_sweep


def _job(inbox: Inbox, content: bytes) -> IngestJob:
    path = inbox.new_work_path("scan.pdf")
    path.write_bytes(content)
    job = jobs.register(inbox, path, "scan.pdf", JobSource.INBOX)
    db.session.commit()
    return job


def _lease_expired(job: IngestJob, worker_id: str = "elsewhere:1:x") -> None:
    jobs.lease(job.id, worker_id, 60)
    db.session.execute(update(IngestJob).where(IngestJob.id == job.id).values(
        lease_expires_at=utcnow() - timedelta(seconds=5)))
    db.session.commit()
    db.session.refresh(job)


def test_a_claimed_file_nobody_recorded_is_registered(app, inbox: Inbox):
    stray = inbox.new_work_path("nacht.pdf")
    stray.write_bytes(b"%PDF-1.4 stray")
    fresh = inbox.new_work_path("net.pdf")
    fresh.write_bytes(b"%PDF-1.4 fresh")
    result = run_sweep(inbox, 3, stray_after=0)
    job = db.session.scalar(select(IngestJob).where(IngestJob.work_path == str(stray)))
    assert job is not None and job.original_name == "nacht.pdf"
    assert result.registered == 2 and job.id in result.to_queue


def test_a_just_claimed_file_is_left_to_its_claimer(app, inbox: Inbox):
    inbox.new_work_path("net.pdf").write_bytes(b"%PDF-1.4 fresh")
    result = run_sweep(inbox, 3)
    assert result.registered == 0 and db.session.scalar(select(IngestJob.id)) is None


def test_a_job_whose_lease_ran_out_is_queued_again(app, inbox: Inbox):
    job = _job(inbox, b"one")
    _lease_expired(job)
    result = run_sweep(inbox, 3)
    db.session.refresh(job)
    assert job.state == JobState.QUEUED and job.worker_id is None and job.attempts == 1
    assert result.requeued == 1 and result.to_queue == [job.id]


def test_a_job_of_a_dead_process_on_this_host_is_queued_again_at_once(app, inbox: Inbox):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    job = _job(inbox, b"one")
    jobs.lease(job.id, f"{socket.gethostname()}:{dead}:x", 600)
    result = run_sweep(inbox, 3)
    db.session.refresh(job)
    assert job.state == JobState.QUEUED and result.to_queue == [job.id]


def test_a_file_that_keeps_killing_workers_fails_after_its_attempts(app, inbox: Inbox):
    job = _job(inbox, b"poison")
    for _ in range(3):
        _lease_expired(job)
        if job.attempts < 3:
            jobs.requeue(job)
            db.session.commit()
    result = run_sweep(inbox, 3)
    db.session.refresh(job)
    assert (job.state, job.reason, result.failed) == (JobState.FAILED, "worker_lost", 1)
    failed = Path(job.failed_path or "")
    assert failed.read_bytes() == b"poison" and "3" in reason_file_of(failed).read_text()
    assert job.work_path is None and result.to_queue == []


def test_queued_jobs_are_queued_again_at_start_and_later_only_when_stale(app, inbox: Inbox):
    job = _job(inbox, b"one")
    assert run_sweep(inbox, 3).to_queue == []
    assert run_sweep(inbox, 3, at_start=True).to_queue == [job.id]
    db.session.execute(update(IngestJob).values(updated_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert run_sweep(inbox, 3).to_queue == [job.id]
    assert run_sweep(inbox, 3).to_queue == []  # touched by the sweep that queued it


def test_finished_jobs_lose_their_leftover_work_files(app, inbox: Inbox):
    done, failed = _job(inbox, b"done"), _job(inbox, b"failed")
    done.state = JobState.DONE.value
    jobs.fail(failed, inbox, "corrupt", "damaged")
    db.session.commit()
    done_file = Path(done.work_path or "")
    result = run_sweep(inbox, 3)
    assert result.settled == 2 and not done_file.exists()
    assert Path(failed.failed_path or "").read_bytes() == b"failed"
    assert inbox.work_files() == []


def test_leftover_temporary_files_are_cleaned(app, inbox: Inbox):
    leftover = inbox.work / ".spool-abc"
    leftover.write_bytes(b"half an upload")
    folder = inbox.work / ".extract-xyz"
    folder.mkdir()
    (folder / "page.pdf").write_bytes(b"x")
    for path in (leftover, folder):
        os.utime(path, (0, 0))
    run_sweep(inbox, 3)
    assert list(inbox.work.iterdir()) == []
