"""The search page: results with escaped snippets, facets, pages, order, messages, roles, audit."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.auth.models import User
from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from dossier.search.locks import rebuild_lock
from tests.factories import UserFactory, login
from tests.search.corpus import Corpus

HOSTILE_TITLE = '<script>alert("title")</script> Offerte zonnepanelen'
HOSTILE_TEXT = ('Geachte heer, <script>alert("ocr")</script> hierbij de offerte voor '
                'zonnepanelen <img src=x onerror=alert(1)> op het dak.')

LoginAs = Callable[..., User]


@pytest.fixture
def login_as(client: FlaskClient, app: Flask) -> LoginAs:
    def sign_in(*roles: str) -> User:
        user = UserFactory(roles=roles)
        login(client, user)
        return user
    return sign_in


def _page(client: FlaskClient, **params: object) -> str:
    response = client.get("/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _document_links(page: str) -> list[int]:
    """Document ids in the order the hits list them."""
    return [int(n) for n in re.findall(
        r'class="document-hit-title"><a href="/documents/(\d+)">', page)]


def _hrefs(page: str, css_class: str) -> list[str]:
    return [html_lib.unescape(href) for href in re.findall(
        rf'<a class="{css_class}[^"]*" href="([^"]+)"', page)]


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_before_a_search_the_page_gives_tips_and_no_results(client: FlaskClient,
                                                            login_as: LoginAs) -> None:
    login_as("sales")
    page = _page(client)
    assert "What you can find here" in page
    assert 'class="document-hits"' not in page
    assert "How to search" in page and "datum:2025-01..2025-06" in page


def test_anonymous_visitors_are_sent_to_the_login_page(client: FlaskClient) -> None:
    response = client.get("/search?q=offerte")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


def test_a_user_without_roles_may_not_search(client: FlaskClient, login_as: LoginAs) -> None:
    login_as()
    assert client.get("/search?q=offerte").status_code == 403


def test_a_hit_links_to_its_document_and_customers_and_shows_type_date_and_badges(
    client: FlaskClient, login_as: LoginAs, corpus: Corpus,
) -> None:
    customer = corpus.customer("Jansen", "Marieke", number="410001")
    quote = corpus.document("Offerte zonnepanelen", "De offerte voor zonnepanelen op het dak",
                            type_code="quote", customers=[customer], on=date(2025, 3, 14),
                            paper=True)
    corpus.sync()
    login_as("sales")
    page = _page(client, q="zonnepanelen")
    assert _document_links(page) == [quote.id]
    hit = page.split(f'data-document-id="{quote.id}"', 1)[1].split("</li>", 1)[0]
    assert "Quote" in hit and "Mar 14, 2025" in hit
    assert "badge-class-" in hit and "badge-storage-hybrid" in hit
    assert "Paper original in the archive" in hit
    assert f'<a href="/customers/{customer.id}">Marieke Jansen</a>' in hit
    assert "<mark>zonnepanelen</mark>" in hit


def test_hostile_ocr_text_and_titles_are_escaped(client: FlaskClient, login_as: LoginAs,
                                                 corpus: Corpus) -> None:
    corpus.document(HOSTILE_TITLE, HOSTILE_TEXT, type_code="quote")
    corpus.sync()
    login_as("sales")
    page = _page(client, q="zonnepanelen")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in page
    snippet = page.split('class="document-hit-snippet">', 1)[1].split("</p>", 1)[0]
    assert "&lt;/script&gt;" in snippet and "&lt;img src=x" in snippet
    assert set(re.findall(r"<(/?\w+)", snippet)) <= {"mark", "/mark"}


def test_matching_customers_come_first_with_number_and_address(
    client: FlaskClient, login_as: LoginAs, corpus: Corpus,
) -> None:
    customer = corpus.customer("Pieterse", "Anna", number="410002", street="Kerkstraat",
                               house_number="12", postcode="3511 AB", city="Utrecht")
    corpus.document("Brief aan Pieterse", "Beste mevrouw Pieterse", customers=[customer])
    corpus.sync()
    login_as("care")  # the letter is a sales document: care finds the customer only
    page = _page(client, q="Pieterse")
    section = page.split('class="search-customers"', 1)[1].split("</section>", 1)[0]
    assert f'href="/customers/{customer.id}">Anna Pieterse</a>' in section
    assert "410002" in section and "Kerkstraat 12" in section and "3511 AB Utrecht" in section
    assert _document_links(page) == []


def test_facets_count_and_toggle_filters_keeping_the_query(
    client: FlaskClient, login_as: LoginAs, corpus: Corpus,
) -> None:
    quotes = [corpus.document(f"Offerte {n}", "kozijnen vervangen", type_code="quote")
              for n in range(2)]
    order = corpus.document("Order", "kozijnen besteld", type_code="order")
    corpus.sync()
    login_as("sales")
    page = _page(client, q="kozijnen", order="date")
    facet_links = _hrefs(page, "facet-value")
    quote_link = next(url for url in facet_links if _params(url).get("type") == ["quote"])
    assert _params(quote_link) == {"q": ["kozijnen"], "type": ["quote"], "order": ["date"]}
    assert re.search(r"Quote</span>\s*<span class=\"facet-count\">2</span>", page)

    narrowed = _page(client, **_flat(_params(quote_link)))
    assert sorted(_document_links(narrowed)) == sorted(d.id for d in quotes)
    assert 'value="kozijnen"' in narrowed
    chip = re.search(r'<a class="chip" href="([^"]+)"', narrowed)
    assert chip and _params(html_lib.unescape(chip[1])) == {"q": ["kozijnen"],
                                                            "order": ["date"]}
    active = _hrefs(narrowed, "facet-value active")
    assert active and "type" not in _params(active[0])  # clicking it again removes it
    both = _page(client, q="kozijnen", type=["quote", "order"])
    assert sorted(_document_links(both)) == sorted([*(d.id for d in quotes), order.id])


def _flat(params: dict[str, list[str]]) -> dict[str, str | list[str]]:
    return {key: values[0] if len(values) == 1 else values for key, values in params.items()}


def test_pages_keep_query_filters_and_order(client: FlaskClient, login_as: LoginAs,
                                            corpus: Corpus) -> None:
    documents = [corpus.document(f"Melding {n:02}", "storing aan de warmtepomp",
                                 type_code="correspondence", on=date(2025, 1, 1 + n))
                 for n in range(23)]
    corpus.sync()
    login_as("sales")
    first = _page(client, q="warmtepomp", type="correspondence", order="date")
    assert "23 documents found" in first
    newest_first = [d.id for d in reversed(documents)]
    assert _document_links(first) == newest_first[:20]
    next_link = html_lib.unescape(re.search(r'<a href="([^"]+)" rel="next">', first)[1])
    assert _params(next_link) == {"q": ["warmtepomp"], "type": ["correspondence"],
                                  "order": ["date"], "page": ["2"]}
    second = _page(client, **_flat(_params(next_link)))
    assert _document_links(second) == newest_first[20:]
    assert 'aria-current="page">2</strong>' in second and 'rel="next"' not in second
    beyond = _page(client, q="warmtepomp", page=9)
    assert "past the last page" in beyond


def test_order_toggle_switches_between_best_match_and_newest(
    client: FlaskClient, login_as: LoginAs, corpus: Corpus,
) -> None:
    old = corpus.document("Dakgoot dakgoot dakgoot", "dakgoot dakgoot dakgoot",
                          on=date(2020, 1, 1))
    new = corpus.document("Brief", "over de dakgoot", on=date(2025, 6, 1))
    corpus.sync()
    login_as("sales")
    page = _page(client, q="dakgoot")
    assert '<strong aria-current="true">Best match</strong>' in page
    link = html_lib.unescape(re.search(r'<a href="([^"]+)">Newest first</a>', page)[1])
    assert _params(link) == {"q": ["dakgoot"], "order": ["date"]}
    assert _document_links(_page(client, q="dakgoot", order="date")) == [new.id, old.id]


def test_a_malformed_query_shows_the_message_above_the_box_with_the_query_kept(
    client: FlaskClient, login_as: LoginAs, search_backend: str,
) -> None:
    user = login_as("sales")
    page = _page(client, q='offerte "zonne')
    error = re.search(r'<p class="flash flash-error search-error" id="search-error" '
                      r'role="alert">([^<]+)</p>', page)
    assert error and "quote is not closed" in error[1]
    assert page.index("search-error") < page.index('id="search-q"')
    assert 'value="offerte &#34;zonne"' in page and 'aria-invalid="true"' in page
    assert _audit_events(user) == []


def test_an_unknown_type_in_the_url_says_so_and_can_be_taken_off(
    client: FlaskClient, login_as: LoginAs, search_backend: str,
) -> None:
    login_as("sales")
    page = _page(client, q="offerte", type="brochure")
    assert "Unknown document type brochure" in page
    chip = re.search(r'<a class="chip" href="([^"]+)"', page)
    assert chip and _params(html_lib.unescape(chip[1])) == {"q": ["offerte"]}


def test_a_banner_says_when_the_index_is_being_rebuilt(client: FlaskClient, login_as: LoginAs,
                                                      corpus: Corpus) -> None:
    corpus.document("Offerte", "zonnepanelen", type_code="quote")
    corpus.sync()
    login_as("sales")
    assert "search-notice" not in _page(client, q="zonnepanelen")
    with rebuild_lock(wait=False) as held:
        assert held
        page = _page(client, q="zonnepanelen")
    notice = page.split('class="flash flash-warning search-notice" role="status">', 1)[1]
    assert notice.startswith("The search index is being rebuilt")
    assert len(_document_links(page)) == 1


def test_no_results_suggest_what_to_change(client: FlaskClient, login_as: LoginAs,
                                           corpus: Corpus) -> None:
    corpus.document("Offerte", "zonnepanelen", type_code="quote")
    corpus.sync()
    login_as("sales")
    page = _page(client, q="zonnepanelen", type="invoice")
    assert "Nothing found for zonnepanelen." in page
    assert "Search again without the filters" in page
    assert "Check the spelling" in page


def test_a_clerk_finds_customers_but_never_documents(client: FlaskClient, login_as: LoginAs,
                                                     corpus: Corpus) -> None:
    customer = corpus.customer("Verbeek", "Joost")
    corpus.document("Offerte Verbeek", "offerte voor Verbeek", type_code="quote",
                    scopes=["sales", "care", "loyalty"], customers=[customer])
    corpus.sync()
    login_as("clerk")
    page = _page(client, q="Verbeek")
    assert f'href="/customers/{customer.id}">Joost Verbeek</a>' in page
    assert "Offerte Verbeek" not in page and "/documents/" not in page
    assert "search-facets" not in page and "documents found" not in page
    assert "1 customer found" in page
    assert 'class="chip"' not in _page(client, q="Verbeek", type="quote")
    assert "type:" not in _page(client).split('class="search-help"', 1)[1]


def test_every_search_writes_an_audit_event(client: FlaskClient, login_as: LoginAs,
                                            corpus: Corpus) -> None:
    corpus.document("Offerte", "zonnepanelen", type_code="quote")
    corpus.sync()
    user = login_as("sales")
    _page(client, q="zonnepanelen")
    _page(client, q="zonnepanelen", page=2)
    events = _audit_events(user)
    assert len(events) == 2
    assert events[0].details["query"] == "zonnepanelen"


def test_search_is_offered_in_the_header_but_not_on_its_own_page(
    client: FlaskClient, login_as: LoginAs,
) -> None:
    login_as("clerk")
    customers = client.get("/customers/").get_data(as_text=True)
    assert 'class="topbar-search"' in customers and 'title="Search customers"' in customers
    assert 'class="topbar-search"' not in _page(client)
    assert '<a href="/search"' in customers  # the navigation entry


def _audit_events(user: User) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.actor_id == user.id, AuditEvent.action == "search").order_by(AuditEvent.id)))


def test_the_page_speaks_dutch(client: FlaskClient, corpus: Corpus) -> None:
    corpus.document("Offerte", "zonnepanelen", type_code="quote", paper=True)
    corpus.sync()
    login(client, UserFactory(roles=["sales"], locale="nl"))
    page = _page(client, q="zonnepanelen")
    for text in ("Zoeken", "Zo zoekt u", "1 document gevonden", "Verfijnen", "Offerte",
                 "Papieren origineel in het archief", "Domein"):
        assert text in page, text
    assert "Nothing found" not in page and "How to search" not in page
