"""The inbox folder: complete-file detection, atomic claims, spooling, setting files aside."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from dossier.ingest.inbox import (
    EMPTY_FACTOR,
    Inbox,
    StableFiles,
    original_name,
    reason_file_of,
    safe_name,
    set_aside,
    settle,
)
from dossier.ingest.models import IngestJob, JobState


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def inbox(tmp_path: Path) -> Inbox:
    box = Inbox(tmp_path / "scanner_inbox")
    box.ensure()
    return box


def test_ensure_makes_the_folders(inbox: Inbox):
    assert all(folder.is_dir() for folder in (inbox.root, inbox.work, inbox.failed,
                                              inbox.duplicates))


def test_candidates_are_visible_complete_files_in_the_root_only(inbox: Inbox):
    for name in ("scan1.pdf", "scan2.tif", ".hidden.pdf", "half.pdf.part", "x.tmp"):
        (inbox.root / name).write_bytes(b"data")
    (inbox.failed / "old.pdf").write_bytes(b"data")
    (inbox.root / "sub").mkdir()
    assert [path.name for path in inbox.candidates()] == ["scan1.pdf", "scan2.tif"]


def test_claim_moves_the_file_into_the_work_area_keeping_its_name(inbox: Inbox):
    scan = inbox.root / "Scan 0042.pdf"
    scan.write_bytes(b"%PDF-1.4 data")
    claimed = inbox.claim(scan)
    assert claimed is not None and claimed.parent == inbox.work
    assert not scan.exists() and claimed.read_bytes() == b"%PDF-1.4 data"
    assert original_name(claimed) == "Scan 0042.pdf"
    assert inbox.work_files() == [claimed]


def test_a_file_claimed_by_another_worker_is_not_claimed_twice(inbox: Inbox):
    scan = inbox.root / "scan.pdf"
    scan.write_bytes(b"data")
    assert inbox.claim(scan) is not None
    assert inbox.claim(scan) is None


def test_spool_writes_complete_files_only(inbox: Inbox):
    spooled = inbox.spool(io.BytesIO(b"upload bytes"), "../../etc/Brief.pdf")
    assert spooled.parent == inbox.work and original_name(spooled) == "Brief.pdf"
    assert spooled.read_bytes() == b"upload bytes"
    assert [p for p in inbox.work.iterdir() if p.name.startswith(".")] == []


def test_spool_leaves_nothing_when_the_stream_breaks(inbox: Inbox):
    class Broken(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            raise OSError("connection reset")

    with pytest.raises(OSError):
        inbox.spool(Broken(), "scan.pdf")  # type: ignore[arg-type]
    assert list(inbox.work.iterdir()) == []


@pytest.mark.parametrize(("raw", "expected"), [
    ("scan.pdf", "scan.pdf"), ("C:\\scans\\brief.pdf", "brief.pdf"), ("a/b/../c.tif", "c.tif"),
    (".hidden", "hidden"), ("", "scan"), ("bad\x00name\n.pdf", "badname.pdf"),
])
def test_safe_name(raw: str, expected: str):
    assert safe_name(raw) == expected


def test_safe_name_keeps_long_names_within_the_file_system_limit():
    name = safe_name("é" * 300 + ".pdf")
    assert name.endswith(".pdf") and len(name.encode()) <= 180


def test_stable_files_waits_until_size_and_time_stop_changing(tmp_path: Path):
    clock, path = Clock(), tmp_path / "scan.pdf"
    stable = StableFiles(3.0, clock)
    path.write_bytes(b"part")
    assert stable.ready([path]) == []
    clock.now += 2
    path.write_bytes(b"part and more")  # the scanner is still writing
    assert stable.ready([path]) == []
    clock.now += 2.5
    assert stable.ready([path]) == []  # unchanged for 2.5 s only
    clock.now += 1
    assert stable.ready([path]) == [path]


def test_stable_files_forgets_files_that_went_away(tmp_path: Path):
    clock, path = Clock(), tmp_path / "scan.pdf"
    stable = StableFiles(1.0, clock)
    path.write_bytes(b"x")
    stable.ready([path])
    path.unlink()
    assert stable.ready([path]) == [] and stable.waiting == 0


def test_an_empty_file_is_claimed_only_after_a_long_wait(tmp_path: Path):
    clock, path = Clock(), tmp_path / "scan.pdf"
    stable = StableFiles(2.0, clock)
    path.write_bytes(b"")
    stable.ready([path])
    clock.now += 2.5
    assert stable.ready([path]) == []
    clock.now += 2.0 * EMPTY_FACTOR
    assert stable.ready([path]) == [path]


def test_set_aside_writes_the_reason_beside_the_file(inbox: Inbox):
    source = inbox.work / "x__scan.pdf"
    source.write_bytes(b"data")
    target = inbox.failed / "7-scan.pdf"
    set_aside(source, target, "The file is damaged.")
    assert target.read_bytes() == b"data" and not source.exists()
    assert reason_file_of(target).read_text() == "The file is damaged.\n"


def _job(inbox: Inbox, state: JobState, **fields: object) -> IngestJob:
    work = inbox.work / "t__scan.pdf"
    work.write_bytes(b"data")
    return IngestJob(id=7, sha256="a" * 64, original_name="scan.pdf", state=state.value,
                     work_path=str(work), **fields)


@pytest.mark.parametrize("state", [JobState.DONE, JobState.TRIAGE])
def test_settle_removes_the_work_copy_once_the_original_is_stored(inbox: Inbox,
                                                                   state: JobState):
    job = _job(inbox, state)
    assert settle(job) is True
    assert job.work_path is None and inbox.work_files() == []


@pytest.mark.parametrize("state", [JobState.FAILED, JobState.DUPLICATE])
def test_settle_sets_failures_and_duplicates_aside_with_their_reason(inbox: Inbox,
                                                                     state: JobState):
    target = inbox.failed / "7-scan.pdf"
    job = _job(inbox, state, failed_path=str(target), reason="corrupt",
               message="The file is damaged.")
    assert settle(job) is True
    assert target.read_bytes() == b"data" and inbox.work_files() == []
    reason = reason_file_of(target).read_text()
    assert reason.startswith("The file is damaged.\n") and "reason: corrupt" in reason
    assert "ingest job: 7" in reason


@pytest.mark.parametrize("state", [JobState.QUEUED, JobState.PROCESSING])
def test_settle_leaves_unfinished_jobs_alone(inbox: Inbox, state: JobState):
    job = _job(inbox, state)
    assert settle(job) is False
    assert Path(job.work_path or "").exists()


def test_settle_is_safe_to_repeat(inbox: Inbox):
    job = _job(inbox, JobState.DONE)
    os.unlink(job.work_path or "")
    assert settle(job) is True and job.work_path is None
    assert settle(job) is False
