"""The census report after scanning a shelf: missing, misplaced and unexpected originals,
and the one click that records the missing ones."""

from __future__ import annotations

from dossier.archive import movements, queries
from dossier.archive.items import create_item
from dossier.archive.models import MovementKind, Status
from tests.archive.web import scan, signed_in, switch


def _section(html: str, title: str) -> str:
    start = html.index(title)
    return html[start:html.index("</section>", start)]


def test_a_census_reports_and_records_what_it_did_not_find(clerk_client, clerk, borrower,
                                                           tree):
    here = [create_item(clerk, home=tree.shelf) for _ in range(3)]
    elsewhere = create_item(clerk, home=tree.other_shelf)
    lent = create_item(clerk, home=tree.shelf)
    for item in [*here, elsewhere, lent]:
        movements.check_in(clerk, item)
    movements.check_out(clerk, lent, borrower, queries.today())

    switch(clerk_client, "census")
    report_url = scan(clerk_client, tree.shelf.barcode)["state"]["census_url"]
    reasons = [scan(clerk_client, item.barcode)["reason"]
               for item in (here[0], here[1], elsewhere, lent)]
    assert reasons == ["seen", "seen", "misplaced", "unexpected"]

    html = clerk_client.get(report_url).get_data(as_text=True)
    missing = _section(html, "Missing: recorded here, not seen")
    assert here[2].barcode in missing and here[0].barcode not in missing
    assert elsewhere.barcode in _section(html, "Misplaced: recorded elsewhere")
    assert "Plank 2" in _section(html, "Misplaced: recorded elsewhere")
    assert lent.barcode in _section(html, "Unexpected: recorded as not in the archive")
    assert "Record 1 original as missing" in html

    location, batch = report_url.split("location=")[1].split("&batch=")
    response = clerk_client.post("/archive/census/record",
                                 data={"location": location, "batch": batch})
    assert response.status_code == 303
    assert queries.state_of(here[2]).status == Status.MISSING
    assert queries.history(here[2])[-1].kind == MovementKind.MISSING
    assert queries.state_of(elsewhere).location == tree.shelf  # recorded where it was seen
    after = clerk_client.get(report_url).get_data(as_text=True)
    assert "Every original recorded here was seen." in after
    clerk_client.post("/archive/census/record", data={"location": location, "batch": batch})
    assert len(queries.history(here[2])) == 2  # the second click records nothing


def test_a_census_that_does_not_exist_is_not_found(clerk_client, tree):
    assert clerk_client.get("/archive/census?location=x&batch=y").status_code == 404
    missing = f"/archive/census?location=987654&batch={'a' * 32}"
    assert clerk_client.get(missing).status_code == 404


def test_census_reports_are_for_archive_staff(client, tree):
    signed_in(client, "compliance")
    url = f"/archive/census?location={tree.shelf.id}&batch={'a' * 32}"
    assert client.get(url).status_code == 403
