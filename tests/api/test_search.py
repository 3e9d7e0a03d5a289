"""GET /api/v1/search accepts API tokens, with the same output as for the session."""

from __future__ import annotations

from flask.testing import FlaskClient

from dossier import search
from dossier.extensions import db
from tests.api.conftest import CallerFactory
from tests.factories import CustomerFactory, login


def test_a_token_searches_like_the_session(caller: CallerFactory, client: FlaskClient) -> None:
    CustomerFactory(last_name="Zoekenaar")
    db.session.commit()
    search.rebuild()  # the factory's customer is not indexed on its own
    db.session.commit()
    api = caller("sales")
    by_token = api.get("/api/v1/search", query_string={"q": "Zoekenaar"})
    assert by_token.status_code == 200, by_token.get_json()
    login(client, api.user)
    by_session = client.get("/api/v1/search", query_string={"q": "Zoekenaar"})
    assert by_token.get_json() == by_session.get_json()
    assert next(c["name"] for c in by_token.get_json()["customers"]).endswith("Zoekenaar")


def test_a_bad_token_gets_401(client: FlaskClient) -> None:
    response = client.get("/api/v1/search", query_string={"q": "x"},
                          headers={"Authorization": "Bearer dos_nope"})
    assert response.status_code == 401 and response.is_json


def test_unknown_filter_values_are_refused_not_dropped(caller: CallerFactory) -> None:
    response = caller("sales").get("/api/v1/search", query_string={"q": "x", "scope": "Sales"})
    assert response.status_code == 400
    assert "scope=Sales" in response.get_json()["message"]
