"""Loads the Dutch demo data set and the demo logins into the current transaction."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from dossier.auth.services import create_user, find_user
from dossier.compliance.audit import AuditAction, record
from dossier.customers.derived_seed import load_demo_derived
from dossier.customers.models import Customer
from dossier.demo.archive import load_archive
from dossier.demo.custom_fields import build_values, ensure_fields
from dossier.demo.customers import FIRST_NUMBER, build_customers
from dossier.demo.documents import build_documents
from dossier.demo.duplicates import load_demo_duplicates
from dossier.demo.interactions import load_contact_history
from dossier.demo.names import DEMO_PASSWORD, DEMO_USERS
from dossier.demo.scans import attach_demo_scans
from dossier.documents.models import DocumentType
from dossier.documents.seed import seed_reference_data
from dossier.extensions import db
from dossier.search import index_customers

SEED = 20261124
ACTOR = "demo"
BATCH = 500


def database_is_empty() -> bool:
    return db.session.scalar(select(Customer.id).limit(1)) is None


def _first_free_number() -> int:
    """Demo numbers continue after the highest numeric customer number already in use."""
    numbers = db.session.scalars(select(Customer.number)).all()
    return max([int(n) + 1 for n in numbers if n.isdigit()] + [FIRST_NUMBER])


def _add_in_batches(objects: list[object]) -> None:
    for start in range(0, len(objects), BATCH):
        db.session.add_all(objects[start:start + BATCH])
        db.session.flush()


def load_users() -> int:
    """The six demo logins (password "demo"); existing usernames are left alone."""
    created = 0
    for username, full_name, roles in DEMO_USERS:
        if find_user(username) is None:
            create_user(ACTOR, username, DEMO_PASSWORD, roles, full_name=full_name,
                        email=f"{username}@example.nl", check_strength=False)
            created += 1
    return created


def load_demo(today: date | None = None, seed: int = SEED) -> dict[str, int]:
    """Add the demo data set; the same seed and day always give the same data.

    The caller commits. The only files written are the demo quotes' scanned letters
    (small PDFs in the file store, see dossier/demo/scans.py); other demo documents are
    key points and paper originals.
    """
    today = today or date.today()
    rng = random.Random(seed)  # noqa: S311 (repeatable demo data, not secrets)
    seed_reference_data()
    types = {t.code: t for t in db.session.scalars(select(DocumentType))}
    demo = build_customers(rng, today, _first_free_number())
    _add_in_batches(list(demo.customers))
    values = build_values(rng, demo.customers, ensure_fields())
    # One batch: each value hangs on its customer, and a flush must see them all.
    db.session.add_all(values)
    db.session.flush()
    documents = build_documents(rng, today, types, demo)
    _add_in_batches(list(documents))
    documents += load_demo_duplicates(today, types, demo)
    scanned = attach_demo_scans(documents)
    # Every demo document has a customer: this queues all customers and documents.
    index_customers([customer.id for customer in demo.customers])
    counts = {
        "customers": len(demo.customers),
        "documents": len(documents),
        "custom field values": len(values),
        "users": load_users(),
        "scanned letters": scanned,
    }
    counts |= load_contact_history(seed, today, demo.customers, documents)
    counts |= load_demo_derived(today=today)  # after the contacts and orders it reads
    counts |= load_archive(today, seed + 6)  # after the users: the demo clerk files them
    record(ACTOR, AuditAction.CREATE, object_type="DemoData", details=counts)
    db.session.flush()
    return counts
