"""The audit writer names the real actor and object, and where the request came from."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user, login_user

from dossier.compliance.audit import AuditAction, record
from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.factories import CustomerFactory, UserFactory


def test_an_event_names_actor_object_customer_and_address(app: Flask) -> None:
    clerk = UserFactory(roles=("clerk",))
    customer = CustomerFactory()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.1.2.3"}):
        record(clerk, AuditAction.VIEW, customer, customer_id=customer.id)
        db.session.flush()
    event = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    assert (event.actor_id, event.actor_name) == (clerk.id, clerk.username)
    assert (event.object_type, event.object_id) == ("Customer", str(customer.id))
    assert event.customer_id == customer.id
    assert event.client_address == "10.1.2.3"


def test_the_current_user_proxy_is_recorded_as_the_user_itself(app: Flask) -> None:
    user = UserFactory(roles=("sales",))
    with app.test_request_context():
        login_user(user)
        event = record(current_user, AuditAction.UPDATE, current_user)
    assert event.object_type == "User"
    assert event.object_id == str(user.id)
    assert event.actor_name == user.username


def test_outside_a_request_there_is_no_client_address(app: Flask) -> None:
    event = record("ingest-worker", AuditAction.CREATE, object_type="Document", object_id=7)
    assert event.actor_id is None
    assert event.actor_name == "ingest-worker"
    assert event.client_address is None
