"""The route walk's objects for the duplicate and import pages: a second customer that
looks like the walk's customer (a duplicate candidate) and an uploaded import."""

from __future__ import annotations

from dossier.customers import imports
from dossier.customers.merge_models import DuplicateCandidate
from dossier.extensions import db
from tests.factories import CustomerFactory, UserFactory

IMPORT_FILE = b"Klantnummer;Achternaam\n990001;Wandelaar\n"


def merge_objects(customer_id: int) -> dict[str, int]:
    twin = CustomerFactory()
    first, second = sorted((customer_id, twin.id))
    candidate = DuplicateCandidate(first_id=first, second_id=second, score=80,
                                   reasons=[{"code": "same_address"}])
    db.session.add(candidate)
    upload = imports.upload(UserFactory(roles=("admin",)), "walk.csv", IMPORT_FILE)
    db.session.flush()
    return {"twin": twin.id, "duplicate_candidate": candidate.id, "customer_import": upload.id}
