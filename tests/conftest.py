"""Fixtures: an app on a migrated database, a transaction rolled back after each test."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy.orm import scoped_session, sessionmaker

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from dossier import create_app
from dossier.documents.seed import seed_reference_data
from dossier.extensions import db, limiter
from dossier.search.backends import reset_backend
from tests.support.databases import fresh_database


def build_app(database_uri: str, data_dir: Path, **overrides: Any) -> Flask:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "SECRET_KEY": "test-secret-key",
        "DATA_DIR": str(data_dir),
        "FILE_STORE": str(data_dir / "files"),
        "INBOX": str(data_dir / "inbox"),
        "SEARCH_INDEX": str(data_dir / "search-index"),
        "QUEUE_URL": "memory://",
        "RATELIMIT_STORAGE_URI": "memory://",
        "WTF_CSRF_ENABLED": False,
        "BABEL_DEFAULT_LOCALE": "en",
        **overrides,
    }
    return create_app(config)


def migrate_and_seed(app: Flask) -> None:
    with app.app_context():
        upgrade()
        seed_reference_data()
        db.session.commit()


@pytest.fixture(scope="session")
def _session_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    data_dir = tmp_path_factory.mktemp("data")
    with fresh_database(data_dir) as url:
        app = build_app(url, data_dir)
        migrate_and_seed(app)
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(_session_app: Flask) -> Iterator[Flask]:
    """The app, with every commit made during the test rolled back afterwards.

    Login attempts are counted per client address; every test starts at zero.
    """
    app = _session_app
    limiter.reset()
    index_dir = _fresh_search_index(app)
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        original = db.session
        db.session = scoped_session(factory, scopefunc=original.registry.scopefunc)
        try:
            with app.app_context():
                yield app
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()
            reset_backend(app)
            shutil.rmtree(index_dir, ignore_errors=True)


_search_indexes = itertools.count(1)


def _fresh_search_index(app: Flask) -> Path:
    """Each test its own (not yet created) Whoosh index folder and backend instance:
    the database rolls back after a test, so an index must not outlive it either.
    Nothing is made until a test uses search."""
    index_dir = Path(app.config["DATA_DIR"]) / f"search-index-{next(_search_indexes)}"
    app.config["SEARCH_INDEX"] = str(index_dir)
    reset_backend(app)
    return index_dir


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def committed_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on its own committed database, for tests that cross a process."""
    with fresh_database(tmp_path) as url:
        app = build_app(url, tmp_path)
        migrate_and_seed(app)
        yield app
        reset_backend(app)  # closes the search index's files
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
