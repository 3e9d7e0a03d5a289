"""Every code Dossier prints or reads: making it, and parsing what a scanner returns.

A code is a kind letter, its fields and one check character, all printable ASCII that
Code128 (and Code39) can carry::

    P1234            physical item 1234
    L17              location or box 17
    U5               person badge of user 5
    C12-QUOTE-SALES  cover sheet: customer 12, document type "quote", scope sales
    S                separator sheet
    M3-250           numbered letter / reply coupon: mailing 3, recipient 250

each followed by its check character (ISO 7064 Mod 37,36 from python-stdnum), so a
misread or mistyped code is caught before any lookup: every single wrong character and
every swap of two neighbours. Mod 37,36 knows letters and digits only, so the separators
("-", and "_" inside type codes) count as the letter Z; a separator read as a Z is left to
the grammar of each kind, which rejects it almost everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from stdnum.iso7064 import mod_37_36

from dossier.auth.roles import ALL_SCOPES

MAX_LENGTH = 100  # a cover code with a 40-character type code stays well below
FIELD_SEPARATOR = "-"
_NUMBER = r"[1-9][0-9]{0,17}"
_TYPE_CODE = r"[A-Z][A-Z0-9_]{0,39}"
_SCOPE = "|".join(scope.upper() for scope in ALL_SCOPES)
_CODE_CHARACTERS = re.compile(r"^[A-Z0-9_-]+$")
# Mod 37,36 knows letters and digits only. Counting a separator as a letter (rather than
# leaving it out) keeps it in the check: "M31-2057" and "M3-12057" get different ones.
_SEPARATORS = re.compile(r"[_-]")
SEPARATOR_AS = "Z"
# Scanners set up to send the AIM symbology identifier prefix it: "]C0" for Code128.
_AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9]")


class Kind(StrEnum):
    ITEM = "P"
    LOCATION = "L"
    BADGE = "U"
    COVER = "C"
    SEPARATOR = "S"
    MAILING = "M"


KIND_LABELS = {
    Kind.ITEM: _l("physical item"),
    Kind.LOCATION: _l("location"),
    Kind.BADGE: _l("person badge"),
    Kind.COVER: _l("cover sheet"),
    Kind.SEPARATOR: _l("separator sheet"),
    Kind.MAILING: _l("numbered letter"),
}


class BarcodeError(ValueError):
    """A code that cannot be used; `str(error)` is a message for the user."""

    reason: ClassVar[str] = "barcode_error"

    def __init__(self, code: str, message: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class UnknownKind(BarcodeError):
    reason = "unknown_kind"


class WrongCheckCharacter(BarcodeError):
    reason = "wrong_check_character"


class MalformedCode(BarcodeError):
    reason = "malformed_code"


class UnknownObject(BarcodeError):
    """A well-formed code naming something that does not exist; raised by lookups."""

    reason = "unknown_object"


@dataclass(frozen=True)
class _Code(ABC):
    kind: ClassVar[Kind]

    @abstractmethod
    def fields(self) -> tuple[str, ...]:
        """The fields after the kind letter, as printed."""

    @property
    def code(self) -> str:
        """The code as printed, check character included."""
        return with_check_character(self.kind.value + FIELD_SEPARATOR.join(self.fields()))

    def __str__(self) -> str:
        return self.code


def _positive(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    if len(str(value)) > 18:
        raise ValueError(f"{name} {value} is too large for a code")


@dataclass(frozen=True)
class ItemCode(_Code):
    number: int
    kind: ClassVar[Kind] = Kind.ITEM

    def __post_init__(self) -> None:
        _positive("item number", self.number)

    def fields(self) -> tuple[str, ...]:
        return (str(self.number),)


@dataclass(frozen=True)
class LocationCode(_Code):
    number: int
    kind: ClassVar[Kind] = Kind.LOCATION

    def __post_init__(self) -> None:
        _positive("location number", self.number)

    def fields(self) -> tuple[str, ...]:
        return (str(self.number),)


@dataclass(frozen=True)
class BadgeCode(_Code):
    user_id: int
    kind: ClassVar[Kind] = Kind.BADGE

    def __post_init__(self) -> None:
        _positive("user id", self.user_id)

    def fields(self) -> tuple[str, ...]:
        return (str(self.user_id),)


@dataclass(frozen=True)
class CoverCode(_Code):
    customer_id: int
    type_code: str
    scope: str
    kind: ClassVar[Kind] = Kind.COVER

    def __post_init__(self) -> None:
        _positive("customer id", self.customer_id)
        if not re.fullmatch(_TYPE_CODE, self.type_code.upper()) or not self.type_code.islower():
            raise ValueError(f"document type code {self.type_code!r} cannot go on a cover sheet")
        if self.scope not in ALL_SCOPES:
            raise ValueError(f"unknown scope {self.scope!r}")

    def fields(self) -> tuple[str, ...]:
        return (str(self.customer_id), self.type_code.upper(), self.scope.upper())


@dataclass(frozen=True)
class SeparatorCode(_Code):
    kind: ClassVar[Kind] = Kind.SEPARATOR

    def fields(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class MailingCode(_Code):
    mailing_id: int
    recipient_id: int
    kind: ClassVar[Kind] = Kind.MAILING

    def __post_init__(self) -> None:
        _positive("mailing id", self.mailing_id)
        _positive("recipient id", self.recipient_id)

    def fields(self) -> tuple[str, ...]:
        return (str(self.mailing_id), str(self.recipient_id))


BarcodeValue = ItemCode | LocationCode | BadgeCode | CoverCode | SeparatorCode | MailingCode

# The fields after the kind letter, as each kind writes them.
_GRAMMAR: dict[Kind, re.Pattern[str]] = {
    Kind.ITEM: re.compile(rf"^({_NUMBER})$"),
    Kind.LOCATION: re.compile(rf"^({_NUMBER})$"),
    Kind.BADGE: re.compile(rf"^({_NUMBER})$"),
    Kind.COVER: re.compile(rf"^({_NUMBER})-({_TYPE_CODE})-({_SCOPE})$"),
    Kind.SEPARATOR: re.compile(r"^$"),
    Kind.MAILING: re.compile(rf"^({_NUMBER})-({_NUMBER})$"),
}


def make_item(number: int) -> str:
    return ItemCode(number).code


def make_location(number: int) -> str:
    return LocationCode(number).code


def make_badge(user_id: int) -> str:
    return BadgeCode(user_id).code


def make_cover(customer_id: int, type_code: str, scope: str) -> str:
    """The code of a cover sheet routing a scan to this customer, type and scope."""
    return CoverCode(customer_id, type_code, scope).code


def make_separator() -> str:
    return SeparatorCode().code


def make_mailing(mailing_id: int, recipient_id: int) -> str:
    return MailingCode(mailing_id, recipient_id).code


def check_character(body: str) -> str:
    """ISO 7064 Mod 37,36 over `body` (upper case), separators counted as SEPARATOR_AS."""
    if not _CODE_CHARACTERS.match(body):
        raise ValueError(f"{body!r} holds characters a code cannot")
    return str(mod_37_36.calc_check_digit(_SEPARATORS.sub(SEPARATOR_AS, body)))


def with_check_character(body: str) -> str:
    return body + check_character(body)


def normalise(raw: str) -> str:
    """What a scanner or a person sent, without noise: no AIM prefix, spaces or control
    characters, and in upper case."""
    text = _AIM_PREFIX.sub("", raw.strip())
    kept = (char for char in text
            if not char.isspace() and not unicodedata.category(char).startswith("C"))
    return "".join(kept).upper()


def parse(raw: str) -> BarcodeValue:
    """The value a code stands for; raises a BarcodeError subclass saying what is wrong."""
    code = normalise(raw)
    if not code:
        raise MalformedCode(raw, _l("The code is empty."))
    if len(code) > MAX_LENGTH:
        raise MalformedCode(code, _l("“%(code)s…” is too long to be a Dossier code.",
                                     code=code[:20]))
    kind = _kind_of(code)
    if not _CODE_CHARACTERS.match(code):
        raise MalformedCode(code, _l("“%(code)s” holds characters that no %(kind)s code has.",
                                     code=code, kind=KIND_LABELS[kind]))
    if len(code) < 2:
        raise MalformedCode(code, _l("“%(code)s” is too short: its check character is "
                                     "missing.", code=code))
    body, check = code[:-1], code[-1]
    if not check.isalnum() or check_character(body) != check:
        raise WrongCheckCharacter(code, _l(
            "The check character of “%(code)s” does not match: the code was misread or "
            "mistyped. Scan it again.", code=code))
    return _value(kind, code, body[1:])


def try_parse(raw: str) -> BarcodeValue | None:
    """The value of a Dossier code, or None for anything else (a parcel label, noise)."""
    try:
        return parse(raw)
    except BarcodeError:
        return None


def _kind_of(code: str) -> Kind:
    try:
        return Kind(code[0])
    except ValueError:
        raise UnknownKind(code, _l(
            "“%(code)s” is not a Dossier code: it should start with one of %(kinds)s.",
            code=code, kinds=", ".join(kind.value for kind in Kind))) from None


def _value(kind: Kind, code: str, fields: str) -> BarcodeValue:
    match = _GRAMMAR[kind].match(fields)
    if match is None:
        raise MalformedCode(code, _l("“%(code)s” is not a valid %(kind)s code.",
                                     code=code, kind=KIND_LABELS[kind]))
    parts = match.groups()
    if kind is Kind.ITEM:
        return ItemCode(int(parts[0]))
    if kind is Kind.LOCATION:
        return LocationCode(int(parts[0]))
    if kind is Kind.BADGE:
        return BadgeCode(int(parts[0]))
    if kind is Kind.COVER:
        return CoverCode(int(parts[0]), parts[1].lower(), parts[2].lower())
    if kind is Kind.MAILING:
        return MailingCode(int(parts[0]), int(parts[1]))
    return SeparatorCode()
