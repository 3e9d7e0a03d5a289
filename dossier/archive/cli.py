"""The archive from the shell, for scripts and tests.

`flask dossier archive scan CODE... --mode MODE --as USER [--to CODE]`: the scan station.
Each code goes through the same `scan()` as the station page, one transaction per
scan. `--to` is scanned first: the destination (move, box, census, check-in elsewhere
than home) or the borrower's badge (check-out). One line per scan; exit status 1 when
any scan was refused.

`flask dossier archive upload FILE --as USER [--mode move|census]`: a portable scanner's
file, applied by the same `apply_file()` as the upload page, with the same limits. One
line per line of the file, then the totals; exit status 1 when a line was bad or the
file was refused.
"""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from dossier.archive.batch_upload import MODES, LineOutcome, UploadReport, apply_file
from dossier.archive.errors import ArchiveError
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
    actor = _active_user(username)
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


@archive_cli.command("upload")
@click.argument("file", type=click.File("rb"))
@click.option("--as", "username", required=True, help="The clerk who uploads.")
@click.option("--mode", type=click.Choice(MODES), default="move", show_default=True,
              help="move: the originals were moved to the location scanned before them; "
                   "census: seen there in a stock-take.")
def upload_command(file: BinaryIO, username: str, mode: str) -> None:
    """Apply a portable scanner's FILE (lines of time,code), as the upload page would."""
    actor = _active_user(username)
    config = current_app.config
    data = file.read(config["ARCHIVE_UPLOAD_MAX_BYTES"] + 1)
    try:
        report = apply_file(actor, data, mode=mode,
                            max_bytes=config["ARCHIVE_UPLOAD_MAX_BYTES"],
                            max_lines=config["ARCHIVE_UPLOAD_MAX_LINES"],
                            checkpoint=db.session.commit)
    except ArchiveError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    for outcome in report.outcomes:
        _echo_line(outcome)
    click.echo(_totals(report))
    if report.errors:
        raise click.exceptions.Exit(1)


def _active_user(username: str) -> User:
    actor = db.session.scalar(select(User).where(User.username == username))
    if actor is None or not actor.active:
        raise click.ClickException(f"No active user {username!r}.")
    return actor


def _echo_line(outcome: LineOutcome) -> None:
    click.echo(f"line {outcome.number}: {outcome.status}: {outcome.message}",
               err=outcome.status == "error")


def _totals(report: UploadReport) -> str:
    already = report.count("unchanged") + report.count("already")
    return (f"{report.count('applied')} applied, {already} already recorded, "
            f"{len(report.errors)} bad lines (upload {report.upload_id}).")
