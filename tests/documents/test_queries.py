"""The dossier's document section: visibility per scope, classes, filters and pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from flask import Flask, render_template
from flask.testing import FlaskClient
from sqlalchemy import event

from dossier.auth.models import User
from dossier.customers.models import Customer
from dossier.documents.models import Document
from dossier.documents.queries import DossierDocuments, DossierFilters, dossier_documents
from dossier.extensions import db
from tests.factories import CustomerFactory, DocumentFactory, document_type, login


def _titles(docs: DossierDocuments, scope: str, cls: str) -> list[str]:
    group = next(g for g in docs.groups if g.scope == scope)
    return [entry.document.title for entry in getattr(group, cls)]


def _mixed_dossier(customer: Customer) -> None:
    DocumentFactory(title="Quote", type_code="quote", scopes=["sales"], customers=[customer],
                    key_points={"status": "open"}, document_date=date(2025, 1, 1))
    DocumentFactory(title="Complaint", type_code="complaint", scopes=["care"],
                    customers=[customer], key_points={"status": "open"},
                    document_date=date(2025, 2, 1))
    DocumentFactory(title="Contract", type_code="contract", scopes=["sales", "care"],
                    customers=[customer], key_points={"end_date": "2999-01-01"},
                    document_date=date(2025, 3, 1))
    DocumentFactory(title="Not theirs", type_code="quote", scopes=["sales", "care"],
                    customers=[CustomerFactory()])


def test_sales_never_sees_care_only_documents(app: Flask, sales: User,
                                              customer: Customer) -> None:
    _mixed_dossier(customer)
    docs = dossier_documents(sales, customer, DossierFilters())
    assert [g.scope for g in docs.groups] == ["sales"]
    assert docs.total == 2
    assert _titles(docs, "sales", "dynamic") == ["Quote"]
    assert _titles(docs, "sales", "static") == ["Contract"]
    group = docs.groups[0]
    assert (group.dynamic_count, group.static_count) == (1, 1)
    assert all(t.code != "sla" for t in docs.document_types)  # care-only type not offered


def test_care_sees_its_own_classes(app: Flask, care: User, customer: Customer) -> None:
    _mixed_dossier(customer)
    docs = dossier_documents(care, customer, DossierFilters())
    assert [g.scope for g in docs.groups] == ["care"]
    assert docs.total == 2
    assert _titles(docs, "care", "dynamic") == ["Contract"]  # current contract: dynamic
    assert _titles(docs, "care", "static") == ["Complaint"]  # no care rule for complaints
    explanation = docs.groups[0].dynamic[0].classification.explanation
    assert explanation.startswith("dynamic for care because current contracts")


def test_a_document_in_two_scopes_appears_in_both_groups(app: Flask, admin: User,
                                                         customer: Customer) -> None:
    _mixed_dossier(customer)
    docs = dossier_documents(admin, customer, DossierFilters())
    assert [g.scope for g in docs.groups] == ["sales", "care", "loyalty"]
    assert docs.total == 3  # distinct documents
    assert "Contract" in _titles(docs, "sales", "static")
    assert "Contract" in _titles(docs, "care", "dynamic")
    assert docs.groups[2].count == 0


def test_type_and_date_filters(app: Flask, admin: User, customer: Customer) -> None:
    _mixed_dossier(customer)
    by_type = dossier_documents(admin, customer, DossierFilters(type_code="contract"))
    assert by_type.total == 1
    window = DossierFilters(date_from=date(2025, 1, 15), date_to=date(2025, 2, 28))
    assert dossier_documents(admin, customer, window).total == 1
    assert dossier_documents(admin, customer, DossierFilters(type_code="nope")).total == 0


def _many(customer: Customer, quotes: int, orders: int) -> None:
    """Bulk documents: quotes are dynamic for sales, orders static."""
    quote, order = document_type("quote"), document_type("order")
    start = date(2020, 1, 1)
    for index in range(quotes + orders):
        kind = quote if index < quotes else order
        document = Document(document_type=kind, title=f"{kind.code} {index:03d}",
                            document_date=start + timedelta(days=index), key_points={})
        document.set_scopes(["sales"])
        document.customers = [customer]
        db.session.add(document)
    db.session.flush()


@contextmanager
def _statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def test_class_filter_and_pages(app: Flask, sales: User, customer: Customer) -> None:
    _many(customer, quotes=70, orders=50)
    everything = dossier_documents(sales, customer, DossierFilters())
    assert (everything.total, everything.pages, everything.page) == (120, 3, 1)
    first = everything.groups[0]
    assert len(first.dynamic) + len(first.static) == 50
    assert (first.dynamic_count, first.static_count) == (70, 50)
    assert [e.document.title for e in first.static][:2] == ["order 119", "order 118"]

    dynamic = DossierFilters(document_class="dynamic", page=2)
    second = dossier_documents(sales, customer, dynamic)
    assert (second.total, second.pages, second.page) == (70, 2, 2)
    group = second.groups[0]
    assert len(group.dynamic) == 20 and group.static == []
    assert group.dynamic[-1].document.title == "quote 000"

    beyond = dossier_documents(sales, customer, DossierFilters(document_class="static",
                                                               page=9))
    assert (beyond.page, beyond.pages) == (1, 1)
    assert len(beyond.groups[0].static) == 50


def test_query_count_does_not_grow_with_documents(app: Flask, sales: User,
                                                  customer: Customer) -> None:
    _many(customer, quotes=70, orders=50)
    db.session.expire_all()
    assert sales.scopes and customer.id  # reload what the caller already holds
    with _statements() as statements:
        docs = dossier_documents(sales, customer, DossierFilters())
    # types, rules, the counts, the page's ids, then its documents with files and scopes
    assert len(statements) <= 7, "\n\n".join(s[:160] for s in statements)
    assert docs.total == 120


def test_the_same_statements_for_a_small_and_a_large_dossier(app: Flask, sales: User,
                                                            customer: Customer) -> None:
    small = CustomerFactory()
    _many(small, quotes=2, orders=1)
    _many(customer, quotes=70, orders=50)
    db.session.expire_all()
    assert sales.scopes and customer.id and small.id
    counts = []
    for someone in (small, customer):
        for filters in (DossierFilters(), DossierFilters(document_class="static", page=2)):
            with _statements() as statements:
                dossier_documents(sales, someone, filters)
            counts.append(len(statements))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


def test_the_class_filter_counts_per_scope(app: Flask, admin: User,
                                           customer: Customer) -> None:
    _mixed_dossier(customer)
    docs = dossier_documents(admin, customer, DossierFilters(document_class="dynamic"))
    assert docs.total == 2  # the quote (sales) and the contract (care)
    counts = {g.scope: (g.dynamic_count, g.static_count) for g in docs.groups}
    assert counts == {"sales": (1, 0), "care": (1, 0), "loyalty": (0, 0)}
    assert _titles(docs, "care", "dynamic") == ["Contract"]
    assert _titles(docs, "sales", "static") == []  # static there, so filtered out
    static = dossier_documents(admin, customer, DossierFilters(document_class="static"))
    assert static.total == 2  # the contract (sales) and the complaint (care)
    assert _titles(static, "sales", "static") == ["Contract"]


def test_the_section_renders_groups_tooltips_and_paging_links(app: Flask, sales: User,
                                                              customer: Customer) -> None:
    _many(customer, quotes=70, orders=50)
    filters = DossierFilters(document_class="dynamic", date_from=date(2019, 1, 1))
    docs = dossier_documents(sales, customer, filters)
    with app.test_request_context(f"/customers/{customer.id}"):
        html = render_template("documents/_dossier_section.html", docs=docs,
                               customer=customer)
    assert 'class="column-dynamic"' in html and 'class="column-static"' in html
    assert 'title="dynamic for sales because quotes are revised' in html
    assert "class=dynamic&amp;from=2019-01-01&amp;page=2" in html
    assert '<option value="dynamic" selected>' in html
    assert 'value="2019-01-01"' in html
    assert "Page 1 of 2" in html


def test_the_section_has_an_empty_state(app: Flask, sales: User, customer: Customer) -> None:
    DocumentFactory(title="Care secret", scopes=["care"], customers=[customer])
    docs = dossier_documents(sales, customer, DossierFilters())
    with app.test_request_context(f"/customers/{customer.id}"):
        html = render_template("documents/_dossier_section.html", docs=docs,
                               customer=customer)
    assert "There are no documents in this dossier that you may see." in html
    assert "Care secret" not in html


def test_the_dossier_page_shows_the_section_with_its_filters(client: FlaskClient, care: User,
                                                             customer: Customer) -> None:
    _mixed_dossier(customer)
    login(client, care)
    page = client.get(f"/customers/{customer.id}?class=static").get_data(as_text=True)
    assert ">Quote</a>" not in page  # sales only, also not in the contact-history timeline
    # The class filter is the document section's; the timeline above it lists every
    # document the viewer may see.
    section = page.split('id="documents"', 1)[1]
    assert ">Complaint</a>" in section
    assert ">Contract</a>" not in section  # dynamic for care, filtered out
