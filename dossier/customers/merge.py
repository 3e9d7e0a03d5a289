"""Merge two customers into one: the chosen values survive, everything that referred to the
merged customer moves to the survivor, and a redirect remembers where it went.

Audit rows are never rewritten: they keep the merged customer's id, and the redirect
(merged id and number -> survivor) lets the dossier and the audit viewer follow it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Executable, delete, exists, func, insert, select, update

from dossier.auth.models import utcnow
from dossier.auth.permissions import Action, Feature, can
from dossier.compliance.audit import AuditAction, record
from dossier.customers.key_fields import KEY_FIELDS, CustomerInvalid
from dossier.customers.merge_models import CustomerRedirect
from dossier.customers.merge_references import REFERENCES, Handling, remaining_references
from dossier.customers.models import Customer, CustomField, CustomFieldValue
from dossier.customers.services import update_customer
from dossier.extensions import db
from dossier.search import remove_customers

CUSTOM_PREFIX = "custom_fields."
# The survivor keeps its number; the merged number lives on in the redirect.
MERGEABLE_FIELDS = tuple(name for name in KEY_FIELDS if name != "number")
LETTER_ANSWER = ("status", "responded_at", "answer", "answer_source", "source_job_id",
                 "document_id")


class MergeRefused(Exception):
    """The merge cannot be done; the message is safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MergeIncomplete(RuntimeError):
    """Something still refers to the merged customer after every handler ran: a table is
    missing from merge_references.REFERENCES. The transaction must be rolled back."""


@dataclass
class MergeResult:
    survivor: Customer
    merged_id: int
    merged_number: str
    moved: dict[str, int] = field(default_factory=dict)
    taken: list[str] = field(default_factory=list)


def survivor_of(customer_id: int) -> int | None:
    """The customer a merged customer lives on in, or None when it was never merged."""
    found: int | None = db.session.scalar(
        select(CustomerRedirect.survivor_id).where(CustomerRedirect.merged_id == customer_id))
    return found


def merge_customers(actor: Any, survivor: Customer, merged: Customer,
                    take_from_merged: Collection[str] = ()) -> MergeResult:
    """Fold `merged` into `survivor`. `take_from_merged` names the key fields (and
    "custom_fields.<key>") whose value comes from the merged customer."""
    if not can(actor, Action.VIEW, Feature.MERGE_CUSTOMERS):
        raise MergeRefused(_("Only an administrator may merge customers."))
    if survivor.id == merged.id:
        raise MergeRefused(_("A customer cannot be merged with itself."))
    _lock(survivor.id, merged.id)
    result = MergeResult(survivor, merged.id, merged.number)
    result.taken = _take_key_fields(actor, survivor, merged, take_from_merged)
    db.session.flush()
    remove_customers([merged.id])  # queued while its links exist: its documents reindex
    result.taken += _take_custom_values(survivor.id, merged.id, take_from_merged)
    result.moved = _move_references(actor, survivor.id, merged.id)
    _leave_redirect(actor, survivor.id, merged.id, merged.number)
    leftovers = remaining_references(merged.id)
    if leftovers:
        raise MergeIncomplete(f"customer {merged.id} still referred to by {leftovers}")
    db.session.expunge(merged)
    db.session.execute(delete(Customer).where(Customer.id == result.merged_id))
    _recompute_derived(survivor.id)
    _audit(actor, result)
    db.session.flush()
    db.session.expire_all()  # rows moved by SQL: objects in the session are stale
    return result


def _lock(*customer_ids: int) -> None:
    """Row locks on PostgreSQL (two admins merging the same pair); SQLite's transaction
    already holds the write lock. A colleague's merge may have removed one meanwhile."""
    locked = db.session.scalars(select(Customer.id).where(Customer.id.in_(customer_ids))
                                .order_by(Customer.id).with_for_update()).all()
    if len(locked) < len(set(customer_ids)):
        raise MergeRefused(_("One of these customers has just been merged or removed."))


def _take_key_fields(actor: Any, survivor: Customer, merged: Customer,
                     chosen: Collection[str]) -> list[str]:
    names = [name for name in MERGEABLE_FIELDS if name in chosen]
    if not names:
        return []
    data = {name: getattr(merged, name) for name in names}
    try:
        update_customer(actor, survivor, data)
    except CustomerInvalid as error:
        problems = "; ".join(error.errors.values())
        raise MergeRefused(_("The chosen values do not fit together: %(problems)s",
                             problems=problems)) from error
    return names


