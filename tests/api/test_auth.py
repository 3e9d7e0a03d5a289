"""Token authentication: bearer tokens work, revoked/expired/disabled ones do not; the
session works too but needs CSRF for changes; calls are rate limited; errors are JSON."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.api.models import ApiToken
from dossier.api.tokens import authenticate, hash_token, issue_token, revoke_token
from dossier.auth.models import utcnow
from dossier.compliance.models import AuditEvent
from dossier.extensions import db, limiter
from tests.api.conftest import CallerFactory
from tests.factories import CustomerFactory, UserFactory, login

URL = "/api/v1/customers"


def test_a_valid_token_reads_customers(caller: CallerFactory) -> None:
    CustomerFactory(last_name="Jansen")
    response = caller("sales").get(URL)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["total"] >= 1


def test_only_the_hash_and_a_prefix_are_stored(app: Flask) -> None:
    user = UserFactory(roles=("sales",))
    token, raw = issue_token(user, "webshop", None)
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash
    assert raw.startswith(token.prefix) and len(token.prefix) < len(raw) // 2
    stored = db.session.execute(select(ApiToken.__table__)).mappings().one()
    assert raw not in {str(value) for value in stored.values()}


@pytest.mark.parametrize("header", [None, "Bearer", "Basic dXNlcjpwYXNz", "Bearer dos_wrong",
                                    "Bearer not-even-a-token", "Bearer " + "x" * 5000])
def test_missing_or_wrong_credentials_get_401_json(client: FlaskClient, header: str | None
                                                   ) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = client.get(URL, headers=headers)
    assert response.status_code == 401
    assert response.is_json and response.get_json()["error"] == "Unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working(caller: CallerFactory) -> None:
    api = caller("sales")
    assert api.get(URL).status_code == 200
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == api.user.id))
    revoke_token(api.user, token)
    response = api.get(URL)
    assert response.status_code == 401
    assert "revoked" in response.get_json()["message"]


def test_an_expired_token_stops_working(app: Flask, caller: CallerFactory) -> None:
    api = caller("sales")
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == api.user.id))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()
    assert api.get(URL).status_code == 401


def test_a_token_works_through_its_last_day(app: Flask) -> None:
    user = UserFactory(roles=("sales",))
    today = utcnow().date()
    token, raw = issue_token(user, "short", today + timedelta(days=1))
    assert authenticate(raw) is token
    end_of_last_day = token.expires_at - timedelta(seconds=1)  # type: ignore[operator]
    assert authenticate(raw, now=end_of_last_day) is token
    assert authenticate(raw, now=token.expires_at) is None


def test_a_disabled_users_tokens_stop_working(caller: CallerFactory) -> None:
    api = caller("sales")
    api.user.active = False
    db.session.flush()
    assert api.get(URL).status_code == 401


def test_a_token_carries_its_users_current_roles(caller: CallerFactory) -> None:
    api = caller("clerk")
    assert api.post(URL, json={"last_name": "Nieuw"}).status_code == 403
    api.user.set_roles({"sales"})
    db.session.commit()
    assert api.post(URL, json={"last_name": "Nieuw"}).status_code == 201


def test_last_use_is_recorded(caller: CallerFactory) -> None:
    api = caller("sales")
    api.get(URL)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == api.user.id))
    assert token.last_used_at is not None


def test_a_user_without_roles_gets_403(caller: CallerFactory) -> None:
    response = caller().get(URL)
    assert response.status_code == 403 and response.is_json


def test_token_calls_need_no_csrf_token(app: Flask, caller: CallerFactory,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = caller("sales").post(URL, json={"last_name": "Zonder"})
    assert response.status_code == 201, response.get_json()


def test_session_calls_that_change_data_need_the_csrf_token(
        app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    login(client, UserFactory(roles=("sales",)))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.get(URL).status_code == 200  # reading needs no token
    refused = client.post(URL, json={"last_name": "Vals"})
    assert refused.status_code == 400 and refused.is_json
    assert "X-CSRFToken" in refused.get_json()["message"]
    with client.session_transaction() as session:
        session.pop("csrf_token", None)
    with app.test_request_context():
        from flask_wtf.csrf import generate_csrf

        token = generate_csrf()
        from flask import session as request_session

        raw = request_session["csrf_token"]
    with client.session_transaction() as session:
        session["csrf_token"] = raw
    accepted = client.post(URL, json={"last_name": "Echt"}, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.get_json()


def test_calls_are_rate_limited_per_token(app: Flask, caller: CallerFactory,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    limiter.reset()
    first, second = caller("sales"), caller("sales")
    assert [first.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get(URL)
    assert refused.status_code == 429 and refused.is_json
    assert second.get(URL).status_code == 200  # another token has its own allowance


def test_token_calls_are_audited_in_the_users_name(caller: CallerFactory) -> None:
    customer = CustomerFactory()
    api = caller("care")
    api.get(f"{URL}/{customer.id}")
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.customer_id == customer.id, AuditEvent.action == "view")).one()
    assert event.actor_id == api.user.id
    assert event.details["api_token"].startswith("dos_")


def test_issuing_and_revoking_are_audited(app: Flask) -> None:
    user = UserFactory(roles=("sales",))
    token, _raw = issue_token(user, "n8n", date.today() + timedelta(days=30))
    revoke_token(user, token)
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "ApiToken")).all()
    assert sorted(actions) == ["create", "update"]


def test_token_calls_start_no_session(caller: CallerFactory) -> None:
    response = caller("sales").get(URL)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


def test_a_method_the_api_does_not_take_gets_405_json(caller: CallerFactory) -> None:
    response = caller("admin").delete(URL)
    assert response.status_code == 405 and response.is_json
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_an_unknown_api_path_gets_404_json(caller: CallerFactory) -> None:
    response = caller("sales").get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.is_json
