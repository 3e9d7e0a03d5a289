"""The index follows the database: committed changes arrive, rolled-back ones never do.

Searches run before each change too, so a backend that keeps a searcher open must notice
the new writes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from dossier import search
from dossier.auth.models import User
from dossier.auth.roles import ALL_SCOPES
from dossier.customers.services import update_customer
from dossier.documents.models import Document
from dossier.documents.services import DocumentInput, update_document
from dossier.extensions import db
from dossier.search.backends import get_backend
from dossier.search.backends.base import Visibility
from dossier.search.query import parse
from tests.factories import document_type
from tests.search.conftest import use_backend
from tests.search.corpus import (
    Corpus,
    attach_text,
    found,
    found_customers,
    hit_ids,
    ids,
    nonzero,
    searcher,
)


def in_index(app: Flask, query: str) -> set[int]:
    """What the backend itself holds for `query`, every scope visible."""
    page = get_backend(app).search_documents(parse(query), Visibility(frozenset(ALL_SCOPES)),
                                             page=1, per_page=100, order="relevance")
    assert page.total == len(page.ids)
    return set(page.ids)


def edit(actor: User, document: Document, **changes: Any) -> Document:
    """Change a correspondence document through the documents service."""
    values: dict[str, Any] = {
        "title": document.title, "document_type": document_type("correspondence"),
        "document_date": document.document_date,
        "customer_numbers": ",".join(c.number for c in document.customers),
        "scopes": document.scopes, "key_points": {"direction": "incoming"},
    }
    values.update(changes)
    return update_document(actor, document, DocumentInput(**values))


@pytest.fixture
def owner(corpus: Corpus) -> Any:
    return corpus.customer("Verbeek", "Sanne", number="300900")


def test_a_rolled_back_new_document_is_never_indexed(app: Flask, corpus: Corpus,
                                                     admin: User) -> None:
    kept = corpus.document("Brief", "kwartel blijft")
    corpus.sync()
    assert found("kwartel", admin) == ids(kept)

    lost_id = corpus.document("Brief", "kwartel geheimschrift").id
    db.session.rollback()
    search.drain()

    assert found("geheimschrift", admin) == set()
    assert found("kwartel", admin) == ids(kept)
    assert in_index(app, "geheimschrift") == set()
    assert lost_id not in in_index(app, "kwartel")


def test_a_rolled_back_edit_is_never_indexed(app: Flask, corpus: Corpus, admin: User,
                                             owner: Any) -> None:
    document = corpus.document("Oorspronkelijke titel", "inhoud", customers=[owner],
                               key_points={"direction": "incoming"})
    corpus.sync()
    assert found("oorspronkelijke", admin) == ids(document)

    edit(admin, document, title="Gewijzigde titel flamingo")
    db.session.rollback()
    search.drain()

    assert found("flamingo", admin) == set()
    assert in_index(app, "flamingo") == set()
    assert found("oorspronkelijke", admin) == ids(document)


def test_an_edit_through_the_service_reaches_the_index(corpus: Corpus, admin: User,
                                                       owner: Any) -> None:
    document = corpus.document("Oude titel pelikaan", "inhoud", customers=[owner],
                               key_points={"direction": "incoming"})
    corpus.sync()
    assert found("pelikaan", admin) == ids(document)

    edit(admin, document, title="Nieuwe titel ooievaar",
         key_points={"direction": "outgoing", "subject": "dakgoot"})
    corpus.sync()

    assert found("pelikaan", admin) == set()
    assert found("ooievaar", admin) == ids(document)
    assert found("dakgoot", admin) == ids(document)


def test_new_text_replaces_the_old_in_the_index(corpus: Corpus, admin: User) -> None:
    document = corpus.document("Scan", "eerste versie met zeehond")
    corpus.sync()
    assert found("zeehond", admin) == ids(document)

    attach_text(document, "tweede versie met walrus")
    search.index([document.id])
    corpus.sync()

    assert found("walrus", admin) == ids(document)
    assert found("zeehond", admin) == set()


def test_a_scope_change_reaches_the_index(corpus: Corpus, admin: User, owner: Any) -> None:
    document = corpus.document("Brief", "verhuizing", customers=[owner],
                               key_points={"direction": "incoming"})
    sales, care = searcher("sales"), searcher("care")
    corpus.sync()
    assert (found("verhuizing", sales), found("verhuizing", care)) == (ids(document), set())

    edit(admin, document, scopes=["care"])
    corpus.sync()

    assert (found("verhuizing", sales), found("verhuizing", care)) == (set(), ids(document))
    assert nonzero(search.search("verhuizing", sales).facets) == {}


def test_a_customer_link_change_reaches_the_index(corpus: Corpus, admin: User,
                                                  owner: Any) -> None:
    other = corpus.customer("Kuipers", "Ruud", number="300901")
    document = corpus.document("Brief", "verhuizing", customers=[owner],
                               key_points={"direction": "incoming"})
    corpus.sync()
    assert found("klant:300900", admin) == ids(document)

    edit(admin, document, customer_numbers="300901")
    corpus.sync()

    assert found("klant:300900", admin) == set()
    assert found("klant:300901", admin) == ids(document)
    assert found("Kuipers", admin) == ids(document)
    assert found("Verbeek", admin) == set()
    assert other.id in found_customers("Kuipers", admin)


def test_a_deleted_document_leaves_the_index(app: Flask, corpus: Corpus, admin: User) -> None:
    doomed = corpus.document("Brief", "schoorsteen veegbeurt")
    kept = corpus.document("Brief", "schoorsteen nieuw")
    corpus.sync()
    assert found("schoorsteen", admin) == ids(doomed, kept)

    doomed_id = doomed.id
    search.remove([doomed_id])
    db.session.delete(doomed)
    corpus.sync()

    assert found("schoorsteen", admin) == ids(kept)
    assert found("veegbeurt", admin) == set()
    assert in_index(app, "schoorsteen") == {kept.id}


def test_indexing_a_document_that_is_gone_removes_it(app: Flask, corpus: Corpus,
                                                     admin: User) -> None:
    doomed = corpus.document("Brief", "vogelhuisje")
    corpus.sync()
    doomed_id = doomed.id
    db.session.delete(doomed)
    search.index([doomed_id])
    corpus.sync()

    assert found("vogelhuisje", admin) == set()
    assert in_index(app, "vogelhuisje") == set()


def test_the_last_queued_operation_wins(corpus: Corpus, admin: User) -> None:
    first = corpus.document("Brief", "regenton eerste")
    second = corpus.document("Brief", "regenton tweede")
    corpus.sync()

    search.index([first.id])
    search.remove([first.id])
    search.remove([second.id])
    search.index([second.id])
    corpus.sync()

    assert found("regenton", admin) == ids(second)


def test_a_customer_rename_reaches_their_documents_and_the_customer_list(
        corpus: Corpus, admin: User) -> None:
    customer = corpus.customer("Dijkstra", "Femke", number="300950")
    bystander = corpus.customer("Postma", "Jelle")
    theirs = [corpus.document("Brief", "tekst", customers=[customer]) for _ in range(2)]
    corpus.document("Brief", "tekst", customers=[bystander])
    corpus.sync()
    assert found("Dijkstra", admin) == ids(*theirs)
    assert found_customers("Dijkstra", admin) == [customer.id]

    update_customer(admin, customer, {"last_name": "Vermeulen"})
    corpus.sync()

    assert found("Vermeulen", admin) == ids(*theirs)
    assert found("Dijkstra", admin) == set()
    assert found_customers("Vermeulen", admin) == [customer.id]
    assert customer.id not in found_customers("Dijkstra", admin)


def test_a_new_customer_is_found_after_the_drain(corpus: Corpus, admin: User) -> None:
    customer = corpus.customer("Zijlstra", "Wietske", number="300960")
    corpus.sync()

    assert found_customers("Zijlstra", admin) == [customer.id]
    assert found_customers("300960", admin) == [customer.id]


QUERIES = [("kaasmarkt", "relevance"), ("klacht*", "date"), ('"rode fiets"', "relevance"),
           ("datum:2025", "date"), ("Brouwer", "relevance"), ("kaasmarkt class:static", "date"),
           ("fiets -klachten storage:paper", "relevance")]


def _snapshot(actors: list[User]) -> list[Any]:
    shots: list[Any] = []
    for actor in actors:
        for query, order in QUERIES:
            results = search.search(query, actor, per_page=50, order=order)
            hits = hit_ids(results) if order == "date" else sorted(hit_ids(results))
            shots.append((query, sorted(actor.roles), results.total, hits,
                          nonzero(results.facets), [c.id for c in results.customers]))
    return shots


def _mixed_corpus(corpus: Corpus) -> None:
    brouwer = corpus.customer("Brouwer", "Tom", number="300971")
    smit = corpus.customer("Smit", "Lies", number="300972")
    contract = {"start_date": "2024-01-01", "end_date": "2099-12-31", "signed_by": "T. Brouwer"}
    for n in range(6):
        corpus.document(f"Contract {n}", "kaasmarkt contract rode fiets", type_code="contract",
                        scopes=["sales", "care"][: 1 + n % 2], customers=[brouwer],
                        key_points=contract, on=date(2025, 1 + n, 3), paper=n % 3 == 0)
        corpus.document(f"Klacht {n}", "kaasmarkt klachten fiets", type_code="complaint",
                        scopes=["care", "loyalty"][n % 2:], customers=[smit],
                        key_points={"status": "open", "subject": "fiets"},
                        on=date(2025, 2 + n, 5))


def test_a_rebuild_gives_the_same_results_as_incremental_indexing(
        app: Flask, corpus: Corpus, admin: User) -> None:
    _mixed_corpus(corpus)
    corpus.sync()
    actors = [admin, searcher("care")]
    incremental = _snapshot(actors)
    assert incremental[0][2] == 12  # admin finds every "kaasmarkt" document

    get_backend(app).clear()
    assert search.search("kaasmarkt", admin).total == 0
    assert search.rebuild() == 12
    db.session.commit()
    assert _snapshot(actors) == incremental


def test_search_keeps_the_old_contents_while_whoosh_rebuilds(
        app: Flask, admin: User, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_backend(app, monkeypatch, "whoosh", tmp_path / "rebuilt-index")
    corpus = Corpus(admin)
    document = corpus.document("Brief", "tekst over grutto")
    corpus.sync()
    during: list[set[int]] = []

    assert search.rebuild(progress=lambda count: during.append(found("grutto", admin))) == 1

    assert during == [ids(document)]  # not emptied first: the build is swapped in at the end
    db.session.commit()
    assert found("grutto", admin) == ids(document)


def test_a_rebuild_repairs_an_index_that_missed_changes(app: Flask, corpus: Corpus,
                                                        admin: User) -> None:
    document = corpus.document("Brief", "tekst over kievit")
    corpus.sync()
    get_backend(app).remove_documents([document.id])
    assert found("kievit", admin) == set()

    search.rebuild()
    db.session.commit()

    assert found("kievit", admin) == ids(document)


def test_drain_is_idempotent(corpus: Corpus, admin: User) -> None:
    _mixed_corpus(corpus)
    corpus.sync()
    actors = [searcher("care")]
    before = _snapshot(actors)

    assert search.drain() == 0
    assert _snapshot(actors) == before
    every = [hit.document.id for hit in search.search("kaasmarkt", admin, per_page=50).hits]
    search.index(every)
    search.index(every)
    corpus.sync()
    assert search.drain() == 0
    assert _snapshot(actors) == before


def test_a_drain_in_small_batches_applies_everything(corpus: Corpus, admin: User) -> None:
    made = [corpus.document("Brief", "sneeuwschuiver") for _ in range(7)]
    db.session.commit()

    search.drain(limit=2)

    assert found("sneeuwschuiver", admin) == ids(*made)
