"""`flask dossier archive scan`: the station's operations from the shell."""

from __future__ import annotations

from datetime import date, timedelta

from click.testing import Result
from flask.testing import FlaskCliRunner
from flask_babel import format_datetime
from sqlalchemy import func, select

from dossier import barcodes
from dossier.archive import movements, queries
from dossier.archive.items import create_item
from dossier.archive.models import Movement, MovementKind, Status
from dossier.archive.scanner_file import parse_time
from dossier.auth.models import utcnow
from dossier.extensions import db


def _scan(runner: FlaskCliRunner, *args: str) -> Result:
    return runner.invoke(args=["dossier", "archive", "scan", *args])


def test_check_in_from_the_shell(runner, clerk, tree, item):
    result = _scan(runner, item.barcode, "--mode", "checkin", "--as", clerk.username)
    assert result.exit_code == 0, result.output
    assert result.output == (f"{item.barcode}: ok: {item.barcode} checked in at "
                             f"{queries.path_label(tree.shelf)}.\n")
    assert queries.state_of(item).status == Status.IN_ARCHIVE


def test_check_out_to_a_badge_with_a_due_date(runner, clerk, borrower, item):
    result = _scan(runner, item.barcode, "--mode", "checkout", "--as", clerk.username,
                   "--to", barcodes.make_badge(borrower.id), "--due", "2099-01-31")
    assert result.exit_code == 0, result.output
    state = queries.state_of(item)
    assert (state.person, state.due_on) == (borrower, date(2099, 1, 31))
    assert len(result.output.splitlines()) == 2


def test_several_originals_into_a_box(runner, clerk, tree, item):
    other = create_item(clerk)
    result = _scan(runner, item.barcode, other.barcode, "--mode", "box", "--as",
                   clerk.username, "--to", tree.box.barcode)
    assert result.exit_code == 0, result.output
    assert queries.items_at(tree.box) == [item, other]


def test_a_refused_scan_says_why_and_exits_1(runner, clerk, tree, item):
    misread = item.barcode[:-1] + ("0" if item.barcode[-1] != "0" else "1")
    result = _scan(runner, misread, item.barcode, "--mode", "move", "--as", clerk.username,
                   "--to", tree.other_shelf.barcode)
    assert result.exit_code == 1
    assert f"{misread}: error: Check digit wrong, scan again." in result.output
    assert queries.state_of(item).location is tree.other_shelf  # the good read went through


def test_a_refused_destination_stops_the_run(runner, clerk, tree, item):
    result = _scan(runner, item.barcode, "--mode", "box", "--as", clerk.username,
                   "--to", tree.shelf.barcode)
    assert result.exit_code == 1 and "is not a box" in result.output
    assert item.barcode + ":" not in result.output
    assert queries.state_of(item).status == Status.REGISTERED


def test_the_clerk_must_exist(runner, item):
    result = _scan(runner, item.barcode, "--mode", "checkin", "--as", "niemand")
    assert result.exit_code == 1 and "No active user 'niemand'" in result.output


def test_only_archive_staff_scan(runner, borrower, item):
    result = _scan(runner, item.barcode, "--mode", "checkin", "--as", borrower.username)
    assert result.exit_code == 1 and "Only archive clerks" in result.output


# -- flask dossier archive upload -----------------------------------------------------


def _upload(runner: FlaskCliRunner, path, *args: str) -> Result:
    return runner.invoke(args=["dossier", "archive", "upload", str(path), *args])


def _scanner_file(tmp_path, *lines: str):
    path = tmp_path / "scanner.csv"
    path.write_text("timestamp,code\n" + "\n".join(lines) + "\n")
    return path


def _times(count: int) -> list[str]:
    walk = utcnow().replace(microsecond=0) - timedelta(hours=2)
    return [(walk + timedelta(seconds=n)).isoformat() + "Z" for n in range(count)]


def test_a_scanner_file_is_applied_from_the_shell(runner, clerk, tree, item, tmp_path):
    movements.check_in(clerk, item, at=utcnow() - timedelta(days=1))
    at = _times(3)
    path = _scanner_file(tmp_path, f"{at[0]},{tree.other_shelf.barcode}",
                         f"{at[1]},{item.barcode}", f"{at[2]},{item.barcode[:-1]}X")
    result = _upload(runner, path, "--as", clerk.username)
    assert result.exit_code == 1  # a bad line
    place = queries.path_label(tree.other_shelf)
    assert result.stdout.splitlines()[:2] == [
        f"line 2: location: Destination: {place}.",
        f"line 3: applied: {item.barcode} recorded in {place} at "
        f"{format_datetime(parse_time(at[1]), 'short')}."]
    assert "line 4: error: Check digit wrong: the code was misread." in result.stderr
    assert result.stdout.splitlines()[-1].startswith("1 applied, 0 already recorded, "
                                                     "1 bad lines (upload ")
    state = queries.state_of(item)
    assert (state.location, state.since) == (tree.other_shelf, parse_time(at[1]))


def test_uploading_the_same_file_again_applies_nothing(runner, clerk, tree, item, tmp_path):
    movements.check_in(clerk, item, at=utcnow() - timedelta(days=1))
    at = _times(2)
    path = _scanner_file(tmp_path, f"{at[0]},{tree.other_shelf.barcode}",
                         f"{at[1]},{item.barcode}")
    assert _upload(runner, path, "--as", clerk.username).exit_code == 0
    count = db.session.scalar(select(func.count()).select_from(Movement))
    again = _upload(runner, path, "--as", clerk.username)
    assert again.exit_code == 0, again.output
    assert "line 3: already: Applied by an earlier upload; skipped." in again.stdout
    assert again.stdout.splitlines()[-1].startswith("0 applied, 1 already recorded, 0 bad")
    assert db.session.scalar(select(func.count()).select_from(Movement)) == count


def test_a_census_file_from_the_shell(runner, clerk, tree, item, tmp_path):
    movements.check_in(clerk, item, at=utcnow() - timedelta(days=1))
    at = _times(2)
    path = _scanner_file(tmp_path, f"{at[0]},{tree.shelf.barcode}", f"{at[1]},{item.barcode}")
    result = _upload(runner, path, "--as", clerk.username, "--mode", "census")
    assert result.exit_code == 0, result.output
    assert queries.state_of(item).movement.kind == MovementKind.CENSUS_SEEN


def test_a_refused_file_or_user_changes_nothing(runner, clerk, borrower, tree, tmp_path):
    db.session.commit()  # a refusal rolls back to here
    empty = tmp_path / "empty.csv"
    empty.write_text("# nothing scanned\n")
    result = _upload(runner, empty, "--as", clerk.username)
    assert result.exit_code == 1 and "The file holds no scans." in result.output
    path = _scanner_file(tmp_path, f"{_times(1)[0]},{tree.shelf.barcode}")
    result = _upload(runner, path, "--as", borrower.username)
    assert result.exit_code == 1
    assert "Only archive clerks and administrators" in result.output
    result = _upload(runner, path, "--as", "nobody")
    assert result.exit_code == 1 and "No active user 'nobody'." in result.output
    assert db.session.scalar(select(func.count()).select_from(Movement)) == 0
