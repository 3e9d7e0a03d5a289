"""Small search corpora for the contract tests: customers and documents with known words.

Documents are made with the factories (text as the current file's extracted text, as
the scanner inbox stores it) and queued with the public `dossier.search.index`;
customers are made through the customer service, whose hook queues them.
`Corpus.sync()` commits and drains, as a request followed by the indexer would.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from dossier import search
from dossier.auth.models import User
from dossier.customers.models import Customer
from dossier.customers.services import create_customer
from dossier.documents.models import DigitalFile, Document
from dossier.extensions import db
from dossier.search.results import SearchResults
from tests.factories import DocumentFactory, UserFactory

DEFAULT_DATE = date(2025, 3, 1)


class Corpus:
    """Builds the data of one test; `actor` (an admin) is who the services record."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self._numbers = itertools.count(300001)

    def customer(self, last_name: str, first_name: str = "", **fields: Any) -> Customer:
        """A person (or, with organisation_name=..., an organisation) via the service."""
        number = str(fields.pop("number", next(self._numbers)))
        data: dict[str, Any] = {
            "number": number, "kind": "person", "first_name": first_name,
            "last_name": last_name, "street": "Dorpsstraat", "house_number": "1",
            "postcode": "9999 ZZ", "city": "Ergens", "country": "NL",
            "email": f"klant{number}@example.nl", "phone": "",
            "preferred_channel": "email", "status": "active",
        }
        if fields.get("organisation_name"):
            data.update(kind="organisation", last_name="", first_name="")
        data.update(fields)
        return create_customer(self.actor, data)

    def document(self, title: str, body: str = "", *, type_code: str = "correspondence",
                 scopes: Sequence[str] = ("sales",), customers: Iterable[Customer] = (),
                 on: date = DEFAULT_DATE, key_points: dict[str, Any] | None = None,
                 notes: str = "", paper: bool = False, languages: str = "nld") -> Document:
        """A document; `body` becomes its file's text (no body: no file)."""
        document = DocumentFactory(type_code=type_code, title=title, document_date=on,
                                   key_points=dict(key_points or {}), notes=notes,
                                   paper_original=paper, scopes=list(scopes),
                                   customers=list(customers))
        if body:
            attach_text(document, body, languages)
        db.session.flush()
        search.index([document.id])
        return document

    def sync(self) -> int:
        """Commit, then apply the queued index updates; the number of rows applied."""
        db.session.commit()
        return search.drain()


def attach_text(document: Document, text: str, languages: str = "nld") -> DigitalFile:
    """A new current file version holding `text` as its extracted text."""
    version = max((f.version for f in document.files), default=0) + 1
    data = text.encode()
    digital = DigitalFile(version=version, sha256=hashlib.sha256(data).hexdigest(),
                          original_name=f"scan-{version}.pdf", mime_type="application/pdf",
                          size_bytes=len(data), pages=1, text=text, languages=languages,
                          origin="inbox")
    document.files.append(digital)
    db.session.flush()
    return digital


def searcher(*roles: str) -> User:
    return UserFactory(roles=roles)


def hit_ids(results: SearchResults) -> list[int]:
    return [hit.document.id for hit in results.hits]


def found(text: str, actor: User, **options: Any) -> set[int]:
    """The ids of the documents on the first page (per_page 100) of a search."""
    options.setdefault("per_page", 100)
    results = search.search(text, actor, **options)
    ids = hit_ids(results)
    assert len(ids) == len(set(ids)), f"duplicate hits for {text!r}: {ids}"
    assert results.total == len(ids), f"{text!r}: total {results.total} for {len(ids)} hits"
    return set(ids)


def found_customers(text: str, actor: User) -> list[int]:
    return [customer.id for customer in search.search(text, actor).customers]


def ids(*documents: Document) -> set[int]:
    return {document.id for document in documents}


def nonzero(facets: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Facets without zero counts or empty groups (backends may list either)."""
    kept = {group: {value: n for value, n in counts.items() if n}
            for group, counts in facets.items()}
    return {group: counts for group, counts in kept.items() if counts}


def assert_finds(actor: User, cases: dict[str, set[int]], label: str = "") -> None:
    """Every query finds exactly its documents; a failure lists every query that did not."""
    wrong: dict[str, dict[str, list[int]]] = {}
    for query, expected in cases.items():
        got = found(query, actor)
        if got != expected:
            wrong[query] = {"missing": sorted(expected - got), "extra": sorted(got - expected)}
    assert wrong == {}, f"{label or sorted(actor.roles)}: queries with wrong results: {wrong}"
