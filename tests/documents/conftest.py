"""Fixtures for the documents tests: users per role, customers and a private file store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from dossier.auth.models import User
from dossier.customers.models import Customer
from dossier.extensions import limiter
from tests.factories import CustomerFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limit(app: Flask) -> Iterator[None]:
    """These tests log in often; the login rate limit counts per address across tests."""
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def store(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "files"
    monkeypatch.setitem(app.config, "FILE_STORE", str(path))
    return path


@pytest.fixture
def sales(app: Flask) -> User:
    return UserFactory(roles=("sales",))


@pytest.fixture
def care(app: Flask) -> User:
    return UserFactory(roles=("care",))


@pytest.fixture
def admin(app: Flask) -> User:
    return UserFactory(roles=("admin",))


@pytest.fixture
def customer(app: Flask) -> Customer:
    return CustomerFactory()
