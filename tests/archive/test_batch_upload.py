"""Offline batch upload: a portable scanner's file applied at the scanner's times, bad lines
reported with their numbers, nothing applied twice, hostile files refused clearly."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from dossier import barcodes
from dossier.archive import movements, queries
from dossier.archive.batch_upload import CHECKPOINT_EVERY, apply_file
from dossier.archive.errors import NotAllowed
from dossier.archive.items import create_item
from dossier.archive.models import Movement, MovementKind, Status
from dossier.archive.scanner_file import FileRefused, parse_time
from dossier.auth.models import utcnow
from dossier.extensions import db
from tests.factories import UserFactory, login

LIMITS = {"max_bytes": 64 * 1024, "max_lines": 1000}
ROUND = utcnow().replace(microsecond=0) - timedelta(hours=3)  # the scanner's walk


def _file(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _apply(actor, data: bytes, **options):
    return apply_file(actor, data, **(LIMITS | options))


def _at(seconds: int) -> str:
    """A scanner time `seconds` after this morning's round (in UTC, as Z)."""
    return (ROUND + timedelta(seconds=seconds)).isoformat() + "Z"


def _movements() -> int:
    return db.session.scalar(select(func.count()).select_from(Movement)) or 0


@pytest.fixture
def originals(clerk, tree):
    """Three originals, checked in on Plank 1."""
    made = [create_item(clerk, home=tree.shelf) for _ in range(3)]
    for item in made:
        movements.check_in(clerk, item, at=ROUND - timedelta(days=1))
    return made


# -- reading the file ---------------------------------------------------------------


@pytest.mark.parametrize(("text", "utc"), [
    ("2026-01-15T10:15:30", datetime(2026, 1, 15, 9, 15, 30)),  # Amsterdam, winter time
    ("2026-07-15 10:15:30", datetime(2026, 7, 15, 8, 15, 30)),  # summer time
    ("2026-07-15T10:15:30Z", datetime(2026, 7, 15, 10, 15, 30)),
    ("2026-07-15T10:15:30+02:00", datetime(2026, 7, 15, 8, 15, 30)),
    ("1784110530", datetime(2026, 7, 15, 10, 15, 30)),
])
def test_scanner_times_are_read_as_utc(app, text, utc):
    with app.test_request_context():
        assert parse_time(text) == utc


@pytest.mark.parametrize("text", ["15-01-2026 10:15", "yesterday", "", "2026-13-01T10:00"])
def test_other_texts_are_no_time(app, text):
    with app.test_request_context():
        assert parse_time(text) is None


@pytest.mark.parametrize(("data", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    ("2026-01-15T10:15:30,P1234é\n".encode("latin-1"), "not UTF-8"),
    (b"# only a comment\n\n", "no scans"),
    (b"2026-01-15T10:15:30,L1\n" * 1001, "at most 1000 are read"),
    (b"x" * (64 * 1024 + 1), "larger than 64 KB"),
])
def test_a_file_that_is_no_scanner_export_is_refused_whole(clerk, data, message):
    with pytest.raises(FileRefused, match=message):
        _apply(clerk, data)
    assert _movements() == 0


def test_utf16_and_a_byte_order_mark_are_fine(clerk, tree, originals):
    text = f"timestamp;code\r\n{_at(30)};{tree.other_shelf.barcode}\r\n" \
           f"{_at(31)};{originals[0].barcode}\r\n"
    for data in (text.encode("utf-16"), b"\xef\xbb\xbf" + text.encode()):
        report = _apply(clerk, data)
        assert [o.status for o in report.outcomes][:1] == ["location"]
        assert not report.errors


# -- applying -----------------------------------------------------------------------


def test_items_after_a_location_are_moved_there_at_the_scanners_times(clerk, tree, originals):
    first, second, third = originals
    data = _file("timestamp,code",
                 f"{_at(30)},{tree.other_shelf.barcode}",
                 f"{_at(34)},{first.barcode}",
                 f"{_at(36)},{second.barcode}",
                 "# the third was read badly",
                 f"{_at(39)},{third.barcode[:-1]}0",
                 f"{_at(41)},{barcodes.make_item(999999)}",
                 "garbage",
                 f"never,{third.barcode}")
    report = _apply(clerk, data)
    assert [(o.number, o.status) for o in report.outcomes] == [
        (2, "location"), (3, "applied"), (4, "applied"), (6, "error"), (7, "error"),
        (8, "error"), (9, "error")]
    messages = [o.message for o in report.errors]
    assert messages[0] == "Check digit wrong: the code was misread."
    assert messages[1].startswith(f"Unknown barcode {barcodes.make_item(999999)}")
    assert messages[2] == "Expected a time and a code separated by a comma."
    assert messages[3].startswith("“never” is not a time the scanner writes")
    for item in (first, second):
        state = queries.state_of(item)
        assert state.location == tree.other_shelf and state.movement.note == "scanner upload"
    assert queries.state_of(first).since == ROUND + timedelta(seconds=34)
    assert queries.state_of(third).location == tree.shelf


