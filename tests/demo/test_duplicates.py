"""The demo's two obvious duplicates: the finder ranks them high and an admin can merge them."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from dossier.customers.duplicates import find_candidates
from dossier.customers.merge import merge_customers
from dossier.customers.models import Customer
from dossier.demo.customers import DemoCustomers
from dossier.demo.duplicates import load_demo_duplicates
from dossier.documents.models import DocumentType
from dossier.extensions import db
from tests.factories import UserFactory


def test_demo_duplicates_are_found_and_merged_with_their_documents(app: Flask) -> None:
    types = {t.code: t for t in db.session.scalars(select(DocumentType))}
    demo = DemoCustomers()
    documents = load_demo_duplicates(date(2026, 11, 25), types, demo)
    pieter, twin = demo.customers
    assert (pieter.last_name, twin.last_name) == ("Jansen", "Janssen")
    assert len(documents) == 4
    found = {(c.first_id, c.second_id): c for c in find_candidates()}
    pair = found[(pieter.id, twin.id)]
    codes = {reason["code"] for reason in pair.reasons}
    assert {"same_address", "same_phone", "same_birth_date", "first_name_matches"} <= codes
    assert pair.score >= 90
    twin_id = twin.id
    merge_customers(UserFactory(roles=("admin",)), pieter, twin)
    survivor = db.session.get(Customer, pieter.id)
    assert survivor is not None and db.session.get(Customer, twin_id) is None
    for document in documents:
        db.session.refresh(document)
        assert [c.id for c in document.customers] == [survivor.id]
