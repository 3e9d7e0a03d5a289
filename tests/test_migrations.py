"""Models and migrations agree, and migrations build an empty database of either kind."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import Column, Index, Integer, MetaData, Table, inspect, text

from dossier.extensions import db
from dossier.schema import POSTGRES_ONLY_TABLES, include_object
from dossier.search.backends.postgres_schema import tsv_index_method
from tests.conftest import build_app
from tests.support.databases import fresh_database, using_postgres


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


def test_only_the_postgresql_search_tables_are_left_out_of_the_drift_check():
    assert {"search_document", "search_customer", "search_name_word"} == POSTGRES_ONLY_TABLES
    assert not set(db.metadata.tables) & POSTGRES_ONLY_TABLES
    for table in db.metadata.tables.values():
        assert include_object(table, table.name, "table", False, None)
        for index in table.indexes:
            assert include_object(index, index.name, "index", False, None)
    reflected = Table("search_document", MetaData(), Column("document_id", Integer))
    assert not include_object(reflected, "search_document", "table", True, None)
    index = Index("ix_search_document_tsv", reflected.c.document_id)
    assert not include_object(index, index.name, "index", True, None)


def test_the_search_migration_builds_its_objects_on_postgresql_only(tmp_path: Path):
    with fresh_database(tmp_path) as url:
        app = build_app(url, tmp_path)
        with app.app_context():
            upgrade()
            tables = set(inspect(db.engine).get_table_names())
            if using_postgres():
                configurations = set(db.session.scalars(text(
                    "SELECT cfgname FROM pg_ts_config WHERE cfgname LIKE 'dossier%'")))
                rum = db.session.scalar(text(
                    "SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'"))
                method = tsv_index_method(db.session)
                folded = db.session.scalar(text("SELECT dossier_fold('Café RÉÜNIE')"))
            db.session.remove()
            db.engine.dispose()
    if using_postgres():
        assert tables >= POSTGRES_ONLY_TABLES
        assert configurations == {"dossier_nl", "dossier_en", "dossier_names"}
        assert method == ("rum" if rum else "gin") and folded == "cafe reunie"
    else:
        assert not tables & POSTGRES_ONLY_TABLES
