"""The token pages: create (shown once), list, revoke own; administrators revoke anyone's."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from dossier.api.models import ApiToken
from dossier.api.tokens import authenticate, issue_token
from dossier.extensions import db
from tests.factories import UserFactory, login

URL = "/account/api-tokens/"


def _secret(page: str) -> str:
    found = re.search(r"dos_[A-Za-z0-9_-]{20,}", page)
    assert found, page[:2000]
    return found.group(0)


def test_a_new_token_is_shown_once_and_then_works(client: FlaskClient) -> None:
    user = UserFactory(roles=("sales",))
    login(client, user)
    created = client.post(URL, data={"name": "webshop", "expires_on": "2099-12-31"})
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "private, no-store"
    secret = _secret(created.get_data(as_text=True))
    assert authenticate(secret) is not None
    listing = client.get(URL).get_data(as_text=True)
    assert "webshop" in listing and secret not in listing and secret[:12] in listing
    response = client.get("/api/v1/customers", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200


def test_a_token_needs_a_name_and_a_future_date(client: FlaskClient) -> None:
    login(client, UserFactory(roles=("sales",)))
    assert client.post(URL, data={"name": ""}).status_code == 422
    past = client.post(URL, data={"name": "x", "expires_on": "2000-01-01"})
    assert past.status_code == 422 and "after today" in past.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_users_revoke_their_own_tokens_but_not_others(client: FlaskClient) -> None:
    user, other = UserFactory(roles=("sales",)), UserFactory(roles=("care",))
    mine, _raw = issue_token(user, "mine", None)
    theirs, _raw2 = issue_token(other, "theirs", None)
    login(client, user)
    assert client.post(f"{URL}{theirs.id}/revoke").status_code == 403
    assert client.post(f"{URL}{mine.id}/revoke").status_code == 302
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert "theirs" not in client.get(URL).get_data(as_text=True)


def test_the_revoke_button_asks_for_confirmation(client: FlaskClient) -> None:
    user = UserFactory(roles=("sales",))
    issue_token(user, "mine", None)
    login(client, user)
    assert "data-confirm=" in client.get(URL).get_data(as_text=True)


def test_admins_see_and_revoke_everyones_tokens(client: FlaskClient) -> None:
    other = UserFactory(roles=("care",))
    theirs, _raw = issue_token(other, "leaked", None)
    login(client, UserFactory(roles=("admin",)))
    assert "leaked" in client.get(f"{URL}all").get_data(as_text=True)
    response = client.post(f"{URL}{theirs.id}/revoke?back=all")
    assert response.status_code == 302 and response.headers["Location"].endswith("/all")
    assert theirs.revoked_at is not None


def test_only_admins_see_everyones_tokens(client: FlaskClient) -> None:
    login(client, UserFactory(roles=("compliance",)))
    assert client.get(f"{URL}all").status_code == 403
