"""`flask dossier init` on a committed database: first start loads demo data, later starts not."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from dossier.auth.models import User
from dossier.config import SECRET_KEY_FILE
from dossier.customers.models import Customer
from dossier.documents.models import Document, DocumentType, PolicyRule
from dossier.extensions import db

pytestmark = pytest.mark.committed


def _counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        counts = {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Customer, Document, User, DocumentType, PolicyRule)}
        db.session.remove()
    return counts


def test_init_twice_loads_demo_once_and_keeps_data(committed_app: Flask,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOSSIER_SECRET_KEY", raising=False)
    runner = committed_app.test_cli_runner()
    first = runner.invoke(args=["dossier", "init"])
    assert first.exit_code == 0, first.output
    assert "Demo data loaded: 202 customers" in first.output  # 2: demo duplicates
    loaded = _counts(committed_app)
    assert loaded["Customer"] == 202 and loaded["User"] == 6

    second = runner.invoke(args=["dossier", "init"])
    assert second.exit_code == 0, second.output
    assert "Demo data loaded" not in second.output
    assert "Secret key written" not in second.output
    assert _counts(committed_app) == loaded

    key_file = Path(committed_app.config["DATA_DIR"]) / SECRET_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text(encoding="ascii").strip()) == 64


def test_demo_command_refuses_a_filled_database_unless_forced(committed_app: Flask) -> None:
    runner = committed_app.test_cli_runner()
    assert runner.invoke(args=["dossier", "init"]).exit_code == 0
    refused = runner.invoke(args=["dossier", "demo"])
    assert refused.exit_code != 0 and "--force" in refused.output
    forced = runner.invoke(args=["dossier", "demo", "--force"])
    assert forced.exit_code == 0, forced.output
    with committed_app.app_context():
        numbers = db.session.scalars(select(Customer.number)).all()
        db.session.remove()
    assert len(numbers) == len(set(numbers)) == 404
    assert max(numbers) == "100404"  # a second set numbered after the first
