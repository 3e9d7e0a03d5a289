"""The machinery of the route walk: the roles, the objects its URLs point at, and outcomes.

The table of expectations lives in tests/web/test_route_walk.py; this module builds
what the table names (a customer, documents per scope, a stored file, a field, a
document type, a policy rule, another user) and turns a response into the value the
table holds.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from dossier.api.tokens import issue_token
from dossier.auth.models import User
from dossier.documents.file_store import FileStore
from dossier.documents.models import DigitalFile, Document, DocumentType, PolicyRule
from dossier.extensions import db
from dossier.mailings.models import Mailing, MailingRecipient
from tests.customers.factories import CustomFieldFactory
from tests.factories import PASSWORD, CustomerFactory, DocumentFactory, UserFactory, login

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, "sales", "care", "loyalty", "clerk", "compliance", "admin")
# Flask-Login's answer to an anonymous visitor: 302 to /login?next=<the page>.
LOGIN = "login"
MISSING_ID = 987654321
# Hundreds of sign-ins in the walk: a one-round hash keeps the real login form and
# session without scrypt's deliberate slowness (about 70 ms a check).
QUICK_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")

Expected = int | str


class Case(NamedTuple):
    """One request of the walk and the outcome expected for each role, in ROLES order."""

    method: str
    endpoint: str
    outcomes: tuple[Expected, ...]
    args: Mapping[str, str] = {}  # URL parameter -> name of an object in World.ids
    query: Mapping[str, str] = {}  # "@name" stands for that object's id
    variant: str = ""

    @property
    def name(self) -> str:
        return f"{self.method} {self.endpoint}" + (f"[{self.variant}]" if self.variant else "")

    def expected(self, role: str) -> Expected:
        return self.outcomes[ROLES.index(role)]


@dataclass
class World:
    """The objects the walk's URLs point at; `ids` maps the names a Case uses to ids."""

    ids: dict[str, int] = field(default_factory=dict)

    def url(self, app: Flask, case: Case) -> str:
        values: dict[str, Any] = {param: self._id(name) for param, name in case.args.items()}
        values |= {key: self._query_value(value) for key, value in case.query.items()}
        with app.test_request_context():
            return url_for(case.endpoint, **values)

    def _id(self, name: str) -> int:
        return MISSING_ID if name == "missing" else self.ids[name]

    def _query_value(self, value: str) -> str:
        return str(self.ids[value[1:]]) if value.startswith("@") else value


def build_world(store_root: Path) -> World:
    """A customer with a sales and a care-only document (each with a stored file), a
    custom field, a document type with a policy rule, a user to administer, and a sales
    mailing with a letter to the customer."""
    customer = CustomerFactory()
    sales_document = DocumentFactory(scopes=["sales"], customers=[customer],
                                     key_points={"direction": "incoming"})
    care_document = DocumentFactory(scopes=["care"], customers=[customer],
                                    key_points={"direction": "outgoing"})
    document_type = DocumentType(code="route_walk", name_nl="Wandeling", name_en="Walk",
                                 scopes=["sales"], key_point_schema=[])
    rule = PolicyRule(scope="sales", document_type=document_type, condition="always",
                      document_class="static", reason="walked")
    db.session.add_all([document_type, rule])
    other_user = UserFactory(roles=("sales",))
    api_token, _secret = issue_token(other_user, "walk", None)
    custom_field = CustomFieldFactory(scopes=["sales"])
    mailing = Mailing(name="Walk", scope="sales", subject="Walk", body="Walk",
                      answer_options=["Ja", "Nee"])
    letter = MailingRecipient(mailing=mailing, customer=customer, sequence=1)
    db.session.add_all([mailing, letter])
    store = FileStore(store_root)
    files = [_stored_file(store, document, f"{document.title}.txt")
             for document in (sales_document, care_document)]
    db.session.flush()
    return World(ids={
        "customer": customer.id, "sales_document": sales_document.id,
        "care_document": care_document.id, "sales_file": files[0].id,
        "care_file": files[1].id, "document_type": document_type.id, "rule": rule.id,
        "user": other_user.id, "field": custom_field.id, "api_token": api_token.id,
        "mailing": mailing.id, "mailing_recipient": letter.id,
    })


def _stored_file(store: FileStore, document: Document, name: str) -> DigitalFile:
    stored = store.store(io.BytesIO(f"Letter about {document.title}\n".encode()))
    digital = DigitalFile(document=document, sha256=stored.sha256, original_name=name,
                          mime_type=stored.mime_type, size_bytes=stored.size)
    db.session.add(digital)
    return digital


def sign_in(client: FlaskClient, role: str) -> User | None:
    """Log the client in through the login form as a new user holding only `role`."""
    if role == ANONYMOUS:
        return None
    user = UserFactory(roles=(role,))
    user.password_hash = QUICK_HASH
    db.session.flush()
    login(client, user)
    return user


def outcome(response: TestResponse) -> Expected:
    """The status code, or LOGIN for the redirect an anonymous visitor gets."""
    response.close()  # downloads stream from an open file
    if response.status_code == 302 and _is_login_redirect(response.headers["Location"]):
        return LOGIN
    return response.status_code


def _is_login_redirect(location: str) -> bool:
    parts = urlsplit(location)
    return parts.path == "/login" and "next" in parse_qs(parts.query)


def registered_requests(app: Flask) -> set[tuple[str, str]]:
    """Every (method, endpoint) the app serves, leaving out static files and the
    methods Werkzeug adds by itself (HEAD, OPTIONS)."""
    return {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules() if rule.endpoint != "static"
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
