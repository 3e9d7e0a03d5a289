"""Data for the derived-attributes benchmark: customers, orders (documents with an amount
key point), interactions, complaints and 100 derived definitions, loaded straight into
the real tables (COPY on PostgreSQL, executemany on SQLite) from a fixed seed."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, select, text

from bench.search_data import write_rows
from dossier.customers.derived_models import DerivedField
from dossier.customers.interaction_models import Complaint, Interaction
from dossier.customers.models import Customer
from dossier.documents.models import Document, DocumentScope, DocumentType, document_customer
from dossier.extensions import db

CHANNELS = ("phone", "email", "post", "web", "counter", "app", "social")
DIRECTIONS = ("inbound", "outbound")
SCOPES = ("sales", "care", "loyalty")
STATUSES = ("open", "in_progress", "resolved", "rejected")
START = datetime(2022, 1, 1)
SPAN_DAYS = 4 * 365
CHUNK = 20_000
TABLES: dict[str, Table] = {
    "customer": Customer.__table__, "document": Document.__table__,
    "document_scope": DocumentScope.__table__, "document_customer": document_customer,
    "interaction": Interaction.__table__, "complaint": Complaint.__table__,
}


def write(name: str, rows: list[dict[str, Any]]) -> None:
    write_rows(TABLES[name], rows)


def _in_chunks(rows: Iterator[dict[str, Any]], name: str) -> int:
    batch: list[dict[str, Any]] = []
    total = 0
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            write(name, batch)
            total += len(batch)
            batch = []
    write(name, batch)
    return total + len(batch)


def _when(rng: random.Random) -> datetime:
    return START + timedelta(seconds=rng.randrange(SPAN_DAYS * 86_400))


def load(customers: int, orders_each: int, interactions: int, complaints: int,
         seed: int = 20261125, say: Callable[[str], None] = print) -> dict[str, int]:
    """Load everything; ids are given here so the tables can be filled in parallel."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 25, 12)
    _in_chunks(({"id": i, "number": str(700000 + i), "kind": "person", "initials": "",
                 "first_name": "Klant", "infix": "", "last_name": f"Nummer{i}",
                 "organisation_name": "", "street": "Laan", "house_number": i % 300 + 1,
                 "house_number_addition": "", "postcode": "1234 AB", "city": "Utrecht",
                 "country": "NL", "email": f"k{i}@example.nl", "phone": "",
                 "preferred_channel": "email", "status": "active",
                 "sort_name": f"nummer{i} klant", "created_at": now, "updated_at": now}
                for i in range(1, customers + 1)), "customer")
    say(f"  {customers} customers")
    order_type = db.session.scalar(select(DocumentType.id).where(DocumentType.code == "order"))
    db.session.commit()  # SQLite: no transaction of ours may hold the write lock
    assert order_type is not None
    orders = customers * orders_each
    owners = [rng.randint(1, customers) for _ in range(orders)]
    days = [_when(rng).date() for _ in range(orders)]
    _in_chunks(({"id": i, "document_type_id": order_type, "title": f"Order {i}",
                 "document_date": days[i - 1], "notes": "", "paper_original": False,
                 "legal_hold": False, "legal_hold_reason": "", "created_at": now,
                 "updated_at": now,
                 "key_points": {"order_number": f"O{i}",
                                "amount": f"{rng.randint(500, 90_000) / 100:.2f}"}}
                for i in range(1, orders + 1)), "document")
    _in_chunks(({"document_id": i, "customer_id": owners[i - 1]}
                for i in range(1, orders + 1)), "document_customer")
    _in_chunks(({"document_id": i, "scope": "sales"} for i in range(1, orders + 1)),
               "document_scope")
    say(f"  {orders} orders")
    _in_chunks(({"id": i, "customer_id": rng.randint(1, customers),
                 "channel": rng.choice(CHANNELS), "direction": rng.choice(DIRECTIONS),
                 "occurred_at": _when(rng), "subject": "Contact", "summary": "",
                 "scope": rng.choice(SCOPES), "created_at": now, "updated_at": now}
                for i in range(1, interactions + 1)), "interaction")
    say(f"  {interactions} interactions")
    _in_chunks(({"id": i, "customer_id": rng.randint(1, customers), "scope": "care",
                 "subject": "Klacht", "status": rng.choice(STATUSES), "resolution": "",
                 "opened_at": _when(rng), "updated_at": now}
                for i in range(1, complaints + 1)), "complaint")
    say(f"  {complaints} complaints")
    _after_load()
    return {"customers": customers, "orders": orders, "interactions": interactions,
            "complaints": complaints}


