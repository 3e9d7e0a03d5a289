"""The API's operations, declared once beside their views; the OpenAPI 3 document and the
docs page are built from these declarations and from the schemas in `schemas`, and the
views read their query parameters through the same declarations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l

from dossier.api.schemas import COMPONENTS, Schema, ref

F = TypeVar("F", bound=Callable[..., Any])
API_PREFIX = "/api/v1"
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25
JSON = "application/json"
MULTIPART = "multipart/form-data"


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # "query" or "path"
    schema: Schema
    description: Any = ""
    required: bool = False
    example: Any = None


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # below /api/v1, in OpenAPI form: /customers/{customer_id}
    summary: Any
    tag: str
    params: tuple[Param, ...] = ()
    body: str | None = None  # a schema name in COMPONENTS
    body_media: str = JSON
    ok: int = 200
    ok_schema: str | None = None  # None: ok_media is a file
    ok_media: str = JSON
    description: Any = ""
    example: str = ""  # the call as a curl command, for the docs page
    endpoint: str = ""  # filled in by `documented`
    errors: tuple[int, ...] = (401, 403, 429)

    @property
    def error_codes(self) -> tuple[int, ...]:
        codes = set(self.errors)
        if self.params or self.body:
            codes.add(400)
        if any(param.location == "path" for param in self.params):
            codes.add(404)
        if self.body:
            codes |= {413, 415, 422}
        return tuple(sorted(codes))


OPERATIONS: list[Operation] = []


def documented(operation: Operation, blueprint: str = "api") -> Callable[[F], F]:
    """Declare the view's operation (it then appears in the OpenAPI document and docs)."""

    def register(view: F) -> F:
        OPERATIONS.append(replace(operation, endpoint=f"{blueprint}.{view.__name__}"))
        return view

    return register


MAX_ID = 2**31 - 1  # ids are 32-bit integers in both databases
MAX_PAGE = 1_000_000


def path_id(name: str, description: Any) -> Param:
    return Param(name, "path", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                 description, required=True)


PAGE = Param("page", "query", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE,
                               "default": 1},
             _l("Page number, from 1."))
PER_PAGE = Param("per_page", "query",
                 {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                  "default": DEFAULT_PER_PAGE},
                 _l("Items per page, at most %(n)s.", n=MAX_PER_PAGE))
PAGING = (PAGE, PER_PAGE)

ERROR_TEXTS = {
    400: _l("The request is malformed; `fields` says which field and why."),
    401: _l("No credentials, or an unknown, revoked or expired token."),
    403: _l("The caller's roles do not allow this."),
    404: _l("No such object."),
    413: _l("The request is larger than allowed."),
    415: _l("The request body has the wrong content type."),
    422: _l("The input was understood but refused; `fields` says which field and why."),
    429: _l("Too many calls: wait and try again."),
}


def _parameter(param: Param) -> dict[str, Any]:
    found: dict[str, Any] = {"name": param.name, "in": param.location,
                             "required": param.required, "schema": param.schema,
                             "description": str(param.description)}
    if param.example is not None:
        found["example"] = param.example
    return found


def _request_body(operation: Operation) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": ref(operation.body or "")}
    if operation.body_media == MULTIPART:
        media["encoding"] = {"file": {"contentType": "application/octet-stream"}}
    return {"required": True, "content": {operation.body_media: media}}


def _responses(operation: Operation) -> dict[str, Any]:
    if operation.ok_schema:
        content = {operation.ok_media: {"schema": ref(operation.ok_schema)}}
    else:
        content = {operation.ok_media: {"schema": {"type": "string", "format": "binary"}}}
    found: dict[str, Any] = {str(operation.ok): {"description": "OK", "content": content}}
    for code in operation.error_codes:
        found[str(code)] = {"$ref": f"#/components/responses/E{code}"}
    return found


def _operation(operation: Operation) -> dict[str, Any]:
    found: dict[str, Any] = {
        "operationId": operation.endpoint.replace(".", "_"),
        "summary": str(operation.summary), "tags": [operation.tag],
        "parameters": [_parameter(param) for param in operation.params],
        "responses": _responses(operation),
    }
    if operation.description:
        found["description"] = str(operation.description)
    if operation.body:
        found["requestBody"] = _request_body(operation)
    return found


DESCRIPTION = _l(
    "The JSON API of Dossier. Every call needs an API token (create one under "
    "API tokens in the user menu) sent as `Authorization: Bearer <token>`; a token carries its "
    "user's roles and scopes, and every call is checked and audited as the same action in "
    "the web screens would be. Lists are paged (`page`, `per_page`; the `Link` header and "
    "`next` give the next page). Errors are JSON: `{\"error\", \"message\", \"fields\"}`. "
    "Access requests (GDPR) are not part of the API yet: they arrive with the compliance "
    "module.")


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3 document of every declared operation."""
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method.lower()] = _operation(operation)
    error = {"application/json": {"schema": ref("Error")}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Dossier API", "version": "1", "description": str(DESCRIPTION)},
        "servers": [{"url": API_PREFIX}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": COMPONENTS,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "responses": {f"E{code}": {"description": str(text), "content": error}
                          for code, text in ERROR_TEXTS.items()},
        },
    }


@dataclass
class DocsEntry:
    """One operation as the docs page lists it."""

    operation: Operation
    parameters: list[Param] = field(default_factory=list)
    body_fields: list[tuple[str, Schema, bool]] = field(default_factory=list)


def docs_entries() -> list[DocsEntry]:
    entries = []
    for operation in OPERATIONS:
        body = COMPONENTS.get(operation.body or "", {})
        required = set(body.get("required", []))
        entries.append(DocsEntry(operation, list(operation.params), [
            (name, schema, name in required)
            for name, schema in body.get("properties", {}).items()]))
    return entries
