"""Fixtures for the documents tests: users per role, customers and a private file store."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from dossier.auth.models import User
from dossier.customers.models import Customer
from tests.factories import CustomerFactory, UserFactory


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
