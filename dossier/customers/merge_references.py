"""Every table that refers to a customer, and what a merge does with its rows.

A table that refers to customers and is missing here fails tests/customers/
test_merge_references.py, and a merge refuses to delete a customer that something still
refers to: foreign keys cascade, so a forgotten table would otherwise lose its rows
without a word.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from sqlalchemy import Column, Table, func, select

from dossier.extensions import db


class Handling(StrEnum):
    MOVE = "move"  # the rows now refer to the survivor
    LINKS = "links"  # link rows: the survivor gets each link it lacks, the merged one's go
    CHOSEN = "chosen"  # custom field values: per field, the value the merging user chose
    LETTERS = "letters"  # mailing letters: moved; one mailing's second letter is folded in
    DROP = "drop"  # derived from other data: dropped, recomputed for the survivor
    KEEP = "keep"  # history that is never rewritten (audit rows): the redirect explains it


# (table, column) -> what a merge does. A column counts when it has a foreign key to
# customer.id or is named customer_id (audit rows hold the id as a plain value).
REFERENCES: dict[tuple[str, str], Handling] = {
    ("document_customer", "customer_id"): Handling.LINKS,
    ("custom_field_value", "customer_id"): Handling.CHOSEN,
    ("interaction", "customer_id"): Handling.MOVE,
    ("complaint", "customer_id"): Handling.MOVE,
    ("mailing_recipient", "customer_id"): Handling.LETTERS,
    ("derived_value", "customer_id"): Handling.DROP,
    ("customer_redirect", "survivor_id"): Handling.MOVE,
    ("duplicate_candidate", "first_id"): Handling.DROP,
    ("duplicate_candidate", "second_id"): Handling.DROP,
    ("duplicate_dismissal", "first_id"): Handling.DROP,
    ("duplicate_dismissal", "second_id"): Handling.DROP,
    ("audit_event", "customer_id"): Handling.KEEP,
}


def customer_columns() -> Iterator[tuple[Table, Column[int]]]:
    """Every column in the metadata that refers to a customer."""
    for table in db.metadata.sorted_tables:
        if table.name == "customer":
            continue
        for column in table.columns:
            refers = any(key.column.table.name == "customer" for key in column.foreign_keys)
            if refers or column.name == "customer_id" or column.name.endswith("_customer_id"):
                yield table, column


def unhandled_columns() -> list[str]:
    """Columns referring to customers that REFERENCES does not say how to merge."""
    return [f"{table.name}.{column.name}" for table, column in customer_columns()
            if (table.name, column.name) not in REFERENCES]


def remaining_references(customer_id: int) -> dict[str, int]:
    """Rows that still refer to `customer_id`, per table.column (audit rows left out)."""
    remaining: dict[str, int] = {}
    for table, column in customer_columns():
        if REFERENCES.get((table.name, column.name)) == Handling.KEEP:
            continue
        count = db.session.scalar(
            select(func.count()).select_from(table).where(column == customer_id))
        if count:
            remaining[f"{table.name}.{column.name}"] = int(count)
    return remaining
