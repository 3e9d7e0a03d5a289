"""Checks and normalisation of customer input: Dutch postcodes, amounts, dates, phones."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l


class InvalidValue(ValueError):
    """An input could not be accepted; the message is safe to show beside its field."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = str(message)


# 4 digits (not starting with 0), optional space, 2 letters; SA, SD and SS are never issued.
_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")
_EXCLUDED_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})
_PHONE = re.compile(r"^\+?[0-9][0-9 -]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
MIN_PHONE_DIGITS = 6
MAX_PHONE_DIGITS = 15


def normalise_postcode(value: str) -> str:
    """A Dutch postcode as stored ("1234 AB"); raises InvalidValue when it is not one."""
    match = _POSTCODE.match(value.strip().upper())
    if match is None or match.group(2) in _EXCLUDED_POSTCODE_LETTERS:
        raise InvalidValue(_l("Enter a Dutch postcode like 1234 AB."))
    return f"{match.group(1)} {match.group(2)}"


def is_valid_postcode(value: str) -> bool:
    try:
        normalise_postcode(value)
    except InvalidValue:
        return False
    return True


def normalise_phone(value: str) -> str:
    """A phone number of digits, spaces, "-" and a leading "+"; surrounding spaces removed."""
    value = " ".join(value.split())
    digits = sum(char.isdigit() for char in value)
    if not _PHONE.match(value) or not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS:
        raise InvalidValue(_l("Use digits, spaces, + and - only (6 to 15 digits)."))
    return value


def normalise_email(value: str) -> str:
    try:
        return str(validate_email(value.strip(), check_deliverability=False).normalized)
    except EmailNotValidError as error:
        raise InvalidValue(_l("Enter a valid e-mail address.")) from error


def normalise_country(value: str) -> str:
    value = value.strip().upper()
    if not _COUNTRY.match(value):
        raise InvalidValue(_l("Use the two-letter country code, e.g. NL or BE."))
    return value


def parse_date(value: str) -> date:
    """An ISO date (2025-03-01) or a Dutch one (01-03-2025, also with / or .)."""
    value = value.strip()
    try:
        dutch = _DUTCH_DATE.match(value)
        if dutch:
            return date(int(dutch.group(3)), int(dutch.group(2)), int(dutch.group(1)))
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as error:
        raise InvalidValue(_l("Enter a date as dd-mm-yyyy or yyyy-mm-dd.")) from error


def parse_decimal(value: str, max_places: int | None = None) -> Decimal:
    """A number written the Dutch way ("1.234,56") or the English way ("1234.56").

    With both separators the last one is the decimal mark. A lone "," is the Dutch
    decimal comma. Repeated separators must group thousands ("1.234.567"). An amount
    that could be read two ways is never guessed into a different value: "1.234" is
    1.234, which a money field then refuses for having three decimals.
    """
    text = value.strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    sign = "-" if text.startswith("-") else ""
    if text[:1] in ("-", "+"):
        text = text[1:]
    number = _plain_number(text)
    try:
        result = Decimal(sign + number)
    except InvalidOperation as error:
        raise InvalidValue(_l("Enter a number, e.g. 1234,56.")) from error
    if max_places is not None and -result.as_tuple().exponent > max_places:  # type: ignore[operator]
        raise InvalidValue(_l("Use at most %(n)s decimals.", n=max_places))
    return result


def _plain_number(text: str) -> str:
    """Digits with "." as the decimal mark, or InvalidValue."""
    if not text or not re.fullmatch(r"[0-9.,]+", text) or not text[0].isdigit():
        raise InvalidValue(_l("Enter a number, e.g. 1234,56."))
    if "." in text and "," in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
    elif text.count(",") == 1:
        decimal_mark = ","
    elif text.count(".") == 1:
        decimal_mark = "."
    else:
        decimal_mark = ""
    thousands = {",": ".", ".": ","}.get(decimal_mark, "." if "." in text else ",")
    whole, _, fraction = text.rpartition(decimal_mark) if decimal_mark else (text, "", "")
    if decimal_mark and not fraction.isdigit():
        raise InvalidValue(_l("Enter a number, e.g. 1234,56."))
    if thousands in whole:
        if not re.fullmatch(r"\d{1,3}(?:" + re.escape(thousands) + r"\d{3})+", whole):
            raise InvalidValue(_l("Enter a number, e.g. 1234,56."))
        whole = whole.replace(thousands, "")
    if not whole.isdigit():
        raise InvalidValue(_l("Enter a number, e.g. 1234,56."))
    return f"{whole}.{fraction}" if fraction else whole


def parse_money(value: str) -> Decimal:
    """An amount with at most two decimals, quantised to cents."""
    return parse_decimal(value, max_places=2).quantize(Decimal("0.01"))
