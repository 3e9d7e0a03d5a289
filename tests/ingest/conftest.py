"""Fixtures for the ingest tests: a private inbox and file store per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from dossier.ingest.inbox import Inbox


@pytest.fixture
def inbox(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Inbox:
    """The app's scanner inbox, in this test's own folder (with an own file store)."""
    box = Inbox(tmp_path / "scanner_inbox")
    monkeypatch.setitem(app.config, "INBOX", str(box.root))
    monkeypatch.setitem(app.config, "FILE_STORE", str(tmp_path / "files"))
    box.ensure()
    return box
