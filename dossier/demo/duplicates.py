"""Two obvious demo duplicates, "Jansen, Pieter" and "Janssen, P. (Piet)" at one address,
each with documents of its own, so an admin can find, compare and merge them."""

from __future__ import annotations

from datetime import date, timedelta

from dossier.customers.models import Customer, CustomerKind
from dossier.customers.queries import suggest_number
from dossier.demo.customers import DemoCustomers
from dossier.documents.models import Document, DocumentType
from dossier.documents.retention import retention_until
from dossier.extensions import db

ADDRESS = {"street": "Kerkstraat", "house_number": 14, "postcode": "3512 AB",
           "city": "Utrecht", "country": "NL"}
# type code, title, days ago, key points ("{day}": the document's date), scopes, paper
DOCUMENTS = {
    "pieter": (
        ("contract", "Onderhoudscontract cv-ketel", 400,
         {"start_date": "{day}", "value": "189.00", "signed_by": "P. Jansen"},
         ["sales", "care"], True),
        ("invoice", "Factuur 2026-0412 onderhoud cv-ketel", 30,
         {"invoice_number": "2026-0412", "amount": "189.00"}, ["sales"], False),
    ),
    "p": (
        ("correspondence", "Brief over verhuizing meterkast", 90,
         {"direction": "incoming", "subject": "Verhuizing meterkast"}, ["care"], True),
        ("service_call", "Storingsmelding warm water", 12,
         {"status": "open", "product": "cv-ketel"}, ["care"], False),
    ),
}


def _customers() -> tuple[Customer, Customer]:
    first = suggest_number()
    born = date(1968, 4, 12)
    pieter = Customer(number=first, kind=CustomerKind.PERSON.value, first_name="Pieter",
                      initials="P.", last_name="Jansen", email="pieter.jansen@example.nl",
                      phone="06 4182 7730", date_of_birth=born, preferred_channel="email",
                      **ADDRESS)
    twin = Customer(number=str(int(first) + 1), kind=CustomerKind.PERSON.value,
                    first_name="Piet", initials="P.", last_name="Janssen",
                    email="p.janssen@example.com", phone="+31 6 4182 7730",
                    date_of_birth=born, preferred_channel="post", **ADDRESS)
    for customer in (pieter, twin):
        customer.refresh_sort_name()
    return pieter, twin


def _document(document_type: DocumentType, title: str, day: date, points: dict[str, str],
              scopes: list[str], paper: bool, customer: Customer) -> Document:
    points = {key: value.replace("{day}", day.isoformat()) for key, value in points.items()}
    document = Document(document_type=document_type, title=title, document_date=day,
                        key_points=points, paper_original=paper,
                        retention_until=retention_until(document_type, day, points))
    document.set_scopes([s for s in scopes if s in document_type.scopes]
                        or list(document_type.scopes)[:1])
    document.customers = [customer]
    return document


def load_demo_duplicates(today: date, types: dict[str, DocumentType],
                         demo: DemoCustomers) -> list[Document]:
    """Add the pair to `demo` (so later demo data may refer to them too) with their
    documents, and return the documents; the caller commits."""
    pieter, twin = _customers()
    db.session.add_all([pieter, twin])
    db.session.flush()
    demo.customers += [pieter, twin]
    documents = [
        _document(types[code], title, today - timedelta(days=days), points, scopes, paper,
                  owner)
        for owner, key in ((pieter, "pieter"), (twin, "p"))
        for code, title, days, points, scopes, paper in DOCUMENTS[key] if code in types
    ]
    db.session.add_all(documents)
    db.session.flush()
    return documents
