"""GET /api/v1/search: JSON results for the signed-in session, JSON errors, no leaks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.auth.models import User
from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.factories import UserFactory, login
from tests.search.corpus import Corpus

URL = "/api/v1/search"
LoginAs = Callable[..., User]


@pytest.fixture
def login_as(client: FlaskClient, app: Flask) -> LoginAs:
    def sign_in(*roles: str) -> User:
        user = UserFactory(roles=roles)
        login(client, user)
        return user
    return sign_in


def test_anonymous_gets_401_json_not_the_login_redirect(client: FlaskClient) -> None:
    response = client.get(URL, query_string={"q": "offerte"})
    assert response.status_code == 401
    assert response.is_json and "Log in first" in response.get_json()["message"]


def test_a_user_without_roles_gets_403_json(client: FlaskClient, login_as: LoginAs) -> None:
    login_as()
    response = client.get(URL, query_string={"q": "offerte"})
    assert response.status_code == 403 and response.is_json


def test_hits_come_as_json_with_escaped_snippets(client: FlaskClient, login_as: LoginAs,
                                                 corpus: Corpus) -> None:
    customer = corpus.customer("Jansen", "Marieke", number="420001")
    document = corpus.document('<b>Offerte</b> "dak"', 'hierbij <script>x()</script> '
                               "de offerte voor zonnepanelen", type_code="quote",
                               customers=[customer], on=date(2025, 3, 14))
    corpus.document("Servicemelding", "zonnepanelen lekken", type_code="service_call",
                    scopes=["care"])
    corpus.sync()
    login_as("sales")
    response = client.get(URL, query_string={"q": "zonnepanelen"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    body = response.get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["query"] == "zonnepanelen"
    [hit] = body["hits"]
    assert hit["id"] == document.id and hit["title"] == '<b>Offerte</b> "dak"'
    assert hit["type"] == "quote" and hit["date"] == "2025-03-14"
    assert hit["customers"] == [{"id": customer.id, "number": "420001",
                                 "name": "Marieke Jansen"}]
    assert "&lt;" in hit["snippet"] and "<script>" not in hit["snippet"]
    assert "<mark>zonnepanelen</mark>" in hit["snippet"]
    assert body["facets"]["scope"] == {"sales": 1}


def test_pages_and_per_page(client: FlaskClient, login_as: LoginAs, corpus: Corpus) -> None:
    for n in range(5):
        corpus.document(f"Melding {n}", "storing warmtepomp", on=date(2025, 1, 1 + n))
    corpus.sync()
    login_as("sales")
    body = client.get(URL, query_string={"q": "warmtepomp", "per_page": 2, "page": 3,
                                         "order": "date"}).get_json()
    assert (body["total"], body["pages"], body["page"], body["per_page"]) == (5, 3, 3, 2)
    assert [hit["title"] for hit in body["hits"]] == ["Melding 0"]
    assert client.get(URL, query_string={"q": "warmtepomp", "per_page": 100}).status_code == 200


@pytest.mark.parametrize(("params", "message"), [
    ({"q": 'offerte "zonne'}, "quote is not closed"),
    ({"q": "type:"}, "needs a value"),
    ({"q": ""}, "Give a query"),
    ({"q": "x", "per_page": "101"}, "per_page must be"),
    ({"q": "x", "per_page": "0"}, "per_page must be"),
    ({"q": "x", "page": "zero"}, "page must be"),
    ({"q": "x", "order": "popular"}, "order must be one of: relevance, date"),
])
def test_bad_requests_get_400_json_with_what_to_change(
    client: FlaskClient, login_as: LoginAs, search_backend: str, params: dict[str, str],
    message: str,
) -> None:
    login_as("sales")
    response = client.get(URL, query_string=params)
    assert response.status_code == 400
    assert response.is_json and message in response.get_json()["message"]


def test_a_clerk_gets_customers_and_no_documents(client: FlaskClient, login_as: LoginAs,
                                                 corpus: Corpus) -> None:
    customer = corpus.customer("Verbeek", "Joost")
    corpus.document("Offerte Verbeek", "offerte voor Verbeek", scopes=["sales", "care"],
                    customers=[customer])
    corpus.sync()
    login_as("clerk")
    body = client.get(URL, query_string={"q": "Verbeek"}).get_json()
    assert body["hits"] == [] and body["total"] == 0 and body["facets"] == {}
    assert [c["id"] for c in body["customers"]] == [customer.id]


def test_each_api_search_is_audited(client: FlaskClient, login_as: LoginAs,
                                    corpus: Corpus) -> None:
    corpus.document("Offerte", "zonnepanelen")
    corpus.sync()
    user = login_as("care")
    client.get(URL, query_string={"q": "zonnepanelen"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.actor_id == user.id,
                                                       AuditEvent.action == "search"))
    assert event is not None and event.details["query"] == "zonnepanelen"
