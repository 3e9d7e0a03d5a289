"""Value checks: Dutch postcodes, amounts, dates and phone numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dossier.customers.validation import (
    InvalidValue,
    is_valid_postcode,
    normalise_phone,
    normalise_postcode,
    parse_date,
    parse_decimal,
    parse_money,
)


@pytest.mark.parametrize(("raw", "stored"), [
    ("1234 AB", "1234 AB"), ("1234ab", "1234 AB"), (" 9999 zz ", "9999 ZZ"),
    ("1000AA", "1000 AA"), ("1234 SB", "1234 SB"),
])
def test_valid_postcodes_are_normalised(app, raw: str, stored: str) -> None:
    assert normalise_postcode(raw) == stored


@pytest.mark.parametrize("raw", [
    "0123 AB", "123 AB", "12345 AB", "1234 A", "1234 ABC", "1234 SA", "1234 SD", "1234ss",
    "1234  AB", "ABCD 12", "", "1234-AB",
])
def test_invalid_postcodes_are_refused(app, raw: str) -> None:
    assert not is_valid_postcode(raw)
    with pytest.raises(InvalidValue):
        normalise_postcode(raw)


@pytest.mark.parametrize(("raw", "amount"), [
    ("1.234,56", "1234.56"), ("1234.56", "1234.56"), ("1234,56", "1234.56"),
    ("1,234.56", "1234.56"), ("12", "12.00"), ("-3,5", "-3.50"), ("€ 1.000,00", "1000.00"),
    ("1.234.567", "1234567.00"), ("0,05", "0.05"),
])
def test_money_accepts_dutch_and_english_notation(app, raw: str, amount: str) -> None:
    assert parse_money(raw) == Decimal(amount)
    assert parse_money(raw).as_tuple().exponent == -2


@pytest.mark.parametrize("raw", ["1.234", "12,345", "1,2,3", "abc", "", "1..2", "1,", ".5",
                                 "1.23.4", "1e5", "12,3a"])
def test_money_refuses_ambiguous_or_malformed_amounts(app, raw: str) -> None:
    with pytest.raises(InvalidValue):
        parse_money(raw)


def test_numbers_keep_their_decimals_up_to_a_limit(app) -> None:
    assert parse_decimal("1.234") == Decimal("1.234")
    assert parse_decimal("2,5") == Decimal("2.5")
    with pytest.raises(InvalidValue):
        parse_decimal("1,23456", max_places=4)


@pytest.mark.parametrize(("raw", "expected"), [
    ("2025-03-01", date(2025, 3, 1)), ("01-03-2025", date(2025, 3, 1)),
    ("1-3-2025", date(2025, 3, 1)), ("01/03/2025", date(2025, 3, 1)),
])
def test_dates_iso_or_dutch(app, raw: str, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31-02-2025", "2025-13-01", "03/2025", "gisteren"])
def test_bad_dates_are_refused(app, raw: str) -> None:
    with pytest.raises(InvalidValue):
        parse_date(raw)


def test_phone_numbers(app) -> None:
    assert normalise_phone(" +31 20  123-4567 ") == "+31 20 123-4567"
    for bad in ("020 12x 4567", "12-34", "31+20123456", "(020) 1234567"):
        with pytest.raises(InvalidValue):
            normalise_phone(bad)
