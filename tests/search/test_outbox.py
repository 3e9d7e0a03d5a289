"""The outbox and its drainer: only committed changes reach the index, nothing is lost.

The index here is a recording stand-in (tests/search/recording.py), so what the drainer
sends is seen exactly; the real backends are tested in test_contract.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from dossier import search
from dossier.compliance.models import AuditEvent
from dossier.customers.services import create_customer, update_customer
from dossier.documents.services import DocumentInput, create_document, update_document
from dossier.extensions import db, huey
from dossier.search import content, outbox
from dossier.search.content import IndexedDocument
from dossier.search.outbox import SearchOutbox
from dossier.search.query import QuerySyntaxError
from dossier.search.service import visibility_for
from tests.factories import CustomerFactory, DocumentFactory, UserFactory, document_type
from tests.search.corpus import attach_text
from tests.search.recording import RecordingIndex, use_recording_index


@pytest.fixture
def index(app: Flask) -> RecordingIndex:
    return use_recording_index(app)


@pytest.fixture
def admin(app: Flask) -> Any:
    return UserFactory(roles=("admin",))


def _queued() -> list[tuple[str, int, str]]:
    return [(r.kind, r.object_id, r.operation)
            for r in db.session.scalars(select(SearchOutbox).order_by(SearchOutbox.id))]


def _document_input(customer: Any, title: str = "Offerte keuken") -> DocumentInput:
    return DocumentInput(title=title, document_type=document_type("quote"),
                         document_date=date(2025, 3, 1), customer_numbers=customer.number,
                         scopes=["sales"], key_points={"status": "open"})


def test_a_rolled_back_change_queues_and_indexes_nothing(index: RecordingIndex,
                                                         admin: Any) -> None:
    customer = CustomerFactory()
    db.session.commit()
    create_document(admin, _document_input(customer))
    assert [row[0] for row in _queued()] == ["document"]
    db.session.rollback()
    assert _queued() == []
    assert search.drain() == 0
    assert index.documents == {}


def test_a_committed_document_is_indexed_by_the_drain(index: RecordingIndex,
                                                      admin: Any) -> None:
    customer = CustomerFactory(last_name="Janssen")
    document = create_document(admin, _document_input(customer))
    assert index.documents == {}  # nothing before the drain
    db.session.commit()
    assert search.drain() == 1
    indexed = index.documents[document.id]
    assert indexed.title == "Offerte keuken" and indexed.customer_numbers == (customer.number,)
    assert _queued() == []


def test_an_edit_queues_the_document_again(index: RecordingIndex, admin: Any) -> None:
    customer = CustomerFactory()
    document = create_document(admin, _document_input(customer))
    db.session.commit()
    search.drain()
    update_document(admin, document, _document_input(customer, title="Offerte badkamer"))
    assert _queued() == [("document", document.id, "index")]
    db.session.commit()
    search.drain()
    assert index.documents[document.id].title == "Offerte badkamer"


def test_a_deleted_document_leaves_the_index(index: RecordingIndex) -> None:
    document = DocumentFactory()
    search.index([document.id])
    db.session.commit()
    search.drain()
    search.remove([document.id])
    db.session.delete(document)
    db.session.commit()
    assert search.drain() == 1
    assert document.id not in index.documents


def test_an_index_row_for_a_document_gone_since_becomes_a_removal(
        index: RecordingIndex) -> None:
    document = DocumentFactory()
    document_id = document.id
    search.index([document_id])
    db.session.delete(document)
    db.session.commit()
    search.drain()
    assert index.calls == [("remove", [document_id])]


def test_rows_for_one_document_are_applied_once_with_the_last_operation(
        index: RecordingIndex) -> None:
    first, second = DocumentFactory(), DocumentFactory()
    search.index([first.id])
    search.index([first.id, second.id])
    search.remove([second.id])
    db.session.commit()
    assert search.drain() == 4
    assert index.calls == [("index", [first.id]), ("remove", [second.id])]


def test_the_drain_works_in_batches_in_order(index: RecordingIndex) -> None:
    documents = [DocumentFactory() for _ in range(5)]
    search.index(d.id for d in documents)
    db.session.commit()
    assert search.drain(limit=2) == 5
    assert [ids for _op, ids in index.calls] == [
        [documents[0].id, documents[1].id], [documents[2].id, documents[3].id],
        [documents[4].id]]


def test_a_failing_index_keeps_the_rows_for_the_next_drain(index: RecordingIndex) -> None:
    document = DocumentFactory()
    search.index([document.id])
    db.session.commit()
    index.fail_next = True
    with pytest.raises(RuntimeError):
        search.drain()
    db.session.rollback()
    assert _queued() == [("document", document.id, "index")]
    assert search.drain() == 1
    assert document.id in index.documents


def _customer_data(customer: Any, **changes: Any) -> dict[str, Any]:
    data = {"number": customer.number, "kind": "person", "first_name": customer.first_name,
            "last_name": customer.last_name, "postcode": customer.postcode,
            "house_number": str(customer.house_number), "city": customer.city,
            "country": "NL", "email": customer.email, "phone": customer.phone,
            "street": customer.street, "preferred_channel": "email", "status": "active"}
    return data | changes


def test_a_customer_rename_queues_the_customer_and_its_documents(
        index: RecordingIndex, admin: Any) -> None:
    customer = CustomerFactory(last_name="Jansen")
    linked = [DocumentFactory(customers=[customer]) for _ in range(2)]
    DocumentFactory()  # someone else's
    db.session.flush()
    update_customer(admin, customer, _customer_data(customer, last_name="Janssen"))
    assert sorted(_queued()) == sorted([("customer", customer.id, "index")] + [
        ("document", d.id, "index") for d in linked])
    db.session.commit()
    search.drain()
    assert index.customers[customer.id].name.endswith("Janssen")
    assert all(index.documents[d.id].customer_names[0].endswith("Janssen") for d in linked)


def test_a_new_postcode_queues_the_customer_only(index: RecordingIndex, admin: Any) -> None:
    customer = CustomerFactory()
    DocumentFactory(customers=[customer])
    db.session.flush()
    update_customer(admin, customer, _customer_data(customer, postcode="9876 ZX"))
    assert _queued() == [("customer", customer.id, "index")]


def test_a_change_the_index_does_not_hold_queues_nothing(index: RecordingIndex,
                                                        admin: Any) -> None:
    customer = CustomerFactory()
    db.session.flush()
    update_customer(admin, customer, _customer_data(customer, preferred_channel="post"))
    assert _queued() == []


def test_a_new_customer_is_queued(index: RecordingIndex, admin: Any) -> None:
    customer = create_customer(admin, _customer_data(CustomerFactory.build(number="777001")))
    assert _queued() == [("customer", customer.id, "index")]


def test_a_commit_that_queued_rows_nudges_the_worker(app: Flask, index: RecordingIndex,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(huey, "_immediate", False)
    huey.flush()
    db.session.commit()  # nothing queued: no nudge
    assert huey.pending_count() == 0
    search.index([DocumentFactory().id])
    db.session.commit()
    assert [task.name for task in huey.pending()] == ["drain_search_outbox"]
    huey.flush()


def test_a_rollback_forgets_the_nudge(app: Flask, index: RecordingIndex,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(huey, "_immediate", False)
    huey.flush()
    search.index([DocumentFactory().id])
    db.session.rollback()
    db.session.commit()
    assert huey.pending_count() == 0


def test_with_the_immediate_queue_of_the_tests_nothing_drains_by_itself(
        index: RecordingIndex) -> None:
    search.index([DocumentFactory().id])
    db.session.commit()
    assert index.documents == {} and len(_queued()) == 1


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", count)


def test_loading_documents_takes_the_same_statements_for_1_or_30(
        app: Flask, statements: list[str]) -> None:
    customers = [CustomerFactory() for _ in range(3)]
    documents = [DocumentFactory(customers=customers[: 1 + i % 3]) for i in range(30)]
    for document in documents[:10]:
        attach_text(document, "tekst")
    db.session.flush()
    statements.clear()
    content.load_documents([documents[0].id])
    one = len(statements)
    statements.clear()
    loaded = content.load_documents([d.id for d in documents])
    assert len(statements) == one == 4
    assert len(loaded) == 30


def test_an_indexed_document_carries_what_search_needs(app: Flask) -> None:
    person = CustomerFactory(first_name="Anna", infix="de", last_name="Vries")
    company = CustomerFactory(kind="organisation", organisation_name="Bakkerij Bol")
    document = DocumentFactory(type_code="contract", title="Huurcontract", scopes=["care", "sales"],
                               customers=[person, company], paper_original=True,
                               key_points={"status": "Open", "end_date": "2026-01-31",
                                           "signed": True, "value": "1200.00"},
                               notes="Getekend op kantoor")
    attach_text(document, "eerste versie", "eng")
    attach_text(document, "tweede versie", "nld+eng")
    db.session.flush()
    [indexed] = content.load_documents([document.id, 999_999])
    assert indexed.body == "tweede versie" and indexed.language == "nld+eng"
    assert indexed.type_code == "contract" and indexed.storage == "hybrid"
    assert indexed.scopes == ("care", "sales")
    assert set(indexed.customer_names) == {"Anna de Vries", "Bakkerij Bol"}
    assert indexed.status == "open" and indexed.end_date == "2026-01-31"
    assert "1200.00" in indexed.key_points and "Getekend op kantoor" in indexed.key_points
    assert "True" not in indexed.key_points


def test_an_indexed_customer(app: Flask) -> None:
    customer = CustomerFactory(first_name="Piet", last_name="Pieterse", postcode="1234 AB",
                               house_number=12, house_number_addition="A", city="Utrecht")
    db.session.flush()
    [indexed] = content.load_customers([customer.id])
    assert indexed.name == "Piet Pieterse" and indexed.house_number == "12A"
    assert indexed.postcode == "1234 AB" and indexed.city == "Utrecht"


def test_iterating_everything_in_batches(app: Flask) -> None:
    documents = [DocumentFactory() for _ in range(5)]
    db.session.flush()
    batches = list(content.iter_all_documents(batch=2))
    ids = [d.id for batch in batches for d in batch]
    assert ids == sorted(ids) and {d.id for d in documents} <= set(ids)
    assert max(len(batch) for batch in batches) == 2


def test_a_rebuild_loads_everything_and_covers_the_queued_rows(index: RecordingIndex) -> None:
    documents = [DocumentFactory() for _ in range(3)]
    search.index([documents[0].id])
    db.session.commit()
    index.documents[424242] = index.documents.get(424242) or _stale_entry()
    seen: list[int] = []
    assert search.rebuild(progress=seen.append) == 3 + _other_documents()
    assert sum(seen) == 3 + _other_documents()
    assert 424242 not in index.documents
    assert {d.id for d in documents} <= set(index.documents)
    assert _queued() == []


def _other_documents() -> int:
    return int(db.session.scalar(select(func.count()).select_from(
        db.metadata.tables["document"]))) - 3


def _stale_entry() -> IndexedDocument:
    return IndexedDocument(id=424242, title="", body="", key_points="", type_code="quote",
                           document_date=date(2020, 1, 1), customer_ids=(),
                           customer_numbers=(), customer_names=(), scopes=("sales",),
                           storage="none", type_id=1, status="", end_date="", language="")


def test_visibility_follows_roles_and_scopes(app: Flask) -> None:
    sales = visibility_for(UserFactory(roles=("sales",)))
    assert sales.scopes == {"sales"}
    assert sales.rules and {rule.scope for rule in sales.rules} == {"sales"}
    assert visibility_for(UserFactory(roles=("clerk",))).scopes == frozenset()
    assert visibility_for(UserFactory(roles=("admin",))).scopes == {"sales", "care", "loyalty"}


def test_visibility_rules_put_conditions_before_always(app: Flask) -> None:
    rules = visibility_for(UserFactory(roles=("care",))).rules
    for type_id in {rule.type_id for rule in rules}:
        conditions = [rule.condition for rule in rules if rule.type_id == type_id]
        assert "always" not in conditions[:-1]


def test_search_loads_hits_escapes_snippets_and_audits(index: RecordingIndex) -> None:
    sales = UserFactory(roles=("sales",))
    mine = DocumentFactory(scopes=["sales"], title="Offerte")
    attach_text(mine, "<script>alert(1)</script> offerte")
    DocumentFactory(scopes=["care"])
    db.session.flush()
    search.index([mine.id])
    db.session.commit()
    search.drain()
    results = search.search("offerte", sales)
    assert [hit.document.id for hit in results.hits] == [mine.id]
    assert results.hits[0].customers == list(mine.customers)
    assert str(results.hits[0].snippet) == "<mark>&lt;script&gt;alert(1)&lt;/sc</mark>"
    assert results.total == 1 and results.pages == 1 and results.notice is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "search")).one()
    assert event.details["query"] == "offerte" and event.details["total"] == 1
    assert event.actor_id == sales.id


def test_a_clerk_gets_customers_but_no_documents(index: RecordingIndex) -> None:
    customer = CustomerFactory()
    document = DocumentFactory(customers=[customer])
    search.index_customers([customer.id])
    db.session.commit()
    search.drain()
    assert document.id in index.documents
    results = search.search("iets", UserFactory(roles=("clerk",)))
    assert results.hits == [] and results.total == 0
    assert [c.id for c in results.customers] == [customer.id]


def test_an_unknown_type_is_a_syntax_error_naming_the_known_ones(
        index: RecordingIndex) -> None:
    with pytest.raises(QuerySyntaxError, match=r"Unknown document type offerte.*quote"):
        search.search("type:offerte", UserFactory(roles=("sales",)))


def test_an_empty_query_asks_nothing_and_audits_nothing(index: RecordingIndex) -> None:
    results = search.search("   ", UserFactory(roles=("sales",)))
    assert results.total == 0 and index.calls == []
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "search")) == 0


def test_an_unusable_index_is_rebuilt_and_the_page_says_so(index: RecordingIndex) -> None:
    document = DocumentFactory(scopes=["sales"])
    db.session.commit()
    index.problem = "the index folder is missing"
    results = search.search("iets", UserFactory(roles=("sales",)))
    assert results.notice is not None and "rebuilt" in results.notice
    assert index.problem is None and document.id in index.documents


def test_pages_and_facet_filters(index: RecordingIndex) -> None:
    documents = [DocumentFactory(scopes=["sales"]) for _ in range(5)]
    search.index(d.id for d in documents)
    db.session.commit()
    search.drain()
    results = search.search("iets", UserFactory(roles=("sales",)), page=2, per_page=2,
                            filters={"type": ["quote"]})
    assert results.page == 2 and results.pages == results.total // 2 + results.total % 2
    assert results.query.types == ("quote",) and len(results.hits) == 2


def test_outbox_helpers_ignore_nothing_to_do(app: Flask) -> None:
    outbox.enqueue_documents([], "index")
    outbox.enqueue_customers([], "index")
    assert _queued() == [] and outbox.pending_count() == 0


def test_a_second_drainer_leaves_the_rows_to_the_first(index: RecordingIndex) -> None:
    from dossier.search.indexer import drain_outbox
    from dossier.search.locks import drain_lock

    search.index([DocumentFactory().id])
    db.session.commit()
    with drain_lock(0) as first:
        assert first
        assert drain_outbox(wait=0.1) == 0
    assert len(_queued()) == 1 and index.documents == {}
    assert search.drain() == 1


def test_one_rebuild_at_a_time_other_searches_show_the_notice(
        index: RecordingIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    # E.g. the Whoosh format changed under a running gunicorn with the memory queue: the
    # first search rebuilds inline, the others must not each start a rebuild too.
    from dossier.search import tasks
    from dossier.search.locks import rebuild_lock

    requested: list[str] = []
    monkeypatch.setattr(tasks, "request_rebuild", lambda: requested.append("rebuild"))
    index.problem = "the documents search index is missing"
    sales = UserFactory(roles=("sales",))
    with rebuild_lock(wait=True) as rebuilding:  # another process is rebuilding
        assert rebuilding
        for _ in range(3):
            notice = search.search("iets", sales).notice
            assert notice is not None and "rebuilt" in notice
        assert requested == []
    notice = search.search("iets", sales).notice  # nobody rebuilds: this search asks
    assert notice is not None and "rebuilt" in notice
    assert requested == ["rebuild"]


def test_a_rebuild_holds_no_transaction_while_a_batch_is_indexed(
        index: RecordingIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    # On SQLite every transaction holds the write lock: a rebuild that kept one open
    # while Whoosh indexed a batch left other requests "database is locked".
    from dossier.search import indexer

    for _ in range(3):
        DocumentFactory()
    db.session.commit()
    in_transaction: list[bool] = []
    load = index.bulk_load

    def bulk_load(docs: Any, customers: Any, progress: Any) -> None:
        def watched(batches: Any) -> Iterator[Any]:
            for batch in batches:
                in_transaction.append(db.session().in_transaction())
                yield batch
        load(watched(docs), watched(customers), progress)

    monkeypatch.setattr(index, "bulk_load", bulk_load)
    in_batches_of_one = indexer.iter_all_documents
    monkeypatch.setattr(indexer, "iter_all_documents", lambda: in_batches_of_one(batch=1))
    assert indexer.rebuild_index() == 3
    assert in_transaction and not any(in_transaction)


def test_a_running_rebuild_holds_off_drains_and_is_seen_by_search(
        index: RecordingIndex) -> None:
    from dossier.search.indexer import drain_outbox, rebuild_index
    from dossier.search.locks import rebuild_lock, rebuild_running

    search.index([DocumentFactory(scopes=["sales"]).id])
    db.session.commit()
    assert not rebuild_running()
    with rebuild_lock(wait=True) as rebuilding:
        assert rebuilding and rebuild_running()
        assert drain_outbox(wait=0.1) == 0
        assert rebuild_index(wait=False) == 0  # one rebuild at a time
        notice = search.search("iets", UserFactory(roles=("sales",))).notice
        assert notice is not None and "rebuilt" in notice
    assert not rebuild_running()
    assert search.drain() == 1
