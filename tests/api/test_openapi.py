"""The OpenAPI document covers every API route, and the docs page shows every operation."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from dossier.api.spec import OPERATIONS
from tests.api.conftest import CallerFactory
from tests.factories import UserFactory, login

UNDOCUMENTED = {"api.openapi_json", "api.docs"}  # the document and its page themselves


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule).removeprefix("/api/v1")


def test_every_api_route_is_in_the_document_and_nothing_else(app: Flask,
                                                              caller: CallerFactory) -> None:
    served = {(method, _openapi_path(rule.rule), rule.endpoint)
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              and rule.endpoint not in UNDOCUMENTED
              for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    declared = {(op.method, op.path, op.endpoint) for op in OPERATIONS}
    assert served == declared
    document = caller("sales").get("/api/v1/openapi.json").get_json()
    in_document = {(method.upper(), path) for path, item in document["paths"].items()
                   for method in item}
    assert in_document == {(method, path) for method, path, _endpoint in served}


def test_the_document_names_the_bearer_scheme_and_the_missing_access_requests(
        caller: CallerFactory) -> None:
    document = caller("sales").get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer"}
    assert "Access requests" in document["info"]["description"]
    upload = document["paths"]["/documents"]["post"]["requestBody"]["content"]
    assert upload["multipart/form-data"]["schema"] == {
        "$ref": "#/components/schemas/DocumentUpload"}


def test_the_document_needs_credentials(client: FlaskClient) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 401


def test_the_docs_page_lists_each_operation_with_its_parameters(client: FlaskClient) -> None:
    login(client, UserFactory(roles=("care",)))
    page = client.get("/api/v1/docs").get_data(as_text=True)
    for operation in OPERATIONS:
        assert f"{operation.method} /api/v1{operation.path}" in page
    assert "per_page" in page and "Authorization: Bearer" in page
    assert "cdn" not in page.lower()


def test_anonymous_visitors_of_the_docs_page_go_to_the_login(client: FlaskClient) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
