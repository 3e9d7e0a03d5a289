"""A real `flask dossier worker` process for the tests that cross a process boundary."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from dossier.config import PROJECT_ROOT

FLASK = PROJECT_ROOT / ".venv" / "bin" / "flask"


def worker_environment(app: Flask, **settings: str) -> dict[str, str]:
    """The DOSSIER_* settings that make a worker use `app`'s database, inbox and store."""
    config = app.config
    env = {key: value for key, value in os.environ.items() if not key.startswith("DOSSIER_")}
    env.update({
        "DOSSIER_DATABASE_URL": str(config["SQLALCHEMY_DATABASE_URI"]),
        "DOSSIER_DATA_DIR": str(config["DATA_DIR"]),
        "DOSSIER_INBOX": str(config["INBOX"]),
        "DOSSIER_FILE_STORE": str(config["FILE_STORE"]),
        "DOSSIER_SECRET_KEY": "test-secret-key",
        "DOSSIER_INBOX_STABLE_SECONDS": "0.3",
        "DOSSIER_INBOX_POLL_SECONDS": "0.5",
        "DOSSIER_OCR_PROCESSES": "1",
        "OMP_THREAD_LIMIT": "1",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(settings)
    return env


class WorkerProcess:
    """`flask dossier worker` in its own process group, its output in a log file."""

    def __init__(self, env: dict[str, str], log: Path, *args: str) -> None:
        self.log = log
        self._handle = log.open("ab")
        self.process = subprocess.Popen(
            [str(FLASK), "--app", "dossier", "dossier", "worker", "-w", "2", *args],
            cwd=PROJECT_ROOT, env=env, stdout=self._handle, stderr=subprocess.STDOUT,
            start_new_session=True)

    def kill(self) -> None:
        """SIGKILL the worker and every process it started (its Tesseracts)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self._handle.close()

    def interrupt(self) -> None:
        """SIGINT to the worker's process group, as Ctrl-C in its terminal; wait for it."""
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(30)
        self._handle.close()

    def running_tesseracts(self) -> list[int]:
        """Ids of the Tesseract processes in the worker's process group."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)
            except OSError:  # ended meanwhile
                continue
            command, group = fields[0].split("(", 1)[1], int(fields[1].split()[2])
            if command == "tesseract" and group == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self._handle.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def wait_for(condition: Callable[[], Any], timeout: float, worker: WorkerProcess,
             what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if worker.process.poll() is not None:
            raise AssertionError(f"the worker exited while waiting for {what}:\n"
                                 f"{worker.output()}")
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}:\n{worker.output()}")
