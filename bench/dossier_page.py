"""How fast a dossier opens for a customer with 10,000 documents, vs one with 10.

Measures the production path: a full GET of customers.show through the WSGI app
(login, permission, SQL, policy classification, template) on a migrated SQLite file.
Reported as p50/p95 and as a ratio to the small dossier measured in the same process.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from dossier.customers.models import Customer
from dossier.documents.models import Document, DocumentScope, DocumentType, document_customer
from dossier.extensions import db

SCOPES = ("sales", "care", "loyalty")


def _build(tmp: Path):  # type: ignore[no-untyped-def]
    from tests.conftest import build_app, migrate_and_seed

    app = build_app(f"sqlite:///{tmp / 'bench.db'}", tmp)
    migrate_and_seed(app)
    return app


def _add_customer(number: str, documents: int) -> int:
    customer = Customer(number=number, kind="person", first_name="Anna", last_name="Jansen",
                        postcode="3511 AB", city="Utrecht")
    customer.refresh_sort_name()
    db.session.add(customer)
    db.session.flush()
    types = db.session.scalars(select(DocumentType)).all()
    start = db.session.scalar(select(db.func.coalesce(db.func.max(Document.id), 0))) + 1
    rows, links, scopes = [], [], []
    for offset in range(documents):
        doc_type = types[offset % len(types)]
        doc_id = start + offset
        status = "open" if offset % 3 else "closed"
        rows.append({"id": doc_id, "document_type_id": doc_type.id, "title": f"Stuk {offset}",
                     "document_date": date(2020, 1, 1) + timedelta(days=offset % 2000),
                     "key_points": {"status": status, "end_date": "2030-01-01"}, "notes": "",
                     "paper_original": offset % 2 == 0, "legal_hold": False,
                     "legal_hold_reason": ""})
        links.append({"document_id": doc_id, "customer_id": customer.id})
        scopes.extend({"document_id": doc_id, "scope": s} for s in doc_type.scopes)
    if rows:
        db.session.execute(insert(Document), rows)
        db.session.execute(insert(document_customer), links)
        db.session.execute(insert(DocumentScope), scopes)
    db.session.commit()
    return customer.id


def _time_requests(client, url: str, rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    client.get(url)  # warm caches and templates
    timings = []
    for _ in range(rounds):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    return timings


def _summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {"p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args([])
    with tempfile.TemporaryDirectory() as tmp:
        app = _build(Path(tmp))
        with app.app_context():
            from dossier.auth.services import create_user

            create_user("bench", "bench", "bench-password", ["sales", "care"])
            small = _add_customer("900001", 10)
            big = _add_customer("900002", args.documents)
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": "bench-password"})
        base = _summary(_time_requests(client, f"/customers/{small}", args.rounds))
        large = _summary(_time_requests(client, f"/customers/{big}", args.rounds))
        filtered = _summary(_time_requests(client, f"/customers/{big}?class=static&page=3",
                                           args.rounds))
    result = {"machine": f"{platform.machine()} {platform.node()}", "date": date.today().isoformat(),
              "documents": args.documents, "small_10_docs": base, "large": large,
              "large_static_page3": filtered,
              "ratio_p95_large_vs_small": round(large["p95_ms"] / base["p95_ms"], 2)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
