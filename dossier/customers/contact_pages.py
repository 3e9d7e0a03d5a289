"""What the contact-history blueprints (interactions, complaints) share: who may open their
pages, the labels their templates use, and the customer a page is about."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user, login_required

from dossier.auth.models import User
from dossier.auth.permissions import Action, Feature, can
from dossier.customers.forms import SCOPE_LABELS
from dossier.customers.interactions_forms import (
    CHANNEL_LABELS,
    COMPLAINT_STATUS_LABELS,
    DIRECTION_LABELS,
)
from dossier.customers.models import Customer
from dossier.extensions import db


@login_required
def _contact_history_staff_only() -> None:
    if not can(current_user, Action.VIEW, Feature.INTERACTIONS):
        abort(403)


def _labels() -> dict[str, object]:
    return {"contact_channel_labels": CHANNEL_LABELS, "direction_labels": DIRECTION_LABELS,
            "complaint_status_labels": COMPLAINT_STATUS_LABELS, "scope_labels": SCOPE_LABELS}


def contact_history_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /customers open to those who may see contact history."""
    bp = Blueprint(name, import_name, url_prefix="/customers")
    bp.before_request(_contact_history_staff_only)
    bp.context_processor(_labels)
    return bp


def current_actor() -> User:
    user: User = current_user._get_current_object()
    return user


def viewable_customer(customer_id: int) -> Customer:
    customer = db.get_or_404(Customer, customer_id)
    if not can(current_user, Action.VIEW, customer):
        abort(403)
    return customer