def test_uploading_the_file_again_applies_nothing_twice(clerk, tree, originals):
    lines = [f"{_at(30)},{tree.other_shelf.barcode}",
             f"{_at(34)},{originals[0].barcode}"]
    _apply(clerk, _file(*lines))
    count = _movements()
    again = _apply(clerk, _file(*lines))
    assert [o.status for o in again.outcomes] == ["location", "already"]
    assert _movements() == count
    longer = _apply(clerk, _file(*lines, f"{_at(62)},{originals[1].barcode}"))
    assert [o.status for o in longer.outcomes] == ["location", "already", "applied"]
    assert _movements() == count + 1


def test_items_before_any_location_are_bad_lines(clerk, originals):
    report = _apply(clerk, _file(f"{_at(30)},{originals[0].barcode}"))
    assert report.errors[0].message == "Scan a location before the originals."


def test_a_box_after_a_location_moves_there_whole(clerk, tree, originals):
    movements.put_in_box(clerk, originals[0], tree.box)
    report = _apply(clerk, _file(f"{_at(30)},{tree.other_shelf.barcode}",
                                 f"{_at(33)},{tree.box.barcode}"))
    assert [o.status for o in report.outcomes] == ["location", "applied"]
    assert tree.box.parent == tree.other_shelf
    assert queries.is_within(queries.state_of(originals[0]).location, tree.other_shelf)


def test_a_census_file_records_what_was_seen(clerk, tree, originals):
    report = _apply(clerk, _file(f"{_at(30)},{tree.shelf.barcode}",
                                 f"{_at(31)},{originals[0].barcode}",
                                 f"{_at(32)},{originals[0].barcode}"), mode="census")
    assert [o.status for o in report.outcomes] == ["location", "applied", "unchanged"]
    assert queries.state_of(originals[0]).movement.kind == MovementKind.CENSUS_SEEN


def test_a_scan_older_than_the_latest_movement_only_adds_history(clerk, tree, originals):
    report = _apply(clerk, _file(f"2020-01-15T10:15:30,{tree.other_shelf.barcode}",
                                 f"2020-01-15T10:15:31,{originals[0].barcode}"))
    assert "recorded in its history" in report.outcomes[1].message
    assert queries.state_of(originals[0]).location == tree.shelf


def test_a_destroyed_original_is_a_bad_line_and_the_rest_is_applied(clerk, tree, originals):
    movements.record_destroyed(clerk, originals[0])
    report = _apply(clerk, _file(f"{_at(30)},{tree.other_shelf.barcode}",
                                 f"{_at(31)},{originals[0].barcode}",
                                 f"{_at(32)},{originals[1].barcode}"))
    assert [o.status for o in report.outcomes] == ["location", "error", "applied"]
    assert "was destroyed" in report.errors[0].message
    assert queries.state_of(originals[0]).status == Status.DESTROYED


def test_a_time_in_the_future_is_a_bad_line(clerk, tree):
    report = _apply(clerk, _file(f"2099-01-15T10:15:30,{tree.shelf.barcode}"))
    assert "check the scanner's clock" in report.errors[0].message


def test_long_files_are_committed_in_parts(clerk, tree, originals):
    lines = [f"{_at(30)},{tree.other_shelf.barcode}"] + [
        f"{_at(60 + n)},{originals[n % 3].barcode}"
        for n in range(CHECKPOINT_EVERY + 10)]
    checkpoints: list[int] = []
    _apply(clerk, _file(*lines), checkpoint=lambda: checkpoints.append(_movements()))
    assert len(checkpoints) == 1


def test_only_archive_staff_upload(borrower, tree):
    with pytest.raises(NotAllowed):
        _apply(borrower, _file(f"{_at(30)},{tree.shelf.barcode}"))


# -- the screen ---------------------------------------------------------------------


def _post(client, data: bytes, mode: str = "move"):
    return client.post("/archive/upload", data={"mode": mode, "file": (io.BytesIO(data),
                                                                       "scanner.csv")},
                       content_type="multipart/form-data")


def test_the_upload_screen_reports_each_line(client, clerk, tree, originals):
    login(client, clerk)
    assert client.get("/archive/upload").status_code == 200
    response = _post(client, _file(f"{_at(30)},{tree.other_shelf.barcode}",
                                   f"{_at(31)},{originals[0].barcode}",
                                   "2026-01-15T10:15:32,<script>x</script>"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Destination: Archief Utrecht" in page and "recorded in Archief Utrecht" in page
    assert "&lt;script&gt;" in page and "<script>x" not in page
    assert queries.state_of(originals[0]).location == tree.other_shelf


def test_a_binary_file_gets_a_clear_message(client, clerk):
    login(client, clerk)
    response = _post(client, b"\x00\x01\x02PK\x03\x04" * 100)
    assert response.status_code == 422
    assert "This is not a text file" in response.get_data(as_text=True)


def test_an_upload_without_file_is_sent_back(client, clerk):
    login(client, clerk)
    response = client.post("/archive/upload", data={"mode": "move"})
    assert response.status_code == 422 and "Choose the file." in response.get_data(as_text=True)


def test_a_huge_file_is_refused_before_it_is_read(client, app, clerk, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 10_000)
    login(client, clerk)
    response = _post(client, b"2026-01-15T10:15:30,L1\n" * 1000)
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_others_may_not_upload(client):
    login(client, UserFactory(roles=("care",)))
    assert client.get("/archive/upload").status_code == 403