def _take_custom_values(survivor_id: int, merged_id: int, chosen: Collection[str]) -> list[str]:
    """The merged customer's value replaces the survivor's where chosen, and fills fields
    the survivor has no value for; its other values go."""
    keys = {name.removeprefix(CUSTOM_PREFIX) for name in chosen if name.startswith(CUSTOM_PREFIX)}
    table = CustomFieldValue
    rows = db.session.execute(select(table.id, table.field_id, table.customer_id).where(
        table.customer_id.in_([survivor_id, merged_id]))).all()
    key_of = dict(db.session.execute(select(CustomField.id, CustomField.key)).all())
    survivor_rows = {row.field_id: row.id for row in rows if row.customer_id == survivor_id}
    taken: list[str] = []
    for row in rows:
        if row.customer_id != merged_id:
            continue
        wanted = key_of.get(row.field_id) in keys or row.field_id not in survivor_rows
        if not wanted:
            continue
        if row.field_id in survivor_rows:
            db.session.execute(delete(table).where(table.id == survivor_rows[row.field_id]))
        db.session.execute(update(table).where(table.id == row.id).values(customer_id=survivor_id))
        taken.append(f"{CUSTOM_PREFIX}{key_of.get(row.field_id, row.field_id)}")
    db.session.execute(delete(table).where(table.customer_id == merged_id))
    return taken


def _move_references(actor: Any, survivor_id: int, merged_id: int) -> dict[str, int]:
    """Every table in REFERENCES, handled as it says; rows moved or dropped per table."""
    tables = db.metadata.tables
    moved: dict[str, int] = {}
    for (table_name, column_name), handling in REFERENCES.items():
        table = tables.get(table_name)
        if table is None or handling in (Handling.CHOSEN, Handling.KEEP):
            continue
        column = table.c[column_name]
        if handling == Handling.MOVE:
            count = _run(update(table).where(column == merged_id)
                         .values({column_name: survivor_id}))
        elif handling == Handling.LINKS:
            count = _move_links(table_name, column_name, survivor_id, merged_id)
        elif handling == Handling.LETTERS:
            count = _move_letters(actor, survivor_id, merged_id)
        else:  # DROP
            count = _run(delete(table).where(column == merged_id))
        if count:
            moved[f"{table_name}.{column_name}"] = int(count)
    return moved


def _run(statement: Executable) -> int:
    """Execute an UPDATE, DELETE or INSERT ... SELECT; the number of rows it touched."""
    return int(getattr(db.session.execute(statement), "rowcount", 0) or 0)


def _move_links(table_name: str, column_name: str, survivor_id: int, merged_id: int) -> int:
    """Link rows (customer + the other keys): the survivor gets the links it lacks."""
    table = db.metadata.tables[table_name]
    column = table.c[column_name]
    others = [c for c in table.primary_key.columns if c.name != column_name]
    mine = table.alias("mine")
    already = exists().where(mine.c[column_name] == survivor_id,
                             *(mine.c[c.name] == c for c in others))
    missing = select(db.literal(survivor_id), *others).where(column == merged_id, ~already)
    # Counted apart: an INSERT ... SELECT reports no row count on every driver.
    count = int(db.session.scalar(select(func.count()).select_from(missing.subquery())) or 0)
    db.session.execute(insert(table).from_select([column_name, *(c.name for c in others)],
                                                 missing))
    db.session.execute(delete(table).where(column == merged_id))
    return count


def _move_letters(actor: Any, survivor_id: int, merged_id: int) -> int:
    """Mailing letters follow the customer. When both had a letter in one mailing, the
    survivor's stays and takes the other's answer if it has none; the other is removed
    (the merge's audit record keeps its number and answer)."""
    from dossier.mailings.models import MailingRecipient as Letter

    survivor_letters = {letter.mailing_id: letter for letter in db.session.scalars(
        select(Letter).where(Letter.customer_id == survivor_id))}
    moved = 0
    for letter in db.session.scalars(select(Letter).where(Letter.customer_id == merged_id)):
        kept = survivor_letters.get(letter.mailing_id)
        if kept is None:
            db.session.execute(update(Letter.__table__).where(Letter.__table__.c.id == letter.id)
                               .values(customer_id=survivor_id))
            moved += 1
            continue
        if letter.responded and not kept.responded:
            for name in LETTER_ANSWER:
                setattr(kept, name, getattr(letter, name))
        record(actor, AuditAction.DELETE, letter, customer_id=merged_id, details={
            "mailing_id": letter.mailing_id, "sequence": letter.sequence,
            "answer": letter.answer, "kept_letter": kept.id})
        db.session.delete(letter)
        moved += 1
    db.session.flush()
    return moved


def _leave_redirect(actor: Any, survivor_id: int, merged_id: int, merged_number: str) -> None:
    db.session.add(CustomerRedirect(
        merged_id=merged_id, merged_number=merged_number, survivor_id=survivor_id,
        merged_by_id=getattr(actor, "id", None), merged_at=utcnow()))
    db.session.flush()


def _recompute_derived(survivor_id: int) -> None:
    """Derived values were dropped with the merged customer; the survivor's inputs grew."""
    from dossier.customers.derived_compute import recompute_for_customers

    recompute_for_customers([survivor_id])


def _audit(actor: Any, result: MergeResult) -> None:
    survivor = result.survivor
    record(actor, AuditAction.UPDATE, survivor, customer_id=survivor.id, details={
        "merged_customer_id": result.merged_id, "merged_number": result.merged_number,
        "values_taken": result.taken, "moved": result.moved})
    record(actor, AuditAction.DELETE, object_type="Customer", object_id=result.merged_id,
           customer_id=result.merged_id, details={
               "merged_into": survivor.id, "survivor_number": survivor.number,
               "moved": result.moved})

