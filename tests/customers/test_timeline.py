"""The dossier timeline: four kinds merged newest first, filters, pages, and scopes."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from flask import Flask

from dossier.archive.items import create_item
from dossier.archive.locations import create_location
from dossier.archive.models import LocationKind
from dossier.archive.movements import check_in
from dossier.customers.timeline import customer_timeline
from dossier.customers.timeline_filters import TimelineFilters, parse_timeline_filters
from tests.customers.contact_objects import make_complaint, make_interaction
from tests.factories import CustomerFactory, DocumentFactory, UserFactory


@pytest.fixture
def dossier(app: Flask) -> dict[str, object]:
    """A customer with, per kind, something in sales and something in care."""
    customer = CustomerFactory()
    sales_call = make_interaction(customer, "sales", "phone", at=datetime(2025, 5, 1, 9))
    care_mail = make_interaction(customer, "care", "email", at=datetime(2025, 4, 1, 9))
    complaint = make_complaint(customer, "sales", interaction=sales_call,
                               at=datetime(2025, 5, 2, 9))
    care_complaint = make_complaint(customer, "care", at=datetime(2025, 4, 2, 9))
    sales_doc = DocumentFactory(scopes=["sales"], customers=[customer],
                                document_date=date(2025, 3, 1))
    care_doc = DocumentFactory(scopes=["care"], customers=[customer],
                               document_date=date(2025, 2, 1))
    DocumentFactory(scopes=["sales"], customers=[CustomerFactory()])  # someone else's
    clerk = UserFactory(roles=("clerk",))
    site = create_location(clerk, LocationKind.SITE, "Archief")
    shelf = create_location(clerk, LocationKind.SHELF, "Plank 1", site)
    item = create_item(clerk, document=sales_doc, home=shelf)
    check_in(clerk, item, at=datetime(2025, 3, 5, 9))
    care_item = create_item(clerk, document=care_doc, home=shelf)
    check_in(clerk, care_item, at=datetime(2025, 2, 5, 9))
    return {"customer": customer, "sales_call": sales_call, "care_mail": care_mail,
            "complaint": complaint, "care_complaint": care_complaint,
            "sales_doc": sales_doc, "care_doc": care_doc}


def _kinds(role: str, dossier: dict[str, object], **filters: object) -> list[tuple[str, int]]:
    timeline = customer_timeline(UserFactory(roles=(role,)), dossier["customer"],
                                 TimelineFilters(**filters))  # type: ignore[arg-type]
    assert timeline.total == len(timeline.entries) or timeline.pages > 1
    return [(entry.kind, entry.item.id) for entry in timeline.entries]


def test_sales_sees_its_own_scope_newest_first(dossier: dict[str, object]) -> None:
    kinds = _kinds("sales", dossier)
    assert [kind for kind, _ in kinds] == ["complaint", "interaction", "archive", "document"]
    assert kinds[0][1] == dossier["complaint"].id  # type: ignore[attr-defined]
    assert kinds[3][1] == dossier["sales_doc"].id  # type: ignore[attr-defined]


def test_care_never_sees_sales_contacts(dossier: dict[str, object]) -> None:
    ids = _kinds("care", dossier)
    assert ("interaction", dossier["sales_call"].id) not in ids  # type: ignore[attr-defined]
    assert ("complaint", dossier["complaint"].id) not in ids  # type: ignore[attr-defined]
    assert [kind for kind, _ in ids] == ["complaint", "interaction", "archive", "document"]


def test_clerk_sees_only_the_paper_originals(dossier: dict[str, object]) -> None:
    timeline = customer_timeline(UserFactory(roles=("clerk",)), dossier["customer"],
                                 TimelineFilters())
    assert [entry.kind for entry in timeline.entries] == ["archive", "archive"]
    assert not any(entry.document_visible for entry in timeline.entries)
    assert all(entry.item_visible for entry in timeline.entries)


def test_compliance_and_admin_see_everything(dossier: dict[str, object]) -> None:
    for role in ("compliance", "admin"):
        assert len(_kinds(role, dossier)) == 8


@pytest.mark.parametrize(("filters", "expected"), [
    ({"kind": "interaction"}, ["interaction", "interaction"]),
    ({"kind": "document"}, ["document", "document"]),
    ({"channel": "phone"}, ["complaint", "interaction"]),  # the complaint was raised by phone
    ({"channel": "email"}, ["interaction"]),
    ({"scope": "care"}, ["complaint", "interaction", "archive", "document"]),
    ({"scope": "care", "kind": "archive"}, ["archive"]),
])
def test_filters(dossier: dict[str, object], filters: dict[str, str],
                 expected: list[str]) -> None:
    assert [kind for kind, _ in _kinds("admin", dossier, **filters)] == expected


def test_scope_filter_cannot_widen_what_one_sees(dossier: dict[str, object]) -> None:
    assert _kinds("sales", dossier, scope="care") == []


def test_pages(dossier: dict[str, object]) -> None:
    admin = UserFactory(roles=("admin",))
    everything = customer_timeline(admin, dossier["customer"], TimelineFilters())
    pages = [customer_timeline(admin, dossier["customer"], TimelineFilters(page=page),
                               per_page=3) for page in (1, 2, 3, 99)]
    assert [page.pages for page in pages] == [3, 3, 3, 3]
    assert [len(page.entries) for page in pages] == [3, 3, 2, 2]  # past the end: the last
    assert pages[3].page == 3
    paged = [entry.item.id for page in pages[:3] for entry in page.entries]
    assert paged == [entry.item.id for entry in everything.entries]


def test_linked_documents_are_shown_only_when_visible(dossier: dict[str, object]) -> None:
    call = dossier["sales_call"]
    call.documents = [dossier["sales_doc"], dossier["care_doc"]]  # type: ignore[attr-defined]
    sales = UserFactory(roles=("sales",))
    timeline = customer_timeline(sales, dossier["customer"], TimelineFilters(kind="interaction"))
    [entry] = timeline.entries
    assert [d.id for d in entry.documents] == [dossier["sales_doc"].id]  # type: ignore[attr-defined]


def test_an_empty_dossier(app: Flask) -> None:
    timeline = customer_timeline(UserFactory(roles=("sales",)), CustomerFactory(),
                                 TimelineFilters())
    assert (timeline.total, timeline.pages, timeline.page, timeline.entries) == (0, 0, 1, [])


def test_filters_from_the_query_string(app: Flask) -> None:
    with app.test_request_context():
        filters, problems = parse_timeline_filters(
            {"tl_channel": "email", "tl_scope": "care", "tl_kind": "complaint", "tl_page": "2"})
        assert problems == []
        assert filters == TimelineFilters("email", "care", "complaint", 2)
        assert filters.as_args() == {"tl_channel": "email", "tl_scope": "care",
                                     "tl_kind": "complaint"}
        filters, problems = parse_timeline_filters(
            {"tl_channel": "<b>", "tl_scope": "x", "tl_kind": "y", "tl_page": "0"})
        assert filters == TimelineFilters() and len(problems) == 4


def test_a_complaint_comes_above_the_contact_it_was_raised_in(app: Flask) -> None:
    customer = CustomerFactory()
    moment = datetime(2025, 8, 1, 10)
    contact = make_interaction(customer, "care", at=moment)
    make_complaint(customer, "care", interaction=contact, at=moment)
    timeline = customer_timeline(UserFactory(roles=("care",)), customer, TimelineFilters())
    assert [entry.kind for entry in timeline.entries] == ["complaint", "interaction"]
