"""The archive dashboard: counts per status, what is out and overdue, occupancy, finding a
code; and the navigation entry for archive staff."""

from __future__ import annotations

from datetime import date, timedelta

from dossier import barcodes
from dossier.archive import movements, queries
from dossier.archive.items import create_item
from dossier.archive.models import MovementKind
from dossier.archive.recording import append_for_item
from dossier.auth.models import utcnow
from tests.archive.web import signed_in
from tests.factories import DocumentFactory


def _stat(html: str, label: str) -> str:
    start = html.index(f"<dt>{label}</dt>")
    return html[start:html.index("</dd>", start)].rsplit(">", 1)[1]


def test_the_dashboard_counts_what_is_in_out_and_overdue(clerk_client, clerk, borrower, tree):
    items = [create_item(clerk, home=tree.box) for _ in range(4)]
    for item in items:
        movements.check_in(clerk, item, at=utcnow() - timedelta(days=30))
    movements.check_out(clerk, items[0], borrower, queries.today() + timedelta(days=3))
    # Lent three weeks ago, due last week (as an offline scanner's file would record it).
    append_for_item(clerk, items[1], MovementKind.CHECK_OUT, from_location=tree.box,
                    to_person=borrower, due_on=queries.today() - timedelta(days=6),
                    at=utcnow() - timedelta(days=20))
    html = clerk_client.get("/archive").get_data(as_text=True)
    assert _stat(html, "In the archive") == "2"
    assert _stat(html, "Checked out") == "2"
    assert _stat(html, "Overdue") == "1"
    assert "Bart Lener" in html and items[1].barcode in html
    assert 'class="row-bad"' in html  # the overdue one stands out
    assert "2 / 30" in html  # the box among the fullest places
    assert "Archief Utrecht" in html


def test_originals_past_their_retention_date_are_counted_only_when_there_are_any(
        clerk_client, clerk, tree):
    assert "Past their retention date" not in clerk_client.get("/archive").get_data(
        as_text=True)
    old = DocumentFactory(type_code="contract", scopes=["sales"],
                          retention_until=date(2020, 1, 1))
    create_item(clerk, document=old, home=tree.shelf)
    html = clerk_client.get("/archive").get_data(as_text=True)
    assert _stat(html, "Past their retention date") == "1"


def test_finding_a_code_opens_its_page(clerk_client, tree, item):
    response = clerk_client.get("/archive/find", query_string={"code": item.barcode.lower()})
    assert response.headers["Location"] == f"/archive/items/{item.id}"
    response = clerk_client.get("/archive/find", query_string={"code": tree.box.barcode})
    assert response.headers["Location"] == f"/archive/locations/{tree.box.id}"
    wrong = item.barcode[:-1] + ("0" if item.barcode[-1] != "0" else "1")
    clerk_client.get("/archive/find", query_string={"code": wrong})
    assert "Check digit wrong, scan again." in clerk_client.get("/archive").get_data(
        as_text=True)
    clerk_client.get("/archive/find", query_string={"code": barcodes.make_item(99999)})
    assert "nothing in the archive has it" in clerk_client.get("/archive").get_data(
        as_text=True)


def test_archive_staff_get_the_navigation_entry_and_others_do_not(client):
    signed_in(client, "clerk")
    html = client.get("/").get_data(as_text=True)
    assert '<a href="/archive">Archive</a>' in html and "Scan station" in html
    client.post("/logout")
    signed_in(client, "sales")
    assert '<a href="/archive">' not in client.get("/").get_data(as_text=True)
    assert client.get("/archive").status_code == 403
