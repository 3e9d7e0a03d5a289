"""No table that refers to a customer can be forgotten by the merge.

The first test reads the metadata: a new table with a foreign key to customer (or a
customer_id column) fails here until merge_references.REFERENCES says what a merge does
with its rows. The second merges a customer that every handled table refers to and
checks that nothing but audit rows (and the redirect, by design) still names it.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Column, Integer, MetaData, Table, func, select

from dossier.compliance.audit import AuditAction, record
from dossier.compliance.models import AuditEvent
from dossier.customers import merge_references
from dossier.customers.interaction_models import Complaint, Interaction
from dossier.customers.merge import merge_customers
from dossier.customers.merge_models import (
    CustomerRedirect,
    DuplicateCandidate,
    DuplicateDismissal,
)
from dossier.customers.merge_references import (
    REFERENCES,
    customer_columns,
    remaining_references,
    unhandled_columns,
)
from dossier.customers.models import CustomFieldValue
from dossier.extensions import db
from dossier.mailings.models import Mailing, MailingRecipient
from tests.customers.factories import CustomFieldFactory
from tests.factories import CustomerFactory, DocumentFactory, UserFactory


def test_every_table_that_refers_to_a_customer_is_handled_by_the_merge(app: Flask) -> None:
    assert unhandled_columns() == [], (
        "a table refers to customers but merge_references.REFERENCES does not say what a "
        "merge does with it")


def test_handled_tables_exist(app: Flask) -> None:
    found = {(table.name, column.name) for table, column in customer_columns()}
    assert set(REFERENCES) <= found


def test_the_check_sees_a_new_table(app: Flask) -> None:
    extra = MetaData()
    Table("loyalty_card", extra, Column("id", Integer, primary_key=True),
          Column("customer_id", Integer))
    original = merge_references.db.metadata
    try:
        for table in list(extra.tables.values()):
            table.to_metadata(original)
        assert "loyalty_card.customer_id" in unhandled_columns()
    finally:
        original.remove(original.tables["loyalty_card"])


def test_after_a_merge_only_audit_rows_and_the_redirect_name_the_merged_customer(
        app: Flask) -> None:
    admin = UserFactory(roles=("admin",))
    survivor, merged, third = CustomerFactory(), CustomerFactory(), CustomerFactory()
    DocumentFactory(customers=[merged])
    interaction = Interaction(customer=merged, channel="email", direction="inbound",
                              subject="Vraag", scope="sales")
    mailing = Mailing(name="M", scope="sales", subject="S", body="B")
    db.session.add_all([
        interaction, Complaint(customer=merged, scope="sales", subject="Klacht"),
        CustomFieldValue(customer=merged, field=CustomFieldFactory(), value_text="x"),
        mailing, MailingRecipient(mailing=mailing, customer=merged, sequence=1),
        DuplicateCandidate(first_id=min(merged.id, third.id), second_id=max(merged.id, third.id),
                           score=60, reasons=[]),
        DuplicateDismissal(first_id=min(merged.id, survivor.id),
                           second_id=max(merged.id, survivor.id)),
    ])
    earlier = CustomerFactory()
    db.session.flush()
    merge_customers(admin, merged, earlier)  # a redirect now points at `merged`
    record(admin, AuditAction.VIEW, merged, customer_id=merged.id)
    db.session.flush()
    referring = {table.name for table, column in customer_columns()
                 if db.session.scalar(select(func.count()).select_from(table)
                                      .where(column == merged.id))}
    assert referring >= {"document_customer", "interaction", "complaint", "custom_field_value",
                         "mailing_recipient", "duplicate_candidate", "duplicate_dismissal",
                         "customer_redirect", "audit_event"}
    merged_id = merged.id
    merge_customers(admin, survivor, merged)
    assert remaining_references(merged_id) == {}
    still = {table.name for table, column in customer_columns()
             if db.session.scalar(select(func.count()).select_from(table)
                                  .where(column == merged_id))}
    assert still == {"audit_event"}
    assert db.session.get(CustomerRedirect, merged_id) is not None  # by its own key
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.customer_id == merged_id)) >= 2
