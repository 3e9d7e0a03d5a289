"""Fresh test databases: a SQLite file, or a PostgreSQL database made and dropped here."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dossier.config import database_url

PG_ENV = "DOSSIER_TEST_DATABASE_URL"


def using_postgres() -> bool:
    return bool(os.environ.get(PG_ENV))


@contextmanager
def fresh_database(tmp_dir: Path, server_url: str | None = None,
                   prefix: str = "dossier_test") -> Iterator[str]:
    """Yield the URL of an empty database that is removed afterwards.

    PostgreSQL on `server_url` (default: $DOSSIER_TEST_DATABASE_URL) when given, else a
    SQLite file in `tmp_dir`.
    """
    server_url = server_url or os.environ.get(PG_ENV)
    if not server_url:
        yield f"sqlite:///{tmp_dir / f'test_{secrets.token_hex(4)}.db'}"
        return
    admin_url = make_url(database_url(server_url))
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
