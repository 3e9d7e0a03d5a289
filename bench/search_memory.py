"""Memory and disk figures for the search benchmark: RSS of process trees, index sizes."""

from __future__ import annotations

import os
import resource
import threading
import time
from pathlib import Path
from types import TracebackType

from sqlalchemy import text

from bench.processes import children_by_parent, rss_kb
from dossier.extensions import db


def descendants(root: int) -> list[int]:
    tree, stack, found = children_by_parent(), [root], []
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(tree.get(pid, []))
    return found


def tree_rss_mb(root: int | None = None) -> float:
    """RSS of `root` (default: this process) and all its descendants, in MB."""
    return sum(rss_kb(pid) for pid in descendants(root or os.getpid())) / 1024


def rss_mb() -> float:
    return rss_kb(os.getpid()) / 1024


def peak_rss_mb() -> float:
    """The highest RSS this process has had so far (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def gunicorn_rss_mb() -> float:
    """RSS of the gunicorn processes this process started (master and workers)."""
    total = 0
    for pid in descendants(os.getpid()):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"gunicorn" in command:
            total += rss_kb(pid)
    return total / 1024


class PeakSampler:
    """Samples the RSS of this process tree every 100 ms while in use; `peak_mb` after."""

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._done.is_set():
            self.peak_mb = max(self.peak_mb, tree_rss_mb())
            time.sleep(0.1)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._done.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, tree_rss_mb())


def directory_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def postgres_index_sizes() -> dict[str, float]:
    """MB of the search tables with their indexes (and TOAST), and the text index alone."""
    sizes: dict[str, float] = {}
    for name in ("search_document", "search_customer"):
        size = db.session.execute(text(
            "SELECT pg_total_relation_size(to_regclass(:n))"), {"n": name}).scalar()
        sizes[name] = (size or 0) / 2**20
    index = db.session.execute(text(
        "SELECT indexname, pg_relation_size(to_regclass(indexname)), indexdef FROM pg_indexes "
        "WHERE tablename = 'search_document' AND indexdef ILIKE '%(tsv%'")).first()
    if index is not None:
        method = "RUM" if " rum " in index[2].lower() else "GIN"
        sizes[f"{index[0]} ({method})"] = index[1] / 2**20
    return sizes
