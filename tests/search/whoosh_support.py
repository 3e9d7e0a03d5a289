"""Helpers for the Whoosh backend's own tests: index records made in memory, no database."""

from __future__ import annotations

from datetime import date
from typing import Any

from dossier.search.backends.base import PolicyRuleView, Visibility
from dossier.search.backends.whoosh import WhooshBackend
from dossier.search.content import IndexedCustomer, IndexedDocument
from dossier.search.query import parse

EVERY_SCOPE = frozenset({"sales", "care", "loyalty"})
TODAY = date(2025, 6, 1)


def document(id_: int, title: str = "", body: str = "", **fields: Any) -> IndexedDocument:
    values: dict[str, Any] = {
        "id": id_, "title": title or f"Document {id_}", "body": body, "key_points": "",
        "type_code": "correspondence", "document_date": date(2025, 1, 1),
        "customer_ids": (), "customer_numbers": (), "customer_names": (),
        "scopes": ("sales",), "storage": "digital" if body else "paper", "type_id": 9,
        "status": "", "end_date": "", "language": "nld",
    }
    values.update(fields)
    return IndexedDocument(**values)


def customer(id_: int, name: str, **fields: Any) -> IndexedCustomer:
    values: dict[str, Any] = {
        "id": id_, "number": str(500000 + id_), "name": name, "postcode": "", "house_number": "",
        "email": "", "phone": "", "city": ""}
    values.update(fields)
    return IndexedCustomer(**values)


def visibility(scopes: frozenset[str] = EVERY_SCOPE,
               rules: tuple[PolicyRuleView, ...] = ()) -> Visibility:
    return Visibility(scopes=scopes, rules=rules, today=TODAY)


def found(backend: WhooshBackend, text: str, scopes: frozenset[str] = EVERY_SCOPE,
          rules: tuple[PolicyRuleView, ...] = ()) -> set[int]:
    page = backend.search_documents(parse(text), visibility(scopes, rules), 1, 1000,
                                    "relevance")
    assert page.total == len(page.ids)
    return set(page.ids)


def ranked(backend: WhooshBackend, text: str, order: str = "relevance", page: int = 1,
           per_page: int = 20) -> list[int]:
    return backend.search_documents(parse(text), visibility(), page, per_page, order).ids
