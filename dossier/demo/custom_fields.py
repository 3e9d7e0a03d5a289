"""Demo custom fields (each visible to some scopes only) and their values per customer."""

from __future__ import annotations

import random
from decimal import Decimal

from sqlalchemy import select

from dossier.customers.models import Customer, CustomerKind, CustomField, CustomFieldValue
from dossier.extensions import db

SEGMENTS_PERSON = ("Particulier",)
SEGMENTS_ORGANISATION = ("MKB", "Grootzakelijk", "Non-profit")
FIELDS: tuple[dict[str, object], ...] = (
    {"key": "klantwaarde", "label": "Klantwaarde", "field_type": "money",
     "scopes": ["loyalty"], "help_text": "Omzet over de laatste twaalf maanden.",
     "position": 10},
    {"key": "servicecontractnummer", "label": "Servicecontractnummer", "field_type": "text",
     "scopes": ["care"], "help_text": "Nummer van het lopende servicecontract.",
     "position": 20},
    {"key": "nieuwsbrief", "label": "Nieuwsbrief", "field_type": "boolean",
     "scopes": ["sales", "loyalty"], "help_text": "Wil de nieuwsbrief per e-mail ontvangen.",
     "position": 30},
    {"key": "segment", "label": "Segment", "field_type": "choice",
     "scopes": ["sales", "loyalty"], "choices": [*SEGMENTS_PERSON, *SEGMENTS_ORGANISATION],
     "position": 40},
)


def ensure_fields() -> dict[str, CustomField]:
    """The demo fields by key, created when missing (an admin may have made them already)."""
    existing = {f.key: f for f in db.session.scalars(select(CustomField))}
    for spec in FIELDS:
        if spec["key"] not in existing:
            field = CustomField(active=True, required=False, **spec)
            db.session.add(field)
            existing[str(spec["key"])] = field
    db.session.flush()
    return {str(spec["key"]): existing[str(spec["key"])] for spec in FIELDS}


def _segment(rng: random.Random, customer: Customer) -> str:
    if customer.kind == CustomerKind.PERSON.value:
        return SEGMENTS_PERSON[0]
    if customer.organisation_name.startswith(("Stichting", "Vereniging", "Coöperatie")):
        return "Non-profit"
    return rng.choice(("MKB", "MKB", "MKB", "Grootzakelijk"))


def _values_for(rng: random.Random, customer: Customer,
                fields: dict[str, CustomField]) -> list[CustomFieldValue]:
    def value(key: str, **typed: object) -> CustomFieldValue:
        return CustomFieldValue(customer=customer, field=fields[key], **typed)

    values = []
    if rng.random() < 0.7:
        cents = rng.randint(5_000, 2_500_000 if customer.kind == "organisation" else 600_000)
        values.append(value("klantwaarde", value_number=Decimal(cents) / 100))
    if rng.random() < 0.35:
        number = f"SC-{rng.randint(2019, 2025)}-{rng.randint(1, 9999):05d}"
        values.append(value("servicecontractnummer", value_text=number))
    if rng.random() < 0.8:
        values.append(value("nieuwsbrief", value_bool=rng.random() < 0.6))
    values.append(value("segment", value_text=_segment(rng, customer)))
    return values


def build_values(rng: random.Random, customers: list[Customer],
                 fields: dict[str, CustomField]) -> list[CustomFieldValue]:
    """Values for most customers; some fields stay empty, as they do in real data."""
    return [v for customer in customers for v in _values_for(rng, customer, fields)]
