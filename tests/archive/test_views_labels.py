"""Label sheets: the PDF is rendered, rasterised and its barcodes read back with zxing-cpp."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from dossier import barcodes
from dossier.archive.items import create_item
from dossier.archive.labels import LAYOUTS, Label, label_sheet_pdf, sheets_needed
from tests.archive.web import codes_in, page_images, signed_in


def _pdf(client, codes: list[str], layout: str = "3x8", skip: int = 0):
    response = client.get("/archive/labels", query_string={
        "codes": "\n".join(codes), "layout": layout, "skip": skip})
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    assert response.mimetype == "application/pdf"
    return response


def test_labels_for_items_a_box_a_shelf_and_a_badge_read_back(clerk_client, clerk, tree):
    items = [create_item(clerk, home=tree.box) for _ in range(5)]
    codes = [item.barcode for item in items] + [tree.box.barcode, tree.shelf.barcode,
                                                barcodes.make_badge(clerk.id)]
    response = _pdf(clerk_client, codes)
    assert codes_in(response.data) == codes
    assert response.headers["X-Label-Sheets"] == "1"


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_fills_its_sheets_in_order(app, layout):
    sheet = LAYOUTS[layout]
    codes = [barcodes.make_item(number) for number in range(101, 101 + sheet.per_sheet + 2)]
    with force_locale("en"):
        pdf = label_sheet_pdf([Label(code, "Paper original") for code in codes], sheet, skip=1)
    assert len(page_images(pdf, dpi=72)) == sheets_needed(len(codes), sheet, 1) == 2
    assert sorted(codes_in(pdf)) == sorted(codes)


def test_skipped_labels_stay_blank(clerk_client, clerk):
    item = create_item(clerk)
    image = page_images(_pdf(clerk_client, [item.barcode], "2x7", skip=3).data)[0]
    layout = LAYOUTS["2x7"]
    scale = image.width / 210  # pixels per mm

    def inked(position: int) -> bool:
        left = (layout.left + (position % 2) * layout.pitch_x) * scale
        top = (layout.top + (position // 2) * layout.pitch_y) * scale
        box = (int(left), int(top), int(left + layout.width * scale),
               int(top + layout.height * scale))
        darkest, _lightest = image.crop(box).getextrema()
        return darkest < 128

    assert [inked(position) for position in range(5)] == [False, False, False, True, False]


def test_the_form_comes_filled_in_from_a_location_and_refuses_unknown_codes(
        clerk_client, tree):
    form = clerk_client.get("/archive/labels", query_string={"codes": tree.shelf.barcode})
    assert form.status_code == 200 and tree.shelf.barcode in form.get_data(as_text=True)
    assert "24 per sheet" in form.get_data(as_text=True)
    wrong = tree.shelf.barcode[:-1] + ("0" if tree.shelf.barcode[-1] != "0" else "1")
    response = clerk_client.get("/archive/labels", query_string={
        "codes": f"{barcodes.make_item(999999)}\n{wrong}", "layout": "3x8"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Unknown barcode" in page and "does not match" in page


def test_labels_are_for_archive_staff(client, tree):
    signed_in(client, "sales")
    response = client.get("/archive/labels", query_string={
        "codes": tree.shelf.barcode, "layout": "3x8"})
    assert response.status_code == 403
