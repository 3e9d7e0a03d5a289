"""The physical archive at scale: scans per second and their latency at the real scan
station, the pick list and an original's full history, through a real gunicorn.

`python -m bench.archive --items 200000 --movements 1000000 --clients 8 --workers 4`

A fresh database (PostgreSQL on $DOSSIER_BENCH_DATABASE_URL, else
$DOSSIER_TEST_DATABASE_URL, created and dropped here; SQLite without either), migrated
and seeded, gets the archive of `bench.archive_data` loaded in bulk, and the columns the
app derives from movements are checked against them. gunicorn then serves the app with
several workers, and `bench.archive_load`'s clerks scan: a warm-up, a run as fast as
the answers come (capacity), and a run paced at the target rate (latency at 200
scans/s). Then the archive desk (pick list on screen and as PDF, 500 requests) and the
page of the original with the longest history are timed, and the derived columns are
checked again. Results go to BENCHMARKS.md (section `archive`); a missed target comes
with a cProfile of the same scans in process and their SQL statements.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade

from bench.archive_data import CLERK_PASSWORD, Plan, check_consistency, load_archive
from bench.archive_load import Browser, Shared, make_clerks, partition
from bench.archive_measure import database_backends, page_times, profile_scans, scan_run
from bench.archive_report import markdown, missed
from bench.report import BENCHMARKS, write_section
from dossier import create_app
from dossier.archive.picklist import desk
from dossier.documents.seed import seed_reference_data
from dossier.extensions import db
from tests.support.databases import fresh_database
from tests.support.live_server import running_gunicorn

PG_ENVS = ("DOSSIER_BENCH_DATABASE_URL", "DOSSIER_TEST_DATABASE_URL")
DEFAULTS = {"items": 200_000, "movements": 1_000_000, "clients": 8, "workers": 4,
            "rate": 200.0, "seconds": 60.0, "warm_up": 10.0, "rounds": 20}


def log(message: str) -> None:
    print(f"[bench.archive {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def build_app(url: str, data_dir: Path) -> Flask:
    """The app as gunicorn runs it (CSRF on, not TESTING)."""
    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32),
        "DATA_DIR": str(data_dir), "FILE_STORE": str(data_dir / "files"),
        "INBOX": str(data_dir / "inbox"), "QUEUE_URL": "memory://",
        "RATELIMIT_STORAGE_URI": "memory://", "BABEL_DEFAULT_LOCALE": "en",
    })


def server_url(given: str | None) -> str | None:
    return given or next((os.environ[name] for name in PG_ENVS if os.environ.get(name)), None)


@contextmanager
def database(data_dir: Path, server: str | None) -> Iterator[str]:
    with fresh_database(data_dir, server_url=server, prefix="dossier_bench_archive") as url:
        yield url


def prepare(app: Flask, args: argparse.Namespace) -> tuple[Plan, str]:
    with app.app_context():
        upgrade()
        seed_reference_data()
        db.session.commit()
        log(f"loading {args.items:,} originals and {args.movements:,} movements")
        plan = load_archive(args.items, args.movements, args.clients)
        problems = check_consistency()
        if problems:
            raise SystemExit("the loaded archive disagrees with itself: " + "; ".join(problems))
        plan.pickable = len(desk().pick)
        connection = db.session.connection()
        version = ".".join(str(p) for p in connection.dialect.server_version_info or ())
        name = f"{connection.dialect.name} {version}"
        db.session.remove()
        db.engine.dispose()
    log(f"loaded in {plan.seconds:.0f} s: {plan.locations:,} locations ({plan.boxes:,} boxes),"
        f" {plan.movements:,} movements, {plan.pickable} originals to pick")
    return plan, name


def measure(app: Flask, url: str, data_dir: Path, plan: Plan,
            args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {}
    os.environ["DOSSIER_LOGIN_RATE_LIMIT"] = "10000 per minute"  # all clerks log in at once
    # Several workers importing the app at once on a busy machine take a while.
    with running_gunicorn(url, data_dir, workers=args.workers, startup_seconds=180) as base:
        clerks = make_clerks(base, plan, args.clients, CLERK_PASSWORD, seed=7)
        log(f"{args.clients} clerks logged in; warming up for {args.warm_up:.0f} s")
        scan_run(app, clerks, args.warm_up, 0.0)
        log(f"capacity: unpaced for {args.seconds:.0f} s")
        result["capacity"] = scan_run(app, clerks, args.seconds, 0.0)
        log(f"  {result['capacity']['rate']:.0f} scans/s")
        log(f"paced at {args.rate:.0f} scans/s for {args.seconds:.0f} s")
        result["paced"] = scan_run(app, clerks, args.seconds, args.rate)
        log(f"  p99 {result['paced']['latency']['p99']:.0f} ms")
        browser = Browser(base)
        browser.login(plan.clerks[0], CLERK_PASSWORD)
        log("pick list, screen and PDF; the long history")
        backends = database_backends(app)
        typical = next(item for item, (_box, status) in sorted(plan.state.items())
                       if status == "in" and item not in plan.requested)
        for key, path, marker in (
                ("desk", "/archive/requests", f"To pick ({plan.pickable:,})".encode()),
                ("pdf", "/archive/requests/picklist.pdf", b"%PDF"),
                ("history", f"/archive/items/{plan.history_item}", b"<table"),
                ("typical", f"/archive/items/{typical}", b"<table")):
            result[key] = page_times(browser, path, args.rounds, marker, backends)
        result["scans_total"] = sum(len(c.samples) for c in clerks)
    with app.app_context():
        result["consistency"] = check_consistency()
        db.session.remove()
        db.engine.dispose()
    return result


def profile(app: Flask, plan: Plan, args: argparse.Namespace) -> dict[str, str]:
    """The same scans in this process under cProfile (one clerk, its own originals)."""
    pool = partition(plan, args.clients)[0]
    return profile_scans(app, pool, Shared(dict(plan.box_fill)), plan.clerks[0],
                         CLERK_PASSWORD, args.profile_scans)


def command(args: argparse.Namespace, postgres: bool) -> str:
    env = f"{PG_ENVS[0]}=postgresql://USER@HOST:5432/postgres " if postgres else ""
    flags = [f"--items {args.items}", f"--movements {args.movements}",
             f"--clients {args.clients}", f"--workers {args.workers}"]
    flags += [f"--rate {args.rate:g}"] if args.rate != DEFAULTS["rate"] else []
    flags += [f"--seconds {args.seconds:g}"] if args.seconds != DEFAULTS["seconds"] else []
    return f"{env}.venv/bin/python -m bench.archive {' '.join(flags)}"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=DEFAULTS["items"])
    parser.add_argument("--movements", type=int, default=DEFAULTS["movements"])
    parser.add_argument("--clients", type=int, default=DEFAULTS["clients"],
                        help="clerks scanning at once (threads of this process)")
    parser.add_argument("--workers", type=int, default=DEFAULTS["workers"],
                        help="gunicorn worker processes")
    parser.add_argument("--rate", type=float, default=DEFAULTS["rate"],
                        help="scans/s of the paced run (the target)")
    parser.add_argument("--seconds", type=float, default=DEFAULTS["seconds"],
                        help="length of each measured run")
    parser.add_argument("--warm-up", type=float, default=DEFAULTS["warm_up"])
    parser.add_argument("--rounds", type=int, default=DEFAULTS["rounds"],
                        help="requests per page timed")
    parser.add_argument("--pg-url", help=f"PostgreSQL server (default ${PG_ENVS[0]})")
    parser.add_argument("--profile-scans", type=int, default=300)
    parser.add_argument("--no-profile", action="store_true", help="no profile when missed")
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    parser.add_argument("--report", type=Path, default=BENCHMARKS, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> str:
    """Run the benchmark; returns the Markdown written."""
    args = parse(argv)
    server = server_url(args.pg_url)
    with tempfile.TemporaryDirectory(prefix="dossier-bench-archive-") as tmp, \
            database(Path(tmp), server) as url:
        data_dir = Path(tmp)
        app = build_app(url, data_dir)
        load_before = os.getloadavg()
        plan, database_name = prepare(app, args)
        result = measure(app, url, data_dir, plan, args)
        result |= {"plan": plan, "database": database_name, "load_before": load_before,
                   "workers": args.workers}
        if missed(result, args.rate) and not args.no_profile:
            log(f"a target missed: profiling {args.profile_scans} scans in process")
            result["profile"] = profile(app, plan, args)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    text = markdown(result, command(args, server is not None))
    print(text)
    if not args.no_write:
        write_section("archive", text, args.report)
    return text


if __name__ == "__main__":
    main(sys.argv[1:])
