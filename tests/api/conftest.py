"""Fixtures for the JSON API: users with tokens, and a client that sends a token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from dossier.api.tokens import issue_token
from dossier.auth.models import User
from dossier.extensions import db
from tests.factories import UserFactory


@dataclass
class Caller:
    """A user with an API token, calling through the test client."""

    client: FlaskClient
    user: User
    token: str

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} | (extra or {})

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.get(url, headers=self.headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.post(url, headers=self.headers(kwargs.pop("headers", None)), **kwargs)

    def delete(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.delete(url, headers=self.headers(kwargs.pop("headers", None)),
                                  **kwargs)

    def patch(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.patch(url, headers=self.headers(kwargs.pop("headers", None)),
                                 **kwargs)


CallerFactory = Callable[..., Caller]


@pytest.fixture
def caller(app: Flask) -> CallerFactory:
    """caller("sales") -> a new user with only these roles, holding a fresh token."""

    def make(*roles: str, user: User | None = None) -> Caller:
        owner = user or UserFactory(roles=roles)
        _token, raw = issue_token(owner, "test", None)
        db.session.commit()  # an API error rolls back the request: keep the token
        return Caller(app.test_client(), owner, raw)

    return make
