"""The inbox watcher with real inotify (watchdog) and with polling only."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.ingest.inbox import Inbox, original_name
from dossier.ingest.watcher import InboxWatcher


class Claims:
    def __init__(self) -> None:
        self.paths: list[Path] = []
        self.arrived = threading.Event()

    def __call__(self, path: Path) -> None:
        self.paths.append(path)
        self.arrived.set()


@pytest.fixture
def inbox(tmp_path: Path) -> Inbox:
    return Inbox(tmp_path / "scanner_inbox")


@pytest.fixture(params=[True, False], ids=["inotify", "polling"])
def claims(request: pytest.FixtureRequest, inbox: Inbox) -> Iterator[Claims]:
    """What a running watcher (inotify, or polling only) claimed."""
    seen = Claims()
    watcher = InboxWatcher(inbox, seen, stable_seconds=0.3, poll_seconds=0.5,
                           use_inotify=request.param).start()
    try:
        yield seen
    finally:
        watcher.stop()


def test_a_dropped_file_is_claimed_into_the_work_area(inbox: Inbox, claims: Claims):
    (inbox.root / "scan.pdf").write_bytes(b"%PDF-1.4 data")
    assert claims.arrived.wait(5)
    [claimed] = claims.paths
    assert claimed.parent == inbox.work and original_name(claimed) == "scan.pdf"
    assert claimed.read_bytes() == b"%PDF-1.4 data"
    assert inbox.candidates() == []


def test_inotify_is_used_when_asked(inbox: Inbox):
    watcher = InboxWatcher(inbox, Claims(), use_inotify=True).start()
    try:
        assert watcher.inotify_active
    finally:
        watcher.stop()


def test_a_file_still_being_written_is_left_alone(inbox: Inbox, claims: Claims):
    inbox.ensure()
    growing = inbox.root / "slow.pdf"
    with growing.open("wb") as handle:
        for _ in range(8):  # 1.2 s of writing, each pause shorter than the stable time
            handle.write(b"x" * 1000)
            handle.flush()
            time.sleep(0.15)
            assert claims.paths == []
    assert claims.arrived.wait(5)
    assert claims.paths[0].stat().st_size == 8000


def test_a_failing_handler_leaves_the_file_claimed_for_the_sweep(inbox: Inbox):
    def broken(path: Path) -> None:
        raise RuntimeError("database down")

    watcher = InboxWatcher(inbox, broken, stable_seconds=0.0, use_inotify=False)
    inbox.ensure()
    (inbox.root / "scan.pdf").write_bytes(b"data")
    claimed = watcher.scan_once()
    assert len(claimed) == 1 and claimed[0].exists() and inbox.candidates() == []


def test_files_already_waiting_at_start_are_picked_up(inbox: Inbox):
    inbox.ensure()
    (inbox.root / "overnight.tif").write_bytes(b"II*\x00data")
    claims = Claims()
    watcher = InboxWatcher(inbox, claims, stable_seconds=0.2, poll_seconds=0.3,
                           use_inotify=False).start()
    try:
        assert claims.arrived.wait(5)
    finally:
        watcher.stop()
    assert original_name(claims.paths[0]) == "overnight.tif"
