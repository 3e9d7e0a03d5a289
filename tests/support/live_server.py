"""A real gunicorn serving Dossier on a committed database, for tests that use a browser."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dossier.config import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path,
                   seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer:\n{log.read_text(errors='replace')[-3000:]}")


def _environment(database: str, data_dir: Path) -> dict[str, str]:
    return os.environ | {
        "DOSSIER_DATABASE_URL": database, "DOSSIER_DATA_DIR": str(data_dir),
        "DOSSIER_FILE_STORE": str(data_dir / "files"), "DOSSIER_INBOX": str(data_dir / "inbox"),
        "DOSSIER_SECRET_KEY": "browser-test-secret", "DOSSIER_QUEUE_URL": "memory://",
        "DOSSIER_RATELIMIT_STORAGE_URI": "memory://", "DOSSIER_DEFAULT_LOCALE": "en",
    }


@contextmanager
def running_gunicorn(database: str, data_dir: Path, workers: int = 1,
                     startup_seconds: float = 30) -> Iterator[str]:
    """Serve the app on a free port; yields its base URL and stops it afterwards."""
    port = free_port()
    log = data_dir / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(PROJECT_ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b",
             f"127.0.0.1:{port}", "dossier:create_app()"],
            cwd=PROJECT_ROOT, env=_environment(database, data_dir), stdout=output,
            stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(url, process, log, startup_seconds)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
