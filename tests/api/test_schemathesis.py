"""Schemathesis against the real app on a committed database: for every operation of the
OpenAPI document, generated calls with a valid token get no server error, and every answer
(status, content type, headers, body) is one the document describes.

Bounded (a few examples per operation, no example database) so it stays well within two
minutes; the app runs in-process as WSGI.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from dossier import search
from dossier.api.tokens import issue_token
from dossier.customers.interaction_models import Interaction
from dossier.documents.file_store import FileStore
from dossier.documents.models import DigitalFile
from dossier.extensions import db, limiter
from dossier.search.backends import reset_backend
from tests.conftest import build_app, migrate_and_seed
from tests.factories import CustomerFactory, DocumentFactory, UserFactory
from tests.support.databases import fresh_database

pytestmark = pytest.mark.committed
MAX_EXAMPLES = 25  # per operation and mode: the whole run stays well under two minutes
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_headers_conformance,
          checks.response_schema_conformance, checks.ignored_auth]


@pytest.fixture(scope="module")
def api_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """An app on its own committed database with a few customers, documents (with files)
    and interactions, and an administrator's token."""
    data_dir = tmp_path_factory.mktemp("schemathesis")
    with fresh_database(data_dir) as url:
        app = build_app(url, data_dir, API_RATE_LIMIT="100000 per minute")
        migrate_and_seed(app)
        with app.app_context():
            raw = _fill(data_dir / "files")
        limiter.reset()
        yield app, raw
        reset_backend(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _fill(store_root: Path) -> str:
    admin = UserFactory(roles=("admin",))
    store = FileStore(store_root)
    for n in range(3):
        customer = CustomerFactory()
        document = DocumentFactory(scopes=["sales", "care"][: n % 2 + 1], customers=[customer],
                                   key_points={"direction": "incoming"})
        stored = store.store(io.BytesIO(f"Brief {n}\n".encode()))
        db.session.add(DigitalFile(document=document, sha256=stored.sha256,
                                   original_name=f"brief{n}.txt", mime_type=stored.mime_type,
                                   size_bytes=stored.size))
        db.session.add(Interaction(customer_id=customer.id, channel="phone",
                                   direction="inbound", subject=f"Vraag {n}", scope="care"))
    _token, raw = issue_token(admin, "schemathesis", None)
    db.session.commit()
    search.rebuild()  # built now, so searches are answered rather than told to wait
    db.session.commit()
    return raw


@pytest.fixture(scope="module")
def api_schema(api_world: tuple[Flask, str]) -> Any:
    app, raw = api_world
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app,
                                          headers={"Authorization": f"Bearer {raw}"})


def _operations() -> list[Any]:
    import dossier.api.views  # noqa: F401  (declares the operations)
    from dossier.api.spec import OPERATIONS

    return [pytest.param(op.method, op.path, id=f"{op.method} {op.path}") for op in OPERATIONS]


# Schemathesis' own pytest loader (`from_fixture`) touches a pytest internal that pytest 9
# removed, so each operation is its own parametrized case, run through Hypothesis here.
@pytest.mark.parametrize("mode", list(GenerationMode), ids=str)
@pytest.mark.parametrize(("method", "path"), _operations())
def test_the_api_keeps_to_its_openapi_document(api_schema: Any, api_world: tuple[Flask, str],
                                               method: str, path: str,
                                               mode: GenerationMode) -> None:
    """Positive: calls that fit the document; negative: calls that break it (those must
    be refused with a documented 4xx, never a 5xx)."""
    _app, raw = api_world
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def call(case: Any) -> None:
        extra = [checks.negative_data_rejection] if mode == GenerationMode.NEGATIVE else []
        case.call_and_validate(headers={"Authorization": f"Bearer {raw}"},
                               checks=[*CHECKS, *extra])

    call()
