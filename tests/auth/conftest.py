"""Fixtures for the auth tests: a clean login rate limit and ready-made users."""

from __future__ import annotations

import pytest

from dossier.auth.models import User
from tests.factories import UserFactory


@pytest.fixture
def admin(app) -> User:
    return UserFactory(username="boss", full_name="Anna Admin", roles=("admin",))


@pytest.fixture
def clerk(app) -> User:
    return UserFactory(username="clerk1", full_name="Carl Clerk", roles=("clerk",))
