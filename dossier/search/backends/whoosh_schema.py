"""The Whoosh index layout: fields of the documents and customers indexes, and the
conversion of IndexedDocument / IndexedCustomer into them.

Two named indexes share one directory: documents and customers have nothing in
common to rank or filter together, a document search never has to filter customers
out, and a customer index of 20,000 small records rebuilds in seconds.
"""

from __future__ import annotations

import re
from typing import Any

from whoosh.fields import ID, KEYWORD, NUMERIC, Schema

from dossier.search.backends.whoosh_analysis import DUTCH, ENGLISH, body_languages, fold
from dossier.search.backends.whoosh_fields import FoldedText
from dossier.search.content import IndexedCustomer, IndexedDocument

# The index names carry the storage format's version: an index written by another
# version is "missing" to this one, and the core rebuilds it.
FORMAT = 2
DOCUMENTS, CUSTOMERS = f"documents_v{FORMAT}", f"customers_v{FORMAT}"
BOTH = (DUTCH, ENGLISH)
BODY_FIELDS = {DUTCH: "body_nl", ENGLISH: "body_en"}
_END_DATE_SHAPE = re.compile(r"^.{4}-.{2}-.{2}$", re.DOTALL)  # SQL LIKE '____-__-__'
_POSTCODE = re.compile(r"^(\d{4})\s*([a-zA-Z]{2})$")


def document_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        # Ranking and result order read these columns for every match, not stored fields.
        doc_id=NUMERIC(bits=64, sortable=True),
        day=NUMERIC(bits=32, sortable=True),  # YYYYMMDD
        title=FoldedText(BOTH),
        names=FoldedText(),
        customer=KEYWORD(lowercase=True, scorable=True),
        key_points=FoldedText(BOTH),
        body_nl=FoldedText((DUTCH,)),
        body_en=FoldedText((ENGLISH,)),
        type=ID,
        type_id=ID,
        status=ID,
        end_date=ID,  # only when shaped like YYYY-MM-DD: the policy compares it as text
        date=ID,  # YYYY-MM-DD, for date ranges
        scope=KEYWORD,
        storage=ID,
    )


def customer_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        name=FoldedText(),
        number=ID,  # lower case
        postcode=ID,  # "1234ab"
        house=ID,  # "12", "12a"
        address=ID,  # "1234ab 12": postcode and house number together
        email=ID,  # lower case
        phone=ID,  # digits only, national form
        city=FoldedText(),
    )


def document_fields(doc: IndexedDocument) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": str(doc.id), "doc_id": doc.id,
        "day": int(doc.document_date.strftime("%Y%m%d")),
        "date": doc.document_date.isoformat(),
        "title": doc.title, "names": "\n".join(doc.customer_names),
        "customer": " ".join(doc.customer_numbers), "key_points": doc.key_points,
        "type": doc.type_code.lower(), "type_id": str(doc.type_id),
        "status": doc.status.lower(), "scope": " ".join(doc.scopes),
        "storage": doc.storage,
    }
    if _END_DATE_SHAPE.match(doc.end_date):
        fields["end_date"] = doc.end_date
    if doc.body:
        for language in body_languages(doc.body, doc.language):
            fields[BODY_FIELDS[language]] = doc.body
    return fields


def postcode(text: str) -> str:
    """"1234 ab", "1234AB" -> "1234ab"; "" when `text` is no Dutch postcode."""
    match = _POSTCODE.match(text.strip())
    return f"{match[1]}{match[2].lower()}" if match else ""


def phone_digits(text: str) -> str:
    """A phone number as its national digits: "+31 6-1234 5678" -> "0612345678"."""
    digits = "".join(char for char in text if char.isdigit())
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    elif digits.startswith("31") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def customer_fields(customer: IndexedCustomer) -> dict[str, Any]:
    code = postcode(customer.postcode) or fold(customer.postcode).replace(" ", "")
    house = fold(customer.house_number).replace(" ", "")
    fields: dict[str, Any] = {
        "id": str(customer.id), "name": customer.name, "number": customer.number.lower(),
        "postcode": code, "house": house, "email": customer.email.strip().lower(),
        "phone": phone_digits(customer.phone), "city": customer.city,
    }
    if code and house:
        fields["address"] = f"{code} {house}"
    return {name: value for name, value in fields.items() if value != ""}
