"""Search at scale: index build rate, query latency, HTTP latency and memory, per backend.

`python -m bench.search --docs 100000 --backend whoosh|postgres|both --queries 200`

Per backend: a fresh database (a SQLite file for Whoosh; for PostgreSQL a database made
on $DOSSIER_BENCH_DATABASE_URL, else $DOSSIER_TEST_DATABASE_URL, and dropped afterwards),
migrated and seeded, with the demo logins and the seeded corpus (`bench.search_data`)
loaded in bulk. A separate process (`bench.search_measure`) then builds the index with
`dossier.search.rebuild()`, runs the query mix (`bench.search_queries`) through
`dossier.search.search()` as the demo `sales` user, and requests the search page through
a real gunicorn. Results go to BENCHMARKS.md (section `search:<backend>:<documents>`);
a missed target comes with its gap and a cProfile of the production code.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from bench.report import BENCHMARKS, write_section
from bench.search_report import markdown, targets
from dossier import create_app
from dossier.config import PROJECT_ROOT
from dossier.demo.loader import load_users
from dossier.documents.seed import seed_reference_data
from dossier.extensions import db
from tests.support.databases import fresh_database

PG_ENVS = ("DOSSIER_BENCH_DATABASE_URL", "DOSSIER_TEST_DATABASE_URL")
DEFAULTS = {"docs": 100_000, "queries": 200, "warm_up": 40}
PROFILED_BUILD = 20_000  # above this a second, profiled rebuild takes too long by default


def build_app(url: str, data_dir: Path, backend: str) -> Flask:
    """The app as gunicorn runs it (CSRF on, not TESTING), with the chosen backend."""
    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32),
        "DATA_DIR": str(data_dir), "FILE_STORE": str(data_dir / "files"),
        "INBOX": str(data_dir / "inbox"), "QUEUE_URL": "memory://",
        "RATELIMIT_STORAGE_URI": "memory://", "BABEL_DEFAULT_LOCALE": "en",
        "SEARCH_BACKEND": backend, "SEARCH_INDEX": str(data_dir / "search-index"),
    })


def log(message: str) -> None:
    print(f"[bench.search {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def server_url(given: str | None) -> str | None:
    return given or next((os.environ[name] for name in PG_ENVS if os.environ.get(name)), None)


@contextmanager
def database(data_dir: Path, backend: str, server: str | None) -> Iterator[str]:
    if backend == "whoosh":
        yield f"sqlite:///{data_dir / 'bench.db'}"
        return
    if not server:
        raise SystemExit(f"--backend postgres needs a server: set {PG_ENVS[0]} or --pg-url")
    with fresh_database(data_dir, server_url=server, prefix="dossier_bench_search") as url:
        yield url


def prepare(app: Flask, documents: int, customers: int) -> dict[str, Any]:
    """Migrate, seed, add the demo logins and load the corpus; returns load figures."""
    from bench.search_data import load_corpus

    with app.app_context():
        upgrade()
        seed_reference_data()
        load_users()
        db.session.commit()
        log(f"loading {documents:,} documents over {customers:,} customers")
        stats = load_corpus(documents, customers)
        connection = db.session.connection()
        version = ".".join(str(p) for p in connection.dialect.server_version_info or ())
        database_name = f"{connection.dialect.name} {version}"
        engine = engine_name(app.config["SEARCH_BACKEND"])
        db.session.remove()
        db.engine.dispose()
    log(f"loaded in {stats.seconds:.0f} s ({documents / stats.seconds:,.0f} docs/s)")
    return {"customers": stats.customers, "files": stats.files,
            "paper_only": stats.paper_only, "seconds": stats.seconds,
            "database": database_name, "engine": engine}


def engine_name(backend: str) -> str:
    """The backend's engine: the Whoosh release, or which PostgreSQL text index is in use."""
    if backend == "whoosh":
        return f"whoosh-reloaded {importlib.metadata.version('whoosh-reloaded')}"
    rum = db.session.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'rum'")).first()
    return "RUM index" if rum else "GIN index, no RUM extension"


