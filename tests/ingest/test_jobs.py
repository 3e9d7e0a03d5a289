"""Ingest jobs: registration, duplicates, leases, take-over after a lost lease."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from dossier.auth.models import utcnow
from dossier.extensions import db
from dossier.ingest import jobs
from dossier.ingest.inbox import Inbox, reason_file_of
from dossier.ingest.lease_keeper import LeaseKeeper
from dossier.ingest.models import IngestJob, JobSource, JobState, Stage


def _work_file(inbox: Inbox, content: bytes = b"%PDF-1.4 scan", name: str = "scan.pdf") -> Path:
    path = inbox.new_work_path(name)
    path.write_bytes(content)
    return path


def _register(inbox: Inbox, content: bytes = b"%PDF-1.4 scan",
              name: str = "scan.pdf") -> IngestJob:
    job = jobs.register(inbox, _work_file(inbox, content, name), name, JobSource.INBOX)
    db.session.commit()
    return job


def test_register_records_a_queued_job_with_the_content_hash(inbox: Inbox):
    job = _register(inbox, b"content")
    assert job.state == JobState.QUEUED and job.stage == Stage.QUEUED
    assert job.sha256 == hashlib.sha256(b"content").hexdigest()
    assert (job.original_name, job.source, job.size_bytes) == ("scan.pdf", "inbox", 7)
    assert job.attempts == 0 and job.document_ids == []


def test_the_same_content_again_is_a_duplicate_set_aside_in_its_own_folder(inbox: Inbox):
    first = _register(inbox, b"content")
    first.state, first.document_ids = JobState.DONE.value, [42]
    second = _register(inbox, b"content", "again.pdf")
    assert second.id != first.id and second.state == JobState.DUPLICATE
    assert second.duplicate_of is first and second.document_ids == [42]
    assert second.reason == "duplicate" and "42" in second.message
    assert second.failed_path == str(inbox.duplicates / f"{second.id}-again.pdf")


def test_a_duplicate_of_a_job_still_running_names_the_job(inbox: Inbox):
    first = _register(inbox, b"content")
    second = _register(inbox, b"content")
    assert second.duplicate_of_id == first.id
    assert str(first.id) in second.message and second.details["duplicate_of"] == first.id


def test_the_content_of_a_failed_job_dropped_again_revives_that_job(inbox: Inbox):
    first = _register(inbox, b"content")
    stale = inbox.failed / f"{first.id}-scan.pdf"
    stale.write_bytes(b"content")
    reason_file_of(stale).write_text("damaged")
    jobs.fail(first, inbox, "ocr_unavailable", "no tesseract")
    first.work_path, first.failed_path, first.attempts = None, str(stale), 2
    db.session.commit()
    again = _register(inbox, b"content")
    assert again is first and again.state == JobState.QUEUED
    assert (again.reason, again.attempts, again.failed_path) == (None, 0, None)
    assert not stale.exists() and not reason_file_of(stale).exists()


def test_one_content_has_one_owning_job_in_the_database(inbox: Inbox):
    _register(inbox, b"content")
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(IngestJob(sha256=hashlib.sha256(b"content").hexdigest(),
                                 original_name="x", barcodes=[], document_ids=[]))


def test_registering_the_same_work_file_twice_gives_the_same_job(inbox: Inbox):
    path = _work_file(inbox)
    first = jobs.register(inbox, path, "scan.pdf", JobSource.INBOX)
    assert jobs.register(inbox, path, "scan.pdf", JobSource.INBOX) is first


def test_lease_takes_a_queued_job_once(inbox: Inbox):
    job = _register(inbox)
    ticket = jobs.lease(job.id, "host:1:a", 60)
    assert ticket is not None and ticket.attempts == 1 and ticket.path == Path(job.work_path)
    assert jobs.lease(job.id, "host:2:b", 60) is None
    db.session.refresh(job)
    assert job.state == JobState.PROCESSING and job.worker_id == "host:1:a"
    assert job.lease_expires_at is not None and job.lease_expires_at > utcnow()


def test_a_job_whose_lease_ran_out_can_be_taken_over(inbox: Inbox):
    job = _register(inbox)
    first = jobs.lease(job.id, "host:1:a", 60)
    _expire(job)
    second = jobs.lease(job.id, "host:2:b", 60)
    assert first is not None and second is not None and second.attempts == 2
    with pytest.raises(jobs.LeaseLost):
        jobs.confirm(first)  # the slow first worker must not record its result
    assert jobs.confirm(second).id == job.id


def test_finished_jobs_are_not_leased(inbox: Inbox):
    job = _register(inbox)
    job.state = JobState.DONE.value
    db.session.commit()
    assert jobs.lease(job.id, "host:1:a", 60) is None
    assert jobs.lease(123456, "host:1:a", 60) is None


def _expire(job: IngestJob) -> None:
    db.session.execute(update(IngestJob).where(IngestJob.id == job.id).values(
        lease_expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_expired_jobs_are_the_processing_ones_past_their_lease(inbox: Inbox):
    running, expired = _register(inbox, b"one"), _register(inbox, b"two")
    jobs.lease(running.id, "host:1:a", 60)
    jobs.lease(expired.id, "host:1:b", 60)
    _expire(expired)
    assert jobs.expired_jobs() == [expired]


def test_orphaned_jobs_belong_to_dead_processes_of_this_host(inbox: Inbox):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    orphan, alive, elsewhere = (_register(inbox, bytes([n])) for n in range(3))
    jobs.lease(orphan.id, f"scanhost:{dead}:x", 60)
    jobs.lease(alive.id, f"scanhost:{jobs.os.getpid()}:y", 60)
    jobs.lease(elsewhere.id, f"otherhost:{dead}:z", 60)
    assert jobs.orphaned_jobs("scanhost") == [orphan]


def test_requeue_and_stale_queued(inbox: Inbox):
    job = _register(inbox)
    jobs.lease(job.id, "host:1:a", 60)
    db.session.refresh(job)
    jobs.requeue(job)
    db.session.commit()
    assert job.state == JobState.QUEUED and job.worker_id is None
    assert jobs.stale_queued(timedelta(minutes=10)) == []
    job.updated_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    assert jobs.stale_queued(timedelta(minutes=10)) == [job]
    assert jobs.queued_jobs() == [job]


def test_fail_records_the_reason_and_where_the_file_goes(inbox: Inbox):
    job = _register(inbox, name="Brief.pdf")
    jobs.fail(job, inbox, "too_many_pages", "The file has 900 pages", {"pages": 900})
    assert job.state == JobState.FAILED and job.stage == Stage.FINISHED
    assert (job.reason, job.details) == ("too_many_pages", {"pages": 900})
    assert job.failed_path == str(inbox.failed / f"{job.id}-Brief.pdf")
    assert job.finished_at is not None


@pytest.mark.committed
def test_the_lease_keeper_renews_and_reports_progress_from_its_own_thread(committed_app,
                                                                          tmp_path: Path):
    inbox = Inbox(tmp_path / "scanner_inbox")
    inbox.ensure()
    with committed_app.app_context():
        job = _register(inbox)
        ticket = jobs.lease(job.id, "host:1:a", 3)
        assert ticket is not None
        first_expiry = db.session.get(IngestJob, job.id).lease_expires_at
        db.session.commit()
        with LeaseKeeper(db.engine, ticket, 3) as keeper:
            keeper.report(Stage.TEXT, 2, 5)
            time.sleep(1.5)
            db.session.expire_all()
            seen = db.session.get(IngestJob, job.id)
            assert (seen.stage, seen.page, seen.page_total) == ("text", 2, 5)
            time.sleep(1.2)  # past a third of the lease: renewed
            db.session.expire_all()
            assert db.session.get(IngestJob, job.id).lease_expires_at > first_expiry
            db.session.commit()
            keeper.check()
        assert not keeper.lost


@pytest.mark.committed
def test_the_lease_keeper_notices_a_take_over(committed_app, tmp_path: Path):
    inbox = Inbox(tmp_path / "scanner_inbox")
    inbox.ensure()
    with committed_app.app_context():
        job = _register(inbox)
        ticket = jobs.lease(job.id, "host:1:a", 60)
        assert ticket is not None
        db.session.execute(update(IngestJob).values(worker_id="host:2:b"))
        db.session.commit()
        with LeaseKeeper(db.engine, ticket, 60) as keeper:
            keeper.report(Stage.TEXT, 1, 3)
            time.sleep(1.3)
        assert keeper.lost
        with pytest.raises(jobs.LeaseLost):
            keeper.check()
