"""Census: scan a shelf, then what is on it; findings compare that with what was recorded."""

from __future__ import annotations

import pytest

from dossier.archive import census, movements, queries
from dossier.archive.items import create_item
from dossier.archive.locations import create_location
from dossier.archive.models import LocationKind, MovementKind, Status
from dossier.archive.scan import Level
from tests.archive.station import Station


@pytest.fixture
def shelf_items(clerk, tree):
    """Three originals recorded on Plank 1, one in the box on it, one on Plank 2."""
    on_shelf = [create_item(clerk, home=tree.shelf) for _ in range(3)]
    in_box = create_item(clerk, home=tree.box)
    elsewhere = create_item(clerk, home=tree.other_shelf)
    for item in [*on_shelf, in_box, elsewhere]:
        movements.check_in(clerk, item)
    return on_shelf, in_box, elsewhere


def test_a_census_finds_in_place_misplaced_unexpected_and_missing(clerk, borrower, tree,
                                                                  shelf_items):
    (first, second, lost), in_box, elsewhere = shelf_items
    lent = create_item(clerk, home=tree.shelf)
    movements.check_out(clerk, lent, borrower, queries.today())
    station = Station(clerk, "census")
    assert station.scan(tree.shelf.barcode).reason == "target_chosen"
    assert [station.scan(i.barcode).reason for i in (first, second)] == ["seen", "seen"]
    misplaced = station.scan(elsewhere.barcode)
    unexpected = station.scan(lent.barcode)
    assert (misplaced.level, misplaced.reason) == (Level.WARNING, "misplaced")
    assert (unexpected.level, unexpected.reason) == (Level.WARNING, "unexpected")
    assert station.scan(tree.box.barcode).reason == "seen"
    assert station.scan(first.barcode).reason == "already_seen"

    found = census.findings(tree.shelf, station.state.batch_id)
    assert found.in_place == [first, second]
    assert found.misplaced == [(elsewhere, tree.other_shelf)]
    assert found.unexpected == [(lent, Status.CHECKED_OUT)]
    assert found.missing == [lost]
    assert (found.boxes_seen, found.boxes_missing) == ([tree.box], [])
    assert queries.state_of(elsewhere).location is tree.shelf  # seen here, so it is here
    assert queries.state_of(in_box).box is tree.box  # the box was seen; not its contents

    [written] = census.record_missing(clerk, found, note="Telling plank 1")
    assert written.kind == MovementKind.MISSING and written.batch_id == station.state.batch_id
    assert queries.state_of(lost).status == Status.MISSING
    assert census.record_missing(clerk, found) == []


def test_an_original_seen_in_its_box_stays_in_the_box(clerk, tree, shelf_items):
    _on_shelf, in_box, _elsewhere = shelf_items
    station = Station(clerk, "census")
    station.scan(tree.shelf.barcode)
    assert station.scan(in_box.barcode).reason == "seen"
    assert queries.state_of(in_box).box is tree.box


def test_a_box_not_seen_is_reported_and_a_box_found_elsewhere_is_moved(clerk, tree):
    stray = create_location(clerk, LocationKind.BOX, "Doos 2", tree.other_shelf)
    station = Station(clerk, "census")
    station.scan(tree.shelf.barcode)
    result = station.scan(stray.barcode)
    assert (result.level, result.reason) == (Level.WARNING, "misplaced")
    assert station.scan(stray.barcode).reason == "already_seen"
    assert stray.parent is tree.shelf
    found = census.findings(tree.shelf, station.state.batch_id)
    assert found.boxes_seen == [stray] and found.boxes_missing == [tree.box]


def test_a_new_location_starts_a_new_count(clerk, tree, shelf_items):
    station = Station(clerk, "census")
    first = station.scan(tree.shelf.barcode).state.batch_id
    assert station.scan(shelf_items[0][0].barcode).reason == "seen"
    second = station.scan(tree.other_shelf.barcode).state.batch_id
    assert first != second
    assert station.scan(shelf_items[0][0].barcode).reason == "misplaced"


def test_a_census_needs_a_location_first(clerk, shelf_items):
    result = Station(clerk, "census").scan(shelf_items[1].barcode)
    assert (result.level, result.reason) == (Level.ERROR, "no_destination")
