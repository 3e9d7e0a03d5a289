"""How fast a dossier opens for a customer with 10,000 documents, vs one with 10.

Measures the production path: full GETs of `/customers/<id>` through the WSGI app
(session login with CSRF, permission, SQL, policy classification, audit write and commit,
template) on a committed, migrated database: SQLite, and PostgreSQL when
DOSSIER_BENCH_DATABASE_URL names a server (a database is created there and dropped).
Reports p50/p95, the ratio to the 10-document dossier measured in the same process and
the SQL statements per page, and rewrites its sections of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, insert, select

from bench.report import write_section
from dossier import create_app
from dossier.auth.services import create_user
from dossier.customers.models import Customer
from dossier.documents.models import (
    DigitalFile,
    Document,
    DocumentScope,
    DocumentType,
    document_customer,
)
from dossier.documents.seed import seed_reference_data
from dossier.extensions import db
from tests.support.databases import fresh_database

PG_ENV = "DOSSIER_BENCH_DATABASE_URL"
SMALL, TARGET_RATIO = 10, 3.0
USERNAME, PASSWORD = "bench", "bench-Password-2025"
ROLES = ("sales", "care", "loyalty")  # every scope: the largest page there is
STATUSES = ("open", "closed", "in_progress", "resolved", "accepted")


@dataclass
class Timing:
    label: str
    url: str
    p50_ms: float
    p95_ms: float
    cpu_p50_ms: float  # this process only: SQLite's work, not PostgreSQL's
    queries: int


def _build_app(url: str, data_dir: Path) -> Flask:
    """The app as gunicorn runs it (CSRF on, not TESTING), on a fresh database."""
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32),
        "DATA_DIR": str(data_dir), "FILE_STORE": str(data_dir / "files"),
        "INBOX": str(data_dir / "inbox"), "QUEUE_URL": "memory://",
        "RATELIMIT_STORAGE_URI": "memory://", "BABEL_DEFAULT_LOCALE": "en",
    })
    with app.app_context():
        upgrade()
        seed_reference_data()
        create_user("bench", USERNAME, PASSWORD, ROLES, check_strength=False)
        db.session.commit()
    return app


def _document_rows(start_id: int, count: int, types: list[DocumentType]) -> list[dict[str, Any]]:
    """A realistic mix: every type, open and closed, current and expired, paper or not."""
    rows = []
    for offset in range(count):
        doc_type = types[offset % len(types)]
        day = date(2019, 1, 1) + timedelta(days=offset % 2500)
        rows.append({
            "id": start_id + offset, "document_type_id": doc_type.id,
            "title": f"{doc_type.name_en} {offset}", "document_date": day,
            "key_points": {"status": STATUSES[offset % len(STATUSES)],
                           "end_date": (day + timedelta(days=730)).isoformat()},
            "notes": "", "paper_original": offset % 2 == 0, "legal_hold": False,
            "legal_hold_reason": "",
        })
    return rows


def _add_customer(number: str, documents: int) -> int:
    """A customer with `documents` documents, a quarter of them with a digital file."""
    customer = Customer(number=number, kind="person", first_name="Anna", last_name="Jansen",
                        street="Oudegracht", house_number=12, postcode="3511 AB",
                        city="Utrecht", email=f"anna.{number}@example.nl")
    customer.refresh_sort_name()
    db.session.add(customer)
    db.session.flush()
    types = list(db.session.scalars(select(DocumentType).order_by(DocumentType.id)))
    first = (db.session.scalar(select(db.func.max(Document.id))) or 0) + 1
    rows = _document_rows(first, documents, types)
    by_id = {t.id: t for t in types}
    if rows:
        db.session.execute(insert(Document), rows)
        db.session.execute(insert(document_customer),
                           [{"document_id": r["id"], "customer_id": customer.id} for r in rows])
        db.session.execute(insert(DocumentScope), [
            {"document_id": r["id"], "scope": scope}
            for r in rows for scope in by_id[r["document_type_id"]].scopes])
        db.session.execute(insert(DigitalFile), [
            {"document_id": r["id"], "version": 1, "sha256": f"{r['id']:064x}",
             "original_name": f"scan-{r['id']}.pdf", "mime_type": "application/pdf",
             "size_bytes": 120_000, "pages": 2, "origin": "scan"}
            for r in rows[::4]])
    db.session.commit()
    return customer.id


def _login(client: FlaskClient) -> None:
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert token, "no CSRF token on the login page"
    response = client.post("/login", data={"csrf_token": token.group(1),
                                           "username": USERNAME, "password": PASSWORD})
    assert response.status_code == 302, response.status_code


@contextmanager
def _statement_counter(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _count_statements(app: Flask, client: FlaskClient, url: str) -> int:
    with _statement_counter(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)


def _measure(app: Flask, client: FlaskClient, pages: list[tuple[str, str]],
             rounds: int) -> list[Timing]:
    """Time every page in turn, round after round, so they all see the same machine load."""
    queries = [_count_statements(app, client, url) for _label, url in pages]  # also warms
    wall: list[list[float]] = [[] for _page in pages]
    cpu: list[list[float]] = [[] for _page in pages]
    for _ in range(rounds):
        for index, (_label, url) in enumerate(pages):
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall[index].append((time.perf_counter() - began) * 1000)
            cpu[index].append((time.process_time() - began_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return [Timing(label, url, round(statistics.median(wall[index]), 1), _p95(wall[index]),
                   round(statistics.median(cpu[index]), 1), queries[index])
            for index, (label, url) in enumerate(pages)]


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return round(ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)], 1)


def _analyze(app: Flask) -> None:
    """PostgreSQL: the statistics autovacuum would have gathered after a bulk load."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")


