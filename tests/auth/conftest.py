"""Fixtures for the auth tests: a clean login rate limit and ready-made users."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dossier.auth.models import User
from dossier.extensions import limiter
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limit(app) -> Iterator[None]:
    """Login attempts count per address across tests; start and end each test at zero."""
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def admin(app) -> User:
    return UserFactory(username="boss", full_name="Anna Admin", roles=("admin",))


@pytest.fixture
def clerk(app) -> User:
    return UserFactory(username="clerk1", full_name="Carl Clerk", roles=("clerk",))
