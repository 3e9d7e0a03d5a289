"""`flask dossier ...`: first-start set-up, demo data, users, the worker and search."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from dossier.config import SECRET_KEY_FILE
from dossier.extensions import db

dossier_cli = AppGroup("dossier", help="Dossier administration commands.")


@dossier_cli.command("init")
@click.option("--no-demo", is_flag=True, help="Do not load demo data into an empty database.")
def init_command(no_demo: bool) -> None:
    """Idempotent first start: secret key, migrations, reference data, demo data."""
    data_dir = Path(current_app.config["DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    Path(current_app.config["FILE_STORE"]).mkdir(parents=True, exist_ok=True)
    _ensure_secret_key(data_dir / SECRET_KEY_FILE)
    upgrade()
    prepare_queue()
    from dossier.documents.seed import seed_reference_data

    created = seed_reference_data()
    db.session.commit()
    if created:
        click.echo(f"Reference data: {created} document types and policy rules added.")
    demo_loaded = False
    if not no_demo:
        from dossier.demo.loader import database_is_empty, load_demo

        if database_is_empty():
            counts = load_demo()
            db.session.commit()
            demo_loaded = True
            click.echo("Demo data loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    _build_search_index(force=demo_loaded)
    click.echo("Dossier is initialised.")


def _build_search_index(force: bool) -> None:
    """After demo data, or when the index is missing or damaged: build it from the database."""
    from dossier.search import rebuild
    from dossier.search.indexer import check_health

    if force or check_health() is not None:
        count = rebuild()
        click.echo(f"Search index built: {count} documents.")


def _ensure_secret_key(path: Path) -> None:
    if path.exists() or os.environ.get("DOSSIER_SECRET_KEY"):
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    click.echo(f"Secret key written to {path}.")


@dossier_cli.command("demo")
@click.option("--force", is_flag=True, help="Load even when the database already has customers.")
def demo_command(force: bool) -> None:
    """Load the Dutch demo data set and the demo logins."""
    from dossier.demo.loader import database_is_empty, load_demo

    if not force and not database_is_empty():
        raise click.ClickException("The database already holds customers; use --force to add more.")
    counts = load_demo()
    db.session.commit()
    click.echo("Demo data loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@dossier_cli.command("worker")
@click.option("--workers", "-w", type=int, default=None, help="Worker threads (default: cores).")
@click.option("--no-periodic", "-n", is_flag=True, help="Do not schedule periodic tasks.")
@click.option("--no-watch", is_flag=True, help="Do not watch the scanner inbox.")
def worker_command(workers: int | None, no_periodic: bool, no_watch: bool) -> None:
    """Run the background worker (Huey consumer) until interrupted.

    Before the consumer starts, the ingest sweep repairs what a crash left behind; the
    inbox watcher then runs beside the consumer's threads.
    """
    from dossier.customers import derived_tasks  # noqa: F401 (the nightly recompute)
    from dossier.extensions import huey
    from dossier.ingest import tasks, worker
    from dossier.search import tasks as search_tasks  # noqa: F401 (declares the tasks)

    if not logging.getLogger().handlers:  # the worker's log goes to stderr
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    prepare_queue()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    tasks.use_app(app)
    consumer = huey.create_consumer(
        workers=workers or os.cpu_count() or 1,
        worker_type="thread",
        periodic=not no_periodic,
        check_worker_health=True,
    )
    watcher = worker.start(app, watch=not no_watch)
    click.echo(f"Worker started with {consumer.workers} threads.")
    try:
        consumer.run()
    finally:
        worker.stop(watcher)


def prepare_queue() -> None:
    """Create the embedded queue's tables (idempotent; Redis needs nothing)."""
    from dossier.extensions import huey

    initialize = getattr(huey.storage, "initialize_schema", None)
    if initialize is not None:
        initialize()


def register_cli(app: Flask) -> None:
    from dossier.archive.cli import archive_cli
    from dossier.auth.cli import users_cli
    from dossier.ingest.cli import ingest_command
    from dossier.search.cli import reindex_command, search_command

    dossier_cli.add_command(archive_cli)
    dossier_cli.add_command(users_cli)
    dossier_cli.add_command(ingest_command)
    dossier_cli.add_command(search_command)
    dossier_cli.add_command(reindex_command)
    from dossier.customers.derived_cli import derive_command

    dossier_cli.add_command(derive_command)
    app.cli.add_command(dossier_cli)