def _server_version(app: Flask) -> str:
    with app.app_context():
        connection = db.session.connection()
        dialect = connection.dialect
        version = ".".join(str(part) for part in dialect.server_version_info or ())
        return f"{dialect.name} {version}"


def run(url: str, data_dir: Path, documents: int, rounds: int) -> dict[str, Any]:
    app = _build_app(url, data_dir)
    with app.app_context():
        small = _add_customer("900001", SMALL)
        large = _add_customer("900002", documents)
        _add_customer("900003", documents // 10)  # other customers' rows in the tables
    _analyze(app)
    client = app.test_client()
    _login(client)
    timings = _measure(app, client, [
        (f"{SMALL} documents (baseline)", f"/customers/{small}"),
        (f"{documents:,} documents", f"/customers/{large}"),
        (f"{documents:,} documents, static only, page 3",
         f"/customers/{large}?class=static&page=3"),
        (f"{documents:,} documents, last page", f"/customers/{large}?page=100000"),
    ], rounds)
    server = _server_version(app)
    with app.app_context():
        db.engine.dispose()
    return {"database": server, "documents": documents, "rounds": rounds, "timings": timings}


def _machine() -> str:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"`{platform.machine()}`, {os.cpu_count()} cores, host `{platform.node()}`, "
            f"Python {platform.python_version()}, load average {load} at the end")


def _markdown(result: dict[str, Any], command: str) -> str:
    timings: list[Timing] = result["timings"]
    base, large = timings[0], timings[1]
    ratio = large.p95_ms / base.p95_ms
    queries_flat = all(t.queries == base.queries for t in timings)
    met = ratio <= TARGET_RATIO and queries_flat
    lines = [
        f"**{result['database']}**, {date.today().isoformat()}, {_machine()}.",
        "",
        f"Command: `{command}` ({result['rounds']} requests per page, the pages taken in "
        "turn, after one warm-up).",
        "",
        "| Dossier | p50 ms | p95 ms | p50 vs baseline | p95 vs baseline | CPU p50 ms "
        "| SQL statements |",
        "|---------|-------:|-------:|----------------:|----------------:|-----------:"
        "|---------------:|",
    ]
    lines += [f"| {t.label} | {t.p50_ms} | {t.p95_ms} | {t.p50_ms / base.p50_ms:.2f}x "
              f"| {t.p95_ms / base.p95_ms:.2f}x | {t.cpu_p50_ms} | {t.queries} |"
              for t in timings]
    lines += ["", f"Target ({result['documents']:,} documents within {TARGET_RATIO:g}x of "
              f"{SMALL} at p95, SQL statements not growing with documents): "
              f"**{'met' if met else 'missed'}** ({ratio:.2f}x; statements "
              f"{'constant' if queries_flat else 'vary'})."]
    return "\n".join(lines)


def _command(server: bool, argv: list[str]) -> str:
    env = f"{PG_ENV}=postgresql://USER@HOST:5432/postgres " if server else ""
    return f"{env}.venv/bin/python -m bench.dossier_page {' '.join(argv)}".strip()


@contextmanager
def _database(data_dir: Path, server: str | None) -> Iterator[str]:
    """A SQLite file in `data_dir`, or a fresh PostgreSQL database on `server`."""
    if server is None:
        yield f"sqlite:///{data_dir / 'bench.db'}"
        return
    with fresh_database(data_dir, server_url=server, prefix="dossier_bench") as url:
        yield url


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    flags = [f"--{name} {value}" for name, value, default in (
        ("documents", args.documents, 10_000), ("rounds", args.rounds, 40)) if value != default]
    servers: list[tuple[str, str | None]] = [("sqlite", None)]
    if os.environ.get(PG_ENV):
        servers.append(("postgresql", os.environ[PG_ENV]))
    for key, server in servers:
        with tempfile.TemporaryDirectory() as tmp, _database(Path(tmp), server) as url:
            result = run(url, Path(tmp), args.documents, args.rounds)
        text = _markdown(result, _command(server is not None, flags))
        print(text, end="\n\n")
        if not args.no_write:
            write_section(f"dossier-page:{key}", text)


if __name__ == "__main__":
    main(sys.argv[1:])
