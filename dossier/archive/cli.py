"""`flask dossier archive scan CODE... --mode MODE --as USER [--to CODE]`: the scan station
from the shell, for scripts and tests.

Each code goes through the same `scan()` as the station page, one transaction per
scan. `--to` is scanned first: the destination (move, box, census, check-in elsewhere
than home) or the borrower's badge (check-out). One line per scan; exit status 1 when
any scan was refused.
"""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy import select

from dossier.archive.scan import Level, ScanMode, ScanResult, scan, start
from dossier.auth.models import User
from dossier.extensions import db

archive_cli = AppGroup("archive", help="The physical archive.")
MARKS = {Level.OK: "ok", Level.WARNING: "warning", Level.ERROR: "error"}


@archive_cli.command("scan")
@click.argument("codes", nargs=-1, required=True)
@click.option("--mode", type=click.Choice([mode.value for mode in ScanMode]), required=True,
              help="checkin, checkout (to --to, a badge), move, box, census or pick.")
@click.option("--as", "username", required=True, help="The clerk who scans.")
@click.option("--to", "to_code", default=None,
              help="Scanned first: a location code, or the borrower's badge (checkout).")
@click.option("--due", "due_on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Due date of a check-out (YYYY-MM-DD); default: the loan period.")
def scan_command(codes: tuple[str, ...], mode: str, username: str, to_code: str | None,
                 due_on: datetime | None) -> None:
    """Scan CODES in MODE, as the scan station would."""
    actor = db.session.scalar(select(User).where(User.username == username))
    if actor is None or not actor.active:
        raise click.ClickException(f"No active user {username!r}.")
    state = start(mode, due_on=due_on.date() if due_on is not None else None)
    refused = False
    for code in ((to_code,) if to_code else ()) + codes:
        result = scan(code, mode, state, actor)
        db.session.commit()
        _echo(result)
        refused = refused or result.level == Level.ERROR
        state = result.state
        if to_code and code is to_code and result.level == Level.ERROR:
            break  # without its destination or borrower, nothing else can work
    if refused:
        raise click.exceptions.Exit(1)


def _echo(result: ScanResult) -> None:
    click.echo(f"{result.code}: {MARKS[result.level]}: {result.message}",
               err=result.level == Level.ERROR)