def run_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="dossier-bench-search-") as tmp, \
            database(Path(tmp), backend, server_url(args.pg_url)) as url:
        data_dir = Path(tmp)
        load = prepare(build_app(url, data_dir, backend), args.docs, args.customers)
        config = {"backend": backend, "url": url, "data_dir": tmp, "queries": args.queries,
                  "warm_up": args.warm_up, "http": not args.no_http,
                  "profile": not args.no_profile, "targets": targets(backend, args.docs),
                  "profile_build": not args.no_profile and (
                      args.profile_build or args.docs <= PROFILED_BUILD)}
        config_path = data_dir / "measure.json"
        config_path.write_text(json.dumps(config))
        load_before = os.getloadavg()[0]
        subprocess.run([sys.executable, "-m", "bench.search", "--child", str(config_path)],
                       cwd=PROJECT_ROOT, check=True)
        result: dict[str, Any] = json.loads((data_dir / "result.json").read_text())
    return result | {"backend": backend, "documents": args.docs, "load": load,
                     "database": load["database"], "warm_up": args.warm_up,
                     "load_before": load_before,
                     "engine": load["engine"]}


def child(config_path: Path) -> None:
    """The measured process: see bench/search_measure.py."""
    from bench.search_measure import measure

    config = json.loads(config_path.read_text())
    app = build_app(config["url"], Path(config["data_dir"]), config["backend"])
    result = measure(app, config, log)
    (config_path.parent / "result.json").write_text(json.dumps(result))


def command(args: argparse.Namespace, backend: str) -> str:
    env = f"{PG_ENVS[0]}=postgresql://USER@HOST:5432/postgres " if backend == "postgres" else ""
    flags = [f"--docs {args.docs}", f"--backend {backend}", f"--queries {args.queries}"]
    flags += [f"--warm-up {args.warm_up}"] if args.warm_up != DEFAULTS["warm_up"] else []
    flags += [f"--customers {args.customers}"] if args.customers != args.docs // 5 else []
    flags += ["--no-http"] if args.no_http else []
    return f"{env}.venv/bin/python -m bench.search {' '.join(flags)}"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=DEFAULTS["docs"])
    parser.add_argument("--customers", type=int, help="default: documents / 5")
    parser.add_argument("--backend", choices=("whoosh", "postgres", "both"),
                        help="default: both when a PostgreSQL server is set, else whoosh")
    parser.add_argument("--queries", type=int, default=DEFAULTS["queries"])
    parser.add_argument("--warm-up", type=int, default=DEFAULTS["warm_up"])
    parser.add_argument("--pg-url", help=f"PostgreSQL server (default ${PG_ENVS[0]})")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn part")
    parser.add_argument("--no-profile", action="store_true", help="no profile when missed")
    parser.add_argument("--profile-build", action="store_true",
                        help=f"profile a missed build also above {PROFILED_BUILD:,} documents")
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    parser.add_argument("--report", type=Path, default=BENCHMARKS, help=argparse.SUPPRESS)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.customers = args.customers or max(1, args.docs // 5)
    args.backend = args.backend or ("both" if server_url(args.pg_url) else "whoosh")
    return args


def main(argv: list[str] | None = None) -> list[str]:
    """Run the benchmark; returns the Markdown written for each backend."""
    args = parse(argv)
    if args.child:
        child(args.child)
        return []
    backends = ["whoosh", "postgres"] if args.backend == "both" else [args.backend]
    written = []
    for backend in backends:
        log(f"{backend}: {args.docs:,} documents")
        result = run_backend(backend, args)
        text_ = markdown(result, command(args, backend))
        print(text_, end="\n\n")
        if not args.no_write:
            write_section(f"search:{backend}:{args.docs}", text_, args.report)
        written.append(text_)
    return written


if __name__ == "__main__":
    main(sys.argv[1:])
