"""A customer's key fields: which there are, and the rules that clean and check them."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l

from dossier.customers.models import Channel, Customer, CustomerKind, CustomerStatus
from dossier.customers.validation import (
    InvalidValue,
    normalise_country,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    parse_date,
)

KEY_FIELDS: tuple[str, ...] = (
    "number", "kind", "initials", "first_name", "infix", "last_name", "organisation_name",
    "street", "house_number", "house_number_addition", "postcode", "city", "country",
    "email", "phone", "date_of_birth", "preferred_channel", "status",
)
TEXT_FIELDS = (
    "initials", "first_name", "infix", "last_name", "organisation_name", "street",
    "house_number_addition", "city",
)
_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
_CHOICES: dict[str, tuple[str, ...]] = {
    "kind": tuple(kind.value for kind in CustomerKind),
    "preferred_channel": tuple(channel.value for channel in Channel),
    "status": tuple(status.value for status in CustomerStatus),
}


class CustomerInvalid(ValueError):
    """The customer data was refused; `errors` maps field names to messages safe to show."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)


def current_values(customer: Customer) -> dict[str, Any]:
    return {name: getattr(customer, name) for name in KEY_FIELDS}


@cache  # the columns do not change while the app runs; an import asks 18 times per row
def max_length(name: str) -> int | None:
    length = getattr(Customer.__table__.c[name].type, "length", None)
    return int(length) if length else None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def clean_customer(data: Mapping[str, Any], today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """Normalised values for every key field, and the messages for those that fail."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in KEY_FIELDS:
        try:
            clean[name] = _CLEANERS.get(name, _clean_text)(data.get(name), name)
        except InvalidValue as error:
            errors[name] = error.message
            continue
        limit = max_length(name)
        if isinstance(clean[name], str) and limit and len(clean[name]) > limit:
            errors[name] = str(_l("Use at most %(n)s characters.", n=limit))
    errors.update(_cross_field_errors(clean, errors, today))
    return clean, errors


def _cross_field_errors(clean: Mapping[str, Any], errors: Mapping[str, str],
                        today: date) -> dict[str, str]:
    found: dict[str, str] = {}
    person = clean.get("kind") == CustomerKind.PERSON.value
    if person and "last_name" not in errors and not clean.get("last_name"):
        found["last_name"] = str(_l("A person needs a last name."))
    if (clean.get("kind") == CustomerKind.ORGANISATION.value
            and "organisation_name" not in errors and not clean.get("organisation_name")):
        found["organisation_name"] = str(_l("An organisation needs a name."))
    born = clean.get("date_of_birth")
    if born is not None and "date_of_birth" not in errors:
        if not person:
            found["date_of_birth"] = str(_l("Only a person has a date of birth."))
        elif born > today:
            found["date_of_birth"] = str(_l("The date of birth cannot be in the future."))
    dutch = clean.get("country") == "NL" and "country" not in errors
    if dutch and "postcode" not in errors and clean.get("postcode"):
        try:
            normalise_postcode(clean["postcode"])
        except InvalidValue as error:
            found["postcode"] = error.message
    return found


def _clean_text(value: Any, name: str) -> str:
    return _text(value)


def _clean_number(value: Any, name: str) -> str:
    text = _text(value)
    if not text:
        raise InvalidValue(_l("Enter a customer number."))
    if not _NUMBER.match(text):
        raise InvalidValue(_l("Use letters, digits and - only."))
    return text


def _clean_choice(value: Any, name: str) -> str:
    text = _text(value)
    if text not in _CHOICES[name]:
        raise InvalidValue(_l("Choose one of the options."))
    return text


def _clean_house_number(value: Any, name: str) -> int | None:
    if value is None or _text(value) == "":
        return None
    text = _text(value)
    if isinstance(value, bool) or not text.isdigit() or int(text) < 1:
        raise InvalidValue(_l("Enter a whole number of 1 or more."))
    return int(text)


def _clean_postcode(value: Any, name: str) -> str:
    text = _text(value).upper()
    try:  # Dutch postcodes are stored as "1234 AB"; others as given (checked per country)
        return normalise_postcode(text)
    except InvalidValue:
        return " ".join(text.split())


def _clean_optional(normalise: Callable[[str], Any]) -> Callable[[Any, str], Any]:
    def clean(value: Any, name: str) -> Any:
        if isinstance(value, date):
            return value
        text = _text(value)
        return normalise(text) if text else ("" if name in ("email", "phone") else None)

    return clean


_CLEANERS: dict[str, Callable[[Any, str], Any]] = {
    "number": _clean_number,
    "kind": _clean_choice,
    "preferred_channel": _clean_choice,
    "status": _clean_choice,
    "house_number": _clean_house_number,
    "postcode": _clean_postcode,
    "country": lambda value, name: normalise_country(_text(value) or "NL"),
    "email": _clean_optional(normalise_email),
    "phone": _clean_optional(normalise_phone),
    "date_of_birth": _clean_optional(parse_date),
}
