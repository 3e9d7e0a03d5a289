"""The scanner's folder: notice when a file is complete, claim it atomically, set failures aside.

Layout under the inbox root (default `scanner_inbox/`):
  <root>/            the scanner writes here
  <root>/.work/      claimed files, uploads and CLI copies while a job owns them
  <root>/failed/     files that could not be processed, each with `<name>.reason.txt`
  <root>/duplicates/ files whose content was already ingested, with the same reason file

Every move is a rename inside one file system, so a file is always in exactly one place.
With several workers (on several machines) the inbox is a shared folder: the rename that
claims a file succeeds for one of them only.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from dossier.ingest.models import IngestJob

WORK_DIR = ".work"
FAILED_DIR = "failed"
DUPLICATES_DIR = "duplicates"
REASON_SUFFIX = ".reason.txt"
_SEPARATOR = "__"  # between the claim token and the original name
MAX_NAME_BYTES = 180
CHUNK = 1024 * 1024
EMPTY_FACTOR = 10
# Hidden working names in the work area: upload spool files, extraction folders.
TEMPORARY_PREFIXES = (".spool-", ".extract-")


def safe_name(name: str) -> str:
    """The last path part of `name`, without control characters, short enough to prefix."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(char for char in base if unicodedata.category(char)[0] != "C").strip()
    base = base.lstrip(".") or "scan"
    while len(base.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, suffix = base.rpartition(".")
        base = f"{stem[:-1]}{dot}{suffix}" if dot and len(stem) > 1 else base[:-1]
    return base


def original_name(work_file: Path) -> str:
    """The name the file had when it arrived (claimed files carry it after the token)."""
    _token, separator, name = work_file.name.partition(_SEPARATOR)
    return name if separator and name else work_file.name


@dataclass(frozen=True)
class Inbox:
    root: Path

    @property
    def work(self) -> Path:
        return self.root / WORK_DIR

    @property
    def failed(self) -> Path:
        return self.root / FAILED_DIR

    @property
    def duplicates(self) -> Path:
        return self.root / DUPLICATES_DIR

    def ensure(self) -> None:
        for folder in (self.root, self.work, self.failed, self.duplicates):
            folder.mkdir(parents=True, exist_ok=True)

    def candidates(self) -> list[Path]:
        """Files the scanner left in the root (hidden and partial `.tmp`-style names skipped)."""
        try:
            entries = list(os.scandir(self.root))
        except FileNotFoundError:
            return []
        return sorted(Path(entry.path) for entry in entries
                      if entry.is_file(follow_symlinks=False) and not entry.name.startswith(".")
                      and not entry.name.endswith((".tmp", ".part", ".crdownload")))

    def work_files(self) -> list[Path]:
        try:
            entries = list(os.scandir(self.work))
        except FileNotFoundError:
            return []
        return sorted(Path(entry.path) for entry in entries
                      if entry.is_file(follow_symlinks=False) and not entry.name.startswith("."))

    def new_work_path(self, name: str) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        return self.work / f"{stamp}-{uuid.uuid4().hex[:10]}{_SEPARATOR}{safe_name(name)}"

    def claim(self, path: Path) -> Path | None:
        """Move a complete file from the root into the work area; None if another got it."""
        self.ensure()
        target = self.new_work_path(path.name)
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return None
        return target

    def spool(self, stream: IO[bytes], name: str) -> Path:
        """Write an upload (or a copy of a file given to the CLI) into the work area.

        Written under a hidden temporary name and renamed when complete, so the sweep
        never registers half a file.
        """
        self.ensure()
        target = self.new_work_path(name)
        handle, temp_name = tempfile.mkstemp(prefix=".spool-", dir=self.work)
        try:
            with os.fdopen(handle, "wb") as temp:
                shutil.copyfileobj(stream, temp, CHUNK)
                temp.flush()
                os.fsync(temp.fileno())
            os.rename(temp_name, target)
        except BaseException:
            if os.path.exists(temp_name):
                os.unlink(temp_name)
            raise
        return target

    def failed_path(self, job_id: int, name: str) -> Path:
        return self.failed / f"{job_id}-{safe_name(name)}"

    def duplicate_path(self, job_id: int, name: str) -> Path:
        return self.duplicates / f"{job_id}-{safe_name(name)}"

    def clean_spool(self, older_than: float = 3600.0) -> None:
        """Remove what an interrupted upload or extraction left (hidden temporary names)."""
        cutoff = time.time() - older_than
        for leftover in self.work.glob(".*"):
            if not leftover.name.startswith(TEMPORARY_PREFIXES):
                continue
            try:
                if leftover.lstat().st_mtime >= cutoff:
                    continue
            except FileNotFoundError:
                continue
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def reason_file_of(path: Path) -> Path:
    return path.with_name(path.name + REASON_SUFFIX)


def set_aside(source: Path, destination: Path, reason: str) -> None:
    """Put a file where people can find it, with the reason beside it (reason first)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    reason_file_of(destination).write_text(reason.rstrip() + "\n", encoding="utf-8")
    if source.exists():
        os.replace(source, destination)


class StableFiles:
    """Says when a file has stopped growing: same size and mtime for `stable_seconds`.

    Scanners write slowly (and over the network, in bursts), so a file is only claimed
    once two looks at least `stable_seconds` apart saw it unchanged.
    """

    def __init__(self, stable_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._stable = stable_seconds
        self._clock = clock
        self._seen: dict[Path, tuple[tuple[int, int], float]] = {}

    def ready(self, paths: Iterable[Path]) -> list[Path]:
        now, current = self._clock(), {}
        for path in paths:
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            signature = (stat.st_size, stat.st_mtime_ns)
            previous = self._seen.get(path)
            since = previous[1] if previous and previous[0] == signature else now
            current[path] = (signature, since)
        self._seen = current
        return [path for path, (signature, since) in current.items()
                if now - since >= self._wait_for(signature[0])]

    def _wait_for(self, size: int) -> float:
        # An empty file is usually one the scanner has only just created; one that stays
        # empty for much longer is claimed anyway, so it fails with a reason.
        return self._stable if size else self._stable * EMPTY_FACTOR

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)

    @property
    def waiting(self) -> int:
        return len(self._seen)


def settle(job: IngestJob) -> bool:
    """Once a job's result is committed, put its work file where that result says.

    Done or in triage: the original is in the file store, so the work copy goes. Failed
    or duplicate: the file moves to `job.failed_path` with its reason beside it. Safe to
    repeat (the sweep does, after a crash); returns whether the job changed, for the
    caller to commit.
    """
    from dossier.ingest.models import JobState

    if not job.work_path or job.state in (JobState.QUEUED, JobState.PROCESSING):
        return False
    work_file = Path(job.work_path)
    if job.state in (JobState.FAILED, JobState.DUPLICATE) and job.failed_path:
        set_aside(work_file, Path(job.failed_path), reason_text(job))
    else:
        work_file.unlink(missing_ok=True)
    job.work_path = None
    return True


def reason_text(job: IngestJob) -> str:
    return "\n".join([
        job.message or str(job.reason),
        "",
        f"reason: {job.reason}",
        f"file: {job.original_name}",
        f"ingest job: {job.id}",
        f"sha256: {job.sha256}",
    ])