def _after_load() -> None:
    """Sequences past the ids given here, and fresh planner statistics."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("customer", "document", "interaction", "complaint"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))"))
        conn.execute(text("VACUUM ANALYZE"))


def definitions(order_type_id: int, count: int = 100) -> list[DerivedField]:
    """`count` definitions of every kind: order sums, counts, extremes per year and window;
    contact counts per channel, direction and period; latest and months since; complaints."""
    made: list[dict[str, Any]] = [
        {"key": "spent_2025", "function": "sum", "source": "documents", "attribute": "amount",
         "document_type_id": order_type_id, "period": "year", "period_year": 2025,
         "value_type": "money"},
        {"key": "open_complaints", "function": "count", "source": "complaints",
         "conditions": {"status": ["open", "in_progress"]}},
        {"key": "last_channel", "function": "latest", "source": "interactions",
         "attribute": "channel", "value_type": "text"},
        {"key": "months_since_order", "function": "months_since", "source": "documents",
         "document_type_id": order_type_id},
    ]
    for year in (2022, 2023, 2024, 2025, 2026):
        for function in ("sum", "count", "min", "max"):
            made.append({"key": f"order_{function}_{year}", "function": function,
                         "source": "documents", "document_type_id": order_type_id,
                         "attribute": "" if function == "count" else "amount",
                         "period": "year", "period_year": year,
                         "value_type": "number" if function == "count" else "money"})
    for channel in CHANNELS:
        for direction in DIRECTIONS:
            for months in (6, 24):
                made.append({"key": f"{channel}_{direction}_{months}m", "function": "count",
                             "source": "interactions", "period": "months",
                             "period_months": months,
                             "conditions": {"channel": [channel], "direction": [direction]}})
        made.append({"key": f"last_{channel}", "function": "max", "source": "interactions",
                     "attribute": "occurred_at", "value_type": "date",
                     "conditions": {"channel": [channel]}})
        made.append({"key": f"months_since_{channel}", "function": "months_since",
                     "source": "interactions", "conditions": {"channel": [channel]}})
    for scope in SCOPES:
        made.append({"key": f"contacts_{scope}", "function": "count", "source": "interactions",
                     "conditions": {"scope": [scope]}})
        made.append({"key": f"latest_direction_{scope}", "function": "latest",
                     "source": "interactions", "attribute": "direction", "value_type": "text",
                     "conditions": {"scope": [scope]}})
    for status in STATUSES:
        for year in (2024, 2025):
            made.append({"key": f"complaints_{status}_{year}", "function": "count",
                         "source": "complaints", "period": "year", "period_year": year,
                         "conditions": {"status": [status]}})
    made.append({"key": "orders_12m", "function": "count", "source": "documents",
                 "document_type_id": order_type_id, "period": "months", "period_months": 12})
    made.append({"key": "spent_12m", "function": "sum", "source": "documents",
                 "attribute": "amount", "document_type_id": order_type_id, "period": "months",
                 "period_months": 12, "value_type": "money"})
    while len(made) < count:  # more contact-count variants up to `count`
        n = len(made)
        made.append({"key": f"contacts_{n}", "function": "count", "source": "interactions",
                     "period": "months", "period_months": 1 + n % 36,
                     "conditions": {"channel": [CHANNELS[n % 7]]}})
    return [DerivedField(label=spec["key"].replace("_", " "), scopes=list(SCOPES),
                         **({"conditions": {}, "value_type": "number", "attribute": "",
                             "period": "all"} | spec))
            for spec in made[:count]]


def bench_dates() -> tuple[date, date]:
    return START.date(), (START + timedelta(days=SPAN_DAYS)).date()
