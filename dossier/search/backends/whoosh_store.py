"""The Whoosh index directory: one writer at a time across processes, and one searcher
per process and index, reopened only when another commit changed the index.

Searchers are reopened whole (`ix.searcher()`), never with `searcher.refresh()`: in
whoosh-reloaded 2.7.5 refresh reuses segment readers with their old deletions and keeps
segments a merge or a clear dropped, so deleted documents went on being found.
"""

from __future__ import annotations

import fcntl
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.fields import Schema
from whoosh.searching import Searcher
from whoosh.writing import CLEAR

from dossier.search.backends.whoosh_build import DossierWriter

LOCK_FILE = "dossier-writer.lock"
# Files of the indexes, any version: "_documents_v2_3.toc", "documents_v2_ab12.pst", ...
_INDEX_FILE = re.compile(r"^_?(?P<name>(?:documents|customers)(?:_v\d+)?)_")
WRITE_TIMEOUT = 120.0  # seconds a writer waits for another one (a rebuild takes minutes)


class IndexBusy(RuntimeError):
    """Another process kept the index's write lock longer than the timeout."""


class IndexStore:
    """Named Whoosh indexes in one directory (`schemas`: index name -> schema factory)."""

    def __init__(self, path: str | os.PathLike[str], schemas: dict[str, Callable[[], Schema]],
                 write_timeout: float = WRITE_TIMEOUT) -> None:
        self.path = Path(path)
        self.schemas = schemas
        self.write_timeout = write_timeout
        self._thread_lock = threading.Lock()  # one writer per process (flock is per open file)
        self._search_lock = threading.RLock()  # searchers are not made for concurrent use
        self._searchers: dict[str, tuple[Any, Searcher]] = {}

    # --- opening ----------------------------------------------------------------------

    def exists(self, name: str) -> bool:
        return self._version(name) is not None

    def open(self, name: str) -> index.Index:
        return index.open_dir(str(self.path), indexname=name)

    def create_missing(self) -> None:
        """Create the directory and every index not in it (empty). Call under `writing()`."""
        self.path.mkdir(parents=True, exist_ok=True)
        for name, schema in self.schemas.items():
            if not index.exists_in(str(self.path), indexname=name):
                index.create_in(str(self.path), schema(), indexname=name)

    # --- writing ----------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """The exclusive right to change the indexes, across threads and processes."""
        self.path.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.write_timeout
        if not self._thread_lock.acquire(timeout=self.write_timeout):
            raise IndexBusy(str(self.path))
        try:
            with open(self.path / LOCK_FILE, "a+b") as handle:
                while True:
                    try:
                        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() > deadline:
                            raise IndexBusy(str(self.path)) from None
                        time.sleep(0.05)
                try:
                    self.create_missing()
                    yield
                finally:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()

    def writer(self, name: str, **options: Any) -> DossierWriter:
        """A writer on index `name`; only inside `writing()`."""
        return DossierWriter(self.open(name), timeout=self.write_timeout, **options)

    def clear(self) -> None:
        """Empty every index (inside `writing()`); the generation goes on counting up, so
        every process's searcher sees the change. Files of other index versions go."""
        for name in self.schemas:
            writer = self.writer(name)
            writer.commit(mergetype=CLEAR)
        self.remove_other_versions()

    def remove_other_versions(self) -> None:
        """Delete the files of index versions this code no longer uses (inside `writing()`)."""
        current = tuple(self.schemas)
        for path in self.path.iterdir():
            match = _INDEX_FILE.match(path.name)
            if match and match["name"] not in current and path.is_file():
                path.unlink(missing_ok=True)

    # --- searching --------------------------------------------------------------------

    @contextmanager
    def searching(self, name: str) -> Iterator[Searcher | None]:
        """This process's searcher on `name`, current as of now; None when there is no
        index yet. Searches in one process take turns (they hold the GIL anyway)."""
        with self._search_lock:
            yield self._current_searcher(name)

    def _current_searcher(self, name: str) -> Searcher | None:
        version = self._version(name)
        held = self._searchers.get(name)
        if held is not None and held[0] == version:
            return held[1]
        if held is not None:
            held[1].close()
            del self._searchers[name]
        if version is None:
            return None
        searcher = self.open(name).searcher()
        self._searchers[name] = (version, searcher)
        return searcher

    def _version(self, name: str) -> tuple[int, int, int] | None:
        """What identifies the index's current state: its newest table of contents, by
        generation and file (a deleted and recreated index counts generations anew)."""
        pattern = re.compile(rf"^_{re.escape(name)}_(\d+)\.toc$")
        newest: tuple[int, os.DirEntry[str]] | None = None
        try:
            with os.scandir(self.path) as entries:
                for entry in entries:
                    match = pattern.match(entry.name)
                    if match and (newest is None or int(match[1]) > newest[0]):
                        newest = (int(match[1]), entry)
        except FileNotFoundError:
            return None
        if newest is None:
            return None
        try:
            stat = newest[1].stat()
        except FileNotFoundError:  # a writer replaced it just now
            return (newest[0], -1, -1)
        return (newest[0], stat.st_ino, stat.st_mtime_ns)

    def close(self) -> None:
        with self._search_lock:
            for _version, searcher in self._searchers.values():
                searcher.close()
            self._searchers.clear()
