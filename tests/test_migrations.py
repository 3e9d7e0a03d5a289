"""Models and migrations agree, and migrations build an empty database of either kind."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from dossier.extensions import db
from dossier.schema import include_object
from tests.conftest import build_app
from tests.support.databases import fresh_database


def _diff(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        return compare_metadata(context, db.metadata)


def test_models_and_migrations_do_not_drift(tmp_path: Path):
    with fresh_database(tmp_path) as url:
        app = build_app(url, tmp_path)
        with app.app_context():
            upgrade()
        diff = _diff(app)
        with app.app_context():
            db.engine.dispose()
    assert diff == [], f"models differ from migrations; run `flask db migrate`: {diff}"


def test_upgrade_builds_every_table_and_downgrade_removes_them(tmp_path: Path):
    with fresh_database(tmp_path) as url:
        app = build_app(url, tmp_path)
        with app.app_context():
            upgrade()
            tables = set(inspect(db.engine).get_table_names())
            assert set(db.metadata.tables) <= tables
            downgrade(revision="base")
            left = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
            db.engine.dispose()
    assert left == set()
