"""Demo contact history: contacts on every channel, complaints (some still open), and orders
in 2025, so that the loyalty segment "spent more than 1,000 in 2025 and no open complaint"
has members, and some big spenders are left out of it by an open complaint."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from dossier.auth.models import User
from dossier.customers.interaction_models import (
    Complaint,
    ComplaintStatus,
    Direction,
    Interaction,
)
from dossier.customers.models import Customer
from dossier.demo.document_content import COMPLAINTS, QUOTE_PRODUCTS, RESOLUTIONS, money
from dossier.documents.models import Document, DocumentType
from dossier.documents.retention import retention_until
from dossier.extensions import db
from dossier.search import index_customers

YEARS_BACK = 3
SCOPES = (("care", 45), ("sales", 35), ("loyalty", 20))
PREFERRED = {"email": "email", "phone": "phone", "post": "post", "sms": "app", "app": "app",
             "counter": "counter"}
OTHER_CHANNELS = (("phone", 30), ("email", 30), ("web", 15), ("social", 8), ("counter", 7),
                  ("app", 6), ("post", 4))
SUBJECTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("care", "inbound"): ("Storing CV-ketel gemeld", "Vraag over onderhoudsbeurt",
                          "Afspraak monteur verzet", "Lekkage gemeld", "Vraag over garantie",
                          "Thermostaat reageert niet"),
    ("care", "outbound"): ("Afspraak monteur bevestigd", "Nagebeld na reparatie",
                           "Herinnering onderhoudsbeurt", "Onderdeel besteld, levering volgt"),
    ("sales", "inbound"): ("Offerteaanvraag zonnepanelen", "Vraag over warmtepomp",
                           "Prijsvraag thuisbatterij", "Vraag over levertijd",
                           "Bestelling gewijzigd"),
    ("sales", "outbound"): ("Offerte toegelicht", "Nagebeld over offerte",
                            "Orderbevestiging verstuurd", "Uitnodiging showroom"),
    ("loyalty", "inbound"): ("Vraag over spaarpunten", "Aanmelding klantenpanel",
                             "Vraag over ledenkorting", "Adreswijziging doorgegeven"),
    ("loyalty", "outbound"): ("Verjaardagskorting aangeboden", "Uitnodiging klantenavond",
                              "Bedankt voor uw trouw", "Enquête klanttevredenheid"),
}
SUMMARIES = {
    "inbound": ("Klant nam contact op; vraag direct beantwoord.",
                "Klant wil teruggebeld worden door een collega.", "Doorgezet naar de planning.",
                "Klant stuurde foto's mee; beoordeeld door de monteur.", ""),
    "outbound": ("Klant bereikt en afspraak bevestigd.", "Voicemail ingesproken.",
                 "Bericht verstuurd, nog geen reactie.", "Klant is tevreden.", ""),
}
REJECTIONS = ("Buiten de garantietermijn.", "Schade niet door onze monteur veroorzaakt.")
LINK_SHARE = 0.25  # contacts that refer to one of the customer's documents
COMPLAINT_CONTACTS = 70
SPEND_YEAR = 2025
BIG_SPENDERS = 30  # customers whose 2025 orders add up to more than 1,000
SMALL_SPENDERS = 12  # customers with a small 2025 order only
BIG_SPENDERS_COMPLAINING = 6  # of the big spenders: an open complaint keeps them out


def load_contact_history(seed: int, today: date, customers: Sequence[Customer],
                         documents: Sequence[Document]) -> dict[str, int]:
    """Add the demo contacts, complaints and 2025 orders; the caller commits. Uses its
    own random stream, so the rest of the demo data does not change with it."""
    rng = random.Random(f"{seed}-contact-history")  # noqa: S311 (repeatable demo data)
    people = sorted(customers, key=lambda customer: customer.number)
    orders = _orders(rng, today, people)
    db.session.add_all(orders)
    db.session.flush()
    handlers = _handlers()
    by_customer = _documents_by_customer([*documents, *orders])
    contacts = [contact for customer in people
                for contact in _contacts(rng, today, customer, by_customer, handlers)]
    spenders = {id(order.customers[0]) for order in orders if _is_big(order)}
    complaints = _complaints(rng, today, people, spenders, handlers)
    db.session.add_all(contacts)
    db.session.add_all(complaints)
    db.session.flush()
    index_customers(sorted({order.customers[0].id for order in orders}))
    return {"interactions": len(contacts) + sum(c.interaction is not None for c in complaints),
            "complaints": len(complaints), "orders in 2025": len(orders)}


def _handlers() -> dict[str, int | None]:
    """The demo user of each scope handles its contacts (None before the logins exist)."""
    users = {user.username: user.id for user in db.session.scalars(
        select(User).where(User.username.in_(["sales", "care", "loyalty"])))}
    return {scope: users.get(scope) for scope, _ in SCOPES}


def _documents_by_customer(documents: Sequence[Document]) -> dict[int, list[Document]]:
    found: dict[int, list[Document]] = defaultdict(list)
    for document in documents:
        for customer in document.customers:
            found[id(customer)].append(document)
    return found


def _moment(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 16), rng.randint(0, 59)))


def _day(rng: random.Random, today: date, days_back: int) -> date:
    return today - timedelta(days=rng.randint(0, days_back))


def _weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in options], [weight for _, weight in options])[0]


def _channel(rng: random.Random, customer: Customer) -> str:
    preferred = PREFERRED.get(customer.preferred_channel or "")
    if preferred and rng.random() < 0.6:
        return preferred
    return _weighted(rng, OTHER_CHANNELS)


def _contacts(rng: random.Random, today: date, customer: Customer,
              documents: dict[int, list[Document]], handlers: dict[str, int | None]
              ) -> list[Interaction]:
    """A few contacts for most customers and many for some, over the last three years."""
    count = min(int(rng.paretovariate(1.6) * 2.5) - 1, 30)
    contacts = []
    for _ in range(max(count, 0)):
        scope = _weighted(rng, SCOPES)
        direction = rng.choices(("inbound", "outbound"), (6, 4))[0]
        contact = Interaction(
            customer=customer, scope=scope, direction=direction,
            channel=_channel(rng, customer),
            occurred_at=_moment(rng, _day(rng, today, YEARS_BACK * 365)),
            subject=rng.choice(SUBJECTS[(scope, direction)]),
            summary=rng.choice(SUMMARIES[direction]), handler_id=handlers[scope])
        linkable = [d for d in documents.get(id(customer), []) if scope in d.scopes]
        if linkable and rng.random() < LINK_SHARE:
            contact.documents = [rng.choice(linkable)]
        contacts.append(contact)
    return contacts


def _complaints(rng: random.Random, today: date, customers: list[Customer],
                spenders: set[int], handlers: dict[str, int | None]) -> list[Complaint]:
    """Complaints raised in an inbound contact; recent ones are often still open. A few big
    spenders get an open one, so the loyalty segment visibly leaves them out."""
    big = [customer for customer in customers if id(customer) in spenders]
    complaining = rng.sample(big, min(BIG_SPENDERS_COMPLAINING, len(big)))
    others = [customer for customer in customers if id(customer) not in spenders]
    chosen = [(customer, True) for customer in complaining] + [
        (rng.choice(others), False) for _ in range(COMPLAINT_CONTACTS - len(complaining))]
    return [_complaint(rng, today, customer, handlers, keep_open)
            for customer, keep_open in chosen]


def _complaint(rng: random.Random, today: date, customer: Customer,
               handlers: dict[str, int | None], keep_open: bool) -> Complaint:
    scope = rng.choices(("care", "sales"), (7, 3))[0]
    subject = rng.choice(COMPLAINTS)
    opened = _moment(rng, _day(rng, today, 60 if keep_open else YEARS_BACK * 365))
    contact = Interaction(customer=customer, scope=scope, direction=Direction.INBOUND.value,
                          channel=_weighted(rng, OTHER_CHANNELS), occurred_at=opened,
                          subject=f"Klacht: {subject}",
                          summary="Klant is ontevreden en dient een klacht in.",
                          handler_id=handlers[scope])
    complaint = Complaint(customer=customer, interaction=contact, scope=scope,
                          subject=subject[:1].upper() + subject[1:], opened_at=opened,
                          handler_id=handlers[scope], resolution="")
    recent = (today - opened.date()).days <= 60
    if keep_open or (recent and rng.random() < 0.6):
        complaint.status = rng.choice((ComplaintStatus.OPEN.value,
                                       ComplaintStatus.IN_PROGRESS.value))
        return complaint
    rejected = rng.random() < 0.15
    complaint.status = (ComplaintStatus.REJECTED if rejected else ComplaintStatus.RESOLVED).value
    complaint.resolution = rng.choice(REJECTIONS if rejected else RESOLUTIONS)
    complaint.closed_at = min(opened + timedelta(days=rng.randint(1, 30)),
                              datetime.combine(today, time(17)))
    return complaint


def _orders(rng: random.Random, today: date, customers: list[Customer]) -> list[Document]:
    """Orders dated in 2025 (up to today): a group of big spenders and some small buyers."""
    last = min(date(SPEND_YEAR, 12, 31), today)
    order_type = db.session.scalar(select(DocumentType).where(DocumentType.code == "order"))
    if order_type is None or last < date(SPEND_YEAR, 2, 1):
        return []
    chosen = rng.sample(customers, min(BIG_SPENDERS + SMALL_SPENDERS, len(customers)))
    orders: list[Document] = []
    for rank, customer in enumerate(chosen):
        amounts = _big_amounts(rng) if rank < BIG_SPENDERS else [money(rng, 25, 400)]
        for amount in amounts:
            day = date(SPEND_YEAR, 1, 1) + timedelta(
                days=rng.randint(0, (last - date(SPEND_YEAR, 1, 1)).days))
            orders.append(_order(rng, order_type, customer, day, amount, len(orders) + 1))
    return orders


def _big_amounts(rng: random.Random) -> list[str]:
    """One to three order amounts adding up to more than 1,000."""
    _product, low, high = rng.choice([p for p in QUOTE_PRODUCTS if p[1] >= 800])
    amounts = [money(rng, max(low, 1001), max(high, 1500))]
    return amounts + [money(rng, 40, 600) for _ in range(rng.randint(0, 2))]


def _order(rng: random.Random, order_type: DocumentType, customer: Customer, day: date,
           amount: str, serial: int) -> Document:
    points = {"order_number": f"ORD-{SPEND_YEAR}-{90000 + serial:05d}", "amount": amount,
              "delivery_date": (day + timedelta(days=rng.randint(7, 42))).isoformat()}
    document = Document(document_type=order_type, title="Order vaste klant",
                        document_date=day, key_points=points, paper_original=False,
                        retention_until=retention_until(order_type, day, points),
                        created_at=_moment(rng, day))
    document.set_scopes(["sales", "loyalty"])
    document.customers = [customer]
    return document


def _is_big(order: Document) -> bool:
    return Decimal(order.key_points["amount"]) > Decimal(1000)
