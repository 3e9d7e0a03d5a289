"""Watch the scanner inbox: inotify (watchdog) wakes it at once, polling catches the rest.

inotify says nothing about files written by another machine to a network share, and a
watch can fail to start (the kernel's watch limit); polling every few seconds covers both.
Either way a file is only claimed once its size has been stable (see inbox.StableFiles).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from dossier.ingest.inbox import Inbox, StableFiles

log = logging.getLogger(__name__)


class _Wake(FileSystemEventHandler):
    def __init__(self, event: threading.Event) -> None:
        self._event = event

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self._event.set()


class InboxWatcher:
    """Claims each complete file in the inbox root and hands its work path to `on_claimed`.

    `on_claimed` runs in the watcher's thread; an exception there is logged and the file
    stays claimed in the work area, where the sweep registers it.
    """

    def __init__(self, inbox: Inbox, on_claimed: Callable[[Path], None], *,
                 stable_seconds: float = 3.0, poll_seconds: float = 5.0,
                 use_inotify: bool = True) -> None:
        self.inbox = inbox
        self._on_claimed = on_claimed
        self._stable = StableFiles(stable_seconds)
        self._stable_seconds = stable_seconds
        self._poll_seconds = poll_seconds
        self._use_inotify = use_inotify
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="inbox-watcher", daemon=True)
        self._observer: Any = None
        self.inotify_active = False

    def start(self) -> InboxWatcher:
        self.inbox.ensure()
        if self._use_inotify:
            self._start_inotify()
        self._thread.start()
        return self

    def _start_inotify(self) -> None:
        observer = Observer()
        observer.schedule(_Wake(self._wake), str(self.inbox.root), recursive=False)
        try:
            observer.start()
        except OSError as error:  # e.g. the inotify watch limit; polling still works
            log.warning("inotify unavailable for %s (%s); polling only", self.inbox.root, error)
            return
        self._observer, self.inotify_active = observer, True

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
        if self._thread.is_alive():
            self._thread.join()

    def scan_once(self) -> list[Path]:
        """Claim and hand on every file that is complete now; returns their work paths."""
        claimed = []
        for path in self._stable.ready(self.inbox.candidates()):
            self._stable.forget(path)
            target = self.inbox.claim(path)
            if target is None:
                continue  # another worker claimed it first
            claimed.append(target)
            try:
                self._on_claimed(target)
            except Exception:  # the sweep registers it later; the watcher must go on
                log.exception("could not register %s; the sweep will retry", target)
        return claimed

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.scan_once()
            except OSError:
                log.exception("could not scan the inbox %s", self.inbox.root)
            self._wake.wait(self._next_wait())
            self._wake.clear()

    def _next_wait(self) -> float:
        # While a file is being written, look again soon; otherwise wait for inotify or
        # the next poll.
        if self._stable.waiting:
            return min(self._poll_seconds, max(self._stable_seconds / 2, 0.1))
        return self._poll_seconds
