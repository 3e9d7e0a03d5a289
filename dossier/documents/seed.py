"""Reference data every installation starts with: document types and the scope policy."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dossier.documents.models import DocumentType, PolicyRule
from dossier.extensions import db


def N_(message: str) -> str:
    """Mark a stored string for translation; it is translated when shown."""
    return message


FISCAL = N_("Dutch fiscal retention duty, 7 years (art. 52 AWR, art. 2:10 BW)")
BUSINESS = N_("Legitimate business need; GDPR art. 5(1)(e) storage limitation")
SERVICE = N_("Warranty and service history; GDPR art. 5(1)(e) storage limitation")


def _field(key: str, nl: str, en: str, kind: str, required: bool = False,
           choices: list[str] | None = None) -> dict[str, Any]:
    return {"key": key, "label_nl": nl, "label_en": en, "type": kind, "required": required,
            "choices": choices or []}


AMOUNT = _field("amount", "Bedrag", "Amount", "money")
STATUS_OPEN_CLOSED = _field("status", "Status", "Status", "choice", True, ["open", "closed"])
START = _field("start_date", "Ingangsdatum", "Start date", "date", True)
END = _field("end_date", "Einddatum", "End date", "date")

DOCUMENT_TYPES: list[dict[str, Any]] = [
    {"code": "quote", "name_nl": "Offerte", "name_en": "Quote", "scopes": ["sales", "care"],
     "retention_months": 24, "retention_basis": BUSINESS, "key_point_schema": [
         AMOUNT, _field("valid_until", "Geldig tot", "Valid until", "date"),
         _field("status", "Status", "Status", "choice", True,
                ["open", "accepted", "rejected", "expired"])]},
    {"code": "contract", "name_nl": "Contract", "name_en": "Contract",
     "scopes": ["sales", "care"], "retention_months": 84, "retention_basis": FISCAL,
     "key_point_schema": [START, END, _field("value", "Waarde", "Value", "money"),
                          _field("signed_by", "Ondertekend door", "Signed by", "text", True)]},
    {"code": "order", "name_nl": "Order", "name_en": "Order", "scopes": ["sales", "loyalty"],
     "retention_months": 84, "retention_basis": FISCAL, "key_point_schema": [
         _field("order_number", "Ordernummer", "Order number", "text", True), AMOUNT,
         _field("delivery_date", "Leverdatum", "Delivery date", "date")]},
    {"code": "invoice", "name_nl": "Factuur", "name_en": "Invoice",
     "scopes": ["sales", "loyalty"], "retention_months": 84, "retention_basis": FISCAL,
     "key_point_schema": [
         _field("invoice_number", "Factuurnummer", "Invoice number", "text", True), AMOUNT,
         _field("due_date", "Vervaldatum", "Due date", "date"),
         _field("paid", "Betaald", "Paid", "boolean")]},
    {"code": "service_call", "name_nl": "Servicemelding", "name_en": "Service call",
     "scopes": ["care"], "retention_months": 24, "retention_basis": SERVICE,
     "key_point_schema": [
         STATUS_OPEN_CLOSED, _field("product", "Product", "Product", "text"),
         _field("closed_on", "Afgesloten op", "Closed on", "date")]},
    {"code": "sla", "name_nl": "SLA", "name_en": "SLA", "scopes": ["care"],
     "retention_months": 84, "retention_basis": FISCAL, "key_point_schema": [
         START, END, _field("service_level", "Serviceniveau", "Service level", "choice", True,
                            ["gold", "silver", "bronze"]),
         _field("response_hours", "Reactietijd (uren)", "Response time (hours)", "number")]},
    {"code": "complaint", "name_nl": "Klacht", "name_en": "Complaint",
     "scopes": ["care", "loyalty"], "retention_months": 24, "retention_basis": BUSINESS,
     "key_point_schema": [
         STATUS_OPEN_CLOSED, _field("subject", "Onderwerp", "Subject", "text", True),
         _field("resolution", "Afhandeling", "Resolution", "text")]},
    {"code": "purchase", "name_nl": "Aankoop", "name_en": "Purchase", "scopes": ["loyalty"],
     "retention_months": 84, "retention_basis": FISCAL, "key_point_schema": [
         _field("product", "Product", "Product", "text", True), AMOUNT,
         _field("channel", "Kanaal", "Channel", "choice", False, ["store", "web", "phone"])]},
    {"code": "correspondence", "name_nl": "Correspondentie", "name_en": "Correspondence",
     "scopes": ["sales", "care", "loyalty"], "retention_months": 24,
     "retention_basis": BUSINESS, "key_point_schema": [
         _field("direction", "Richting", "Direction", "choice", True, ["incoming", "outgoing"]),
         _field("subject", "Onderwerp", "Subject", "text")]},
    {"code": "reply_coupon", "name_nl": "Antwoordcoupon", "name_en": "Reply coupon",
     "scopes": ["sales", "loyalty"], "retention_months": 24, "retention_basis": BUSINESS,
     "key_point_schema": [
         _field("mailing", "Mailing", "Mailing", "text", True),
         _field("answer", "Antwoord", "Answer", "choice", True, ["yes", "no", "maybe"]),
         _field("responded_on", "Gereageerd op", "Responded on", "date")]},
]

# (scope, type code, condition, class, reason)
POLICY_RULES: list[tuple[str, str, str, str, str]] = [
    ("sales", "quote", "always", "dynamic",
     N_("quotes are revised and followed up until the deal is closed")),
    ("sales", "contract", "always", "static",
     N_("contracts are rarely consulted after signing and never change")),
    ("sales", "order", "always", "static", N_("orders never change once placed")),
    ("care", "service_call", "open", "dynamic",
     N_("open service calls are worked on every day")),
    ("care", "service_call", "closed", "static",
     N_("closed service calls are only needed as history")),
    ("care", "sla", "current", "dynamic",
     N_("current SLAs decide how every service call is handled")),
    ("care", "sla", "expired", "static", N_("expired SLAs no longer apply")),
    ("care", "contract", "current", "dynamic",
     N_("current contracts are consulted for every service question")),
    ("care", "contract", "expired", "static", N_("expired contracts no longer apply")),
    ("care", "quote", "always", "static", N_("old quotes are only kept for reference")),
    ("loyalty", "purchase", "always", "dynamic",
     N_("purchases drive recency, frequency and monetary value")),
    ("loyalty", "correspondence", "always", "dynamic",
     N_("contact reports show how engaged a customer is")),
    ("loyalty", "invoice", "always", "dynamic",
     N_("invoices give the customer's monetary value")),
]


def seed_reference_data() -> int:
    """Add missing document types and, on a fresh install, the default policy."""
    existing = {t.code: t for t in db.session.scalars(select(DocumentType))}
    added = 0
    for spec in DOCUMENT_TYPES:
        if spec["code"] not in existing:
            existing[spec["code"]] = DocumentType(**spec)
            db.session.add(existing[spec["code"]])
            added += 1
    db.session.flush()
    if db.session.scalar(select(PolicyRule.id).limit(1)) is None:
        for scope, code, condition, cls, reason in POLICY_RULES:
            db.session.add(PolicyRule(scope=scope, document_type_id=existing[code].id,
                                      condition=condition, document_class=cls, reason=reason))
            added += 1
        db.session.flush()
    return added
