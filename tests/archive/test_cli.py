"""`flask dossier archive scan`: the station's operations from the shell."""

from __future__ import annotations

from datetime import date

from click.testing import Result
from flask.testing import FlaskCliRunner

from dossier import barcodes
from dossier.archive import queries
from dossier.archive.items import create_item
from dossier.archive.models import Status


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
