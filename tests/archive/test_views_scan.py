"""The scan station page: plain form posts without JavaScript, JSON for the page's script,
the state in the session, modes, choosing a borrower, and who may use it."""

from __future__ import annotations

import re
from datetime import timedelta

from dossier import barcodes
from dossier.archive import queries
from dossier.archive.models import Status
from dossier.archive.scan_session import RECENT, SESSION_KEY
from tests.archive.web import JSON, path, scan, signed_in, switch


def _misread(code: str) -> str:
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def test_the_page_has_a_focused_input_a_token_and_the_modes(clerk_client):
    html = clerk_client.get("/archive/scan").get_data(as_text=True)
    assert re.search(r'<input type="text" id="scan-code" name="code" autofocus', html)
    assert 'name="csrf_token"' in html and "js/archive.js" in html
    for label in ("Check in", "Check out", "Move", "Put into box", "Census"):
        assert f">{label}</button>" in html
    assert 'value="checkin" class="mode-button active" aria-pressed="true"' in html


def test_without_javascript_a_scan_posts_redirects_and_shows_its_feedback(
        clerk_client, tree, item):
    response = clerk_client.post("/archive/scan", data={"code": f" {item.barcode}\r\n"})
    assert response.status_code == 303 and response.headers["Location"] == "/archive/scan"
    html = clerk_client.get("/archive/scan").get_data(as_text=True)
    assert 'class="scan-feedback scan-ok"' in html
    place = path("Archief Utrecht", "Kelder", "Kast A", "Plank 1")
    assert f"{item.barcode} checked in at {place}." in html
    assert queries.state_of(item).status == Status.IN_ARCHIVE
    again = clerk_client.get("/archive/scan").get_data(as_text=True)
    assert 'class="scan-feedback scan-idle"' in again  # shown once; the list keeps it
    assert f'<li class="scan-ok"><strong class="code">{item.barcode}</strong>' in again


def test_with_javascript_each_scan_answers_in_json(clerk_client, tree, item):
    answer = scan(clerk_client, item.barcode)
    assert (answer["level"], answer["colour"], answer["sound"]) == ("ok", "green", "ok")
    assert answer["reason"] == "checked_in" and answer["changed"] and not answer["ignored"]
    assert answer["state"]["mode"] == "checkin" and answer["state"]["done"] == 1


def test_a_misread_is_rejected_in_red_and_changes_nothing(clerk_client, item):
    answer = scan(clerk_client, _misread(item.barcode))
    assert (answer["colour"], answer["sound"], answer["message"]) == (
        "red", "error", "Check digit wrong, scan again.")
    assert queries.state_of(item).status == Status.REGISTERED


def test_a_repeated_read_is_ignored_silently(clerk_client, tree, item):
    scan(clerk_client, item.barcode)
    repeat = scan(clerk_client, item.barcode)
    assert repeat["ignored"] and repeat["sound"] == "none"
    with clerk_client.session_transaction() as session:
        assert len(session[SESSION_KEY]["recent"]) == 1
    assert len(queries.history(item)) == 1


def test_the_last_scans_are_listed_newest_first_and_kept_short(clerk_client, tree):
    for number in range(RECENT + 2):
        scan(clerk_client, barcodes.make_item(5000 + number))
    html = clerk_client.get("/archive/scan").get_data(as_text=True)
    listed = re.findall(r'<li class="scan-error"><strong class="code">(P\w+)</strong>', html)
    assert listed == [barcodes.make_item(5000 + n) for n in range(RECENT + 1, 1, -1)]


def test_move_mode_keeps_its_destination_between_scans(clerk_client, tree, item):
    switch(clerk_client, "move")
    first = scan(clerk_client, tree.other_shelf.barcode)
    assert first["reason"] == "target_chosen"
    assert first["state"]["target"] == queries.path_label(tree.other_shelf)
    moved = scan(clerk_client, item.barcode)
    assert moved["reason"] == "moved" and queries.state_of(item).location == tree.other_shelf
    html = clerk_client.get("/archive/scan").get_data(as_text=True)
    assert 'value="move" class="mode-button active"' in html
    assert queries.path_label(tree.other_shelf) in html


def test_an_unknown_mode_is_refused(clerk_client):
    assert clerk_client.post("/archive/scan/mode", data={"mode": "dance"}).status_code == 400


def test_check_out_to_a_person_picked_from_the_list(clerk_client, borrower, tree, item):
    switch(clerk_client, "checkout")
    html = clerk_client.get("/archive/scan").get_data(as_text=True)
    assert f'<option value="{borrower.id}">Bart Lener</option>' in html
    due = queries.today() + timedelta(days=5)
    response = clerk_client.post("/archive/scan/borrower", data={
        "person": borrower.id, "due_on": due.isoformat()})
    assert response.status_code == 303
    answer = scan(clerk_client, item.barcode)
    assert answer["reason"] == "checked_out" and answer["state"]["borrower"] == "Bart Lener"
    state = queries.state_of(item)
    assert (state.person, state.due_on) == (borrower, due)


def test_a_badge_chooses_the_borrower_too(clerk_client, borrower, item):
    switch(clerk_client, "checkout")
    assert scan(clerk_client, barcodes.make_badge(borrower.id))["reason"] == "borrower_chosen"
    assert scan(clerk_client, item.barcode)["reason"] == "checked_out"


def test_a_past_due_date_or_an_empty_choice_is_refused(clerk_client, borrower):
    yesterday = queries.today() - timedelta(days=1)
    response = clerk_client.post("/archive/scan/borrower", data={
        "person": borrower.id, "due_on": yesterday.isoformat()})
    assert response.status_code == 422
    assert "The due date has already passed." in response.get_data(as_text=True)
    response = clerk_client.post("/archive/scan/borrower", data={"person": ""})
    assert response.status_code == 422
    assert "Choose a borrower or a due date." in response.get_data(as_text=True)


def test_a_census_offers_its_report(clerk_client, tree):
    switch(clerk_client, "census")
    answer = scan(clerk_client, tree.shelf.barcode)
    url = answer["state"]["census_url"]
    assert url.startswith(f"/archive/census?location={tree.shelf.id}&batch=")
    assert clerk_client.get(url).status_code == 200
    assert url.replace("&", "&amp;") in clerk_client.get("/archive/scan").get_data(as_text=True)


def test_a_damaged_session_state_starts_afresh(clerk_client, tree, item):
    with clerk_client.session_transaction() as session:
        session[SESSION_KEY] = {"state": {"mode": "dance"}, "recent": "nonsense"}
    assert clerk_client.get("/archive/scan").status_code == 200
    assert scan(clerk_client, item.barcode)["reason"] == "checked_in"


def test_only_archive_staff_scan(client, item):
    signed_in(client, "care")
    assert client.get("/archive/scan").status_code == 403
    response = client.post("/archive/scan", data={"code": item.barcode}, headers=JSON)
    assert response.status_code == 403
    assert queries.state_of(item).status == Status.REGISTERED
