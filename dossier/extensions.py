"""Flask extensions, created unbound here and bound to the app in create_app()."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.api import Huey
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()

# Tasks are declared on this instance at import time; create_app() swaps in the
# configured storage (SQLite under the data dir, or Redis at scale).
huey: Huey = MemoryHuey("dossier")


def configure_huey(app: Flask) -> None:
    url: str = app.config["QUEUE_URL"]
    if url.startswith("redis://"):
        template: Huey = RedisHuey(app.config.get("QUEUE_NAME") or "dossier", url=url)
    elif url == "memory://":
        template = MemoryHuey("dossier", immediate=True)
    else:
        path = url.removeprefix("sqlite:///") or str(Path(app.config["DATA_DIR"]) / "queue.db")
        # Tables are created by `flask dossier init` and the worker, not by the factory.
        template = SqliteHuey("dossier", filename=path, create_tables=False)
    huey.storage = template.storage
    huey._immediate = template._immediate


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, write transactions that wait, and real SAVEPOINTs for pysqlite.

    Transactions start with BEGIN IMMEDIATE: a deferred transaction that reads first
    and writes later cannot wait for the write lock (SQLite answers "database is
    locked" at once, whatever the busy timeout), and nearly every request writes an
    audit event. In WAL mode readers are never blocked by it.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def client_address() -> str | None:
    try:
        return request.remote_addr
    except RuntimeError:
        return None
