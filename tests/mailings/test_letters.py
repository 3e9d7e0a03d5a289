"""The letters PDF: one page per recipient, addressed, numbered, with a readable coupon."""

from __future__ import annotations

import io

from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from dossier.barcodes import parse
from dossier.extensions import db
from dossier.ingest.barcode_reader import read_barcodes
from dossier.mailings.letters import BODY_LINES, address_lines, body_lines, letters_pdf
from dossier.mailings.models import Mailing, MailingRecipient
from tests.factories import CustomerFactory
from tests.mailings.coupon_scans import rasterise


def _recipients(mailing: Mailing) -> list[MailingRecipient]:
    return list(db.session.scalars(select(MailingRecipient).where(
        MailingRecipient.mailing_id == mailing.id).order_by(MailingRecipient.sequence)))


def test_each_page_carries_its_recipients_code(app: Flask, mailing: Mailing) -> None:
    recipients = _recipients(mailing)
    pdf = letters_pdf(mailing, recipients, len(recipients))
    pages = rasterise(pdf, dpi=200)
    assert len(pages) == len(recipients) == 3
    for page, recipient in zip(pages, recipients, strict=True):
        [found] = read_barcodes(page)
        assert found.text == recipient.code
        assert parse(found.text) == parse(recipient.code)


def test_a_letter_says_who_it_is_for_and_what_to_answer(app: Flask, mailing: Mailing) -> None:
    recipients = _recipients(mailing)
    reader = PdfReader(io.BytesIO(letters_pdf(mailing, recipients, len(recipients))))
    first = recipients[0].customer
    text = reader.pages[0].extract_text()
    for expected in (first.display_name, first.address_line, "3511 AB  UTRECHT",
                     "Uitnodiging najaarsavond", "Graag nodigen wij u uit", recipients[0].code,
                     first.number, "Ja", "Nee", "Misschien"):
        assert expected in text, expected
    assert "1 of 3" in text or "1 van 3" in text
    assert "3 of 3" in reader.pages[2].extract_text() or "3 van 3" in reader.pages[2].extract_text()


def test_the_body_is_measured_in_printed_lines(app: Flask) -> None:
    assert body_lines("Eén regel") == 1
    assert body_lines("Een\n\nTwee") == 3
    assert body_lines("woord " * 200) > 5  # wrapped to the page width
    assert body_lines("\n".join(["regel"] * BODY_LINES)) == BODY_LINES


def test_an_address_abroad_names_the_country(app: Flask) -> None:
    customer = CustomerFactory(country="BE", postcode="2000", city="Antwerpen")
    lines = address_lines(customer)
    assert lines[-1] in {"BELGIË", "BELGIUM"}
    assert lines[-2] == "2000  ANTWERPEN"
    assert address_lines(CustomerFactory())[-1].endswith("AMSTERDAM")
