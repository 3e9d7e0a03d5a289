"""Fixtures for the customer tests: a clean login rate limit and users per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from dossier.auth.models import User
from tests.factories import UserFactory, login


@pytest.fixture
def login_as(client: FlaskClient) -> Callable[..., User]:
    """login_as("sales") creates a user with those roles and signs the client in."""

    def sign_in(*roles: str) -> User:
        user = UserFactory(roles=roles)
        login(client, user)
        return user

    return sign_in
