"""Reading the answer box a returned coupon has marked, whatever the scan's resolution or turn."""

from __future__ import annotations

import pytest
from flask import Flask

from dossier.barcodes import MailingCode, make_mailing
from dossier.customers.models import Customer
from dossier.ingest.barcode_reader import read_barcodes
from dossier.mailings import coupon
from dossier.mailings.coupon import CouponMarks, read_coupons
from dossier.mailings.models import Mailing, MailingRecipient
from tests.ingest.barcode_images import speckle
from tests.ingest.pipeline_scans import code_page
from tests.mailings.coupon_scans import letter_scan, tick, torn_off, turned

OPTIONS = ["Ja", "Nee", "Misschien"]


def _letter(mailing_id: int = 3, recipient_id: int = 250) -> tuple[Mailing, MailingRecipient]:
    """A mailing and one recipient as printed, without a database (ids as given)."""
    customer = Customer(number="100123", first_name="Anna", last_name="Jansen",
                        street="Dorpsstraat", house_number=3, postcode="3511 AB",
                        city="Utrecht", country="NL", kind="person")
    mailing = Mailing(id=mailing_id, name="Najaarsavond", scope="sales",
                      subject="Uitnodiging najaarsavond", body="Geachte klant,",
                      answer_options=OPTIONS)
    recipient = MailingRecipient(id=recipient_id, mailing_id=mailing_id, sequence=1,
                                 customer=customer)
    return mailing, recipient


def _read(image) -> CouponMarks:
    [marks] = read_coupons(image, read_barcodes(image))
    return marks


@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_an_unmarked_coupon_has_no_answer(app: Flask, dpi: int) -> None:
    marks = _read(letter_scan(*_letter(), dpi=dpi))
    assert marks.code == MailingCode(3, 250)
    assert len(marks.darkness) == coupon.MAX_OPTIONS
    assert max(marks.darkness) < coupon.MARKED
    assert marks.marked(len(OPTIONS)) is None


@pytest.mark.parametrize("box", [0, 1, 2])
def test_the_ticked_box_is_found(app: Flask, box: int) -> None:
    page = tick(letter_scan(*_letter()), box)
    assert _read(page).marked(len(OPTIONS)) == box


@pytest.mark.parametrize("degrees", [90, 180, 270, 3, -7, 12])
def test_a_torn_off_coupon_is_read_at_any_turn(app: Flask, degrees: float) -> None:
    coupon_only = torn_off(tick(letter_scan(*_letter()), 2))
    assert _read(turned(coupon_only, degrees)).marked(len(OPTIONS)) == 2


def test_long_ids_narrow_the_bars_and_are_still_read(app: Flask) -> None:
    largest = 999_999_999_999_999_999  # the most digits a code field holds
    mailing, recipient = _letter(mailing_id=largest, recipient_id=largest)
    assert coupon.module_width(recipient.code) < coupon.MAX_MODULE
    assert coupon.bars_width(recipient.code) <= coupon.MAX_BAR_WIDTH
    marks = _read(tick(letter_scan(mailing, recipient, dpi=300), 1, dpi=300))
    assert marks.code == MailingCode(largest, largest)
    assert marks.marked(len(OPTIONS)) == 1


def test_two_ticked_boxes_give_no_answer(app: Flask) -> None:
    page = tick(tick(letter_scan(*_letter()), 0), 1)
    marks = _read(page)
    assert sum(share >= coupon.MARKED for share in marks.darkness) == 2
    assert marks.marked(len(OPTIONS)) is None


def test_boxes_beyond_the_mailings_answers_do_not_count(app: Flask) -> None:
    marks = _read(tick(letter_scan(*_letter()), 2))
    assert marks.marked(2) is None and marks.marked(3) == 2


def test_dust_on_the_scan_does_not_mark_a_box(app: Flask) -> None:
    page = speckle(tick(letter_scan(*_letter()), 0), 0.004)
    assert _read(page).marked(len(OPTIONS)) == 0


def test_a_code_without_the_coupon_around_it_has_no_marks(app: Flask) -> None:
    page = code_page(make_mailing(3, 250))
    marks = _read(page)
    assert marks.darkness == () and marks.marked(3) is None


def test_only_mailing_codes_are_measured(app: Flask) -> None:
    page = code_page("not a dossier code")
    assert read_coupons(page, read_barcodes(page)) == []
